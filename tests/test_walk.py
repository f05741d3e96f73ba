"""Which files a run reads: checking nothing is no pass, and phiguard's own files are no drafts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from phiguard import runner, walk
from phiguard.config import Settings
from phiguard.models import FileError
from phiguard.rules.loader import load_ruleset

from .conftest import run_cli, run_json, write

CLEAN = "Join us Saturday for the community 5K at Riverside Park!\n"
MRN_POST = "Jessica, our records show your MRN 00482913 and the crown."  # MRN label: column 32
RULE = ("rules:\n  - id: ORG001\n    category: citation\n    severity: warning\n"
        "    message: m\n    kind: match\n    pattern:\n      regex: zzqqzz\n")


def test_folder_with_only_files_it_cannot_read_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "post.docx", "not a draft phiguard reads")
    write(tmp_path / "docs" / "sheet.xlsx", "nor this")
    write(tmp_path / "docs" / ".hidden.md", "hidden files are skipped")
    code, report = run_json("docs", cwd=tmp_path)
    assert code == 2 and report["summary"]["files"] == 0
    assert len(report["errors"]) == 1 and report["errors"][0]["path"] == "docs"
    assert "no draft files found under docs" in report["errors"][0]["message"]


def test_empty_folder_in_text_output_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run_cli("check", "empty", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    assert [line for line in proc.stdout.splitlines() if "no draft files found" in line] == [
        line for line in proc.stdout.splitlines() if line.startswith("empty")]


def test_unsupported_files_beside_drafts_are_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "post.md", CLEAN)
    write(tmp_path / "drafts" / "brief.docx", "a Word file next to the drafts")
    code, report = run_json("drafts", cwd=tmp_path)
    assert code == 0 and report["errors"] == [] and report["summary"]["files"] == 1


@pytest.mark.unit
def test_named_files_all_excluded_still_pass(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # pre-commit names each staged file; excluding them all is the configuration's choice
    write(tmp_path / "archive" / "old.md", CLEAN)
    monkeypatch.chdir(tmp_path)
    targets, errors = walk.collect(["archive/old.md"], ["archive/*"], set())
    assert targets == [] and errors == []


def _denied_for(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """os.scandir refuses ``locked`` as chmod 000 would (tests run as root, where it does not)."""
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(os.fspath(path)).resolve() == locked.resolve():
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.unit
def test_folder_it_cannot_enter_is_an_error_naming_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "d" / "ok.md", CLEAN)
    write(tmp_path / "d" / "locked" / "secret.md", CLEAN)
    monkeypatch.chdir(tmp_path)
    _denied_for(monkeypatch, tmp_path / "d" / "locked")
    targets, errors = walk.collect(["d"], [], set())
    assert [t.shown for t in targets] == ["d/ok.md"]
    assert errors == [FileError("d/locked", "cannot enter folder: permission denied")]


@pytest.mark.unit
def test_run_whose_only_folder_cannot_be_entered_exits_2(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "locked" / "secret.md", CLEAN)
    monkeypatch.chdir(tmp_path)
    _denied_for(monkeypatch, tmp_path / "locked")

    def no_checker() -> None:
        raise AssertionError("nothing to analyse, the model is not loaded")

    report = runner.check(["locked"], Settings(), no_checker)
    assert report.exit_code("error") == 2 and report.files == 0
    assert report.errors == [FileError("locked", "cannot enter folder: permission denied")]


def test_report_file_inside_the_tree_is_not_read_back(tmp_path: Path) -> None:
    write(tmp_path / "post.md", CLEAN)
    (tmp_path / "out").mkdir()
    for _ in range(2):  # the second run finds the first run's report in the tree
        proc = run_cli("check", "--format", "json", "-o", "out/report.json", ".", cwd=tmp_path)
        assert proc.returncode == 0, (tmp_path / "out" / "report.json").read_text()
    proc = run_cli("check", "--format", "sarif", "-o", "./out/../out/report.json",
                   "post.md", "out/report.json", cwd=tmp_path)  # even when named
    assert proc.returncode == 0


def test_rule_folders_registry_and_config_are_not_drafts(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "rule_paths: [mine]\nconsent_registry: consents.yaml\n")
    write(tmp_path / "consents.yaml", "consents: []\n")
    write(tmp_path / "mine" / "rules.yaml", RULE)
    write(tmp_path / "mine" / "lexicons" / "words.yaml", "name: words\nterms: [zzqqzz]\n")
    write(tmp_path / "mine" / ".hidden.yaml", "rules: [\n")  # an editor's scratch copy
    write(tmp_path / "post.md", CLEAN)
    code, report = run_json(".", cwd=tmp_path)
    assert (code, report["errors"], report["summary"]["files"]) == (0, [], 1)
    code, report = run_json("post.md", "mine/rules.yaml", "consents.yaml", cwd=tmp_path)
    assert (code, report["errors"], report["summary"]["files"]) == (0, [], 1)


@pytest.mark.unit
def test_rule_loader_skips_hidden_files(tmp_path: Path) -> None:
    folder = write(tmp_path / "mine" / "rules.yaml", RULE).parent
    write(folder / ".rules.yaml", "rules: [\n")  # invalid: would fail the load if read
    write(folder / "lexicons" / ".old.yaml", "name: words\nterms: [\n")
    write(folder / "recognizers" / ".draft.yaml", "recognizers: [\n")
    ruleset = load_ruleset([folder])
    assert [r.id for r in ruleset.rules] == ["ORG001"] and ruleset.recognizer_files == []


@pytest.mark.parametrize("ends", ["\r", "\r\n\r"])
def test_cr_and_mixed_line_ends_put_findings_on_their_line(tmp_path: Path, ends: str) -> None:
    first, second = (ends[0], ends[-1]) if len(ends) > 1 else (ends, ends)
    lines = ["---", "platform: google_reviews", "kind: review_reply", "---", MRN_POST, ""]
    text = "".join(line + (first if i % 2 else second) for i, line in enumerate(lines))
    (tmp_path / "reply.md").write_bytes(text.encode())
    code, report = run_json("reply.md", cwd=tmp_path)
    assert code == 1
    mrn = next(f for f in report["findings"] if f["rule"] == "PHI001")
    assert (mrn["line"], mrn["column"]) == (5, 32)
    assert "00482913" not in str(report)


def test_nul_after_the_first_8_kib_is_refused_and_never_echoed(tmp_path: Path) -> None:
    padding = "Join us Saturday for the community 5K.\n" * 300  # 11,700 bytes
    (tmp_path / "late.md").write_bytes(f"{padding}{MRN_POST}\x00\n".encode())
    for fmt in ("json", "text"):
        proc = run_cli("check", "--format", fmt, "late.md", cwd=tmp_path)
        assert proc.returncode == 2 and "\x00" not in proc.stdout + proc.stderr
        assert "00482913" not in proc.stdout + proc.stderr
    _, report = run_json("late.md", cwd=tmp_path)
    assert report["errors"] == [{"path": "late.md",
                                 "message": "line 301: binary file (contains NUL bytes), "
                                            "not a draft"}]
