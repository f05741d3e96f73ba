"""kind: metadata - the draft's fields alone (the rule's `when`) decide."""

from __future__ import annotations

from typing import Any

from .base import Hit, Kind


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[Hit]:
    # `when` already held (Engine._applies); an `unless` pattern (window: draft) can still
    # cancel it: "no faces visible" in the alt text of an image marked as showing a patient
    if engine._unless(compiled, analysis, (0, 0)):
        return []
    return [((0, 0), [], "")]


KIND = Kind("metadata", evaluate, required={"required": ["when"]},
            scaffold={"when": {"meta": {"TODO_field": True}}})
