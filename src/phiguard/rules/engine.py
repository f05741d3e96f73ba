"""Rules -> findings, over one shared analysis per draft. The engine decides whether a rule
applies to a draft (kinds, platforms, `when`) and turns hits into findings; what a rule of each
kind matches lives in that kind's module (rules/kinds/, registered in `KINDS`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..analysis.core import Analysis
from ..consent import Registry
from ..masking import Masker
from ..models import SCOPES, Finding
from ..redact import excerpt
from .categories import builtin
from .kinds import KINDS, pattern_slots
from .kinds.base import MAX_PER_RULE, Hit, inside, window
from .loader import Rule, RuleSet
from .patterns import CompiledPatterns, Span

PATTERN_SLOTS = pattern_slots()


@dataclass
class CompiledRule:
    rule: Rule
    keys: dict[str, list[str]]  # pattern slot -> compiled keys
    unless: list[tuple[list[str], str | int]]  # context patterns and their windows


class Engine:
    def __init__(self, ruleset: RuleSet, patterns: CompiledPatterns, registry: Registry,
                 show_matches: bool = False, org: dict[str, Any] | None = None) -> None:
        self.patterns = patterns
        self.registry = registry
        self.show_matches = show_matches
        self.compiled = [self._compile(rule) for rule in ruleset.rules
                         if rule.kind != "suppression"]
        lexicon_words = {word for lexicon in ruleset.lexicons.values()
                         for term in lexicon.terms for word in str(term).split()}
        self.masker = Masker(lexicon_words, org)
        # identifier-bearing categories (categories.yaml `mask`): their matched words are masked
        self.mask_categories = {name for name, c in (ruleset.categories or builtin()).items()
                                if c.mask}
        self._mask_keys = self._identifier_keys()
        self._display: tuple[Analysis, str] | None = None

    def _compile(self, rule: Rule) -> CompiledRule:
        where = (rule.path, rule.line)
        keys = {slot: self.patterns.keys(rule.spec[slot], where)
                for slot in PATTERN_SLOTS if slot in rule.spec}
        unless = rule.spec.get("unless", [])
        unless = [unless] if isinstance(unless, dict) else unless
        return CompiledRule(rule, keys, [(self.patterns.keys(u["pattern"], where),
                                          u.get("window", "sentence")) for u in unless])

    def limits(self) -> dict[str, int]:
        """How many findings each rule reports per draft (a `near` link once, matches all)."""
        return {c.rule.id: c.rule.spec.get("limit", _kind_limit(c.rule.kind))
                for c in self.compiled}

    def select(self, active: set[str]) -> None:
        self.compiled = [c for c in self.compiled if c.rule.id in active]
        self._mask_keys = self._identifier_keys()

    def check(self, analysis: Analysis, only: str | None = None) -> list[Finding]:
        findings: list[Finding] = []
        problems: dict[tuple[str, ...], str | None] = {}
        for compiled in self.compiled:
            if only is not None and compiled.rule.id != only:
                continue
            covers = tuple(compiled.rule.when.get("consent_covers", ()))
            if covers not in problems:
                problems[covers] = self.registry.check(analysis.draft, covers)
            consent_problem = problems[covers]
            if self._applies(compiled.rule, analysis, consent_problem):
                found = self._evaluate(compiled, analysis)
                rule = compiled.rule
                if consent_problem and rule.category == "consent" and rule.spec.get(
                        "when", {}).get("consent") == "not_valid":  # say why the consent fails
                    for finding in found:
                        finding.message = f"{finding.message}: {consent_problem}"
                findings.extend(found)
        return findings

    # -- conditions -------------------------------------------------------------------------

    def _applies(self, rule: Rule, analysis: Analysis, consent_problem: str | None) -> bool:
        draft = analysis.draft
        if rule.kinds is not None and draft.kind not in rule.kinds:
            return False
        if rule.platforms is not None and draft.platform not in rule.platforms:
            return False
        when = rule.when
        if "consent" in when and (when["consent"] == "valid") != (consent_problem is None):
            return False
        if not all(_meta_holds(draft.meta.get(k), v) for k, v in when.get("meta", {}).items()):
            return False
        any_meta = when.get("any_meta", {})
        if any_meta and not any(_meta_holds(draft.meta.get(k), v) for k, v in any_meta.items()):
            return False
        if "media" in when and not any(
                all(_meta_holds(m.get(k), v) for k, v in when["media"].items())
                for m in draft.media):
            return False
        return not ("image_without_alt" in when
                    and when["image_without_alt"] != _has_image_without_alt(draft))

    # -- kinds ------------------------------------------------------------------------------

    def _evaluate(self, compiled: CompiledRule, analysis: Analysis) -> list[Finding]:
        kind = KINDS.get(compiled.rule.kind)  # asset rules have none: assets.py reports them
        hits: list[Hit] = kind.evaluate(self, compiled, analysis) if kind else []
        # the rule's own `limit` is applied after suppressions (Policy)
        return [self._finding(compiled.rule, analysis, span, link)
                for span, _, link in hits[:MAX_PER_RULE]]

    def _display_text(self, analysis: Analysis) -> str:
        """The draft's text as findings show it: masked once, shared by all its findings."""
        if self.show_matches:
            return analysis.text
        if self._display is None or self._display[0] is not analysis:
            self._display = (analysis, self.masker.mask(analysis.text,
                                                        self._identifier_spans(analysis)))
        return self._display[1]

    def _identifier_keys(self) -> list[str]:
        """The patterns through which identifier rules match an entity or a regular
        expression (a room or record number, say): fixed once the active rules are."""
        return sorted({k for c in self.compiled if c.rule.category in self.mask_categories
                       for slot in ("pattern", "a") for k in c.keys.get(slot, [])
                       if k in self.patterns.entity_types or k in self.patterns.regexes})

    def _identifier_spans(self, analysis: Analysis) -> list[Span]:
        """Every detected entity, and what the identifier rules' patterns matched."""
        spans = [(e.start, e.end) for e in analysis.entities]
        return spans + self._hits(self._mask_keys, analysis, SCOPES)

    def _hits(self, keys: list[str], analysis: Analysis, scopes: tuple[str, ...]) -> list[Span]:
        spans: set[Span] = set()
        for key in keys:
            types = self.patterns.entity_types.get(key)
            if types is not None:
                spans.update((e.start, e.end) for e in analysis.entities
                             if e.type in types and e.role == "person")
            else:
                spans.update(analysis.hits.get(key, ()))
        return sorted(s for s in spans if analysis.scope_at(s[0]) in scopes)

    def _unless(self, compiled: CompiledRule, analysis: Analysis, span: Span) -> bool:
        """A context pattern inside the window (the match itself included) cancels it."""
        for keys, size in compiled.unless:
            lo, hi = window(analysis, span, size)
            if any(inside(s, lo, hi) for s in self._hits(keys, analysis, SCOPES)):
                return True
        return False

    # -- findings ---------------------------------------------------------------------------

    def _finding(self, rule: Rule, analysis: Analysis, span: Span, link: str = "") -> Finding:
        draft = analysis.draft
        start, end = _trimmed(analysis.text, span)
        if not draft.segments:
            line, col, end_line, end_col = 1, 1, 1, 1
        else:
            line, col = _position(analysis, start)
            end_line, end_col = _position(analysis, max(end - 1, start))
            end_col += 1 if end > start else 0
        text = excerpt(analysis, start, max(end, start + 1), self._display_text(analysis))
        message = f"{rule.message} ({link})" if link else rule.message
        return Finding(draft.path, line, col, end_line, end_col, rule.id, rule.category,
                       rule.severity, message, text, analysis.scope_at(start),
                       _identity(rule.id, analysis, start))


