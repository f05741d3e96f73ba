"""Loading the spaCy pipeline: from an installed package or folder, never from the network."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..models import PhiguardError

# Words and symbols one draft (or one chunk of a longer text) may have. A post at the longest
# any platform accepts (about 63,000 characters of prose) has some 15,000; a degenerate one
# ("1-1-1-...", emoji) has one per character, and spaCy's model costs more than linear time
# per token on it: minutes for 100,000.
MAX_DRAFT_TOKENS = 30_000
# Characters in one run without a space. spaCy splits a run's affixes one at a time, copying
# the rest each time: quadratic (32,000 emoji in a row: 10 s; 100,000: minutes). The longest
# web address a post carries is a few hundred characters.
MAX_WORD_CHARS = 1_000
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS + 1}}}")
# spaCy searches a word's suffix with a regex anchored at its end, which scans the whole word:
# quadratic on a long run of affixes (50,000 emoji without a space: hours). Suffixes are short,
# so only the word's last characters are searched (a suffix longer than this, such as 200 dots
# in a row, is split into pieces of at most this length).
SUFFIX_WINDOW = 100


class ModelError(PhiguardError):
    """The configured spaCy model cannot be used."""


class TooManyTokens(PhiguardError):
    """A text with more tokens than MAX_DRAFT_TOKENS: refused before the model runs."""


class _Shifted:
    """A match found in a word's tail, with offsets in the whole word."""

    def __init__(self, match: Any, offset: int) -> None:
        self._match = match
        self._offset = offset

    def start(self, group: int = 0) -> int:
        return self._match.start(group) + self._offset

    def end(self, group: int = 0) -> int:
        return self._match.end(group) + self._offset

    def group(self, group: int = 0) -> str:
        return self._match.group(group)


def tail_suffix_search(search: Any, window: int = SUFFIX_WINDOW) -> Any:
    """``search`` run on the last ``window`` characters only (see SUFFIX_WINDOW)."""

    def suffix_search(string: str) -> Any:
        if len(string) <= window:
            return search(string)
        match = search(string[-window:])
        return None if match is None else _Shifted(match, len(string) - window)

    return suffix_search


class BoundedTokenizer:
    """The pipeline's tokenizer, refusing a text of more than ``limit`` tokens (everything
    else, such as the special cases patterns.py reads, is the wrapped tokenizer's)."""

    def __init__(self, tokenizer: Any, limit: int) -> None:
        self.tokenizer = tokenizer
        self.limit = limit

    def __call__(self, text: str) -> Any:
        if _LONG_RUN.search(text):
            raise TooManyTokens(f"draft has a run of more than {MAX_WORD_CHARS} characters "
                                "without a space: it was not checked (no word or address is "
                                "that long; such text takes the language model minutes)")
        doc = self.tokenizer(text)
        if len(doc) > self.limit:
            raise TooManyTokens(f"draft has too many words and symbols ({len(doc)}; the limit "
                                f"is {self.limit}): it was not checked; split it into posts "
                                "of the length a platform accepts")
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def bound_pipeline(nlp: Any) -> Any:
    """Linear tokenizing, and a bounded number of tokens per text (module constants)."""
    tokenizer = nlp.tokenizer
    if getattr(tokenizer, "suffix_search", None) is not None:
        tokenizer.suffix_search = tail_suffix_search(tokenizer.suffix_search)
    nlp.tokenizer = BoundedTokenizer(tokenizer, MAX_DRAFT_TOKENS)
    return nlp


def load_pipeline(model: str, config_path: str | None = None) -> Any:
    import spacy  # heavy: only when a run really analyses text

    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise ModelError(
            f"spaCy model {model!r} is not installed; install it as a package or set `model:` "
            "in the configuration (phiguard never downloads models)", config_path)
    try:
        return bound_pipeline(spacy.load(model))
    except Exception as exc:  # spaCy raises OSError/ValueError/ImportError/catalogue errors
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}".splitlines()[0],
                         config_path) from None
