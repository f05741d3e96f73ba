"""Text as people write it: a view of a draft for analysis with every offset unchanged.

Font generators write names and words in "styled" letters (MATHEMATICAL BOLD, full-width
forms) that spaCy, Presidio and the lexicons do not read as letters; typographic apostrophes
and quotes split "Jim’s" differently from "Jim's". ``fold`` replaces each such character with
its plain form when that form is ONE character (NFKC compatibility), so the view has the
same length as the text and every position found in it is the position in the file: no
offset map is needed. Characters whose plain form is longer (ligatures such as "ﬁ") or that
carry no letter are left alone; zero-width characters become spaces (a word joined by one
is two words, and the offset is kept). An HTML character reference ("&amp;", "&#39;"),
which a Markdown or HTML page shows as its character and which X and scheduler exports leave
escaped in plain text, becomes that character after spaces to its length (before it, so
"it&#39;s" keeps "'s" whole): "wear a mask &amp; stay apart" parses as "... & stay apart".
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Typographic quotes and apostrophes folded to their ASCII form (not NFKC: it keeps them).
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
          "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u2033": '"'}
# Zero-width space, non-joiner, word joiner and BOM. (The zero-width JOINER, U+200D, is part
# of an emoji sequence and goes with the pictographs below.)
ZERO_WIDTH = {"\u200b", "\u200c", "\u2060", "\ufeff"}


@lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    if char in QUOTES:
        return QUOTES[char]
    if char in ZERO_WIDTH:
        return " "
    if char.isascii():
        return char
    # Only letters and digits written in another font (<font>: mathematical bold, italic,
    # script...; <wide>: full-width): NFKC also rewrites characters whose meaning a linter
    # should keep (superscripts "m²", fractions, "µ").
    if not unicodedata.decomposition(char).startswith(("<font>", "<wide>")):
        return char
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() and folded.isalnum() else char


# Emoji modifiers and joiners that only shape a pictograph.
EMOJI_PARTS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}


def _pictograph(char: str) -> bool:
    """An emoji or other pictographic symbol. One glued to the word after it is a bullet or a
    divider ("you should 🟢wear a mask"): the view reads it as a space so the word is a word.
    One standing apart is left, since the parser reads it as the end of a sentence."""
    if char in EMOJI_PARTS:
        return True
    category = unicodedata.category(char)
    return category == "So" or (category == "Sk" and 0x1F3FB <= ord(char) <= 0x1F3FF)


CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescaped(text: str) -> str:
    """Character references read as their character, padded with spaces to keep the length."""
    def one(match: re.Match[str]) -> str:
        char = html.unescape(match.group())
        if len(char) != 1 or char == match.group():
            return match.group()  # unknown, or more than one character: left as written
        return _plain(" " if char == "\u00a0" else char).rjust(len(match.group()))

    return CHARACTER_REFERENCE.sub(one, text)


def fold(text: str) -> str:
    """The analysis view of ``text``: same length, styled letters and quotes made plain."""
    if "&" in text:
        text = _unescaped(text)
    if text.isascii():
        return text
    chars = [_plain(c) for c in text]
    glued = False  # the character after this one (emoji parts skipped) is a letter or digit
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if _pictograph(char):
            if glued:
                chars[i] = " "
            continue  # the emoji's own modifiers and joiners keep the word after it in view
        glued = char.isalnum()
    return "".join(chars)
