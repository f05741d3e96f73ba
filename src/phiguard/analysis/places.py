"""Places a person's own words tie to them, for `phiguard redact`: where they live, grew up,
come from, moved or flew to ("grew up in KNIVSTA", "I'm in Miami", "my hometown Laax").

spaCy's small model tags a town as a place only when it knows the name (seldom for a small
town, never in capitals), and redact keeps a town with no person in its sentence: a clinic's
own town, a news place. After these phrases the town is the person's, whoever writes, so it
is found here as PERSONAL_PLACE and removed. Countries and US states stay (Safe Harbor keeps
them). No rule names PERSONAL_PLACE: `check` is unchanged by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import regex

from .addressparts import CALENDAR, PARTICLE, countries, is_common
from .names import fold

_L = r"\p{L}\p{M}∆"
# What ties a place to a person: "lives in", "grew up in", "moved here from", "originally
# from", "flew to", "I'm in", "born in", "hometown". (Not "based in", "arrived at", "located
# in": organizations and visits of public figures are said so.)
CUE = regex.compile(
    r"\b(?i:(?:lives?|lived|living|resides?|resided|residing|grew\s+up|raised|born|"
    r"moved|moving|relocated|relocating|flew|flown|flying|travell?(?:ed|ing)|hails?|"
    r"originally|i'?m|i\s+am|i\s+was|stay(?:s|ed|ing)?)"
    r"(?:\s+(?:here|there|back|up|now|currently|originally|all\s+the\s+way|away)){0,2}"
    r"\s+(?:in|to|from|near|at)|home\s*town|home\s+city|native\s+of)\s*[:,]?\s+")
# A town: capitalised or written in capitals or in a script without case, up to four words
# with particles ("Reguengos de Monsaraz", "PORT O' WARREN"); or one lower-case word that is
# no common English word ("lives in harburg").
WORD = rf"(?:[\p{{Lu}}∆][{_L}'’-]*+|\p{{Lo}}[{_L}]*+)"
TOWN = regex.compile(
    rf"{WORD}(?:[ \t]+(?:{WORD}|{PARTICLE}(?=[ \t]+[\p{{Lu}}∆])|O'|\d{{1,2}}\b)){{0,3}}"
    rf"|\p{{Ll}}[{_L}'’-]++(?![ \t]+\p{{Lu}})")
US_STATES = frozenset({
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
    "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
    "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire",
    "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio",
    "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota",
    "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west virginia",
    "wisconsin", "wyoming", "district of columbia", "puerto rico", "guam"})
# Words that make the run a place of care, an institution or a state of being rather than a
# town ("moved to NICU", "I'm in Chemo", "lives in fear").
NOT_TOWN = frozenset({
    "hospital", "clinic", "center", "centre", "hospice", "rehab", "care", "home", "school",
    "college", "university", "church", "office", "unit", "ward", "room", "house", "prison",
    "jail", "shelter", "icu", "nicu", "picu", "ccu", "pacu", "er", "ed", "or", "surgery",
    "chemo", "chemotherapy", "dialysis", "oncology", "cardiology", "radiology", "neurology",
    "pediatrics", "maternity", "labor", "delivery", "triage", "isolation", "quarantine",
    "remission", "recovery", "treatment", "therapy", "love", "pain", "shock", "tears", "town",
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that"})


def is_state_or_country(value: str) -> bool:
    """A US state or a country ("Texas", "the Netherlands", "England's"): Safe Harbor keeps
    them."""
    key = fold(value).strip(" .").removesuffix("'s").removesuffix("’s")
    return key in US_STATES or key in countries() or key.removeprefix("the ") in countries()


def _is_town(words: list[str], tagged: bool) -> bool:
    """A town's name, not a state of being ("I'm in Love") or a place of care ("moved to
    Hospice"): a word that is no common English word, one in capitals, or a place the NER
    tagged ("Miami", which is common in English text)."""
    if not words or fold(words[0]) in CALENDAR or any(fold(w) in NOT_TOWN for w in words):
        return False
    if words[0][:1].islower():
        return not is_common(words[0])  # "lives in harburg", not "lives in fear"
    return tagged or any((w.isupper() and len(w) > 1) or not is_common(w)
                         for w in words if w[:1].isupper())


def find(text: str, places: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans of the towns a person's own words tie to them; ``places`` are the
    spans the NER tagged as places."""
    spans = []
    for cue in CUE.finditer(text):
        town = TOWN.match(text, cue.end())
        if town is None:
            continue
        value = town.group(0).rstrip("'’-")
        start, end = town.start(), town.start() + len(value)
        tagged = any(lo <= start and end <= hi for lo, hi in places)
        if not is_state_or_country(value) and _is_town(value.split(), tagged):
            spans.append((start, end))
    return spans


PLACE_LABELS = {"GPE", "LOC", "FAC"}


def place_recognizer() -> Any:
    """A Presidio recognizer for PERSONAL_PLACE."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class PersonalPlaceRecognizer(EntityRecognizer):
        def load(self) -> None:
            countries()

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if "PERSONAL_PLACE" not in entities:
                return []
            doc = getattr(nlp_artifacts, "tokens", None)
            places = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ())
                      if e.label_ in PLACE_LABELS]
            return [RecognizerResult("PERSONAL_PLACE", start, end, 0.6)
                    for start, end in find(text, places)]

    return PersonalPlaceRecognizer(supported_entities=["PERSONAL_PLACE"],
                                   name="PersonalPlaceRecognizer")
