"""Validation of Presidio YAML recognizer files, reporting file and line."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import RecognizerError
from ..regexcheck import backtracking_problem
from ..yamlpos import node_line

SCHEMA = {
    "type": "object",
    "required": ["recognizers"],
    "properties": {
        "recognizers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "supported_entity"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "supported_entity": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
                    "supported_language": {"const": "en"},
                    "patterns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "regex", "score"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string"},
                                "regex": {"type": "string"},
                                "score": {"type": "number", "minimum": 0, "maximum": 1},
                            },
                        },
                    },
                    "deny_list": {"type": "array", "items": {"type": "string"}},
                    "deny_list_score": {"type": "number"},
                    "context": {"type": "array", "items": {"type": "string"}},
                    "description": {"type": "string"},
                },
            },
        }
    },
}


def check_regexes(data: Any, node: yaml.Node | None, shown: str) -> list[dict[str, Any]]:
    """Presidio compiles patterns late; compile them now to report the file and line."""
    for i, spec in enumerate(data["recognizers"]):
        for j, pattern in enumerate(spec.get("patterns", [])):
            path = ["recognizers", i, "patterns", j, "regex"]
            try:
                re.compile(pattern["regex"])
            except re.error as exc:
                raise RecognizerError(f"bad regex in {spec['name']!r}: {exc}", shown,
                                      node_line(node, path)) from None
            problem = backtracking_problem(pattern["regex"])
            if problem:
                raise RecognizerError(problem, shown, node_line(node, path))
    return list(data["recognizers"])
