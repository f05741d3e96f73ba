"""kind: metadata - the draft's fields alone (the rule's `when`) decide."""

from __future__ import annotations

from typing import Any

from .base import Hit, Kind


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[Hit]:
    return [((0, 0), [], "")]  # `when` already held (Engine._applies)


KIND = Kind("metadata", evaluate, required={"required": ["when"]},
            scaffold={"when": {"meta": {"TODO_field": True}}})
