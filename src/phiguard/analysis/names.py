"""Names in social text: what spaCy's NER misses, and what it wrongly calls a name.

The words it reads (given names, places, titles, organization words) are in namewords.py.
"""

from __future__ import annotations

import re
from typing import Any

from ..vocabulary import COMMON_MIN_COUNT, word_counts
from .namewords import (  # the name words, also read through this module (re-exported)
    COMMON_WORD_NAMES,
    HONORIFICS,
    ORG_WORDS,  # noqa: F401
    PLACE_PREFIXES,
    ROLE_NOUNS,
    TITLES,
    _org_like,
    country_names,  # noqa: F401
    entity_of,
    fold,
    given_names,
    is_given_name,
    is_place,
)


def _self_introduced(token: Any) -> bool:
    """ "I'm Bill", "my name is Rosa": a name even when the word is also a common word."""
    doc = token.doc
    return (token.is_title and token.i >= 2 and doc[token.i - 1].lower_ in ("'m", "am", "is", "’m")
            and doc[token.i - 2].lower_ in ("i", "name", "this"))


def introduced_as_person(span: Any) -> bool:
    """The words before a span say it is a person ("I'm Bill", "Hi Bill", "Mr. Bill Carey",
    "patient Bill"), even when a word in it is also a health or billing word."""
    if _self_introduced(span[0]):
        return True
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_.rstrip(".") in HONORIFICS | ROLE_NOUNS


def _inside_proper_phrase(token: Any) -> bool:
    """A capitalised word after another one that is not a name or title: "Alder Way"."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return (before.is_title and not before.is_sent_start and not is_given_name(before.text)
            and before.lower_.rstrip(".") not in HONORIFICS | ROLE_NOUNS | TITLES)


def looks_like_name(span: Any) -> bool:
    """Whether an NER PERSON span is plausibly a person's name, not a capitalised word."""
    words = [t for t in span if t.is_alpha]
    if not words or any(t.text.startswith(("#", "@")) for t in span):
        return False
    if _self_introduced(span[0]):
        return True
    if _org_like(span) or _inside_proper_phrase(span[0]):
        return False
    if _name_in_slot(span.doc, span.start) >= span.end:
        return True  # "get well soon Pemberly Ashgrove": where a greeting expects a name
    if any(is_given_name(t.text) for t in words):
        return True
    if len(words) >= 2 and words[0].is_title and fold(words[0].text) in COMMON_WORD_NAMES:
        return True  # "Bill Ostrander", "Rose Adeyemi": a word-name followed by a surname
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and (before.lower_.rstrip(".") in HONORIFICS
                                   or (before.is_title and before.lower_ in TITLES))


