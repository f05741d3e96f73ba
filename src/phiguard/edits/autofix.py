"""`check --fix`: only fixes that cannot change what a post means.

- a missing disclaimer (category disclaimer) -> the organization's configured disclaimer
  (`org.disclaimer`) appended to the draft;
- a missing sponsorship disclosure (category sponsorship) -> the configured disclosure
  (`sponsorship_disclosure`, "#ad") put first.

An image without alt text is never fixed (only a person can describe it), and PHI is never
"fixed" here: that is `phiguard redact`, on purpose. Each edit is made in the file's own
syntax (a JSON or YAML string, a CSV cell, HTML text), leaving every other byte as it was.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import Draft, Finding
from ..rules.categories import lookup
from .files import Edit, raw_end

if TYPE_CHECKING:
    from ..config import Settings

_BODY_END_TAG = re.compile(r"</body\s*>", re.I)


@dataclass
class Fix:
    edit: Edit
    finding: Finding
    note: str


def plan(draft: Draft, findings: list[Finding], text: str, style: str,
         settings: Settings) -> tuple[list[Fix], list[str]]:
    """The fixes for one draft, and why any fixable finding was left alone. ``style`` is how
    its file's format takes added words (readers.Format.edit_style)."""
    fixes: list[Fix] = []
    skipped: list[str] = []
    body = next((s for s in draft.segments if s.scope == "body"), None)
    # the fix a category declares (categories.yaml `fix`), one per fix: an organization's
    # category may declare one too
    fixable = sorted({(lookup(f.category).fix, f.category) for f in findings
                      if lookup(f.category).fix})
    done: set[str] = set()
    for fix, category in fixable:
        if fix in done:
            continue
        done.add(str(fix))
        finding = next(f for f in findings if f.category == category)
        if body is None or not body.text.strip():
            skipped.append(f"{finding.rule}: the draft has no body text to fix")
            continue
        if not style:
            skipped.append(f"{finding.rule}: this file format has no safe place to add words")
            continue
        if fix == "disclaimer":
            disclaimer = str((getattr(settings, "org", {}) or {}).get("disclaimer") or "")
            if not disclaimer:
                skipped.append(f"{finding.rule}: no `org.disclaimer` configured to add")
                continue
            edit = _append(text, style, body, disclaimer)
            note = "appended the organization's disclaimer"
        else:
            disclosure = getattr(settings, "sponsorship_disclosure", "#ad")
            edit = _prepend(text, style, body, disclosure)
            note = f"put {disclosure!r} first"
        fixes.append(Fix(edit, finding, note))
    return fixes, skipped


def _append(text: str, style: str, body: Any, addition: str) -> Edit:
    if style == "prose":
        end = len(text.rstrip("\r\n"))
        newline = "\r\n" if "\r\n" in text else "\n"
        return Edit(end, end, f"{newline}{newline}{addition}", "disclaimer")
    if style == "markup":
        closing = list(_BODY_END_TAG.finditer(text))
        at = closing[-1].start() if closing else len(text)
        return Edit(at, at, f"<p>{html.escape(addition)}</p>\n", "disclaimer")
    last = len(body.text.rstrip()) - 1  # after the last word, not after a trailing newline
    at = raw_end(text, body.source.file_offset(last))
    return _in_value(text, body, at, " " + addition, True, style == "cell")


def _prepend(text: str, style: str, body: Any, addition: str) -> Edit:
    first = len(body.text) - len(body.text.lstrip())
    at = body.source.file_offset(first)
    if style == "prose":
        return Edit(at, at, addition + " ", "disclosure")
    if style == "markup":
        return Edit(at, at, html.escape(addition) + " ", "disclosure")
    return _in_value(text, body, at, addition + " ", False, style == "cell")


def _in_value(text: str, body: Any, at: int, addition: str, at_end: bool, csv: bool) -> Edit:
    """Insert into a YAML/JSON string or a CSV cell in its own quoting. A plain YAML scalar
    or an unquoted cell is rewritten whole as a quoted string, which the addition (a "#",
    a comma) cannot break."""
    start = body.source.file_offset(0)
    end = raw_end(text, body.source.file_offset(max(len(body.text) - 1, 0)))
    quote = text[start - 1:start] if start > 0 else ""
    if quote == '"':
        escaped = (addition.replace('"', '""') if csv
                   else json.dumps(addition, ensure_ascii=False)[1:-1])
        return Edit(at, at, escaped, "value")
    if quote == "'" and not csv:
        return Edit(at, at, addition.replace("'", "''"), "value")
    line_start = text.rfind("\n", 0, start) + 1
    if not csv and not text[line_start:start].strip():  # YAML block scalar: own lines
        return Edit(at, at, addition, "value")
    value = body.text + addition if at_end else addition + body.text
    if csv:
        return Edit(start, end, '"' + value.replace('"', '""') + '"', "value")
    return Edit(start, end, json.dumps(value, ensure_ascii=False), "value")


