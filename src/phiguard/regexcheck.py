"""Regular expressions from data files (rules, recognizers): checked before use, and bounded
in time when they run.

A backtracking engine (``re``, and ``regex`` which runs rule and recognizer patterns) can
take exponential or high-polynomial time on a pattern that can match the same text in many
ways. Three shapes are recognised and refused with the file and line:

- nested quantifiers: ``(a+)+``, ``(\\w+\\s?)*``;
- alternatives that can match the same text under a quantifier: ``(a|aa)+``, ``(a|a)*``,
  ``([a-z]|[a-c])+``;
- quantified atoms that can match the same characters, side by side: ``\\w*\\w*\\d``,
  ``\\d+\\s*\\d+`` (``\\s*`` may match nothing).

No static check finds every slow pattern, so every match also runs with ``timeout=`` (see
``REGEX_TIMEOUT_SECONDS``); a timeout is an error for the draft, never a silent miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from .models import PhiguardError

# Seconds one search of one pattern over one draft may take, as `regex` counts them (measured:
# it stops about 4.5x later by the wall clock). A sound pattern needs milliseconds on the
# longest draft allowed (max_draft_chars).
REGEX_TIMEOUT_SECONDS = 0.5

# A group holding + or * that is itself repeated without bound (+, *, {n,}); a small bounded
# repeat such as (?:\w+\s){1,3} costs at most a polynomial and is allowed.
_NESTED_QUANTIFIER = re.compile(
    r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\})")
_MANY = 16  # a repeat of at least this many counts as unbounded (x{1,1000} is as slow)
# Characters standing for the alphabet when comparing sets: ASCII and a few of each class.
_SAMPLE = [chr(c) for c in range(128)] + list("éßΣжى٣०😀\u00a0\u2028_")


class RegexTimeout(PhiguardError):
    """A pattern took longer than REGEX_TIMEOUT_SECONDS on one draft."""


def backtracking_problem(pattern: str, ignore_case: bool = True) -> str | None:
    """Why ``pattern`` may backtrack catastrophically, or None."""
    if _NESTED_QUANTIFIER.search(pattern):
        return (f"regex {pattern!r} nests quantifiers, which can backtrack catastrophically; "
                "rewrite it without (x+)+ shapes")
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, ImportError, RecursionError, OverflowError):
        return None  # `regex`-only syntax: the timeout still bounds it
    shapes = _Shapes(ignore_case)
    shape = shapes.problem(list(tree)) or shapes.alternation_problem(pattern)
    if shape:
        return (f"regex {pattern!r} {shape}, which can backtrack catastrophically; make the "
                "alternatives or the neighbouring repeats unable to match the same text")
    return None


class _Shapes:
    """Walks ``re``'s parse tree for the shapes named in the module docstring."""

    def __init__(self, ignore_case: bool) -> None:
        from re import _constants as c  # type: ignore[attr-defined]

        self.c = c
        self.ignore_case = ignore_case
        self.repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)}

    def problem(self, seq: list[Any]) -> str | None:
        c = self.c
        for i, (op, av) in enumerate(seq):
            if op in self.repeats and (av[1] == c.MAXREPEAT or av[1] >= _MANY):
                found = self._overlapping_neighbours(seq, i)
                if found:
                    return found
            for child in self._children(op, av):
                found = self.problem(child)
                if found:
                    return found
        return None

    def _children(self, op: Any, av: Any) -> Iterator[list[Any]]:
        c = self.c
        if op in self.repeats:
            yield list(av[2])
        elif op == c.SUBPATTERN:
            yield list(av[3])
        elif op == c.BRANCH:
            yield from (list(alt) for alt in av[1])
        elif op in (c.ASSERT, c.ASSERT_NOT):
            yield list(av[1])
        elif op == getattr(c, "ATOMIC_GROUP", None):
            yield list(av)

    def alternation_problem(self, pattern: str) -> str | None:
        """A group of alternatives, repeated without bound, two of which can match alike. Read
        from the text: re's parser merges ``(a|aa)`` into ``a(?:|a)`` and ``([a-z]|[a-c])``
        into one set, which hides the choice."""
        for alternatives in _repeated_alternations(pattern):
            try:
                from re import _parser  # type: ignore[attr-defined]

                parsed = [list(_parser.parse(alt)) for alt in alternatives]
            except (re.error, ImportError, RecursionError, OverflowError):
                continue
            for i, first in enumerate(parsed):
                for second in parsed[i + 1:]:
                    if self._may_match_alike(first, second):
                        return "repeats alternatives that can match the same text"
        return None

    def _may_match_alike(self, first: list[Any], second: list[Any]) -> bool:
        """False only when the two provably part ways: at some position of their fixed-width
        starts they need different characters."""
        a, b = self._prefix(first), self._prefix(second)
        if not a or not b:  # an empty (or unanalysable) start: assume the worst
            return True
        return all(x & y for x, y in zip(a, b, strict=False))

    def _prefix(self, seq: list[Any]) -> list[frozenset[str]]:
        """Character sets of the leading single-character items, up to the first other one."""
        sets = []
        for op, av in seq:
            chars = self._chars(op, av)
            if chars is None:
                break
            sets.append(chars)
        return sets

    def _overlapping_neighbours(self, seq: list[Any], i: int) -> str | None:
        """Three or more unbounded repeats in a row (past items that may match nothing) that
        can all match one character: every split of a run between them is tried, n^3 and up.
        Two are common in sound patterns (``\\s*:?\\s*``) and left to the timeout."""
        common = self._repeated_chars(seq[i])
        if not common:
            return None
        chain = 1
        for op, av in seq[i + 1:]:
            theirs = self._repeated_chars((op, av))
            if theirs and common & theirs and self._unbounded(op, av):
                common &= theirs
                chain += 1
                if chain >= 3:
                    return "puts repeats that can match the same characters side by side"
            elif not self._nullable(op, av):
                return None
        return None

    def _unbounded(self, op: Any, av: Any) -> bool:
        return op in self.repeats and (av[1] == self.c.MAXREPEAT or av[1] >= _MANY)

    def _repeated_chars(self, item: tuple[Any, Any]) -> frozenset[str] | None:
        op, av = item
        if op not in self.repeats:
            return None
        body = list(av[2])
        while len(body) == 1 and body[0][0] == self.c.SUBPATTERN:
            body = list(body[0][1][3])
        return self._chars(*body[0]) if len(body) == 1 else None

    def _nullable(self, op: Any, av: Any) -> bool:
        c = self.c
        if op in self.repeats:
            minimum: int = av[0]
            return minimum == 0
        return op in (c.AT, c.ASSERT, c.ASSERT_NOT)

    def _chars(self, op: Any, av: Any) -> frozenset[str] | None:
        """The sample characters one single-character item matches (None: not one)."""
        c = self.c
        if op == c.LITERAL:
            return self._fold({chr(av)})
        if op == c.NOT_LITERAL:
            return frozenset(_SAMPLE) - self._fold({chr(av)})
        if op == c.ANY:
            return frozenset(_SAMPLE) - {"\n"}
        if op == c.IN:
            return self._set(av)
        return None

    def _set(self, items: list[Any]) -> frozenset[str]:
        c = self.c
        negate = False
        chars: set[str] = set()
        for op, av in items:
            if op == c.NEGATE:
                negate = True
            elif op == c.LITERAL:
                chars |= self._fold({chr(av)})
            elif op == c.RANGE:
                lo, hi = av
                chars |= self._fold({ch for ch in _SAMPLE if lo <= ord(ch) <= hi})
            elif op == c.CATEGORY:
                chars |= {ch for ch in _SAMPLE if _in_category(str(av), ch)}
            else:  # something this check does not model: assume it matches anything
                chars |= set(_SAMPLE)
        return frozenset(_SAMPLE) - chars if negate else frozenset(chars)

    def _fold(self, chars: set[str]) -> frozenset[str]:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(chars | {ch.lower() for ch in chars} | {ch.upper() for ch in chars})


