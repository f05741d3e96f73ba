"""Schema errors in the schema's words: where and what was expected, never the value.

jsonschema's own messages quote the offending instance ("'Marisol Ventura' is not one of
..."); in a consent registry that value may be a patient's name or record number.
"""

from __future__ import annotations

import difflib
from typing import Any


def describe_problem(problem: Any, echo_keys: bool = True) -> tuple[str, list[Any]]:
    """(where: what is wrong, the extra path step where it stands) for a jsonschema error."""
    message, at = _schema_problem(problem, echo_keys)
    where = json_path(list(problem.absolute_path)) or "top level"
    return f"{where}: {message}", at


def json_path(path: list[Any]) -> str:
    """``consents[2].status``: keys and indexes only, both from the file's structure."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}" if out else str(step)
    return out


def _schema_problem(problem: Any, echo_keys: bool) -> tuple[str, list[Any]]:
    """What is wrong, in the schema's words, and the extra path step where it stands."""
    kind, expected = problem.validator, problem.validator_value
    if "propertyNames" in problem.absolute_schema_path:  # a key not in the allowed list
        key = problem.instance
        allowed = expected if kind == "enum" else []
        return _unknown_key(key, allowed, echo_keys), [key]
    if kind == "additionalProperties" and isinstance(problem.instance, dict):
        known = problem.schema.get("properties", {})
        extra = [k for k in problem.instance if k not in known]
        key = extra[0] if extra else None
        return _unknown_key(key, list(known), echo_keys), [key] if extra else []
    if kind == "required" and isinstance(problem.instance, dict):
        missing = [k for k in expected if k not in problem.instance]
        return f"missing required key {', '.join(map(str, missing or expected))}", []
    return _expected(kind, expected), []


def _unknown_key(key: Any, allowed: list[Any], echo_keys: bool) -> str:
    named = f"unknown key {key!r}" if echo_keys and isinstance(key, str) else "unknown key"
    close = difflib.get_close_matches(str(key), [str(a) for a in allowed], n=1)
    if close:
        return f"{named} (did you mean {close[0]}?)"
    return f"{named} (allowed: {', '.join(map(str, allowed))})" if allowed else named


_TYPES = {"string": "text", "integer": "a whole number", "number": "a number",
          "boolean": "true or false", "array": "a list", "object": "a mapping of keys",
          "null": "empty"}


def _expected(kind: str, expected: Any) -> str:
    """A schema keyword and its value (the schema's, not the file's) as a requirement."""
    if kind in ("type", "enum", "const", "anyOf", "oneOf"):
        return f"must be {_describe({kind: expected})}"
    bounds = {"minLength": "at least {} characters long", "maxLength": "at most {} characters",
              "minimum": "at least {}", "maximum": "at most {}",
              "exclusiveMinimum": "more than {}", "exclusiveMaximum": "less than {}",
              "minItems": "a list of at least {} items", "maxItems": "a list of at most {} items",
              "minProperties": "a mapping of at least {} keys",
              "maxProperties": "a mapping of at most {} keys",
              "pattern": "text matching the pattern {}", "format": "a valid {}"}
    if kind == "minLength" and expected == 1:
        return "must not be empty"
    if kind in bounds:
        return "must be " + bounds[kind].format(expected)
    if kind == "uniqueItems":
        return "must not list the same item twice"
    return f"is not valid here (schema keyword {kind})"


def _describe(schema: Any) -> str:
    """What a (sub)schema accepts, in words: "text or a list", "one of signed, revoked"."""
    if not isinstance(schema, dict):
        return "a valid value"
    for choice in ("anyOf", "oneOf"):
        if choice in schema:
            return " or ".join(dict.fromkeys(_describe(s) for s in schema[choice]))
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    kinds = schema.get("type")
    if kinds is None:
        return "a valid value"
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return " or ".join(_TYPES.get(k, k) for k in kinds)
