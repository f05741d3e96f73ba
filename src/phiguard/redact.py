"""The one place where published text becomes display text: identifiers never leave in clear."""

from __future__ import annotations

import re
from typing import Any

EXCERPT_RADIUS = 60
_WORD = re.compile(r"\w+")
_LONG_NUMBER = re.compile(r"\d(?:[\d/.\-() ]*\d)?")
LONG_NUMBER_DIGITS = 5


def mask_value(value: str) -> str:
    """Keep each word's first letter and the punctuation; hide letters and all digits."""
    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if any(ch.isdigit() for ch in w):
            return "#" * len(w)
        return w[0] + "*" * (len(w) - 1)
    return _WORD.sub(word, value)


def excerpt(analysis: Any, start: int, end: int, show_matches: bool = False) -> str:
    """The words around a finding on one line, with every detected identifier masked."""
    text = analysis.text
    left = max(analysis.sentence(start)[0], start - EXCERPT_RADIUS)
    right = min(max(analysis.sentence(max(end - 1, start))[1], end), end + EXCERPT_RADIUS)
    left, right = _whole_words(text, left, right)
    chars = list(text[left:right])
    if not show_matches:
        for entity in analysis.entities:
            s, e = max(entity.start, left), min(entity.end, right)
            if s < e:
                chars[s - left:e - left] = mask_value(text[s:e])
        # Long numbers are identifiers more often than not (dates of birth, record, phone
        # and account numbers a recognizer missed): their digits never leave in clear.
        for number in _LONG_NUMBER.finditer(text, left, right):
            if sum(ch.isdigit() for ch in number.group(0)) >= LONG_NUMBER_DIGITS:
                for i in range(number.start(), number.end()):
                    if text[i].isdigit():
                        chars[i - left] = "#"
    out = " ".join("".join(chars).split())
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{out}{suffix}"


def _whole_words(text: str, left: int, right: int) -> tuple[int, int]:
    """Widen a window so it never starts or ends inside a word (no identifier fragments)."""
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right
