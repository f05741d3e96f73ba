"""Regular expressions from data files (rules, recognizers) are checked before use.

Nested quantifiers such as ``(a+)+`` or ``(\\w+\\s?)*`` are the classic
catastrophic-backtracking shape: neither ``re`` nor ``regex`` (which runs rule and
recognizer patterns) stops a match by default, so one such pattern on a long post could
hang a CI gate. They are refused with the file and line.
"""

from __future__ import annotations

import re

# A group holding + or * that is itself repeated without bound (+, *, {n,}); a small bounded
# repeat such as (?:\w+\s){1,3} costs at most a polynomial and is allowed.
_NESTED_QUANTIFIER = re.compile(
    r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\})")


def backtracking_problem(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically, or None."""
    if _NESTED_QUANTIFIER.search(pattern):
        return (f"regex {pattern!r} nests quantifiers, which can backtrack catastrophically; "
                "rewrite it without (x+)+ shapes")
    return None
