"""The rule-file language, as a JSON Schema: what a compliance officer may write."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..models import DRAFT_KINDS, SCOPES, SEVERITIES
from .kinds import KINDS, pattern_slots, properties
from .kinds.base import _STRINGS, PATTERN, WINDOW

RULE_KINDS = tuple(KINDS)
PATTERN_SLOTS = pattern_slots()  # keys that hold patterns, as the kinds declare them

UNLESS_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["pattern"],
    "properties": {"pattern": PATTERN, "window": WINDOW},
}
UNLESS = {"anyOf": [UNLESS_ITEM, {"type": "array", "items": UNLESS_ITEM, "minItems": 1}]}
TEST_CASE = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {"text": {"type": "string"}, "meta": {"type": "object"}},
        },
    ]
}
WHEN = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "meta": {"type": "object"},  # field: value | [values] | true (set) | false (unset)
        "any_meta": {"type": "object"},  # like meta, but one field holding is enough
        "consent": {"enum": ["valid", "not_valid"]},
        # the consent counts for this rule only if its `covers` names one of these
        "consent_covers": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "media": {"type": "object"},  # some media item has all these fields
        "image_without_alt": {"type": "boolean"},
    },
}

RULE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "severity", "message", "kind"],
    "properties": {
        "id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_.-]*$"},
        "category": {"type": "string"},  # narrowed to the loaded categories (rule_file_schema)
        "severity": {"enum": list(SEVERITIES)},
        "message": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "fix": {"type": "string"},
        "source": {"type": "string"},
        "scopes": {"type": "array", "items": {"enum": list(SCOPES)}, "minItems": 1},
        "kinds": {"type": "array", "items": {"enum": list(DRAFT_KINDS)}, "minItems": 1},
        "platforms": _STRINGS,
        "when": WHEN,
        "kind": {"enum": list(RULE_KINDS)},
        "unless": UNLESS,
        **properties(),  # each kind's own keys (rules/kinds/)
        "limit": {"type": "integer", "minimum": 1},
        "tests": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "fire": {"type": "array", "items": TEST_CASE},
                "quiet": {"type": "array", "items": TEST_CASE},
            },
        },
    },
    "allOf": [{"if": {"properties": {"kind": {"const": name}}}, "then": kind.required}
              for name, kind in KINDS.items() if kind.required],
}

@cache
def rule_file_schema(categories: tuple[str, ...]) -> dict[str, Any]:
    """The rule-file schema, its `category` (and a claim's `claims_of`) one of ``categories``:
    the built-in ones and those an organization declares in its rule folder."""
    names = {"enum": list(categories)}
    rule = {**RULE, "properties": {**RULE["properties"], "category": names, "claims_of": names}}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "define": {"type": "object", "additionalProperties": PATTERN},
            "rules": {"type": "array", "items": rule},
        },
    }


LEXICON_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "terms"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "description": {"type": "string"},
        "source": {"type": "string"},
        "terms": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    },
}
