"""Common English vocabulary: which words are ordinary words, not possibly names.

The counts are pyspellchecker's English word-frequency dictionary (a maintained package), read
once from disk. Masking (what could be a name in an excerpt) and name detection (a word where a
greeting expects a name) both read it, so it sits below both.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

# A word seen this often in the frequency list is common vocabulary (its smallest count is 50;
# surnames sit below 500: "peterson" 159, "nguyen" 50, while "platelets" is 658).
COMMON_MIN_COUNT = 500


@lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    """pyspellchecker's English word-frequency dictionary (lower case)."""
    from importlib import resources

    path = resources.files("spellchecker") / "resources" / "en.json.gz"
    with path.open("rb") as handle:
        counts: dict[str, int] = json.loads(gzip.decompress(handle.read()))
    return counts
