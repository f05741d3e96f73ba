"""No output holds an identifier in clear text: every format, output file, baseline, stderr."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from phiguard.formatters import choices

from .conftest import run_cli, write

# Invented people and numbers only.
IDENTIFIERS = ["Maribel Okonkwo-Sands", "Okonkwo-Sands", "Thaddeus Vrbanek", "Vrbanek",
               "00482913", "MRN 77120934", "77120934", "555-201-8841", "(555) 201-8841",
               "t.vrbanek@example.net", "123-45-6789", "1 Quarry Lane", "97214-3321",
               "03/14/1958", "@mari_okonkwo", "1EG4-TE5-MK72",
               # fragments an excerpt's edge could cut out of a longer identifier
               "1958", "8841", "3321", "4913", "0934", "6789",
               # names detection may miss: ALL CAPS on a wristband, styled letters, an initial
               "VASTERBROOKE", "QUILLAN", "Vasterbrooke", "Quillan", "Pemberlyn", "Ashgroveton",
               "Q. Ashgroveton", "1961"]
# Mathematical bold "Pemberlyn", as font generators write it; NFKC folds it to plain letters.
STYLED = "".join(chr(ord(c) + (0x1D400 - 65 if c.isupper() else 0x1D41A - 97))
                 for c in "Pemberlyn")
ALT = "Wristband reading 'VASTERBROOKE, QUILLAN' DOB 03/14/1961 on a patient's arm"
UNDETECTED = (f"Get well soon {STYLED} Ashgroveton! Your chemo ends Friday. Q. Ashgroveton "
              f"was admitted too.\n\n![{ALT}](band.jpg)")
SENTENCE = ("{name}, our records show your MRN 77120934 and the bridge Dr. Varga advised; "
            "call (555) 201-8841 or write t.vrbanek@example.net. SSN 123-45-6789, "
            "born 03/14/1958, lives at 1 Quarry Lane, Portland OR 97214-3321, Medicare "
            "1EG4-TE5-MK72, follow @mari_okonkwo.")
REPLY = SENTENCE.format(name="Maribel Okonkwo-Sands")
POST = SENTENCE.format(name="Thaddeus Vrbanek had chemotherapy. Thaddeus Vrbanek")


HASHES = re.compile(r"\b[0-9a-f]{16,}\b")  # keyed fingerprints: random hex, not identifiers


def leaks(data: str) -> list[str]:
    data = unicodedata.normalize("NFKC", HASHES.sub("", data))
    return [i for i in IDENTIFIERS if i in data]


def drafts(folder: Path) -> Path:
    write(folder / "reply.md", f"---\nkind: review_reply\nplatform: google\n---\n{REPLY}\n")
    write(folder / "post.txt", POST + "\n")
    write(folder / "page.html", f"<p>{POST}</p><img src='x.jpg' alt='{REPLY}'>\n")
    write(folder / "posts.yaml", f"- text: \"{POST}\"\n  platform: facebook\n")
    write(folder / "posts.json", json.dumps([{"text": REPLY, "kind": "review_reply"}]))
    write(folder / "export.csv", f'text,platform\n"{POST}",instagram\n')
    write(folder / "undetected.md", f"---\nkind: post\nplatform: facebook\n---\n{UNDETECTED}\n")
    return folder


FORMATS = choices()  # every --format there is, from the registry


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_identifier_in_any_format(tmp_path: Path, output_format: str) -> None:
    folder = drafts(tmp_path / "drafts")
    summary = tmp_path / "summary.md"
    proc = run_cli("check", "--format", output_format, str(folder), cwd=tmp_path,
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1, proc.stderr
    written = proc.stdout + proc.stderr + (summary.read_text("utf-8") if summary.exists() else "")
    assert written.count("\n") > 10  # something was reported
    assert leaks(written) == []


def test_no_identifier_in_output_file_or_baseline(tmp_path: Path) -> None:
    folder = drafts(tmp_path / "drafts")
    for output_format in FORMATS:
        run_cli("check", "--format", output_format, "-o", f"out.{output_format}", str(folder),
                cwd=tmp_path)
    assert run_cli("baseline", "create", str(folder), cwd=tmp_path).returncode == 0
    for path in tmp_path.iterdir():
        if path.is_file():
            data = path.read_text("utf-8")
            assert data, path
            assert leaks(data) == [], path.name


def test_show_matches_is_the_only_way_to_see_them(tmp_path: Path) -> None:
    folder = drafts(tmp_path / "drafts")
    proc = run_cli("check", "--show-matches", str(folder / "reply.md"), cwd=tmp_path)
    assert proc.returncode == 1 and "77120934" in proc.stdout
    forced = run_cli("check", "--show-matches", "--force", str(folder / "reply.md"),
                     cwd=tmp_path, env={"CI": "true"})
    assert forced.returncode == 1 and "77120934" in forced.stdout


def test_no_identifier_in_the_cache(tmp_path: Path) -> None:
    folder = drafts(tmp_path / "drafts")
    assert run_cli("check", str(folder), cwd=tmp_path).returncode == 1
    entries = [p for p in (tmp_path / ".phiguard_cache").rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in entries)
    for entry in entries:
        assert leaks(entry.read_text("utf-8")) == [], entry.name
