"""Text as people write it: a view of a draft for analysis with every offset unchanged.

Font generators write names and words in "styled" letters (MATHEMATICAL BOLD, full-width
forms) that spaCy, Presidio and the lexicons do not read as letters; typographic apostrophes
and quotes split "Jim’s" differently from "Jim's". ``fold`` replaces each such character with
its plain form when that form is ONE character (NFKC compatibility), so the view has the
same length as the text and every position found in it is the position in the file: no
offset map is needed. Characters whose plain form is longer (ligatures such as "ﬁ") or that
carry no letter are left alone; zero-width characters become spaces (a word joined by one
is two words, and the offset is kept).
"""

from __future__ import annotations

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


def fold(text: str) -> str:
    """The analysis view of ``text``: same length, styled letters and quotes made plain."""
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
