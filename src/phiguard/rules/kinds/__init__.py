"""The rule kinds, one module each, in an explicit registry (as yamllint's ``_RULES``): adding
a kind is one module and one line here; the engine and the rule-file schema read this."""

from __future__ import annotations

from typing import Any

from . import claim, match, metadata, missing, near
from .base import Kind

KINDS: dict[str, Kind] = {k.name: k for k in (
    match.KIND,
    missing.KIND,
    near.KIND,
    metadata.KIND,
    claim.KIND,
)}


def pattern_slots() -> tuple[str, ...]:
    """Every key that holds a pattern, in the registry's order."""
    return tuple(dict.fromkeys(slot for kind in KINDS.values() for slot in kind.slots))


def properties() -> dict[str, Any]:
    """The rule-file keys the kinds add; two kinds sharing a key must agree on its schema."""
    merged: dict[str, Any] = {}
    for kind in KINDS.values():
        for key, schema in kind.properties.items():
            assert merged.setdefault(key, schema) == schema, f"kinds disagree on {key!r}"
    return merged