def missed_names(doc: Any) -> list[tuple[int, int]]:
    """Character spans of names NER did not tag: honorific + surname, known given names."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if _self_introduced(token):
            spans.append((token.idx, token.idx + len(token)))  # "I'm Bill", "my name is Rosa"
            i += 1
            continue
        if _titled(doc, i):
            end = i + 1
            while end + 1 < len(doc) and (doc[end + 1].is_title or doc[end + 1].text == "-"):
                end += 1
            if not _org_like(doc[i + 1:end + 1]):  # "King Street", "Mayor's Cup" stay
                spans.append((doc[i + 1].idx, doc[end].idx + len(doc[end])))
            i = end + 1
            continue
        slotted = _name_in_slot(doc, i)
        if slotted:
            spans.append((token.idx, doc[slotted - 1].idx + len(doc[slotted - 1])))
            i = slotted
            continue
        if _bare_given_name(token):
            end = token
            following = doc[i + 1] if i + 1 < len(doc) else None
            if (following is not None and following.is_title and following.is_alpha
                    and not _org_like(doc[i + 1:i + 2])):
                end = following  # given name + surname
                i += 1
            spans.append((token.idx, end.idx + len(end)))
        i += 1
    return spans


# Words after which a name is expected: a greeting or a story marker ("Hi Pemberly", "get well
# soon Pemberly Ashgrove", "congrats to ...", "our patient ...").
SLOT_WORDS = {"hi", "hello", "hey", "dear", "welcome", "congrats", "congratulations", "meet",
              "soon", "patient", "resident", "client", "survivor", "tell"}
SLOT_PHRASES = {("congrats", "to"), ("congratulations", "to"), ("birthday", "to"),
                ("shoutout", "to"), ("shout-out", "to"), ("thanks", "to"), ("prayers", "for"),
                ("praying", "for"), ("welcome", "back")}
SLOT_MAX_WORDS = 3


def _name_in_slot(doc: Any, i: int) -> int:
    """End (token index) of a run of capitalised words outside common vocabulary that stands
    where a greeting or a story marker expects a name: NER misses unusual names there."""
    if i == 0 or not _slot_before(doc, i):
        return 0
    counts = word_counts()
    end = i
    while (end < len(doc) and end - i < SLOT_MAX_WORDS and doc[end].is_alpha
           and len(doc[end]) > 1 and _slot_word(doc[end], counts)):
        end += 1
    if (end == i + 1 and end < len(doc) and is_given_name(doc[i].text) and doc[i].is_title
            and doc[end].is_title and doc[end].is_alpha and not _org_like(doc[i:end + 1])):
        end += 1  # a surname that is also a word: "meet Walter Finch"
    if end == i or _org_like(doc[i:end]) or is_place(doc[i:end].text):
        return 0
    return end


def _titled(doc: Any, i: int) -> bool:
    """An honorific or a title before a capitalised word: "Mrs. Okafor", "Councilman Reyes"
    (roles decide later whether the title makes the person staff or a public figure)."""
    word = doc[i].lower_.rstrip(".")
    return (word in HONORIFICS or (word in TITLES and doc[i].is_title)) and (
        i + 1 < len(doc) and doc[i + 1].is_title and doc[i + 1].is_alpha)


def _slot_word(token: Any, counts: dict[str, int]) -> bool:
    """A word that can be (part of) the expected name: capitalised and outside common
    vocabulary or a given name; in lower case ("tell rosalind hello") only a given name
    that is not also a common word."""
    rare = counts.get(fold(token.text), 0) < COMMON_MIN_COUNT
    if token.is_title:
        return rare or is_given_name(token.text)
    return token.is_lower and rare and is_given_name(token.text)


def _slot_before(doc: Any, i: int) -> bool:
    before = doc[i - 1].lower_.rstrip(".,!")
    if before in SLOT_WORDS:
        return True
    return i >= 2 and (doc[i - 2].lower_, before) in SLOT_PHRASES


# The words a support hashtag builds around a person's name: "#MilaStrong", "#PrayForTeo",
# "#TeamAnouk". No maintained list exists; kept short (a campaign or place hashtag such as
# "#NursesWeek" or "#BostonStrong" has no given name in it and stays a hashtag).
SUPPORT_WORDS = {"strong", "tough", "brave", "warrior", "army", "nation", "crew", "squad",
                 "fight", "fights", "pray", "prayfor", "prayers", "praying", "team", "love",
                 "forever", "getwell"}
LINK_WORDS = {"for", "the", "baby", "little"}
HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
CAMEL_PART = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|\d+")


def support_hashtag_names(text: str) -> list[tuple[int, int]]:
    """Character spans of the given name inside support hashtags: "#MilaStrong" -> "Mila".

    The tag must be exactly one known given name (not a country) written with a capital, and
    at least one support word; words that link them ("for", "baby") may stand between."""
    spans = []
    for tag in HASHTAG.finditer(text):
        parts = [(m.start() + tag.start(1), m.group()) for m in CAMEL_PART.finditer(tag.group(1))]
        names = [(at, word) for at, word in parts if word.istitle() and is_given_name(word)
                 and not is_place(word) and word.lower() not in SUPPORT_WORDS | LINK_WORDS]
        rest = [word.lower() for at, word in parts if (at, word) not in names]
        if (len(names) == 1 and rest and all(w in SUPPORT_WORDS | LINK_WORDS for w in rest)
                and any(w in SUPPORT_WORDS for w in rest)):
            at, word = names[0]
            spans.append((at, at + len(word)))
    return spans


# A given name inside what the model reads as a place's name of several words: "New York",
# "Sierra Leone". Not a lone word: the small model calls many a lone unusual given name a
# place ("Magnus", "Victoria"), and organization labels are no better.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
HEADLINE_SHARE = 0.75  # of a sentence's content words capitalised: a headline's casing
HEADLINE_MIN_WORDS = 4


def headline_cased(sentence: Any) -> bool:
    """Most everyday words of the sentence are capitalised ("Steady Diet of Mental Stimulation
    Might Reduce Alzheimer's Risk"): its capitals say nothing about which words are names.
    Everyday: common English words that are no given name, so a sentence full of names
    ("Health Minister Amara Whitby and Petra Haugen opened the new ward") is not one."""
    counts = word_counts()
    words = [t for t in sentence if t.is_alpha and len(t) > 3 and not t.is_stop
             and counts.get(fold(t.text), 0) >= COMMON_MIN_COUNT and not is_given_name(t.text)]
    capitalised = sum(1 for t in words if t.is_title or t.is_upper)
    return len(words) >= HEADLINE_MIN_WORDS and capitalised >= HEADLINE_SHARE * len(words)


COUNTRY_NAME_WORDS = 4  # "Saint Vincent and the Grenadines" aside, a country's name is short


def _in_country_name(token: Any) -> bool:
    """The token is a word of a country's name that runs over several words: "Sierra Leone",
    "Saint Lucia", "San Marino", "Isle of Man"."""
    doc = token.doc
    for start in range(max(token.i - COUNTRY_NAME_WORDS + 1, 0), token.i + 1):
        for end in range(token.i + 1, min(start + COUNTRY_NAME_WORDS, len(doc)) + 1):
            if end - start > 1 and is_place(doc[start:end].text):
                return True
    return False


def _in_place_name(token: Any) -> bool:
    """The token is part of a place's name of several words, as the model reads it."""
    if token.ent_type_ not in PLACE_LABELS:
        return False
    entity = entity_of(token)
    # "@coachdre Marcus" read as one entity: a handle and a name, not a place
    if entity is None or len(entity) < 2 or any(t.text.startswith(("@", "#")) for t in entity):
        return False
    # and a word of it is a place's ("New York", "North Dakota", "San Jose"): the model also
    # calls many a person's full name a place ("Johannes Varvio")
    counts = word_counts()
    return any(t.lower_ in PLACE_PREFIXES or (counts.get(t.lower_, 0) >= COMMON_MIN_COUNT
                                              and not is_given_name(t.text)) for t in entity)


def _bare_given_name(token: Any) -> bool:
    """A known given name standing alone as a proper noun ("Renata battled...", "...to Lena"),
    neither (in) a place's name nor capitalised only by a headline."""
    single = token.doc[token.i:token.i + 1]
    if not token.is_title or not is_given_name(token.text) or _org_like(single):
        return False
    if _inside_proper_phrase(token) or _in_place_name(token) or _in_country_name(token):
        return False
    if headline_cased(token.sent) and word_counts().get(fold(token.text), 0) >= COMMON_MIN_COUNT:
        return False  # "Steady Diet of ...": only a name that is no everyday word counts there
    if not token.is_sent_start:
        return token.tag_ in ("NNP", "NNPS", "NNS", "NN")
    # At the start of a sentence a capitalised word is not evidence: a verb or a surname after
    # it is ("Renata battled ...", "Jamal Pierce, RN, ...").
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and (following.pos_ in ("VERB", "AUX") or following.is_punct
                                      or (following.is_title and not following.is_sent_start))


def name_recognizer() -> Any:
    """A Presidio recognizer adding the PERSON spans NER missed (code: it needs the Doc)."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class GivenNameRecognizer(EntityRecognizer):
        def load(self) -> None:
            given_names()

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if nlp_artifacts is None or "PERSON" not in entities:
                return []
            spans = missed_names(nlp_artifacts.tokens) + support_hashtag_names(text)
            return [RecognizerResult("PERSON", start, end, 0.6) for start, end in spans]

    return GivenNameRecognizer(supported_entities=["PERSON"], name="GivenNameRecognizer")
