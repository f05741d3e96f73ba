"""Mask what could be an identifier, not only what detection found.

Detection misses names (unusual names, ALL-CAPS wristbands, styled Unicode letters), so an
excerpt masked only at detected entities leaks exactly the identifiers the rules missed. This
module masks by possibility: every word that could be part of a name, every digit, every
handle, e-mail address and URL, except the organization's own configured name and contacts.

A word could be a name when it is capitalised (or written in a script without case) and is
not common English vocabulary, or when it is a given name. Common vocabulary is the English
word-frequency dictionary shipped by pyspellchecker (words seen at least
``COMMON_MIN_COUNT`` times) plus phiguard's own health lexicons; given names come from the
gender-guesser dictionary that name detection already uses. A run of capitalised words that
holds one such word is masked whole ("Hope Castillo", "Jim Baker"): a surname that is also a
common word never stands next to its masked given name.

The mask keeps a word's first character and its length (``J******``, ``#####``) so a reader
can still find the place in the draft; masking never changes the text's length, so one
masked copy of a draft serves every finding in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .vocabulary import COMMON_MIN_COUNT, word_counts

# A given name that is also a very frequent word ("Hope", "Will", "May") is shown in clear
# when capitalised on its own; rarer ones ("Grace", "Jim") are masked.
NAME_WORD_MIN_COUNT = 200_000

_WORD = re.compile(r"\w+")
_CANDIDATE = re.compile(
    r"(?P<url>\b(?:https?://|www\.)\S+)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<handle>[@#]\w+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<digits>\d+)")
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")
_RUN_GAP = re.compile(r"[ \t]*(?:[,.][ \t]*)?|[ \t]*-[ \t]*")


def mask_value(value: str) -> str:
    """Keep each word's first letter and the punctuation; hide the other letters and every
    digit."""
    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        if any(ch.isdigit() for ch in w):
            return "#" * len(w)
        return w[0] + "*" * (len(w) - 1) if len(w) > 1 else "*"  # an initial is hidden whole
    return _WORD.sub(word, value)



@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Given names, including those that are also ordinary words."""
    from .analysis.namewords import COMMON_WORD_NAMES, given_names

    return given_names() | frozenset(COMMON_WORD_NAMES)


def _fold(word: str) -> str:
    from .analysis.namewords import fold

    return fold(word.replace("’", "'"))


class Masker:
    """Masks a draft's text once; every finding's excerpt is cut from the masked copy."""

    def __init__(self, lexicon_words: Iterable[str] = (), org: dict[str, Any] | None = None
                 ) -> None:
        self.lexicon_words = frozenset(_fold(w) for w in lexicon_words)
        org = org or {}
        terms = [org.get("name"), *org.get("phones", []), *org.get("emails", []),
                 *org.get("domains", []), *org.get("addresses", [])]
        self.org_terms = sorted({str(t).strip().lower() for t in terms if t and str(t).strip()},
                                key=len, reverse=True)

    def mask(self, text: str, identifier_spans: Iterable[tuple[int, int]] = ()) -> str:
        """``text`` with every possible identifier masked; the same length as ``text``."""
        kept = self._org_ranges(text)
        spans = sorted(span for span in [*identifier_spans, *self._candidates(text)]
                       if not _covered(kept, *span))
        chars = list(text)
        for start, end in _merged(spans):
            chars[start:end] = mask_value(text[start:end])
        return "".join(chars)

    def could_be_name(self, word: str) -> bool:
        """Whether a capitalised word on its own could be part of a person's name."""
        return self._word_is_risky(word, _is_capitalised(word), "", 0)

    def name_like_words(self, text: str) -> list[tuple[int, int]]:
        """Words (not numbers, links or addresses) that could be part of a name."""
        return [(m.start(), m.end()) for m in _CANDIDATE.finditer(text)
                if m.lastgroup == "word" and _is_capitalised(m.group(0))
                and self._word_is_risky(m.group(0), True, text, m.end())]

    # -- what could be an identifier -------------------------------------------------------

    def _candidates(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        words: list[tuple[int, int, bool, bool]] = []  # start, end, capitalised, name-like
        for match in _CANDIDATE.finditer(text):
            kind = match.lastgroup
            start, end = match.span()
            if kind == "word":
                value = match.group(0)
                capitalised = _is_capitalised(value)
                risky = self._word_is_risky(value, capitalised, text, end)
                words.append((start, end, capitalised, risky))
                if risky:
                    spans.append((start, end))
            elif kind == "handle" and match.group(0).startswith("#"):
                spans.extend(self._hashtag_parts(match.group(0), start))
            else:  # URLs, e-mail addresses, @handles, numbers
                spans.append((start, end))
        spans.extend(self._name_runs(text, words))
        return spans

    def _word_is_risky(self, word: str, capitalised: bool, text: str, end: int) -> bool:
        if unicodedata.normalize("NFKC", word) != word or _caseless(word):
            return True  # styled letters from a font generator, or a script without case
        key = _fold(word)
        count = word_counts().get(key, 0)
        if len(word) == 1:
            # An initial ("T. Nguyen"); "I" and "a" are words.
            return word.isupper() and text[end:end + 1] == "." and word not in ("A", "I")
        if key in self.lexicon_words:
            return False
        if key in name_words():
            return (capitalised and count < NAME_WORD_MIN_COUNT) or (
                not capitalised and count < COMMON_MIN_COUNT)
        if capitalised:
            return count < COMMON_MIN_COUNT
        return count == 0

    def _hashtag_parts(self, tag: str, start: int) -> list[tuple[int, int]]:
        """#NursesWeek: each camel-case part judged as a word; #pemberlystrong as one."""
        body = tag[1:]
        parts = list(_CAMEL_PART.finditer(body))
        if len(parts) <= 1:
            risky = self._word_is_risky(body, _is_capitalised(body), "", 0) or body.isdigit()
            return [(start + 1, start + len(tag))] if risky else []
        out = []
        for part in parts:
            value = part.group(0)
            if value.isdigit() or self._word_is_risky(value, _is_capitalised(value), "", 0):
                out.append((start + 1 + part.start(), start + 1 + part.end()))
        return out

    @staticmethod
    def _name_runs(text: str, words: list[tuple[int, int, bool, bool]]
                   ) -> list[tuple[int, int]]:
        """Capitalised words next to a masked capitalised word are part of the same name."""
        spans: list[tuple[int, int]] = []
        run: list[tuple[int, int, bool, bool]] = []

        def close() -> None:
            if len(run) > 1 and any(risky for *_, risky in run):
                spans.extend((s, e) for s, e, *_ in run)

        for word in words:
            start, _, capitalised, _ = word
            joined = bool(run) and _RUN_GAP.fullmatch(text[run[-1][1]:start]) is not None
            if capitalised and joined:
                run.append(word)
                continue
            close()
            run = [word] if capitalised else []
        close()
        return spans

    def _org_ranges(self, text: str) -> list[tuple[int, int]]:
        lowered = text.lower()
        ranges = []
        for term in self.org_terms:
            at = lowered.find(term)
            while at != -1:
                ranges.append((at, at + len(term)))
                at = lowered.find(term, at + len(term))
        return ranges


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined, so each character is masked once."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _covered(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(lo <= start and end <= hi for lo, hi in ranges)


def _is_capitalised(word: str) -> bool:
    return any(ch.isupper() for ch in word)


def _caseless(word: str) -> bool:
    """Letters of a script without upper and lower case (Han, Arabic, Devanagari...)."""
    return any(ch.isalpha() and not ch.isupper() and not ch.islower() for ch in word)
