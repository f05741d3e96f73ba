"""The terminal as people use it: a draft on standard input, --statistics, severity in words,
--show-files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import run_cli, run_cli_bytes, run_process_bytes, write

PHI_POST = ("---\nplatform: instagram\n---\n"
            "Quillon Farrady, MRN 00482913, went home today after his knee surgery.\n")


ALT_LESS = ("---\nplatform: instagram\nmedia:\n  - path: ward.jpg\n    type: image\n---\n"
            "Our new ward opens on Monday.\n")


def run_stdin(*args: str, data: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The command in this process, `data` on its standard input."""
    return run_cli_bytes(*args, cwd=cwd, stdin=data)


def pipe_into_program(*args: str, data: str | bytes, cwd: Path
                      ) -> subprocess.CompletedProcess[bytes]:
    """The installed program, `data` piped into it."""
    return run_process_bytes(*args, cwd=cwd, stdin=data)


def one_error_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.e2e
def test_stdin_is_read_by_the_named_files_reader_and_shown_under_its_name(tmp_path: Path
                                                                          ) -> None:
    proc = pipe_into_program("check", "-", "--stdin-filename", "drafts/post.md", data=PHI_POST,
                             cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr
    # front matter read as front matter: the finding is on line 4, under the given name
    assert re.search(r"^drafts/post\.md:4:\d+ error PHI001 phi ", out, re.M), out
    assert "00482913" not in out and "Farrady" not in out  # excerpts masked as for files


def test_stdin_without_a_name_is_plain_text_shown_as_dash(tmp_path: Path) -> None:
    proc = run_stdin("check", "--format", "json", "-", data=PHI_POST, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    assert '"path": "-"' in out and "00482913" not in out
    # plain text: the front matter is words of the post, so the identifier is on line 4 too,
    # and nothing was written next to the working folder
    assert list(tmp_path.iterdir()) == []


def test_stdin_uses_the_configuration_of_the_named_files_folder(tmp_path: Path) -> None:
    args = ("check", "-", "--stdin-filename", "drafts/post.md")
    assert b" error PHI001" in run_stdin(*args, data=PHI_POST, cwd=tmp_path).stdout
    write(tmp_path / "drafts" / ".phiguard.yaml", "severity: {PHI001: warning}\n")
    proc = run_stdin(*args, data=PHI_POST, cwd=tmp_path)
    assert b" warning PHI001" in proc.stdout and b" error PHI001" not in proc.stdout


def report_error(proc: subprocess.CompletedProcess[bytes]) -> str:
    """A draft that cannot be read is an error of the report (exit 2), as for a file."""
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, out + err
    (line,) = [ln for ln in out.splitlines() if ": error " in ln]
    return line


def test_stdin_errors_are_one_line_naming_the_given_name(tmp_path: Path) -> None:
    line = report_error(run_stdin("check", "-", "--stdin-filename", "notes.docx",
                                  data="Quillon Farrady", cwd=tmp_path))
    assert line.startswith("notes.docx: error ") and "Farrady" not in line
    write(tmp_path / ".phiguard.yaml", "max_file_bytes: 10\n")
    line = report_error(run_stdin("check", "-", "--stdin-filename", "p.md", data=PHI_POST,
                                  cwd=tmp_path))
    assert line.startswith("p.md: error ") and "too large" in line and "00482913" not in line


@pytest.mark.e2e
def test_stdin_refuses_other_paths_fix_and_a_name_without_dash(tmp_path: Path) -> None:
    """The installed program: exit 2, one line, no traceback."""
    write(tmp_path / "a.md", "Hello\n")
    for args in (("-", "a.md"), ("-", "--fix"), ("a.md", "--stdin-filename", "b.md")):
        one_error_line(pipe_into_program("check", *args, data="Hello", cwd=tmp_path))
    assert (tmp_path / "a.md").read_text() == "Hello\n"


def test_statistics_counts_by_rule_and_category_without_findings(tmp_path: Path) -> None:
    write(tmp_path / "a.md", PHI_POST)
    write(tmp_path / "b.md", ALT_LESS)
    proc = run_cli("check", "--statistics", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"\d+  PHI001 +error +phi", next(ln for ln in lines if "PHI001" in ln))
    assert re.fullmatch(r"1  ACC001 +warning +accessibility",
                        next(ln for ln in lines if "ACC001" in ln))
    category = next(ln for ln in lines if ln.startswith("by category: "))
    assert "phi " in category and "accessibility 1" in category
    assert lines[-1].endswith("in 2 drafts (2 files)")
    assert "a.md:" not in proc.stdout and "00482913" not in proc.stdout
    assert "MRN" not in proc.stdout  # no excerpt at all
    assert run_cli("check", "--statistics", "--format", "json", ".",
                   cwd=tmp_path).returncode == 2


def test_text_output_names_severity_in_words_without_colour(tmp_path: Path) -> None:
    write(tmp_path / "b.md", ALT_LESS)
    proc = run_cli("check", "--format", "text", "b.md", cwd=tmp_path)
    assert re.search(r"^b\.md:7:\d+ warning ACC001 accessibility ", proc.stdout, re.M), (
        proc.stdout)
    assert "\x1b[" not in proc.stdout


def test_show_files_lists_what_would_be_checked_and_stops(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "exclude: [archive/*]\nconsent_registry: c.yaml\n")
    write(tmp_path / "c.yaml", "consents: []\n")
    write(tmp_path / "posts" / "a.md", PHI_POST)
    write(tmp_path / "posts" / "b.csv", "message\nHi\n")
    write(tmp_path / "archive" / "old.md", "Old\n")
    write(tmp_path / "posts" / "photo.docx", "x")
    proc = run_cli("check", "--show-files", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["posts/a.md", "posts/b.csv"]
    assert not (tmp_path / ".phiguard_cache").exists()  # nothing was checked
    missing = run_cli("check", "--show-files", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("nowhere: ")
