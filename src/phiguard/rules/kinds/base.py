"""What every rule kind shares: the `Kind` record the registry holds, the schema fragments
for patterns and windows, and the window arithmetic on character spans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...analysis.core import Analysis

Span = tuple[int, int]
# One place a rule fires: the span reported, the spans it rests on, what a near-rule linked.
Hit = tuple[Span, list[Span], str]
MAX_PER_RULE = 100

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_STRING_OR_STRINGS: dict[str, Any] = {"anyOf": [{"type": "string"}, _STRINGS]}
WINDOWS = ("sentence", "context", "draft")
PATTERN_ITEM: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "phrases": _STRINGS,  # case-insensitive token sequences
        "lexicon": _STRING_OR_STRINGS,  # named term lists in rules/lexicons/
        "tokens": {"type": "array", "items": {"type": "object"}, "minItems": 1},  # spaCy Matcher
        "regex": {"type": "string"},
        "entity": _STRING_OR_STRINGS,  # Presidio entity types (patients' identifiers only)
        "ref": {"type": "string"},  # a named pattern from `define:`
    },
}
PATTERN: dict[str, Any] = {
    "anyOf": [PATTERN_ITEM, {"type": "array", "items": PATTERN_ITEM, "minItems": 1}]}
WINDOW: dict[str, Any] = {
    "anyOf": [{"enum": list(WINDOWS)}, {"type": "integer", "minimum": 0}]}


@dataclass(frozen=True)
class Kind:
    """A rule kind: the keys holding patterns (compiled by the engine), the rule-file keys it
    adds to the schema, what a rule of this kind must have, and how it finds its hits."""

    name: str
    evaluate: Callable[[Any, Any, Analysis], list[Hit]]  # (engine, compiled rule, analysis)
    slots: tuple[str, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict)
    required: dict[str, Any] = field(default_factory=dict)  # schema `then` for this kind
    limit: int = 1  # findings per draft unless the rule sets `limit`
    scaffold: dict[str, Any] = field(default_factory=dict)  # its keys in `phiguard rules new`


def window(analysis: Analysis, span: Span, size: str | int) -> Span:
    """The characters a window around ``span`` covers."""
    if size == "draft":
        return 0, len(analysis.text)
    if size == "sentence":
        return analysis.sentence(span[0])[0], analysis.sentence(max(span[1] - 1, span[0]))[1]
    if size == "context":
        return analysis.context(span[0])[0], analysis.context(max(span[1] - 1, span[0]))[1]
    return span[0] - int(size), span[1] + int(size)


def inside(span: Span, lo: int, hi: int, apart_from: Span | None = None) -> bool:
    """``span`` lies within [lo, hi] (and, when given, does not overlap ``apart_from``)."""
    if apart_from is not None and span[0] < apart_from[1] and apart_from[0] < span[1]:
        return False
    return lo <= span[0] and span[1] <= hi
