"""A reader that stops early (`phiguard rules | head`) ends the run quietly, like other tools."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import AMBIENT, phiguard_command, write

SIGPIPE_STATUS = 141  # what a shell reports for a tool stopped by SIGPIPE (128 + 13)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in AMBIENT}


def _into_closed_pipe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run phiguard with its stdout on a real pipe whose reader closed before it wrote."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*phiguard_command(), *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=cwd, env=_env(),
                              timeout=300)
    finally:
        os.close(write_end)


@pytest.mark.e2e
@pytest.mark.parametrize("args", [("rules",), ("explain", "PHI001"),
                                  ("check", "--format", "json", "post.md")])
def test_closed_stdout_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    write(tmp_path / "post.md", "Join us Saturday for the community 5K!\n")
    proc = _into_closed_pipe(*args, cwd=tmp_path)
    assert proc.stderr == ""  # no "internal error", no traceback, no "Exception ignored"
    assert proc.returncode == SIGPIPE_STATUS


@pytest.mark.e2e
def test_reader_that_stops_after_one_line(tmp_path: Path) -> None:
    """As `phiguard rules | head -1`: whether or not the output fit in the pipe, no noise."""
    proc = subprocess.Popen([*phiguard_command(), "rules"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=_env())
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=300) in (0, SIGPIPE_STATUS)
    assert first.split()[0].isalnum() and err == ""


@pytest.mark.unit
def test_broken_pipe_from_elsewhere_still_fails_closed(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's pipe breaking is a failure, not a reader that has gone: exit 2, one line."""
    from phiguard import cli

    monkeypatch.delenv("PHIGUARD_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_stdout_reader_gone", lambda: False)

    def broken() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(SystemExit) as stopped:
        cli._run(broken)
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error (BrokenPipeError)" in err[0]
