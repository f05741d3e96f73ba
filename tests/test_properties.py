"""Property-based tests (hypothesis) on every reader: arbitrary bytes and arbitrary drafts.

- No exception other than a ReadError (which names the file) escapes a reader.
- Every finding's line and column lie inside the file, and the file's characters there are
  the characters the finding reports.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phiguard.config import Settings
from phiguard.models import ReadError
from phiguard.pipeline import Session
from phiguard.readers import READERS, read_drafts

SUFFIXES = sorted(READERS)
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                    HealthCheck.too_slow])


@pytest.fixture(scope="module")
def revealing_checker() -> Session:
    """Excerpts in clear, so a test can compare them with the file."""
    return Session.from_settings(Settings(), show_matches=True)


def check_file(checker: Session, data: bytes, suffix: str) -> tuple[str | None, list]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{suffix}"
        path.write_bytes(data)
        try:
            drafts = read_drafts(path, "draft" + suffix, Settings())
        except ReadError as exc:
            assert str(exc).startswith(f"draft{suffix}"), str(exc)
            return None, []
        return data.decode("utf-8-sig", errors="replace"), list(checker.check_drafts(drafts))


def assert_points_inside(text: str, findings: list) -> None:
    lines = text.split("\n")
    for f in findings:
        assert 1 <= f.line <= f.end_line <= len(lines), f
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, f
        assert 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1, f


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_escape_a_reader(revealing_checker: Session, data: bytes,
                                               suffix: str) -> None:
    text, findings = check_file(revealing_checker, data, suffix)
    if text is not None and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert_points_inside(text, findings)


# Words that make rules fire (invented names, health words, identifiers) mixed with filler.
WORDS = st.sampled_from([
    "Congratulations", "to", "Maria", "Delgado", "Ana", "Ruiz", "on", "finishing",
    "chemotherapy", "knee", "surgery", "MRN", "48213377", "our", "patient", "had", "the",
    "Saturday", "5K", "doctor", "said", "you", "should", "stop", "taking", "insulin",
    "Dr.", "Pham", "crown", "visit", "thanks", "for", "coming", "in", "#ad", "vaccines",
    "cause", "autism", "90%", "of", "people", "agree", "call", "555-201-8841", "and", "!",
    ".", ",", "é", "ü", "日本",
])
TEXT = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
KIND = st.sampled_from(["post", "review_reply", "testimonial"])


def render(form: str, texts: list[str], kind: str) -> bytes:
    if form == ".md":
        body = "\n\n".join(texts)
        return f"---\nkind: {kind}\nplatform: facebook\n---\n{body}\n".encode()
    if form == ".txt":
        return ("\n\n".join(texts) + "\n").encode()
    if form == ".yaml":
        return yaml.safe_dump([{"text": t, "kind": kind} for t in texts],
                              allow_unicode=True, width=1000).encode()
    if form == ".json":
        return json.dumps([{"text": t, "kind": kind} for t in texts], ensure_ascii=False,
                          indent=1).encode()
    if form == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["text", "kind"])
        writer.writerows([t, kind] for t in texts)
        return out.getvalue().encode()
    return ("<html><body>" + "".join(f"<p>{t}</p>\n" for t in texts)
            + "</body></html>\n").encode()


@PROPERTY_SETTINGS
@given(texts=st.lists(TEXT, min_size=1, max_size=4), kind=KIND,
       form=st.sampled_from([".md", ".txt", ".yaml", ".json", ".csv", ".html"]))
def test_findings_point_at_the_words_they_report(revealing_checker: Session, texts: list[str],
                                                 kind: str, form: str) -> None:
    data = render(form, texts, kind)
    text, findings = check_file(revealing_checker, data, form)
    assert text is not None
    assert_points_inside(text, findings)
    lines = text.split("\n")
    for f in findings:
        if f.line != f.end_line or f.end_column <= f.column:
            continue
        reported = lines[f.line - 1][f.column - 1:f.end_column - 1]
        assert reported.strip(), f
        assert " ".join(reported.split()) in " ".join(f.excerpt.split()), (reported, f)


@pytest.mark.parametrize("form", [".md", ".txt", ".yaml", ".json", ".csv", ".html"])
def test_the_position_property_is_not_vacuous(revealing_checker: Session, form: str) -> None:
    texts = ["Join us Saturday for the 5K!",
             "Congratulations to Maria Delgado on finishing chemotherapy! MRN 48213377"]
    text, findings = check_file(revealing_checker, render(form, texts, "post"), form)
    assert text is not None and {"PHI001", "PHI002"} <= {f.rule for f in findings}
    assert_points_inside(text, findings)
    lines = text.split("\n")
    phi001 = next(f for f in findings if f.rule == "PHI001")
    assert lines[phi001.line - 1][phi001.column - 1:phi001.end_column - 1] in (
        "MRN 48213377", "48213377")
