"""The suite's own harness (conftest.py): the command run in the test process reports what the
installed program would, leaves the test process as it found it, and reuses the loaded model."""

from __future__ import annotations

import logging
import os
import signal
import sys
import warnings
from pathlib import Path

import pytest

from phiguard import cli
from phiguard.config import Settings
from phiguard.pipeline import Session

from .conftest import run_cli, run_process, write

PHI = "---\nplatform: facebook\n---\nQuillon Farrady, MRN 00482913, went home today.\n"


def test_the_command_in_process_reuses_the_loaded_model(tmp_path: Path, checker: Session,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """The model the test process loaded serves every later Session: loading again fails."""
    import spacy

    def no_second_load(*args: object, **kwargs: object) -> object:
        raise AssertionError("the spaCy model was loaded a second time")

    monkeypatch.setattr(spacy, "load", no_second_load)
    write(tmp_path / "post.md", PHI)
    proc = run_cli("check", "--no-cache", "post.md", cwd=tmp_path)
    assert proc.returncode == 1 and "PHI001" in proc.stdout, proc.stderr
    assert Session.from_settings(Settings()).analyzer.nlp is checker.analyzer.nlp


def test_an_exception_that_escapes_is_a_traceback_and_status_1(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As Python reports an uncaught exception: what `no traceback` assertions look for."""
    def broken() -> None:
        raise RuntimeError("escaped the command")

    monkeypatch.setattr(cli, "cli", broken)
    proc = run_cli("rules")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Traceback (most recent call last):")
    assert proc.stderr.rstrip().endswith("RuntimeError: escaped the command")


def test_a_warning_or_log_record_reaches_standard_error(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """What a program prints on stderr without being asked (a library's warning, a logger
    with no handler) is in stderr here too, not in pytest's capture."""
    def noisy() -> None:
        warnings.warn("a library's warning", UserWarning, stacklevel=1)
        logging.getLogger("some.library").warning("a library's log record")
        sys.exit(0)

    monkeypatch.setattr(cli, "cli", noisy)
    for _ in range(2):  # each run is a new process: a warning is shown once in each
        proc = run_cli("rules")
        assert proc.returncode == 0
        assert "UserWarning: a library's warning" in proc.stderr
        assert "a library's log record" in proc.stderr
    monkeypatch.undo()
    assert run_cli("rules").stderr == ""


def test_the_test_process_is_left_as_it_was(tmp_path: Path) -> None:
    before = (os.getcwd(), list(sys.argv), dict(os.environ),
              signal.getsignal(signal.SIGTERM), logging.getLogger().handlers[:])
    proc = run_cli("check", "--show-matches", "x.md", cwd=tmp_path, env={"CI": "true"})
    assert proc.returncode == 2 and "refused" in proc.stderr  # CI was seen by the command
    after = (os.getcwd(), list(sys.argv), dict(os.environ),
             signal.getsignal(signal.SIGTERM), logging.getLogger().handlers[:])
    assert after == before


def test_a_variable_only_a_new_interpreter_reads_needs_a_process(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="run_process"):
        run_cli("rules", env={"PYTHONPATH": str(tmp_path)})


@pytest.mark.e2e
def test_in_process_and_installed_program_agree(tmp_path: Path) -> None:
    """The same run both ways: status, output and error output, byte for byte."""
    write(tmp_path / "drafts" / "post.md", PHI)
    runs = [("check", "--no-cache", "drafts/post.md"),  # findings: 1
            ("check", "--show-files", "drafts", "nowhere"),  # a path missing: 2
            ("explain", "NOPE"), ("rules",)]  # an error line: 2; a listing: 0
    statuses = []
    for args in runs:
        inside, program = run_cli(*args, cwd=tmp_path), run_process(*args, cwd=tmp_path)
        assert (inside.returncode, inside.stdout, inside.stderr) == (
            program.returncode, program.stdout, program.stderr)
        statuses.append(program.returncode)
    assert statuses == [1, 2, 2, 0]