# Two fixes on one YAML value touch the same span: the second comes next round; a fix may
# make another rule of a fixable category fire ("#ad" first), fixed the round after.
MAX_ROUNDS = 4

Found = list[tuple[Draft, list[Finding]]]  # each draft of a file text, with its findings


def fix_file(checker: Any, opened: Any, settings: Settings) -> tuple[str, list[Fix], list[str]]:
    """The file with every safe fix applied, what was fixed, and what was left alone.

    A fix is kept only for the rules it verifiably satisfies: the text is checked again with
    the fix, and a rule it leaves firing (an organization's own disclaimer rule that asks for
    other words than `org.disclaimer`) is not fixed again, so a second run changes nothing.
    A fix that satisfies no rule is not applied at all."""
    from ..readers import format_of
    from .files import apply_edits

    text = opened.text
    form = format_of(opened.path)
    style = form.edit_style if form else ""
    found = _analyse(checker, opened, text, settings)
    done: list[Fix] = []
    skipped: list[str] = []
    settled: set[tuple[int, str]] = set()  # (draft, rule) that our fix does not satisfy
    for _ in range(MAX_ROUNDS):
        planned, skipped = _plan_all(found, settled, text, style, settings, opened.shown)
        applied = _without_overlaps([f for _, f in planned
                                     if f.edit.new or f.edit.end > f.edit.start])
        if not applied:
            break
        drafts_of = {id(fix): index for index, fix in planned}
        candidate = apply_edits(text, [f.edit for f in applied])
        after = _analyse(checker, opened, candidate, settings)
        useful = _verified(applied, drafts_of, found, after, settled)
        if not useful:
            continue  # nothing satisfied anything: the text stays as it was
        if len(useful) < len(applied):  # without the fixes that satisfied nothing
            kept = {id(fix.edit) for fix in useful}
            candidate = apply_edits(text, [f.edit for f in applied if id(f.edit) in kept])
            after = _analyse(checker, opened, candidate, settings)
        text, found = candidate, after
        done += useful
    return text, done, skipped + _unsatisfied(found, settled, opened.shown)


def _analyse(checker: Any, opened: Any, text: str, settings: Settings) -> Found:
    return [(analysis.draft, checker.policy.apply(analysis.draft, checker.engine.check(analysis)))
            for analysis in checker.analyzer.analyze(opened.drafts(text, settings))]


def _plan_all(found: Found, settled: set[tuple[int, str]], text: str, style: str,
              settings: Settings, shown: str) -> tuple[list[tuple[int, Fix]], list[str]]:
    planned: list[tuple[int, Fix]] = []
    skipped: list[str] = []
    for index, (draft, findings) in enumerate(found):
        open_ = [f for f in findings if (index, f.rule) not in settled]
        fixes, left = plan(draft, open_, text, style, settings)
        planned += [(index, fix) for fix in fixes]
        skipped += [f"{shown}: {note}" for note in left]
    return planned, skipped


def _verified(applied: list[Fix], drafts_of: dict[int, int], before: Found, after: Found,
              settled: set[tuple[int, str]]) -> list[Fix]:
    """One Fix per rule an applied fix made quiet (none: the fix is dropped). The rules of
    its category it left firing are settled for that draft: what it did not satisfy, it
    never will."""
    useful: list[Fix] = []
    for fix in applied:
        index, category = drafts_of[id(fix)], fix.finding.category
        aimed = {f.rule: f for f in before[index][1]
                 if f.category == category and (index, f.rule) not in settled}
        # An edit that changed how the file splits into drafts satisfies nothing we can tell.
        still = ({f.rule for f in after[index][1]} if len(after) == len(before)
                 else set(aimed))
        settled.update((index, rule) for rule in aimed if rule in still)
        useful += [Fix(fix.edit, f, fix.note) for rule, f in aimed.items() if rule not in still]
    return useful


def _unsatisfied(found: Found, settled: set[tuple[int, str]], shown: str) -> list[str]:
    notes = []
    for index, (_, findings) in enumerate(found):
        for rule in sorted({f.rule for f in findings if (index, f.rule) in settled}):
            notes.append(f"{shown}: {rule}: what --fix adds does not satisfy this rule; add "
                         "the wording it asks for by hand")
    return notes


def _without_overlaps(fixes: list[Fix]) -> list[Fix]:
    kept: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: (f.edit.start, f.edit.end)):
        if kept and fix.edit.start < kept[-1].edit.end:
            continue
        if kept and fix.edit.start == kept[-1].edit.start == fix.edit.end:
            continue  # two insertions at one place: one per round, in a known order
        kept.append(fix)
    return kept
