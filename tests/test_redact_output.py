"""`phiguard redact` reads naturally, harms no one, and states only what it verified.

Invented people only.
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import run_cli, write

REPLY = "---\nkind: review_reply\nplatform: google\n---\n{body}\n"


def redacted(tmp_path: Path, name: str, text: str) -> tuple[str, str, int]:
    proc = run_cli("redact", str(write(tmp_path / name, text)))
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout, proc.stderr, proc.returncode


def test_a_greeted_reviewer_is_not_called_a_patient(tmp_path: Path) -> None:
    out, _, _ = redacted(tmp_path, "r.md", REPLY.format(
        body="Hi Wynnifred, thank you for the kind words about your cleaning!"))
    assert "Wynnifred" not in out
    assert "Hi there, thank you" in out
    assert "patient" not in out.lower() and "reviewer" not in out.lower()


def test_a_reply_that_opens_with_the_name_drops_it(tmp_path: Path) -> None:
    out, _, _ = redacted(tmp_path, "r.md", REPLY.format(
        body="Marisabel Quenthorpe, we are sorry the wait was long."))
    assert "Marisabel" not in out and "Quenthorpe" not in out
    assert "We are sorry the wait was long." in out


def test_an_honorific_goes_with_the_name(tmp_path: Path) -> None:
    out, _, _ = redacted(tmp_path, "p.txt",
                         "Our patient Mr. Dalwick Ferreby finished chemotherapy this week.\n")
    assert "Ferreby" not in out
    assert not re.search(r"\bMr\.?\s+(?:a|A) patient", out)
    assert "Mr." not in out


def test_ages_over_89_read_naturally(tmp_path: Path) -> None:
    out, _, _ = redacted(tmp_path, "p.txt", "Happy 94th birthday to our patient Ottavine "
                                            "Brackwell! A 96-year-old patient also went home.\n")
    assert "94" not in out and "96" not in out
    assert "Happy birthday to" in out
    assert "90 or older to" not in out
    assert "90-plus-year-old patient" in out


def test_words_that_only_look_like_number_types_stay(tmp_path: Path) -> None:
    text = "Our patient Ysolda Penhallow had her platelets checked and her O2 is fine.\n"
    out, _, _ = redacted(tmp_path, "p.txt", text)
    assert "platelets" in out and "O2 is fine" in out


def test_it_never_claims_identifiers_are_gone_and_names_what_is_left(tmp_path: Path) -> None:
    # A capitalised name the detector may or may not find: either it is removed, or the
    # re-check points at its line. Never a claim that everything is gone.
    text = ("Thanks to everyone!\n\nWristband reading VASTERBROOKE QUILLAN on the bed rail, "
            "admitted for pneumonia.\n")
    out, err, _ = redacted(tmp_path, "p.txt", text)
    assert "are gone" not in err
    if "VASTERBROOKE" in out or "QUILLAN" in out:
        assert re.search(r"p\.txt: words that could be names are left on line\(s\) 3\b", err), err


def test_a_clean_result_says_nothing_it_did_not_check(tmp_path: Path) -> None:
    out, err, code = redacted(tmp_path, "p.txt", "Join us Saturday for the 5K walk!\n")
    assert out == "Join us Saturday for the 5K walk!\n"
    assert code == 0 and "are gone" not in err