def _trimmed(text: str, span: Span) -> Span:
    """A span without the spaces or line breaks a pattern may have matched at its edges."""
    start, end = span
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    while start < end - 1 and text[start].isspace():
        start += 1
    return start, end


def _identity(rule_id: str, analysis: Analysis, offset: int) -> str:
    """Rule + the sentence's words (not its place in the file), hashed at once."""
    lo, hi = analysis.sentence(offset)
    words = " ".join(analysis.text[lo:hi].split()).casefold()
    return hashlib.sha256(f"{rule_id}\0{words}".encode()).hexdigest()


def _position(analysis: Analysis, offset: int) -> tuple[int, int]:
    draft = analysis.draft
    index = analysis.segment_index(offset)
    segment = draft.segments[index]
    within = min(max(offset - analysis.starts[index], 0), max(len(segment.text) - 1, 0))
    file_offset = segment.source.file_offset(within)
    assert draft.lines is not None
    return draft.lines.position(file_offset)


def _kind_limit(name: str) -> int:
    kind = KINDS.get(name)
    return kind.limit if kind else 1


def _meta_holds(value: Any, expected: Any) -> bool:
    if expected is True:
        return value not in (None, False, "", [], "false", "no", "0")
    if expected is False:
        return value in (None, False, "", [], "false", "no", "0")
    if isinstance(expected, list):
        return str(value).lower() in [str(e).lower() for e in expected]
    return str(value).lower() == str(expected).lower()


def _has_image_without_alt(draft: Any) -> bool:
    images = [m for m in draft.media if str(m.get("type", "image")).lower() == "image"]
    return any(not str(m.get("alt") or "").strip() for m in images)
