"""The rule-file language, as a JSON Schema: what a compliance officer may write."""

from __future__ import annotations

from typing import Any

from ..models import DRAFT_KINDS, SCOPES, SEVERITIES

CATEGORIES = ("phi", "consent", "review_reply", "advice", "disclaimer", "citation",
              "misinformation", "sponsorship", "fair_balance", "accessibility")
RULE_KINDS = ("match", "missing", "near", "metadata", "claim")
WINDOWS = ("sentence", "context", "draft")
PATTERN_SLOTS = ("pattern", "trigger", "require", "a", "b", "c")  # keys that hold patterns

_STRINGS = {"type": "array", "items": {"type": "string"}}
_STRING_OR_STRINGS = {"anyOf": [{"type": "string"}, _STRINGS]}
STANCES = ("asserted", "negated", "questioned", "reported", "refuted")
# a claim slot: words (a trailing * matches any ending), or words plus named lexicons
CLAIM_TERMS = {"anyOf": [_STRINGS, {
    "type": "object", "additionalProperties": False,
    "properties": {"words": _STRINGS, "lexicon": _STRING_OR_STRINGS}}]}
CLAIM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["relation"],
    "properties": {"subject": CLAIM_TERMS, "relation": CLAIM_TERMS, "object": CLAIM_TERMS,
                   "directive": {"type": "boolean"}, "parsed": {"type": "boolean"},
                   "gap": {"type": "integer", "minimum": 0}},
}
# kind: claim - the sources a claim may be attributed to, and the words that attribute it
ATTRIBUTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names"],
    "properties": {"names": CLAIM_TERMS, "markers": CLAIM_TERMS, "nouns": CLAIM_TERMS,
                   "verbs": _STRINGS},
}

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
PATTERN = {"anyOf": [PATTERN_ITEM, {"type": "array", "items": PATTERN_ITEM, "minItems": 1}]}
WINDOW = {"anyOf": [{"enum": list(WINDOWS)}, {"type": "integer", "minimum": 0}]}
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
        "category": {"enum": list(CATEGORIES)},
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
        "pattern": PATTERN,
        "unless": UNLESS,
        "trigger": PATTERN,
        "require": PATTERN,
        "require_within": {
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
        },
        "a": PATTERN,
        "b": PATTERN,
        "c": PATTERN,  # near: optionally a third pattern that must also be in the window
        "window": WINDOW,
        "claims": {"type": "array", "items": CLAIM, "minItems": 1},  # kind: claim
        "claims_of": {"enum": list(CATEGORIES)},  # kind: claim, reuse that category's claims
        "attribution": ATTRIBUTION,  # kind: claim, a claim attributed to a named source is cited
        "stance": {"anyOf": [{"enum": list(STANCES)},
                             {"type": "array", "items": {"enum": list(STANCES)}, "minItems": 1}]},
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
    "allOf": [
        {"if": {"properties": {"kind": {"const": "match"}}},
         "then": {"required": ["pattern"]}},
        {"if": {"properties": {"kind": {"const": "missing"}}},
         "then": {"required": ["require"]}},
        {"if": {"properties": {"kind": {"const": "near"}}},
         "then": {"required": ["a", "b", "window"]}},
        {"if": {"properties": {"kind": {"const": "metadata"}}},
         "then": {"required": ["when"]}},
        {"if": {"properties": {"kind": {"const": "claim"}}},
         "then": {"anyOf": [{"required": ["claims"]}, {"required": ["claims_of"]},
                            {"required": ["trigger"]}]}},
    ],
}

RULE_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "define": {"type": "object", "additionalProperties": PATTERN},
        "rules": {"type": "array", "items": RULE},
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
