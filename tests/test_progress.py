"""The progress bar of `phiguard check`: drawn on standard error for a person at a terminal,
never in a pipe, a log or CI."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import termios
import threading
from pathlib import Path

import pytest
from rich.console import Console

from phiguard import runner
from phiguard.pipeline import Session
from phiguard.progress import ProgressBar, wanted

from .conftest import AMBIENT, phiguard_command, write

DRAFTS = ("Flu shots today at the clinic.", "Join us Saturday for our community 5K!",
          "Myth: you need to rinse after brushing.")


class Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("stderr", "stdout", "output_file", "environ", "expected"), [
    (True, True, None, {}, True),  # a person at a terminal
    (True, False, "report.sarif", {}, True),  # the report goes to a file
    (False, True, None, {}, False),  # standard error is a pipe or a log
    (True, False, None, {}, False),  # the report is piped: `phiguard check | less`
    (True, True, None, {"CI": "true"}, False),  # CI, even with a terminal
    (True, True, None, {"TERM": "dumb"}, False),
])
def test_a_bar_only_for_a_person_at_a_terminal(stderr: bool, stdout: bool,
                                               output_file: str | None,
                                               environ: dict[str, str], expected: bool) -> None:
    assert wanted(Stream(stderr), Stream(stdout), output_file, environ) is expected


def test_no_stream_at_all_draws_nothing() -> None:
    assert wanted(None, None, None, {}) is False


def _screen() -> tuple[io.StringIO, Console]:
    """A terminal without colours, so what is drawn reads as text."""
    screen = io.StringIO()
    return screen, Console(file=screen, force_terminal=True, color_system=None, width=100)


def _run(tmp_path: Path, checker: Session, bar: ProgressBar) -> None:
    for number, text in enumerate(DRAFTS):
        write(tmp_path / f"post{number}.txt", text + "\n")
    report = runner.check([str(tmp_path)], checker.settings, lambda: checker, progress=bar)
    bar.close()
    assert report.files == len(DRAFTS)


def test_the_runner_tells_the_bar_every_file_and_draft(tmp_path: Path, checker: Session) -> None:
    screen, console = _screen()
    _run(tmp_path, checker, ProgressBar(console, delay=0))
    drawn = screen.getvalue()
    assert "checking" in drawn and "3/3 files · 3 drafts" in drawn


def test_a_short_run_draws_nothing(tmp_path: Path, checker: Session) -> None:
    screen, console = _screen()
    _run(tmp_path, checker, ProgressBar(console, delay=600))
    assert screen.getvalue() == ""


def _check(tmp_path: Path, stderr_tty: bool, *args: str) -> tuple[str, str]:
    """`phiguard check` on three drafts (model loading makes it a run of seconds), with
    standard error on a terminal (a pseudo-terminal) or a pipe: (stdout, stderr)."""
    for number, text in enumerate(DRAFTS):
        write(tmp_path / "drafts" / f"post{number}.txt", text + "\n")
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    env["TERM"] = "xterm-256color"
    command = [*phiguard_command(), "check", "--no-cache", *args, "drafts"]
    if not stderr_tty:
        proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        return proc.stdout, proc.stderr
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal's other end is closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with subprocess.Popen(command, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=terminal) as process:
        os.close(terminal)
        out = process.stdout.read().decode() if process.stdout else ""
        process.wait(timeout=300)
    reader.join(timeout=10)
    os.close(main)
    return out, b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_the_bar_is_drawn_and_the_report_stays_clean(tmp_path: Path) -> None:
    out, err = _check(tmp_path, True, "-o", "report.json", "--format", "json")
    assert "checking" in err and "files ·" in err and "drafts" in err
    report = (tmp_path / "report.json").read_text()
    assert "checking" not in report and "\x1b" not in report
    assert out == ""


def test_with_the_report_piped_no_bar_is_drawn(tmp_path: Path) -> None:
    out, err = _check(tmp_path, True, "--format", "json")
    assert "checking" not in err and "\x1b" not in err
    assert out.startswith("{") and "\x1b" not in out


def test_with_standard_error_not_a_terminal_no_bar_is_drawn(tmp_path: Path) -> None:
    _, err = _check(tmp_path, False, "-o", "report.json")
    assert err == ""