def _repeated_alternations(pattern: str) -> Iterator[list[str]]:
    """The top-level alternatives of each group followed by an unbounded quantifier."""
    stack: list[tuple[int, list[int]]] = []  # (group start, positions of its top-level "|")
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or pattern[i - 1] == "["
        elif ch == "[":
            in_class = True
        elif ch == "(":
            stack.append((i, []))
        elif ch == "|" and stack:
            stack[-1][1].append(i)
        elif ch == ")" and stack:
            start, bars = stack.pop()
            if bars and _UNBOUNDED_AFTER.match(pattern, i + 1):
                body_start = start + 1
                if pattern.startswith("?", body_start):  # (?:  (?P<name>  (?i:
                    head = re.match(r"\?(?:P<\w+>|<\w+>|[\w-]*:)", pattern[body_start:])
                    body_start += head.end() if head else 0
                cuts = [body_start - 1, *bars, i]
                yield [pattern[a + 1:b] for a, b in pairwise(cuts)]
        i += 1


_UNBOUNDED_AFTER = re.compile(r"[+*]|\{\d*,\}|\{\d*,(?:1[6-9]|[2-9]\d|\d{3,})\}")


def _in_category(name: str, ch: str) -> bool:
    test = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
            "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w",
            "CATEGORY_NOT_WORD": r"\W"}.get(name.upper())
    return True if test is None else re.fullmatch(test, ch) is not None


def timed_finditer(compiled: Any, text: str, what: str) -> Iterator[Any]:
    """``compiled.finditer`` (a `regex` pattern) bounded by REGEX_TIMEOUT_SECONDS; a timeout
    is a RegexTimeout saying ``what`` pattern it was (the draft is named by the caller)."""
    try:
        yield from compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS)
    except TimeoutError:
        raise RegexTimeout(timeout_message(what)) from None


def timed_search(compiled: Any, text: str, what: str) -> Any:
    try:
        return compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS)
    except TimeoutError:
        raise RegexTimeout(timeout_message(what)) from None


def timeout_message(what: str) -> str:
    return (f"{what} ran past its time limit on this draft, which was not checked: the "
            "pattern backtracks too much on it (rewrite the pattern, or the draft)")
