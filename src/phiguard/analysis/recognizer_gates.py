"""Which recognizers a text needs run, and how long a recognizer's regex may search.

Most recognizers can find nothing in most drafts. Each has a necessary condition, its gate (a
hand-written regex, or the union of its patterns), and EntityGates asks Presidio only for the
entity types whose gate passes. Every pattern recognizer's regexes, and every gate built from
them, search behind a timeout (regexcheck.py), so a pathological pattern is a one-line error
rather than Presidio's silent miss. This is a module of its own because it is used apart from
building the engine: analysis/core.py applies the gates to every draft, and redact bounds its
own URL recognizer with bound_patterns.
"""

from __future__ import annotations

import re
from typing import Any

# Necessary conditions, checked before an expensive recognizer runs: a draft without a match
# cannot hold what the recognizer finds, so skipping it changes no result. Written by hand for
# these two (cheaper than the union of their patterns); every other plain pattern recognizer
# gets union_gate.
GATES = {
    # A "+" (international numbers can be short), or 7 digits (a US local number) with at
    # most 4 other characters between digits: the matcher accepts up to 4 punctuation marks
    # between groups, or an extension marker ("x").
    "PhoneRecognizer": re.compile(r"[+\uff0b]|\d(?:\D{0,4}\d){6}"),
    # IPv4 has digit.digit; IPv6 has "::" or two hex digits around a colon.
    "IpRecognizer": re.compile(r"\d\.\d|::|[0-9A-Fa-f]:[0-9A-Fa-f]"),
    # Every address anchor holds a digit, but a street corner (addresses.GATE).
    "PostalAddressRecognizer": re.compile(r"\d|corner of", re.IGNORECASE),
}


# Inline flags, backreferences and conditionals depend on a pattern's place and numbering, so
# a pattern holding one is not merged into a union.
_POSITIONAL = re.compile(r"\(\?[aiLmsux-]+\)|\\[1-9]|\\g<|\(\?P=|\(\?\(")


def union_gate(recognizer: Any) -> Any:
    """For a plain pattern recognizer, one regex that matches wherever any of its patterns
    (deny list included) does: a text it misses gives no result, and one search costs less
    than Presidio running each pattern on its own. None when that cannot be guaranteed."""
    import regex
    from presidio_analyzer import PatternRecognizer

    if type(recognizer).analyze is not PatternRecognizer.analyze or not recognizer.patterns:
        return None  # its own analyze may find what no pattern does
    sources = [pattern.regex for pattern in recognizer.patterns]
    if any(_POSITIONAL.search(source) for source in sources):
        return None
    try:
        return regex.compile("|".join(f"(?:{source})" for source in sources),
                             recognizer.global_regex_flags)
    except regex.error:
        return None


def gate(recognizer: Any) -> Any:
    """The recognizer's necessary condition, or None when it must always run."""
    return GATES.get(type(recognizer).__name__) or union_gate(recognizer)


def _what(recognizer: Any) -> str:
    return f"recognizer {recognizer.name} ({', '.join(recognizer.supported_entities)})"


class _TimedRegex:
    """A compiled `regex` pattern whose searches stop after REGEX_TIMEOUT_SECONDS with a
    RegexTimeout. Presidio's own timeout (60 s) logs a warning and drops the pattern's
    results: a silent miss; a RegexTimeout is no TimeoutError, so Presidio lets it through."""

    def __init__(self, compiled: Any, what: str) -> None:
        self.compiled = compiled
        self.what = what

    def finditer(self, text: str, *args: Any, timeout: Any = None, **kwargs: Any) -> Any:
        from ..regexcheck import timed_finditer

        return timed_finditer(self.compiled, text, self.what)

    def search(self, text: str, *args: Any, **kwargs: Any) -> Any:
        from ..regexcheck import timed_search

        return timed_search(self.compiled, text, self.what)


def bound_patterns(recognizer: Any) -> None:
    """Compile a pattern recognizer's patterns now, behind the timeout."""
    import regex

    flags = recognizer.global_regex_flags
    for pattern in getattr(recognizer, "patterns", None) or []:
        pattern.compiled_regex = _TimedRegex(regex.compile(pattern.regex, flags=flags),
                                             f"{_what(recognizer)}, pattern {pattern.name}")
        pattern.compiled_with_flags = flags


class EntityGates:
    """Which entity types a text may hold, by the gates of the recognizers that find them.

    Presidio is then asked for those types only, so a recognizer that cannot find anything
    is not run at all, and neither is the per-recognizer bookkeeping (context, duplicates)
    Presidio does around each one.
    """

    def __init__(self, recognizers: list[Any]) -> None:
        self.always: set[str] = set()
        self.gated: dict[str, list[Any]] = {}
        for recognizer in recognizers:
            condition = gate(recognizer)
            if condition is not None and not isinstance(condition, re.Pattern):
                condition = _TimedRegex(condition, f"{_what(recognizer)}, its patterns' union")
            for entity in recognizer.supported_entities:
                if condition is None:
                    self.always.add(entity)
                else:
                    self.gated.setdefault(entity, []).append(condition)
        for entity in self.always:
            self.gated.pop(entity, None)

    def entities(self, text: str) -> list[str]:
        return sorted(self.always.union(
            entity for entity, conditions in self.gated.items()
            if any(condition.search(text) for condition in conditions)))
