"""kind: match - every place a pattern matches, unless a context pattern is near."""

from __future__ import annotations

from typing import Any

from .base import MAX_PER_RULE, PATTERN, Hit, Kind


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[Hit]:
    rule = compiled.rule
    return [(span, [span], "")
            for span in engine._hits(compiled.keys["pattern"], analysis, rule.scopes)
            if not engine._unless(compiled, analysis, span)]


KIND = Kind("match", evaluate, slots=("pattern",), properties={"pattern": PATTERN},
            required={"required": ["pattern"]}, limit=MAX_PER_RULE,
            scaffold={"pattern": {"phrases": ["TODO words to flag"]}})
