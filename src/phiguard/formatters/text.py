"""`--format text`: grouped by file, `path:line:col severity rule category message`, redacted
excerpt."""

from __future__ import annotations

from itertools import groupby
from typing import IO

from rich.console import Console
from rich.markup import escape

from ..models import Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_text(report: Report, out: IO[str]) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    for path, group in groupby(report.findings, key=lambda f: f.path):
        console.print(f"[bold underline]{escape(path)}[/]")
        for f in group:
            style = _STYLE.get(f.severity, "")
            # the severity in words too: colour is lost in logs, files and to some readers
            console.print(f"{escape(f.path)}:{f.line}:{f.column} [{style}]{f.severity} "
                          f"{escape(f.rule)}[/] [dim]{f.category}[/] {escape(f.message)}")
            if f.excerpt:
                console.print(f"    [dim]{escape(f.excerpt)}[/]")
        console.print()
    for error in report.errors:
        console.print(f"{escape(error.path)}: [bold red]error[/] {escape(error.message)}")
    console.print(escape(summary_line(report)))


def summary_line(report: Report) -> str:
    """`3 findings in 2 drafts (2 files)`, with what was hidden and what was not checked."""
    drafts = f"{report.drafts} draft{'s' * (report.drafts != 1)}"
    summary = (f"{len(report.findings)} finding{'s' * (len(report.findings) != 1)} in "
               f"{drafts} ({report.files} file{'s' * (report.files != 1)})")
    hidden = [f"{n} {what}" for n, what in ((report.suppressed, "suppressed"),
                                            (report.baselined, "in the baseline")) if n]
    if hidden:
        summary += f" ({', '.join(hidden)})"
    if report.errors:
        summary += f"; {len(report.errors)} file{'s' * (len(report.errors) != 1)} not checked"
    return summary
