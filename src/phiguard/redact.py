"""The one place where published text becomes display text: identifiers never leave in clear."""

from __future__ import annotations

import re
from typing import Any

EXCERPT_RADIUS = 60
_WORD = re.compile(r"\w+")


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
    chars = list(text[left:right])
    if not show_matches:
        for entity in analysis.entities:
            s, e = max(entity.start, left), min(entity.end, right)
            if s < e:
                chars[s - left:e - left] = mask_value(text[s:e])
    out = " ".join("".join(chars).split())
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{out}{suffix}"
