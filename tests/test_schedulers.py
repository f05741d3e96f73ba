"""Scheduler exports as the tools write them: each layout in tests/fixtures/schedulers is read
without configuration; dates are read in the file's own order or refused with their cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from phiguard.config import Settings
from phiguard.models import ReadError
from phiguard.readers import read_drafts

from .conftest import run_json, write

FIXTURES = Path(__file__).parent / "fixtures" / "schedulers"


def drafts_of(path: Path, settings: Settings | None = None):
    return read_drafts(path, str(path), settings or Settings())


def bodies(drafts) -> list[str]:
    return [s.text for d in drafts for s in d.segments if s.scope == "body"]


def position(draft, scope: str = "body") -> tuple[int, int]:
    seg = next(s for s in draft.segments if s.scope == scope)
    line, col = draft.lines.position(seg.source.file_offset(0))
    return int(line), int(col)


def read_error(path: Path, settings: Settings | None = None) -> ReadError:
    with pytest.raises(ReadError) as info:
        drafts_of(path, settings)
    assert info.value.path == str(path)
    return info.value


@pytest.mark.unit
def test_sprout_date_and_time_24hr_day_first_from_the_column() -> None:
    # 25/03/2026 can only be day first: the whole file is read so, 02/04/2026 is 2 April.
    drafts = drafts_of(FIXTURES / "sprout.csv")
    assert bodies(drafts) == ["Our flu clinic opens Saturday, no appointment needed.",
                              "Meet the new team at the Harbor Street pharmacy."]
    assert [d.meta["scheduled_at"] for d in drafts] == ["2026-03-25T09:30:00+00:00",
                                                        "2026-04-02T14:00:00+00:00"]
    assert drafts[1].media == [{"type": "image", "alt": ""}]  # image_url without alt text
    assert position(drafts[0]) == (2, 19)


@pytest.mark.unit
def test_buffer_text_image_url_tags_posting_time() -> None:
    drafts = drafts_of(FIXTURES / "buffer.csv")
    assert bodies(drafts)[1] == "Parking garage B closes for repairs on Monday; use garage A."
    assert [d.meta["scheduled_at"] for d in drafts] == ["2026-03-20T10:15:00+00:00",
                                                        "2026-03-23T08:00:00+00:00"]
    assert drafts[0].media == [{"type": "image", "alt": ""}]
    assert drafts[0].meta["tags"] == "events,community"


@pytest.mark.unit
def test_hootsuite_bulk_composer_without_a_header_row() -> None:
    drafts = drafts_of(FIXTURES / "hootsuite.csv")
    assert bodies(drafts) == ["Our walk-in clinic now opens at 7 AM on weekdays.",
                              "Stay hydrated this spring, and wear sunscreen!"]
    assert drafts[0].meta["scheduled_at"] == "2026-03-25T09:00:00+00:00"
    assert drafts[0].meta["link"] == "https://example.org/hours"
    assert position(drafts[0]) == (1, 18) and position(drafts[1]) == (2, 19)


@pytest.mark.unit
def test_metricool_numbered_alt_text_columns_semicolon_delimited() -> None:
    drafts = drafts_of(FIXTURES / "metricool.csv")
    assert bodies(drafts) == ["New birthing suites, opening in June",
                              "Ask us about our free parking, validated at the front desk"]
    alts = [s.text for s in drafts[0].segments if s.scope == "alt"]
    assert alts == ["A bright room with a window seat", "A walk-in shower with rails"]
    assert drafts[0].meta["scheduled_at"] == "2026-05-04T10:00:00+00:00"
    assert drafts[1].media == []
    line, col = position(drafts[0], "alt")
    assert (line, col) == (2, 85)


@pytest.mark.unit
def test_excel_separator_line() -> None:
    drafts = drafts_of(FIXTURES / "excel_sep.csv")
    assert bodies(drafts) == ["We are hiring nurses, apply online"]
    assert position(drafts[0]) == (3, 1)


@pytest.mark.unit
def test_excel_windows_1252_is_read_as_its_characters() -> None:
    drafts = drafts_of(FIXTURES / "excel_cp1252.csv")
    assert bodies(drafts) == ["Café hours change Monday – we’re open 7–3.",
                              "“Thank you” to our volunteers!"]


@pytest.mark.unit
@pytest.mark.parametrize("data,line", [
    # a UTF-8 file with one damaged byte: read as cp1252 its é would become Ã©
    ("Café opens,2026-03-02\n".encode() + b"\xff\n", 3),
    # bytes that Windows-1252 reads as signs no post is written in (another encoding)
    (b"Zdravstvuj \xa4\xa6\xa8 klinika,2026-03-02\n", 2),
])
def test_bytes_that_are_not_plainly_windows_1252_are_refused(tmp_path: Path, data: bytes,
                                                              line: int) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"message,date\n" + data)
    error = read_error(path)
    assert "not valid UTF-8" in error.message and error.line == line


@pytest.mark.unit
def test_windows_1252_fallback_is_for_scheduler_exports_only(tmp_path: Path) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes("Café hours change Monday".encode("cp1252"))
    assert "not valid UTF-8" in read_error(path).message


@pytest.mark.unit
def test_unreadable_scheduled_date_names_its_cell(tmp_path: Path) -> None:
    path = write(tmp_path / "sprout.csv", "date,time_24hr,message_text\n"
                 "25/03/2026,09:30,Flu clinic Saturday\n"
                 "31/02/2026,10:00,Pharmacy hours\n")
    error = read_error(path)
    assert error.line == 3 and "column 1 (`date`)" in error.message
    assert "31/02" not in error.message


@pytest.mark.unit
def test_ambiguous_day_month_column_asks_for_date_order(tmp_path: Path) -> None:
    text = "date,time_24hr,message_text\n03/04/2026,09:30,Flu clinic\n05/04/2026,10:00,Hours\n"
    path = write(tmp_path / "sprout.csv", text)
    error = read_error(path)
    assert error.line == 2 and "date_order" in error.message
    # configured: the configuration decides, without complaint
    config = write(tmp_path / ".phiguard.yaml", "date_order: day_first\n")
    from phiguard.config import load_settings

    drafts = drafts_of(path, load_settings(config))
    assert drafts[0].meta["scheduled_at"] == "2026-04-03T09:30:00+00:00"


@pytest.mark.unit
def test_mixed_day_first_and_month_first_dates_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "sprout.csv", "date,message_text\n25/03/2026,One\n03/25/2026,Two\n")
    error = read_error(path)
    assert error.line == 3 and "mixes" in error.message


@pytest.mark.unit
def test_unrecognised_layout_says_what_to_map(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "export.csv", "Copy;When\nHello there;2026-03-02\n"))
    assert error.line == 1 and "csv.text" in error.message


@pytest.mark.unit
def test_headerless_file_that_is_not_hootsuite_asks_for_a_header(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", "03/25/2026 09:00,Hello,https://x.org,a,b\n")
    error = read_error(path)
    assert error.line == 1 and "header row" in error.message


STORY = ('"After my knee replacement I was back on the trail in three months." '
         "— Marisol Ventura")
REGISTRY = ("consents:\n  - id: AUTH-KB-0031\n    subject: Marisol Ventura\n"
            "    status: signed\n    signed_by: patient\n    covers: [name, quote]\n"
            "    platforms: [instagram]\n    signed: 2026-01-15\n    expires: 2026-04-30\n")


@pytest.mark.parametrize("date,expired", [("15/04/2026", False), ("15/05/2026", True),
                                          ("30/04/2026", False), ("01/05/2026", True)])
def test_day_first_scheduled_date_drives_consent_expiry(tmp_path: Path, date: str,
                                                        expired: bool) -> None:
    # Sprout's dd/mm/yyyy, decided by the column (13/05 cannot be month first).
    write(tmp_path / ".phiguard.yaml", "consent_registry: consents.yaml\n")
    write(tmp_path / "consents.yaml", REGISTRY)
    write(tmp_path / "sprout.csv", "date,time_24hr,message_text,network,kind,consent\n"
          f"13/05/2026,09:00,Our new clinic hours start today.,instagram,post,\n"
          f'{date},10:00,"{STORY.replace(chr(34), chr(34) * 2)}",instagram,testimonial,'
          "AUTH-KB-0031\n")
    _, report = run_json("sprout.csv", cwd=tmp_path)
    assert report["errors"] == [], report
    consent = [f for f in report["findings"] if f["category"] == "consent"]
    assert bool(consent) is expired, consent
    if expired:
        assert all(f["line"] == 3 for f in consent)


def test_fixtures_check_through_the_cli(tmp_path: Path) -> None:
    for name in ("sprout.csv", "buffer.csv", "hootsuite.csv", "metricool.csv",
                 "excel_cp1252.csv", "excel_sep.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    code, report = run_json(".", cwd=tmp_path)
    assert report["errors"] == [] and code in (0, 1), report
