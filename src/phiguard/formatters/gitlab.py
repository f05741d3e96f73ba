"""`--format gitlab`: a GitLab Code Quality report (a JSON array of issues), shown in merge
requests. Fields as GitLab documents them: description, check_name, fingerprint, severity,
location.path, location.lines.begin. Excerpts are the masked ones; paths are relative to the
repository root, as GitLab resolves them."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import IO, Any

from ..models import Finding, Report
from ..rules.categories import lookup
from .paths import relative_to_root

# GitLab's scale: info, minor, major, critical, blocker.
SEVERITY = {"error": "critical", "warning": "minor", "info": "info"}


def render_gitlab(report: Report, out: IO[str]) -> None:
    seen: Counter[str] = Counter()
    issues = [_issue(f, seen) for f in report.findings]
    issues += [_error(e.path, e.message, seen) for e in report.errors]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _fingerprint(seen: Counter[str], *parts: str) -> str:
    """Stable while unrelated lines move (no line number), unique within the report (the
    n-th identical issue gets its own), and made only of masked text."""
    base = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    seen[base] += 1
    return hashlib.sha256(f"{base}:{seen[base]}".encode()).hexdigest()


def _issue(finding: Finding, seen: Counter[str]) -> dict[str, Any]:
    path = relative_to_root(finding.path)
    words = " ".join(finding.excerpt.strip("…").split())
    description = f"{finding.rule} ({finding.category}): {finding.message}"
    if finding.excerpt:
        description += f" — {finding.excerpt}"
    return {
        "type": "issue",
        "description": description,
        "check_name": f"phiguard/{finding.rule}",
        "categories": ["Security"] if lookup(finding.category).security else ["Style"],
        "fingerprint": _fingerprint(seen, finding.rule, path, words),
        "severity": SEVERITY.get(finding.severity, "minor"),
        "location": {"path": path, "lines": {"begin": finding.line}},
    }


def _error(shown: str, message: str, seen: Counter[str]) -> dict[str, Any]:
    """A file that could not be checked: a blocker, at the line its message names."""
    head, _, _ = message.partition(": ")
    line = int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else 1
    path = relative_to_root(shown)
    return {
        "type": "issue",
        "description": f"not checked: {message}",
        "check_name": "phiguard/error",
        "categories": ["Bug Risk"],
        "fingerprint": _fingerprint(seen, "error", path, message),
        "severity": "blocker",
        "location": {"path": path, "lines": {"begin": line}},
    }
