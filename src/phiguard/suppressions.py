"""Findings -> kept findings: inline suppressions, per-file ignores and severity overrides.

Inline, in Markdown and HTML (an HTML comment is never published):

    <!-- phiguard-disable-next-line PHI001 -- reason -->
    <!-- phiguard-disable CIT001, CIT002 -- reason -->  ...  <!-- phiguard-enable CIT001, CIT002 -->

For a whole draft: ``phiguard: {ignore: [RULE, ...], reason: ...}`` in front matter or in a
YAML/JSON draft, or a ``phiguard_ignore`` column in a CSV ("RULE, RULE").

A suppression must name what it silences (a rule id, id prefix or category), as ruff's
ranges do; one that names nothing, or a rule that does not exist, is reported (SUP001), and
so is one that silenced nothing (SUP002), so stale suppressions do not pile up.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

from .models import Draft, Finding, LineIndex
from .yamlpos import LocStr

_COMMENT = re.compile(r"<!--\s*phiguard-(disable-next-line|disable|enable)\b(.*?)-->", re.S)
_SELECTOR_SPLIT = re.compile(r"[\s,]+")
CSV_IGNORE_FIELD = "phiguard_ignore"
INVALID, UNUSED = "SUP001", "SUP002"


@dataclass
class Directive:
    """One suppression: which rules, over which lines of the file (``None``: the whole draft)."""

    selectors: list[str]
    line: int  # where the directive is written
    lines: tuple[int, int] | None = None  # first and last line covered
    reason: str = ""
    used: bool = field(default=False, compare=False)

    def covers(self, finding: Finding) -> bool:
        if self.lines is None:
            return True
        first, last = self.lines
        return finding.line <= last and finding.end_line >= first


def rule_matches(selector: str, rule_id: str, category: str) -> bool:
    """A selector names a rule by id, id prefix or category (as select/ignore do)."""
    return rule_id == selector or rule_id.startswith(selector) or category == selector


# -- reading directives ------------------------------------------------------------------------


def comment_directives(text: str, lines: LineIndex) -> list[Directive]:
    """Suppression comments in a Markdown or HTML file."""
    directives: list[Directive] = []
    open_ranges: list[Directive] = []
    last_line = lines.position(max(len(text) - 1, 0))[0]
    for match in _COMMENT.finditer(text):
        action, body = match.group(1), match.group(2)
        selectors, reason = _parse_body(body)
        line = lines.position(match.start())[0]
        end_line = lines.position(match.end() - 1)[0]
        if action == "disable-next-line":
            target = _next_content_line(text, match.end(), lines)
            directives.append(Directive(selectors, line, (target, target), reason))
        elif action == "disable":
            directive = Directive(selectors, line, (end_line, last_line), reason)
            directives.append(directive)
            open_ranges.append(directive)
        else:
            _close_ranges(open_ranges, selectors, line)
    return directives


def _parse_body(body: str) -> tuple[list[str], str]:
    rules, _, reason = body.partition("--")
    return [s for s in _SELECTOR_SPLIT.split(rules.strip()) if s], reason.strip()


def _next_content_line(text: str, offset: int, lines: LineIndex) -> int:
    """The line after the comment with something on it (blank lines between are skipped)."""
    newline = text.find("\n", offset)
    if newline < 0:
        return lines.position(offset)[0] + 1
    pos = newline + 1
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return lines.position(min(pos, max(len(text) - 1, 0)))[0]


def _close_ranges(open_ranges: list[Directive], selectors: list[str], line: int) -> None:
    for directive in open_ranges:
        if directive.lines is None or directive.lines[1] < line:
            continue
        if not selectors or any(s in directive.selectors for s in selectors):
            directive.lines = (directive.lines[0], line)
    open_ranges[:] = [d for d in open_ranges if d.lines and d.lines[1] != line]


def draft_directives(draft: Draft) -> list[Directive]:
    """``phiguard: {ignore: [...]}`` (front matter, YAML, JSON) or a ``phiguard_ignore`` cell."""
    value: Any = None
    reason = ""
    block = draft.meta.get("phiguard")
    if isinstance(block, dict):
        value = block.get("ignore")
        reason = str(block.get("reason") or "")
    elif draft.meta.get(CSV_IGNORE_FIELD) is not None:
        value = draft.meta[CSV_IGNORE_FIELD]
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    selectors = [s for item in items for s in _SELECTOR_SPLIT.split(str(item)) if s]
    line = next((item.line for item in items if isinstance(item, LocStr)), None)
    return [Directive(selectors, line or _draft_line(draft), None, reason)]


def _draft_line(draft: Draft) -> int:
    if not draft.segments or draft.lines is None:
        return 1
    return draft.lines.position(draft.segments[0].source.file_offset(0))[0]


# -- applying them ---------------------------------------------------------------------------


@dataclass
class Screened:
    """A draft's findings after its suppressions, with the suppressions' own diagnostics."""

    findings: list[Finding]
    diagnostics: list[Finding]
    suppressed: int


@dataclass(frozen=True)
class Policy:
    """What the configuration and the drafts say to drop or re-grade. Complete when built
    (pipeline.build_policy) and never changed after: what a run counts is returned, not kept
    here (the baseline counts the occurrences it has accepted itself, baseline.py)."""

    rules: Mapping[str, str]  # every known rule id -> category
    active: AbstractSet[str]  # ids left after select/ignore
    per_file_ignores: Mapping[str, list[str]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, int] = field(default_factory=dict)  # findings per rule and draft
    baseline: Any = None  # a baseline.Baseline: accepted findings are dropped

    def apply(self, draft: Draft, findings: Iterable[Finding]) -> list[Finding]:
        return self.settle(self.screen(draft, findings))

    def screen(self, draft: Draft, findings: Iterable[Finding]) -> Screened:
        """Per-file ignores and the draft's suppressions: what depends on the draft alone (a
        worker process does this; the baseline, shared by all drafts, is `settle`'s)."""
        ignored_here = self._file_selectors(draft.path)
        directives = [*draft.directives, *draft_directives(draft)]
        kept: list[Finding] = []
        suppressed = 0
        for finding in findings:
            if any(rule_matches(s, finding.rule, finding.category) for s in ignored_here):
                continue
            if self._suppressed(finding, directives):
                suppressed += 1
                continue
            kept.append(finding)
        return Screened(kept, self._diagnostics(draft, directives), suppressed)

    def settle(self, screened: Screened) -> list[Finding]:
        """The baseline, then per-rule limits (so a baselined finding does not use up the
        limit), then severity overrides."""
        return self.settle_counted(screened)[0]

    def settle_counted(self, screened: Screened) -> tuple[list[Finding], int]:
        """What `settle` keeps, and how many findings the baseline accepted."""
        kept: list[Finding] = []
        per_rule: dict[str, int] = {}
        baselined = 0
        for finding in screened.findings:
            if self.baseline is not None and self.baseline.accepts(finding):
                baselined += 1
                continue
            per_rule[finding.rule] = per_rule.get(finding.rule, 0) + 1
            if per_rule[finding.rule] <= self.limits.get(finding.rule, per_rule[finding.rule]):
                kept.append(self._graded(finding))
        kept.extend(self._graded(f) for f in screened.diagnostics)
        return kept, baselined

    def _file_selectors(self, path: str) -> list[str]:
        posix = path.replace("\\", "/").removeprefix("./")
        return [s for pattern, selectors in self.per_file_ignores.items()
                if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, f"*/{pattern}")
                for s in selectors]

    def _suppressed(self, finding: Finding, directives: list[Directive]) -> bool:
        hit = False
        for directive in directives:
            if directive.covers(finding) and any(
                    rule_matches(s, finding.rule, finding.category)
                    for s in directive.selectors):
                directive.used = True
                hit = True
        return hit

    def _graded(self, finding: Finding) -> Finding:
        level = next((lvl for s, lvl in self.severity.items()
                      if rule_matches(s, finding.rule, finding.category)), None)
        return replace(finding, severity=level) if level else finding

    def _diagnostics(self, draft: Draft, directives: list[Directive]) -> list[Finding]:
        out = []
        for d in directives:
            named = [rid for rid, cat in self.rules.items()
                     if any(rule_matches(s, rid, cat) for s in d.selectors)]
            if not d.selectors:
                problem = (INVALID, "Suppression names no rule; name the rule id or category "
                           "it silences")
            elif unknown := [s for s in d.selectors if not self._names_rule(s)]:
                problem = (INVALID, "Suppression names an unknown rule: " + ", ".join(unknown))
            elif not d.used and any(rid in self.active for rid in named):
                problem = (UNUSED, "Unused suppression: nothing here matched "
                           + ", ".join(d.selectors))
            else:
                continue
            rule_id, message = problem
            if rule_id not in self.active:
                continue
            out.append(Finding(draft.path, d.line, 1, d.line, 1, rule_id, "suppression",
                               "error" if rule_id == INVALID else "warning", message, ""))
        return out

    def _names_rule(self, selector: str) -> bool:
        return any(rule_matches(selector, rid, cat) for rid, cat in self.rules.items())
