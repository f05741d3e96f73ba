"""`check --statistics`: how many findings of each rule and each category, not the findings."""

from __future__ import annotations

from collections import Counter
from typing import IO

from ..models import Report
from .text import summary_line


def render_statistics(report: Report, out: IO[str]) -> None:
    by_rule = Counter((f.rule, f.category, f.severity) for f in report.findings)
    width = len(str(max(by_rule.values(), default=0)))
    for (rule, category, severity), count in sorted(by_rule.items(),
                                                    key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>{width}}  {rule:<10} {severity:<8} {category}\n")
    by_category = Counter(f.category for f in report.findings)
    if by_category:
        out.write("by category: " + ", ".join(
            f"{category} {count}" for category, count in sorted(
                by_category.items(), key=lambda item: (-item[1], item[0]))) + "\n")
    for error in report.errors:
        out.write(f"{error.path}: error {error.message}\n")
    out.write(summary_line(report) + "\n")
