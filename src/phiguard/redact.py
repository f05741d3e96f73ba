"""The one place where published text becomes display text: identifiers never leave in clear.

An excerpt is cut from the draft's masked copy (``masking.Masker``), made once per draft, so
every finding shows the same words masked the same way.
"""

from __future__ import annotations

from typing import Any

EXCERPT_RADIUS = 60
MAX_WIDEN = 40


def excerpt(analysis: Any, start: int, end: int, display: str) -> str:
    """The words around a finding on one line, cut from ``display``: the draft's masked copy
    (or its clear text when the user asked for matches), the same length as its text."""
    text = analysis.text
    left = max(analysis.sentence(start)[0], start - EXCERPT_RADIUS)
    right = min(max(analysis.sentence(max(end - 1, start))[1], end), end + EXCERPT_RADIUS)
    left, right = _whole_words(text, left, right)
    out = " ".join(_printable(display[left:right]).split())
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{out}{suffix}"


def _printable(text: str) -> str:
    """Control characters (a NUL, an escape sequence) never reach a terminal or a report."""
    return "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)


def _whole_words(text: str, left: int, right: int) -> tuple[int, int]:
    """Widen a window so it does not start or end inside a word, up to ``MAX_WIDEN``
    characters: the excerpt is masked, so a cut word shows nothing more."""
    floor, ceiling = max(left - MAX_WIDEN, 0), min(right + MAX_WIDEN, len(text))
    while left > floor and not text[left - 1].isspace():
        left -= 1
    while right < ceiling and not text[right].isspace():
        right += 1
    return left, right
