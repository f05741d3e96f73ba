"""The comment a reply answers (`in_reply_to.text`): does it tell of care this organization
gave the commenter or someone they speak for?

"Dr. Abernathy delivered my twins", "thanks for squeezing me in for my physical",
"did your team do my cousin's veneers?": the commenter has said in public
that they are a patient. That is their disclosure, never a finding (DRAFTS.md), but it is the
context of the reply: a reply that then speaks of that care ("we were so happy to help with both
deliveries") confirms it, which POLICY counts as review_reply, and as phi when it adds a
detail. A comment that tells of care elsewhere ("my hip was replaced last month elsewhere; when
can I drive?") makes no reply a confirmation by itself.

Read on the comment's words only (no parse): who the comment is about (the commenter, a
relative), who gave care (the organization addressed, its staff, "here"), and a health or
care word, found by the same lexicons as the reply's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from .care import (
    ADDRESSEE,
    PATIENT_NOUNS,
    RELATIVES,
    SPEAKER,
    THIRD_PERSON,
    clause_of,
    held_back,
)
from .namewords import enclosing_name

# The commenter speaking of themselves.
FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "my", "me", "mine", "we", "our",
                          "us", "we're"})
# The organization or its people as the ones who gave care: "you guys did", "y'all did",
# "Dr. Haddad", "the nurses here", "thanks to @clinic". Not a bare "you" or "your": "a
# vaccine gives you the disease", "your thread on migraines" speak of no care given.
CARE_GIVERS = frozenset({"y'all", "yall", "guys", "here", "dr", "dr.", "doctor", "nurse",
                         "nurses", "hygienist", "therapist", "counselor", "midwife", "surgeon",
                         "dentist", "pharmacist", "staff", "team", "doc"})
# "you" giving care: followed by what was done ("you caught", "you delivered"), not "a
# vaccine gives you the disease"
DONE = frozenset({"caught", "did", "saw", "took", "gave", "got", "kept", "put", "made", "found",
                  "fit", "held", "brought", "told"})
WORD = re.compile(r"@?[\w.'’]+")


def tells_own_care(text: str, health_words: Callable[[str], bool]) -> bool:
    """The comment says this organization cared for the commenter or someone they speak
    for: a care giver of the organization, the commenter or a relative, and a health or care
    word (``health_words(text)`` says whether the lexicons find one in ``text``)."""
    words = [w.lower().replace("’", "'").rstrip(".") for w in WORD.findall(text)]
    given = any(w in CARE_GIVERS or w.startswith("@") for w in words) or any(
        w in ("you", "u", "y'all") and (after in DONE or after.endswith("ed"))
        for w, after in pairwise(words))
    patient = any(w in FIRST_PERSON or w.removesuffix("'s") in RELATIVES for w in words)
    return given and patient and health_words(text)


def answered_text(meta: dict[str, Any]) -> str:
    """The text of the comment or review the reply answers ("" when there is none)."""
    answered = meta.get("in_reply_to")
    text = answered.get("text") if isinstance(answered, dict) else None
    return text if isinstance(text, str) else ""


def answering_care(doc: Any, care: frozenset[int], specific: frozenset[int],
                   addressee: set[str]) -> frozenset[int]:
    """In a reply to a comment that told of its care, the words that speak of that care: a
    health word, a care verb ("we were so happy to help with both deliveries", "stop the
    tretinoin"), or a patient noun ("she was the sweetest client"), not hedged, negated or
    redirected, and not part of an organization's name."""
    found = set()
    for token in doc:
        # a care verb as done ("delivered", "treating"), not an instruction ("stay warm!")
        done = token.pos_ == "VERB" and token.tag_ in ("VBD", "VBN", "VBG")
        speaks = (token.i in specific or (token.i in care and done)
                  or (token.lower_ in PATIENT_NOUNS and token.dep_ == "attr"))
        if (speaks and enclosing_name(token) is None and not held_back(token, care | specific)
                and _between_us(clause_of(token), addressee)):
            found.add(token.i)
    return frozenset(found)


# The speaker's feeling about having given the care: "what a privilege to share in ...".
GLAD_WORDS = frozenset({"joy", "honor", "honour", "privilege", "pleasure", "blessing"})
PEOPLE = SPEAKER | ADDRESSEE | RELATIVES | THIRD_PERSON


def _between_us(clause: list[Any], addressee: set[str]) -> bool:
    """The clause speaks of the organization and the person: a speaker, the person answered,
    a relative or a pronoun for them, the speaker's gladness ("what a privilege to share
    in ..."), or an instruction to the person ("pause the retinol for a week"). "The National
    Cancer Institute has a guide on nausea" is neither."""
    if any(t.lower_ in PEOPLE or t.lower_ in addressee for t in clause):
        return True
    if any(t.lemma_.lower() in GLAD_WORDS for t in [*clause, *clause[0].ancestors]):
        return True
    verbs = [t for t in clause if t.pos_ == "VERB" and t.tag_ == "VB"]
    return any(not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children)
               and v.dep_ in ("ROOT", "conj") for v in verbs)
