"""Name words: which words are given names, places, titles and organization words.

The given-name vocabulary is the dictionary shipped by the gender-guesser package (about
46,000 international first names), the country names come from phonenumbers' locale data;
both are read once, from disk. names.py detects names with these; masking reads them too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "nurse", "baby", "sister", "brother",
              "grandma", "grandpa", "aunt", "uncle", "mister"}
# Given names that are far more often ordinary words in posts.
COMMON_WORD_NAMES = {
    "may", "june", "april", "august", "will", "faith", "hope", "grace", "joy", "mark",
    "art", "rose", "dawn", "summer", "sunny", "patience", "chase", "page", "max", "sky",
    "star", "gene", "guy", "sandy", "holly", "ivy", "iris", "jasmine",
    "cherry", "amber", "autumn", "dale", "drew", "rich", "win", "don", "doc", "care", "happy",
    "hero", "angel", "baby", "king", "queen", "prince", "royal", "major", "young", "early", "long",
    "brave", "strong", "miracle", "merry", "christmas", "easter", "new", "ever", "love", "lucky",
    "sage", "river", "storm", "rain", "snow", "north", "south", "west", "east", "wolf", "bear",
    "fox", "robin", "lily", "daisy", "violet", "heather", "poppy", "sierra", "olive", "ginger",
    "pepper", "honey", "candy", "crystal", "diamond", "ruby", "pearl", "jade", "coral", "amen",
    "mercy", "harmony", "melody", "destiny", "trinity", "genesis", "unity", "liberty", "justice",
    "victory", "precious", "champion", "deacon", "bishop", "pastor", "judge", "hunter", "archer",
    "carter", "cooper", "mason", "taylor", "parker", "walker", "booker", "tanner", "fisher",
    "ranger", "skip", "chip", "buck", "bud", "ace", "jack",
    # calendar words
    "january", "february", "march", "july", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "spring",
    "fall", "winter", "noel", "valentine",
}


def fold(word: str) -> str:
    """Lower case without accents: "Tomás" -> "tomas"."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered  # nothing to decompose (most names: a fast path for start-up)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A word this frequent in English text (pyspellchecker's counts) is read as the word, not as
# one of the given names some country gives: 44 of the list's names, "tell" to "sun".
EVERYDAY_WORD_COUNT = 100_000


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    with path.open(encoding="iso8859-1") as handle:
        for line in handle:
            if line.startswith("#") or len(line) < 30:
                continue
            name = line[3:29].strip()
            if name and " " not in name and "+" not in name and "<" not in name:
                names.add(fold(name))
    from spacy.lang.en.stop_words import STOP_WORDS

    from ..vocabulary import word_counts

    # "The", "Can", "Will" are names somewhere, but in English text they are function words;
    # "Free", "Man", "Way", "Son" are names somewhere too, and among English's most used words.
    counts = word_counts()
    everyday = {n for n in names if counts.get(n, 0) >= EVERYDAY_WORD_COUNT}
    return frozenset(names - COMMON_WORD_NAMES - everyday - {w.lower() for w in STOP_WORDS})


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """English country and territory names, from the locale data phonenumbers ships."""
    return frozenset(fold(names["aa"]) for names in _phonenumbers_locale_data().values()
                     if not names.get("aa", "*").startswith("*"))


def _phonenumbers_locale_data() -> dict[str, dict[str, str]]:
    """phonenumbers' geodata/locale.py, run on its own: importing it the usual way first runs
    its package, which loads every prefix's place names (19 MB, 0.4 s of each start-up)."""
    import importlib.util

    import phonenumbers

    path = Path(phonenumbers.__file__).parent / "geodata" / "locale.py"
    spec = importlib.util.spec_from_file_location("phonenumbers.geodata.locale", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"phonenumbers ships no {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data: dict[str, dict[str, str]] = module.LOCALE_DATA
    return data


def is_place(value: str) -> bool:
    """A country's name ("India", "Georgia's"), which the given-name list also holds."""
    bare = value.strip().removesuffix("'s").removesuffix("’s")
    return fold(bare) in country_names()


def is_given_name(word: str) -> bool:
    return fold(word) in given_names()


ORG_WORDS = {
    "center", "centre", "hospital", "clinic", "clinics", "pharmacy", "medical", "health",
    "healthcare", "street", "st", "avenue", "ave", "road", "regional", "labs", "lab",
    "pediatrics", "dental", "institute", "foundation", "university", "college", "care", "team",
    "program", "unit", "department", "group", "associates", "partners", "inc", "llc", "co",
    "company", "school", "church", "park", "library", "bank", "county", "city", "hall",
    "memorial", "society", "association", "network", "system", "services", "practice", "campus",
    "elementary", "academy", "high", "middle", "club", "league", "fund", "council", "ministry",
}
# Words that introduce a person rather than start a proper name: "Patient Carl Dorsey".
ROLE_NOUNS = {"patient", "resident", "client", "member", "survivor", "donor", "volunteer",
              "mom", "dad", "grandma", "grandpa", "nana", "papa", "welcome", "congratulations",
              "congrats", "meet", "thanks", "happy", "dear", "hi", "hello", "hey", "miss", "little"}
# Titles that introduce a name: "State Senator Dana Whitfield", "Coach Benitez".
TITLES = {"senator", "sen", "rep", "representative", "governor", "gov", "mayor", "judge", "coach",
          "nurse", "doctor", "director", "president", "chief", "officer", "captain", "sergeant",
          "professor", "prof", "pastor", "rev", "reverend", "councilmember", "commissioner",
          "secretary", "superintendent", "sheriff", "chaplain", "dean", "principal", "minister",
          "councilman", "councilwoman", "congressman", "congresswoman", "alderman",
          "premier", "pope", "prince", "princess", "king", "queen", "sir", "dame", "lord", "lady",
          "shri", "sri"}
PLACE_PREFIXES = {"st", "saint", "san", "santa", "mount", "mt", "lake", "fort", "port"}


def _org_like(span: Any) -> bool:
    """Part of an organization's or a place's name: "St. Aurelia Medical", "Hollis Street"."""
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    inside = {t.lower_.rstrip(".") for t in span}
    return bool(
        inside & ORG_WORDS
        or (following is not None and following.is_title
            and following.lower_.rstrip(".") in ORG_WORDS)
        or (following is not None and following.lower_ in ("team", "program", "unit"))
        or (before is not None and before.lower_.rstrip(".") in PLACE_PREFIXES)
        or any(t.lower_.rstrip(".") in PLACE_PREFIXES and t.is_title for t in span[:1]))


# Named-entity labels of proper names a capitalised word can be part of.
NAME_LABELS = frozenset({"ORG", "FAC", "GPE", "LOC", "PERSON", "WORK_OF_ART", "EVENT"})


def entity_of(token: Any) -> Any:
    """The named entity (a Span) the token is inside, if any."""
    if not token.ent_type_:
        return None
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


def enclosing_name(token: Any) -> Any:
    """The multi-word proper name a capitalised word is inside, if any: such a word is part of
    the name, not a word of its own ("Health" in "Kestrel Bay Health clinic", "Cancer" in
    "the National Cancer Institute")."""
    if not token.is_title or token.ent_type_ not in NAME_LABELS:
        return None
    entity = entity_of(token)
    return entity if entity is not None and len(entity) > 1 else None
