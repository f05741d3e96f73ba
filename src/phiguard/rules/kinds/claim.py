"""kind: claim - subject-relation-object claims on the parse, judged for stance and
attribution. The kind's internals live in rules/claims.py; this module declares it."""

from __future__ import annotations

from typing import Any

from .. import claims
from .base import _STRING_OR_STRINGS, _STRINGS, PATTERN, Kind
from .missing import REQUIRE_WITHIN

STANCES = ("asserted", "negated", "questioned", "reported", "refuted")
# a claim slot: words (a trailing * matches any ending), or words plus named lexicons
CLAIM_TERMS: dict[str, Any] = {"anyOf": [_STRINGS, {
    "type": "object", "additionalProperties": False,
    "properties": {"words": _STRINGS, "lexicon": _STRING_OR_STRINGS}}]}
CLAIM: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["relation"],
    "properties": {"subject": CLAIM_TERMS, "relation": CLAIM_TERMS, "object": CLAIM_TERMS,
                   "directive": {"type": "boolean"}, "parsed": {"type": "boolean"},
                   "guidance": {"type": "boolean"},
                   "gap": {"type": "integer", "minimum": 0}},
}
# the sources a claim may be attributed to, and the words that attribute it
ATTRIBUTION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names"],
    "properties": {"names": CLAIM_TERMS, "markers": CLAIM_TERMS, "nouns": CLAIM_TERMS,
                   "verbs": _STRINGS},
}

KIND = Kind(
    "claim", claims.evaluate, slots=("trigger", "require"),
    properties={
        "trigger": PATTERN, "require": PATTERN, "require_within": REQUIRE_WITHIN,
        "claims": {"type": "array", "items": CLAIM, "minItems": 1},
        # reuse that category's claims (the schema narrows it to the known categories)
        "claims_of": {"type": "string"},
        "attribution": ATTRIBUTION,  # a claim attributed to a named source is cited
        "stance": {"anyOf": [{"enum": list(STANCES)},
                             {"type": "array", "items": {"enum": list(STANCES)},
                              "minItems": 1}]},
    },
    required={"anyOf": [{"required": ["claims"]}, {"required": ["claims_of"]},
                        {"required": ["trigger"]}]},
    scaffold={"claims": [{"subject": ["TODO subject"], "relation": ["TODO verb"],
                          "object": ["TODO object"]}]})
