"""kind: near - pattern a and pattern b (and c, if given) match within a window (sentence,
context, draft, or a number of characters)."""

from __future__ import annotations

from typing import Any

from .base import PATTERN, WINDOW, Hit, Kind, Span, inside, window


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[Hit]:
    rule = compiled.rule
    size = rule.spec["window"]
    a_hits = engine._hits(compiled.keys["a"], analysis, rule.scopes)
    if not a_hits:
        return []
    b_hits = [b for b in engine._hits(compiled.keys["b"], analysis, rule.scopes)
              if not engine._unless(compiled, analysis, b)]
    c_hits = (engine._hits(compiled.keys["c"], analysis, rule.scopes)
              if "c" in compiled.keys else None)
    found: list[Hit] = []
    for a in a_hits:
        lo, hi = window(analysis, a, size)
        partner = next((b for b in b_hits if inside(b, lo, hi, apart_from=a)), None)
        if partner is None:
            continue
        if c_hits is None or any(inside(c, lo, hi, apart_from=a) for c in c_hits):
            found.append((a, [a], _linked(engine, compiled, analysis, a, partner)))
    return found


def _linked(engine: Any, compiled: Any, analysis: Any, a: Span, b: Span) -> str:
    """What a near-rule linked, by kind only: "PERSON + conditions"."""
    return (f"{_label(engine, compiled.keys['a'], analysis, a)} + "
            f"{_label(engine, compiled.keys['b'], analysis, b)}")


def _label(engine: Any, keys: list[str], analysis: Any, span: Span) -> str:
    for key in keys:
        types = engine.patterns.entity_types.get(key)
        if types is not None:
            for e in analysis.entities:
                if (e.start, e.end) == span and e.type in types:
                    return str(e.type)
        elif span in analysis.hits.get(key, ()):
            return str(engine.patterns.labels.get(key, "phrase"))
    return "phrase"


KIND = Kind("near", evaluate, slots=("a", "b", "c"),
            # c: optionally a third pattern that must also be in the window
            properties={"a": PATTERN, "b": PATTERN, "c": PATTERN, "window": WINDOW},
            required={"required": ["a", "b", "window"]},
            scaffold={"a": {"phrases": ["TODO first words"]},
                      "b": {"phrases": ["TODO second words"]}, "window": "sentence"})
