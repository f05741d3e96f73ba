"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

Escaping follows the runner's rules: in data, ``%``, CR and LF; in properties also ``:``
and ``,``. When the job summary file is available, the full list is appended to it as a
Markdown table, since GitHub shows only the first annotations of a step.
"""

from __future__ import annotations

import os
from typing import IO

from ..models import Finding, Report
from .paths import relative_to_root

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, out: IO[str]) -> None:
    for finding in report.findings:
        out.write(_annotation(finding) + "\n")
    for error in report.errors:
        out.write(f"::error file={escape_property(relative_to_root(error.path))},"
                  f"title={escape_property('phiguard: file not checked')}::"
                  f"{escape_data(error.message)}\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(job_summary(report))


def _annotation(finding: Finding) -> str:
    props = [f"file={escape_property(relative_to_root(finding.path))}",
             f"line={finding.line}", f"endLine={finding.end_line}"]
    if finding.line == finding.end_line:  # GitHub rejects column ranges across lines
        props += [f"col={finding.column}", f"endColumn={finding.end_column}"]
    props.append(f"title={escape_property(f'phiguard {finding.rule} ({finding.category})')}")
    text = finding.message + (f"\n{finding.excerpt}" if finding.excerpt else "")
    return f"::{COMMANDS.get(finding.severity, 'warning')} {','.join(props)}::{escape_data(text)}"


def job_summary(report: Report) -> str:
    lines = ["## phiguard", "",
             f"{len(report.findings)} finding(s) in {report.drafts} draft(s) "
             f"({report.files} file(s)); {len(report.errors)} file(s) not checked.", ""]
    if report.findings:
        lines += ["| file | line | rule | category | severity | message |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {_cell(relative_to_root(f.path))} | {f.line} | {f.rule} | {f.category} | "
                  f"{f.severity} | {_cell(f.message)} |" for f in report.findings]
    lines += [f"- not checked: {_cell(relative_to_root(e.path))}: {_cell(e.message)}"
              for e in report.errors]
    return "\n".join(lines) + "\n\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")
