"""The progress bar of a long `phiguard check`: drawn by rich on standard error, and only
where a person is watching a terminal.

The runner only counts (runner.Progress); this module draws. The bar appears once a run has
taken DELAY_SECONDS (a short run shows nothing), is transient (erased before the report is
written), and is never drawn when standard error is not a terminal, when the report goes
to a pipe, or in CI, so logs and machine formats never hold it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

DELAY_SECONDS = 1.0


def wanted(stderr: Any, stdout: Any, output_file: str | None,
           environ: Mapping[str, str]) -> bool:
    """Whether a run with these streams draws a bar: standard error is a terminal, the
    report goes to a terminal or a file (not a pipe), and this is not CI."""
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stderr) and (bool(output_file) or _is_terminal(stdout))


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no stream, or a closed one
        return False


class ProgressBar:
    """A runner.Progress callback drawing files done of files to check, and drafts."""

    def __init__(self, console: Any = None, delay: float = DELAY_SECONDS) -> None:
        self.console = console
        self.delay = delay
        self.started = time.monotonic()
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, files: int, total: int, drafts: int) -> None:
        if self.progress is None:
            if time.monotonic() - self.started < self.delay:
                return
            self._start(total)
        self.progress.update(self.task, completed=files, total=total, drafts=drafts)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = self.console if self.console is not None else Console(stderr=True)
        self.progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("files · {task.fields[drafts]} drafts"),
                                 TimeElapsedColumn(), console=console, transient=True)
        self.task = self.progress.add_task("check", total=total, drafts=0)
        self.progress.start()

    def close(self) -> None:
        """Erase the bar (before the report is written)."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
