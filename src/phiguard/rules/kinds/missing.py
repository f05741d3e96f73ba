"""kind: missing - a trigger matches (or the conditions hold) but a required pattern does not
(within the first characters, or before the closing hashtags)."""

from __future__ import annotations

import re
from typing import Any

from ...models import SCOPES
from .base import PATTERN, Hit, Kind

_HASHTAG_PILE = re.compile(r"(?:\s*#\w+){3,}\s*$")
REQUIRE_WITHIN: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scopes": {"type": "array", "items": {"enum": list(SCOPES)}},
        # a number, or per platform: {instagram: 125, default: 200}
        "first_chars": {"anyOf": [
            {"type": "integer", "minimum": 1},
            {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        ]},
        "before_hashtags": {"type": "boolean"},
    },
}


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[Hit]:
    rule = compiled.rule
    if "trigger" in compiled.keys:
        triggers = [t for t in engine._hits(compiled.keys["trigger"], analysis, rule.scopes)
                    if not engine._unless(compiled, analysis, t)]
        if not triggers:
            return []
        at = triggers[0]
    else:
        at = (0, 0)
    within = rule.spec.get("require_within", {})
    scopes = tuple(within.get("scopes", SCOPES))
    required = engine._hits(compiled.keys["require"], analysis, scopes)
    limit = _require_limit(analysis, within)
    if any(span[0] < limit for span in required):
        return []
    return [(at, [], "")]


def _require_limit(analysis: Any, within: dict[str, Any]) -> int:
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


KIND = Kind("missing", evaluate, slots=("trigger", "require"),
            properties={"trigger": PATTERN, "require": PATTERN, "require_within": REQUIRE_WITHIN},
            required={"required": ["require"]},
            scaffold={"trigger": {"phrases": ["TODO words that call for it"]},
                      "require": {"phrases": ["TODO words that must be there"]}})
