"""Rules -> findings. Four rule kinds, interpreted over one shared analysis per draft.

- match:    every place a pattern matches, unless a context pattern is near.
- missing:  a trigger matches (or the conditions hold) but a required pattern does not.
- near:     pattern a and pattern b match within a window (sentence, context, draft, chars).
- metadata: the draft's fields alone (with `when`) decide.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..analysis.core import Analysis
from ..consent import Registry
from ..masking import Masker
from ..models import SCOPES, Finding
from ..redact import excerpt
from . import claims
from .loader import Rule, RuleSet
from .patterns import CompiledPatterns, Span
from .schema import PATTERN_SLOTS

# Identifier-bearing categories: the matched words themselves are masked in excerpts.
MASK_MATCH = {"phi", "consent", "review_reply"}
MAX_PER_RULE = 100
_HASHTAG_PILE = re.compile(r"(?:\s*#\w+){3,}\s*$")


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
        return {c.rule.id: c.rule.spec.get("limit", 1 if c.rule.kind != "match" else MAX_PER_RULE)
                for c in self.compiled}

    def select(self, active: set[str]) -> None:
        self.compiled = [c for c in self.compiled if c.rule.id in active]

    def check(self, analysis: Analysis, only: str | None = None) -> list[Finding]:
        findings: list[Finding] = []
        consent_problem = self.registry.check(analysis.draft)
        for compiled in self.compiled:
            if only is not None and compiled.rule.id != only:
                continue
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
        spec = rule.spec
        if "kinds" in spec and draft.kind not in spec["kinds"]:
            return False
        if "platforms" in spec and draft.platform not in [p.lower() for p in spec["platforms"]]:
            return False
        when = spec.get("when", {})
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
        rule = compiled.rule
        limit = MAX_PER_RULE  # the rule's own `limit` is applied after suppressions (Policy)
        spans: list[tuple[Span, list[Span], str]] = []
        if rule.kind == "match":
            for span in self._hits(compiled.keys["pattern"], analysis, rule.scopes):
                if not self._unless(compiled, analysis, span):
                    spans.append((span, [span], ""))
        elif rule.kind == "missing":
            spans = self._missing(compiled, analysis)
        elif rule.kind == "near":
            spans = self._near(compiled, analysis)
        elif rule.kind == "metadata":
            spans = [((0, 0), [], "")]
        elif rule.kind == "claim":  # subject-relation-object claims on the parse
            spans = claims.evaluate(self, compiled, analysis)
        spans = spans[:limit]
        return [self._finding(rule, analysis, span, link) for span, _, link in spans]

    def _display_text(self, analysis: Analysis) -> str:
        """The draft's text as findings show it: masked once, shared by all its findings."""
        if self.show_matches:
            return analysis.text
        if self._display is None or self._display[0] is not analysis:
            self._display = (analysis, self.masker.mask(analysis.text,
                                                        self._identifier_spans(analysis)))
        return self._display[1]

    def _identifier_spans(self, analysis: Analysis) -> list[Span]:
        """Every detected entity, and what identifier rules matched through an entity or a
        regular expression (a room or record number, say)."""
        keys = {k for c in self.compiled if c.rule.category in MASK_MATCH
                for slot in ("pattern", "a") for k in c.keys.get(slot, [])
                if k in self.patterns.entity_types or k in self.patterns.regexes}
        spans = [(e.start, e.end) for e in analysis.entities]
        return spans + self._hits(sorted(keys), analysis, SCOPES)

    def _missing(self, compiled: CompiledRule,
                 analysis: Analysis) -> list[tuple[Span, list[Span], str]]:
        rule = compiled.rule
        if "trigger" in compiled.keys:
            triggers = [t for t in self._hits(compiled.keys["trigger"], analysis, rule.scopes)
                        if not self._unless(compiled, analysis, t)]
            if not triggers:
                return []
            at = triggers[0]
        else:
            at = (0, 0)
        within = rule.spec.get("require_within", {})
        scopes = tuple(within.get("scopes", SCOPES))
        required = self._hits(compiled.keys["require"], analysis, scopes)
        limit = _require_limit(analysis, within)
        if any(span[0] < limit for span in required):
            return []
        return [(at, [], "")]

    def _near(self, compiled: CompiledRule,
              analysis: Analysis) -> list[tuple[Span, list[Span], str]]:
        rule = compiled.rule
        window = rule.spec["window"]
        a_hits = self._hits(compiled.keys["a"], analysis, rule.scopes)
        if not a_hits:
            return []
        b_hits = [b for b in self._hits(compiled.keys["b"], analysis, rule.scopes)
                  if not self._unless(compiled, analysis, b)]
        c_hits = (self._hits(compiled.keys["c"], analysis, rule.scopes)
                  if "c" in compiled.keys else None)
        found = []
        for a in a_hits:
            lo, hi = _window(analysis, a, window)
            partner = next((b for b in b_hits if _inside(b, lo, hi, apart_from=a)), None)
            if partner is None:
                continue
            if c_hits is None or any(_inside(c, lo, hi, apart_from=a) for c in c_hits):
                found.append((a, [a], self._linked(compiled, analysis, a, partner)))
        return found

    def _linked(self, compiled: CompiledRule, analysis: Analysis, a: Span, b: Span) -> str:
        """What a near-rule linked, by kind only: "PERSON + conditions"."""
        return (f"{self._label(compiled.keys['a'], analysis, a)} + "
                f"{self._label(compiled.keys['b'], analysis, b)}")

    def _label(self, keys: list[str], analysis: Analysis, span: Span) -> str:
        for key in keys:
            types = self.patterns.entity_types.get(key)
            if types is not None:
                for e in analysis.entities:
                    if (e.start, e.end) == span and e.type in types:
                        return e.type
            elif span in analysis.hits.get(key, ()):
                return self.patterns.labels.get(key, "phrase")
        return "phrase"

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
        for keys, window in compiled.unless:
            lo, hi = _window(analysis, span, window)
            if any(_inside(s, lo, hi) for s in self._hits(keys, analysis, SCOPES)):
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


def _window(analysis: Analysis, span: Span, window: str | int) -> Span:
    if window == "draft":
        return 0, len(analysis.text)
    if window == "sentence":
        return analysis.sentence(span[0])[0], analysis.sentence(max(span[1] - 1, span[0]))[1]
    if window == "context":
        return analysis.context(span[0])[0], analysis.context(max(span[1] - 1, span[0]))[1]
    return span[0] - int(window), span[1] + int(window)


def _inside(span: Span, lo: int, hi: int, apart_from: Span | None = None) -> bool:
    """``span`` lies within [lo, hi] (and, when given, does not overlap ``apart_from``)."""
    if apart_from is not None and span[0] < apart_from[1] and apart_from[0] < span[1]:
        return False
    return lo <= span[0] and span[1] <= hi


def _require_limit(analysis: Analysis, within: dict[str, Any]) -> int:
    limit = len(analysis.text)
    first = within.get("first_chars")
    if isinstance(first, dict):  # the platform's "more" cut-off
        first = first.get(analysis.draft.platform or "", first.get("default"))
    if first:
        limit = min(limit, int(first))
    if within.get("before_hashtags"):
        pile = _HASHTAG_PILE.search(analysis.text[: analysis.starts[1]]
                                    if len(analysis.starts) > 1 else analysis.text)
        if pile:
            limit = min(limit, pile.start())
    return limit


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
