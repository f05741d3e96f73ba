"""The consent registry fails closed and says why; dates are read strictly, as instants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from phiguard.consent import ConsentError, Registry, load_registry
from phiguard.dates import DateError, DateRules, parse_when, zone_named
from phiguard.models import Draft, LineIndex, Segment, SourceMap

from .conftest import run_cli, run_json, write

STORY = '"After my knee replacement I was back on the trail in three months." — Marisol Ventura'
RECORD = ("consents:\n"
          "  - id: AUTH-KB-0031\n"
          "    subject: Marisol Ventura\n"
          "    status: signed\n"
          "    signed_by: patient\n"
          "    covers: [name, quote]\n"
          "    platforms: [instagram]\n"
          "    signed: 2026-01-15\n"
          "    expires: {expires}\n")


def _project(tmp_path: Path, registry: str, scheduled: str = "2026-06-10T10:00:00-05:00",
             config: str = "") -> None:
    write(tmp_path / ".phiguard.yaml", "consent_registry: consents.yaml\n" + config)
    write(tmp_path / "consents.yaml", registry)
    write(tmp_path / "story.md", "---\nplatform: instagram\nkind: testimonial\n"
          f"consent: AUTH-KB-0031\nscheduled_at: {scheduled}\n---\n{STORY}\n")


def _consent_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["category"] == "consent"]


def _one_error_line(proc) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in lines[0]
    return lines[0]


# -- item 1: dates are read strictly and compared as instants ----------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("text,expected", [
    ("2026-12-10", dt.datetime(2026, 12, 10, tzinfo=dt.UTC)),
    ("2026-12-06T13:30:00-05:00", dt.datetime(2026, 12, 6, 18, 30, tzinfo=dt.UTC)),
    ("2026-12-06T13:30Z", dt.datetime(2026, 12, 6, 13, 30, tzinfo=dt.UTC)),
    ("2026-12-06 13:30", dt.datetime(2026, 12, 6, 13, 30, tzinfo=dt.UTC)),
    ("2026-12-06 13:30:15", dt.datetime(2026, 12, 6, 13, 30, 15, tzinfo=dt.UTC)),
    ("12/10/2026", dt.datetime(2026, 12, 10, tzinfo=dt.UTC)),
    ("12/06/2026 13:30", dt.datetime(2026, 12, 6, 13, 30, tzinfo=dt.UTC)),
    ("12/06/2026 1:30 PM", dt.datetime(2026, 12, 6, 13, 30, tzinfo=dt.UTC)),
    ("12/06/2026 12:05 am", dt.datetime(2026, 12, 6, 0, 5, tzinfo=dt.UTC)),
    ("Dec 6, 2026 1:30 PM", dt.datetime(2026, 12, 6, 13, 30, tzinfo=dt.UTC)),
])
def test_scheduler_formats_are_read(text: str, expected: dt.datetime) -> None:
    assert parse_when(text).start == expected


@pytest.mark.unit
@pytest.mark.parametrize("text", ["next Friday", "2027-02-30", "1765000000", "12/06/26",
                                  "13/45/2026", "12/06/2026 13:30 PM", "tomorrow 9am",
                                  "2026-12-06T25:00", "2026-W49-1", "20261206"])
def test_anything_else_is_an_error_that_does_not_repeat_it(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert text not in str(caught.value)


@pytest.mark.unit
def test_day_first_and_time_zone_are_configurable() -> None:
    berlin = DateRules(zone_named("Europe/Berlin"), day_first=True)
    when = parse_when("12/10/2026 09:00", berlin)
    assert when.start == dt.datetime(2026, 10, 12, 7, 0, tzinfo=dt.UTC)  # CEST is UTC+2
    assert parse_when(dt.date(2026, 12, 31)).date_only  # YAML's own dates are whole days
    with pytest.raises(DateError):
        parse_when(1765000000)


def _draft(**meta) -> Draft:
    return Draft("x", [Segment("body", "x", SourceMap.linear(0))], meta, 0, [], LineIndex("x"))


@pytest.mark.unit
def test_expiry_and_schedule_in_different_zones_compare_as_instants() -> None:
    registry = Registry({"A1": {"id": "A1", "status": "signed", "platforms": ["facebook"],
                                "expires": "2026-12-31T23:00:00-05:00"}})
    # 2027-01-01 03:00 in UTC is 22:00 on Dec 31 in New York: before the expiry.
    assert registry.check(_draft(consent="A1", platform="facebook",
                                 scheduled_at="2027-01-01T03:00:00Z")) is None
    # 2027-01-01 05:00 in Berlin is 23:00 New York time: the expiry instant itself has passed
    # by one minute later; a date-wise comparison (Jan 1 > Dec 31) would also say expired, but
    # 04:30 UTC (23:30 New York) must too.
    assert "expired on" in registry.check(_draft(consent="A1", platform="facebook",
                                                 scheduled_at="2027-01-01T04:30:00Z"))
    # A date-only expiry lasts to the end of that day, in the configured zone.
    eastern = Registry({"A1": {"id": "A1", "status": "signed", "platforms": ["facebook"],
                               "expires": "2026-12-31"}},
                       DateRules(zone_named("America/New_York")))
    assert eastern.check(_draft(consent="A1", platform="facebook",
                                scheduled_at="2027-01-01T04:00:00Z")) is None  # 23:00 Dec 31
    assert eastern.check(_draft(consent="A1", platform="facebook",
                                scheduled_at="2027-01-01T05:30:00Z")) is not None


def test_expired_us_dates_fail_where_they_used_to_pass(tmp_path: Path) -> None:
    """"12/10/2026" once fell back to "valid": the record expired before the schedule."""
    _project(tmp_path, RECORD.format(expires='"12/10/2026"'), scheduled='"12/11/2026 09:00"')
    code, report = run_json("story.md", cwd=tmp_path)
    assert code == 1 and report["errors"] == []
    messages = [f["message"] for f in _consent_findings(report)]
    assert messages and all("expired on 2026-12-10" in m for m in messages), messages


def test_a_current_consent_in_us_dates_is_valid(tmp_path: Path) -> None:
    _project(tmp_path, RECORD.format(expires="12/31/2026"), scheduled='"12/06/2026 1:30 PM"')
    _, report = run_json("story.md", cwd=tmp_path)
    assert report["errors"] == [] and not _consent_findings(report), report


@pytest.mark.parametrize("scheduled", ["next Friday", '"2027-02-30"', "1765000000"])
def test_unreadable_scheduled_at_is_a_read_error_with_its_line(tmp_path: Path,
                                                             scheduled: str) -> None:
    _project(tmp_path, RECORD.format(expires="2026-12-31"), scheduled=scheduled)
    code, report = run_json("story.md", cwd=tmp_path)
    assert code == 2 and not report["findings"]
    (error,) = report["errors"]
    assert error["path"] == "story.md" and "scheduled_at" in error["message"]
    assert scheduled.strip('"') not in error["message"]
    assert error["message"].startswith("line 5: ")  # scheduled_at's line in the front matter


def test_unreadable_date_column_in_a_csv_names_the_row(tmp_path: Path) -> None:
    write(tmp_path / "posts.csv", "message,date,network\n"
          "Join us for the flu clinic on Saturday!,2026-11-02 09:00,facebook\n"
          "Our new parking garage opens Monday.,next Friday,facebook\n")
    code, report = run_json("posts.csv", cwd=tmp_path)
    assert code == 2
    assert [e["path"] for e in report["errors"]] == ["posts.csv"]
    assert report["errors"][0]["message"].startswith("line 3: scheduled_at ")
    assert "next Friday" not in report["errors"][0]["message"]


@pytest.mark.parametrize("expires", ['"next Friday"', "2027-02-30", "1798675200",
                                     '"12/06/26"'])
def test_unreadable_registry_date_is_an_error_with_its_line(tmp_path: Path,
                                                          expires: str) -> None:
    _project(tmp_path, RECORD.format(expires=expires))
    line = _one_error_line(run_cli("check", "story.md", cwd=tmp_path))
    assert "consents.yaml:9: consents[0].expires:" in line
    assert expires.strip('"') not in line


# -- item 2: unknown keys are refused --------------------------------------------------------

def test_misspelt_key_in_the_registry_is_refused_with_its_line(tmp_path: Path) -> None:
    _project(tmp_path, RECORD.format(expires="2026-12-31").replace("expires:", "expirse:"))
    line = _one_error_line(run_cli("check", "story.md", cwd=tmp_path))
    assert "consents.yaml:9: consents[0]: unknown key (did you mean expires?)" in line


@pytest.mark.unit
def test_documented_keys_are_accepted_and_ids_are_unique(tmp_path: Path) -> None:
    registry = tmp_path / "consents.yaml"
    write(registry, RECORD.format(expires="2026-12-31"))
    assert set(load_registry(registry).records) == {"AUTH-KB-0031"}
    write(registry, RECORD.format(expires="2026-12-31") + "  - id: AUTH-KB-0031\n"
          "    status: revoked\n")
    with pytest.raises(ConsentError) as caught:
        load_registry(registry)
    assert caught.value.line == 10 and "AUTH" not in str(caught.value.message)
    write(registry, "consents: []\nconsent: []\n")
    with pytest.raises(ConsentError):
        load_registry(registry)


# -- item 3: why a record does not cover a draft ---------------------------------------------

WHY = {
    "expired": (RECORD.format(expires="2026-03-01"), "instagram",
                "expired on 2026-03-01, before the scheduled date 2026-06-10T10:00-05:00"),
    "platform": (RECORD.format(expires="2026-12-31"), "facebook", "does not list facebook"),
    "pending": (RECORD.format(expires="2026-12-31").replace("signed\n", "pending_signature\n",
                                                            1), "instagram",
                "is pending signature"),
    "revoked": (RECORD.format(expires="2026-12-31").replace("status: signed",
                                                            "status: revoked"),
                "instagram", "is revoked"),
    "missing": ("consents: []\n", "instagram", "the consent id is not in the registry"),
}


@pytest.mark.parametrize("case", sorted(WHY))
def test_the_finding_says_why_the_consent_does_not_cover_the_draft(tmp_path: Path,
                                                                   case: str) -> None:
    registry, platform, reason = WHY[case]
    _project(tmp_path, registry)
    story = tmp_path / "story.md"
    story.write_text(story.read_text("utf-8").replace("instagram", platform), "utf-8")
    code, report = run_json("story.md", cwd=tmp_path)
    assert code == 1 and report["errors"] == [], report
    messages = [f["message"] for f in _consent_findings(report)]
    assert messages and all(reason in m for m in messages), messages
    assert not any("AUTH" in m or "Marisol" in m for m in messages)


@pytest.mark.unit
def test_several_ids_name_which_one_by_position_only() -> None:
    registry = Registry({"A1": {"id": "A1", "status": "signed", "platforms": ["x"]},
                         "MRN 4411902": {"id": "MRN 4411902", "status": "revoked"}})
    reason = registry.check(_draft(consent=["A1", "MRN 4411902"], platform="x"))
    assert reason == "the 2nd consent record is revoked"
    odd = registry.check(_draft(consent="A1", platform="Dr Ventura's page"))
    assert odd == "the consent record does not list the draft's platform"


# -- item 4: schema errors never echo the value ----------------------------------------------

@pytest.mark.parametrize("field,value,says", [
    ("status", "Marisol Ventura", "consents[0].status: must be one of signed, "
                                  "pending_signature, revoked"),
    ("id", "[MRN, 4411902]", "consents[0].id: must be text or a whole number"),
    ("platforms", "Marisol Ventura", "consents[0].platforms: must be a list"),
])
def test_registry_schema_errors_do_not_echo_the_value(tmp_path: Path, field: str, value: str,
                                                      says: str) -> None:
    record = RECORD.format(expires="2026-12-31")
    lines = [f"    {field}: {value}" if line.strip().startswith(f"{field}:") or (
        field == "id" and line.startswith("  - id:")) else line
        for line in record.splitlines()]
    text = "\n".join(lines).replace("    id:", "  - id:", 1) + "\n"
    _project(tmp_path, text)
    line = _one_error_line(run_cli("check", "story.md", cwd=tmp_path))
    assert says in line
    for word in ("Marisol", "Ventura", "4411902"):
        assert word not in line


def test_unknown_registry_key_that_is_a_name_is_not_repeated(tmp_path: Path) -> None:
    _project(tmp_path, RECORD.format(expires="2026-12-31") + "    Marisol Ventura: yes\n")
    line = _one_error_line(run_cli("check", "story.md", cwd=tmp_path))
    assert "consents.yaml:10:" in line and "unknown key" in line and "Marisol" not in line


# -- configuration: the zone of a naive time, day or month first ----------------------------

@pytest.mark.parametrize("config,expired", [("", False), ("timezone: America/New_York\n", True)])
def test_a_naive_schedule_is_in_the_configured_zone(tmp_path: Path, config: str,
                                                    expired: bool) -> None:
    # The record ends at 04:30 UTC on Jan 1; 23:45 on Dec 31 is 23:45 UTC by default (covered)
    # and 04:45 UTC in New York time (not covered).
    _project(tmp_path, RECORD.format(expires='"2026-12-31T23:30:00-05:00"'),
             scheduled='"2026-12-31 23:45"', config=config)
    _, report = run_json("story.md", cwd=tmp_path)
    assert report["errors"] == []
    assert bool(_consent_findings(report)) is expired, report


@pytest.mark.parametrize("config,expired", [("", True), ("date_order: day_first\n", False)])
def test_numeric_dates_are_month_first_unless_configured(tmp_path: Path, config: str,
                                                         expired: bool) -> None:
    # Month first: expires March 5, scheduled April 3 (expired). Day first: expires May 3,
    # scheduled March 4 (covered). The rule holds for the registry and the draft alike.
    _project(tmp_path, RECORD.format(expires='"03/05/2026"').replace(
        "signed: 2026-01-15", "signed: 01/01/2026"), scheduled='"04/03/2026"', config=config)
    _, report = run_json("story.md", cwd=tmp_path)
    assert report["errors"] == []
    assert bool(_consent_findings(report)) is expired, report


@pytest.mark.unit
def test_a_draft_without_a_platform_is_not_covered_by_a_record_that_lists_some() -> None:
    registry = Registry({"A1": {"id": "A1", "status": "signed", "platforms": ["facebook"],
                                "expires": "2099-12-31"}})
    reason = registry.check(_draft(consent="A1", platform=None,
                                   scheduled_at="2026-12-01T10:00:00Z"))
    assert reason is not None and "names no platform" in reason
    assert registry.check(_draft(consent="A1", platform="facebook",
                                 scheduled_at="2026-12-01T10:00:00Z")) is None


@pytest.mark.unit
def test_a_rule_that_needs_the_name_covered_reads_the_records_covers() -> None:
    def registry(covers: list[str] | None) -> Registry:
        record = {"id": "A1", "status": "signed", "platforms": ["instagram"]}
        return Registry({"A1": record if covers is None else {**record, "covers": covers}})

    draft = _draft(consent="A1", platform="instagram")
    wanted = ("name", "first_name")
    assert registry(["photo"]).check(draft) is None  # valid for what does not name anyone
    assert registry(["photo"]).check(draft, wanted) == (
        "no consent record covers the name (its `covers`)")
    assert registry(["First_Name", "photo"]).check(draft, wanted) is None
    assert registry(None).check(draft, wanted) is None  # no `covers`: covers what it is for


def test_an_authorization_for_the_photo_alone_does_not_cover_the_name(tmp_path: Path) -> None:
    _project(tmp_path, RECORD.format(expires="2026-12-31").replace("[name, quote]", "[photo]"))
    code, report = run_json("story.md", cwd=tmp_path)
    assert code == 1 and report["errors"] == [], report
    messages = [f["message"] for f in _consent_findings(report)]
    assert messages and all("covers the name" in m for m in messages), messages
    _project(tmp_path, RECORD.format(expires="2026-12-31"))
    _, report = run_json("story.md", cwd=tmp_path)
    assert not _consent_findings(report), report
