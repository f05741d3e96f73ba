"""What `phiguard check` writes: the safe fixes of --fix (each noted on standard error), the
progress bar, and the report in its format, to standard output or an owner-only file.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import formatters as formats

if TYPE_CHECKING:
    from ..config import Settings


def progress_bar(output_file: str | None) -> Any:
    """A progress bar on standard error, only for a person at a terminal (progress.py)."""
    from ..progress import ProgressBar, wanted

    if not wanted(sys.stderr, sys.stdout, output_file, os.environ):
        return None
    return ProgressBar()


def apply_fixes(session: Any, paths: list[str], settings: Settings) -> None:
    """Safe fixes, file by file; unreadable files are left for the check to report."""
    from ..edits.autofix import fix_file
    from ..edits.files import open_editable, write_in_place
    from ..models import ReadError
    from ..readers import reader_for
    from ..walk import collect

    targets, _ = collect(paths, settings.exclude, settings.files_to_skip(), settings.rule_paths)
    for target in targets:
        if reader_for(target.path) is None:
            continue
        try:
            opened = open_editable(target.shown, settings, target.path)
            fixed, fixes, skipped = fix_file(session, opened, settings)
        except ReadError:
            continue
        if fixes:
            write_in_place(opened, fixed)
        for item in fixes:
            click.echo(f"fixed {target.shown}:{item.finding.line}: {item.finding.rule} "
                       f"({item.note})", err=True)
        for note in skipped:
            click.echo(f"not fixed {note}", err=True)


def output_format_of(requested: str) -> str:
    return formats.auto(os.environ) if requested == "auto" else requested


def emit(report: Any, output_format: str, output_file: str | None) -> None:
    from ..formatters import formatter
    from ..privatefile import write_private

    if output_file:
        buffer = io.StringIO()
        formatter(output_format)(report, buffer)
        write_private(Path(output_file), buffer.getvalue())
    else:
        formatter(output_format)(report, sys.stdout)
        sys.stdout.flush()
