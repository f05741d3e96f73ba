"""Titles: who a name belongs to by the words around it (staff, a public figure) and when a
title does not exempt the person (their own or their family's health, a testimonial's own
story). roles.py assigns the roles; these are the word lists and tests it reads.
"""

from __future__ import annotations

import re
from typing import Any

from . import names

STAFF_TITLES = {
    "dr", "dr.", "doctor", "nurse", "np", "pa", "rn", "dentist", "hygienist", "therapist",
    "physician", "surgeon", "midwife", "doula", "pharmacist", "director", "manager", "ceo",
    "president", "chief", "coordinator", "volunteer", "volunteers", "chaplain", "technician",
    "tech", "pediatrician", "cardiologist", "oncologist", "dermatologist", "psychiatrist",
    "counselor", "provider", "physicians", "nurses", "hr", "officer", "lead", "advocate",
    "liaison", "navigator", "representative", "specialist", "educator", "assistant",
}
CREDENTIALS = {
    "rn", "md", "do", "dds", "dmd", "np", "pa", "pa-c", "lpn", "cna", "pt", "dpt", "phd",
    "msn", "bsn", "faap", "facs", "lcsw", "psyd", "ot", "otr", "slp", "crna", "aprn", "fnp",
    "rdh", "mph", "mba", "ccc", "lmft", "lpc", "rd", "facc", "facog", "dnp", "ma",
}
STAFF_CONTEXT = re.compile(
    r"\b(joins?|joined|joining) (our|the)\b|\bwelcome\b.*\bto (our|the) team\b|"
    r"\b(our|the) (new )?(team|staff|nurses?|doctors?|physicians?|providers?)\b.*\b(spotlight|"
    r"welcome|congratulat|award|honou?r|recogni[sz])|\bstaff spotlight\b|\bemployee of the\b|"
    r"\byears? of service\b|\bvolunteer spotlight\b|\b(nurse|provider|team member) spotlight\b|"
    r"\bmeet (our|the) (new )?(team|staff|nurse|doctor|dentist|provider)",
    re.IGNORECASE)


# Kind words carried to a colleague: "we'll pass your note on to Ines", "shared it with Jo".
PASSED_ON_TO = re.compile(r"\b(?:pass|passed|passing|forward|forwarded|relay|relayed|share|"
                          r"shared|sharing)\b[^.!?]{0,40}\b(?:to|with)\W*$", re.IGNORECASE)


# The organization's people as they deal with the person answered: "Dana from our front
# desk", "Marisol will reach out to you". (A name to ask for is not enough: redact removes an
# untitled "ask for X at the desk".)
OURS_AFTER = re.compile(r"^\W*(?:from|at|in|on|of) our ", re.IGNORECASE)
CONTACTS_YOU = re.compile(
    r"^\W*(?:will|'ll|can|is going to|is happy to|would love to|is)\s+(?:be\s+)?"
    r"(?:call(?:ing)?|reach(?:ing)? out|contact(?:ing)?|follow(?:ing)? up|email(?:ing)?|"
    r"text(?:ing)?|message|be in touch|get in touch|get back)\b", re.IGNORECASE)


PUBLIC_TITLES = {
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
    "mayor", "councilmember", "councilman", "councilwoman", "commissioner", "secretary", "judge",
    "chancellor", "superintendent", "sheriff", "ambassador", "olympian", "coach", "author",
    # heads of state, royalty, clergy and honours: a public figure's own news is not PHI
    "president", "vice", "minister", "pm", "mp", "mla", "cm", "premier", "chairman", "chairwoman",
    "pope", "cardinal", "bishop", "prince", "princess", "king", "queen", "duke", "duchess", "sir",
    "dame", "lord", "lady", "shri", "smt", "sri", "actor", "actress", "singer", "rapper", "star",
    "comedian", "host", "anchor", "journalist", "reporter", "columnist", "correspondent",
    "editor", "producer", "director-general", "spokesperson", "spokesman", "spokeswoman",
    # public life by occupation: sport, music, screen
    "athlete", "player", "linebacker", "quarterback", "pitcher", "footballer", "cricketer",
    "boxer", "legend", "superstar", "celebrity", "musician", "guitarist", "drummer", "politician",
    "candidate", "lawmaker", "legislator", "influencer",
}
# What a public figure does with their own health news: it is theirs to tell (POLICY: a public
# figure's own public disclosure is not PHI), unlike care someone else reports.
SELF_DISCLOSURE = {"announce", "reveal", "disclose", "confirm", "go", "open", "speak", "share"}
SELF_DISCLOSURE_PARTICLES = {"announce": None, "reveal": None, "disclose": None, "confirm": None,
                             "go": "public", "open": "up", "speak": "out", "share": "publicly"}


# Roles a list shares: "our nurses Maribel and Joss", "Dr. Ames and Lina Park, our PA".
SHARED_ROLES = ("staff", "public")


def share_roles_in_lists(entities: list[Any], doc: Any) -> None:
    """A name coordinated with a staff member's or a public figure's name ("X and Y") takes
    that role: the title before a list covers every name in it."""
    by_token: dict[int, Any] = {}
    for entity in entities:
        if entity.type == "PERSON":
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is not None:
                by_token.update((t.i, entity) for t in span)
    for entity in entities:
        if entity.type != "PERSON" or entity.role != "person":
            continue
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        linked = [root.head] if root.dep_ == "conj" else []
        linked += [c for c in root.children if c.dep_ == "conj"]
        for token in linked:
            other = by_token.get(token.i)
            if other is not None and other is not entity and other.role in SHARED_ROLES:
                entity.role = other.role
                break


# What stands before a testimonial's attribution: the end of the quote and a dash, or a dash
# opening a line ('..." — Kelsey M., nurse at ...').
SPEAKER_BEFORE = re.compile(r"(?:[\"”]\s*|^\s*|\n\s*)[-\u2013\u2014~]{1,2}\s*$")


def is_speaker(entity: Any, text: str) -> bool:
    """The name a testimonial's attribution gives: the person quoted."""
    return bool(SPEAKER_BEFORE.search(text[max(entity.start - 8, 0):entity.start]))


FIRST_PERSON = {"i", "me", "my", "mine", "myself"}


def speaks_of_own_health(doc: Any, evidence: Any) -> bool:
    """A sentence holds both a health word and the speaker's "I", "me" or "my"."""
    if evidence is None:
        return False
    return any(any(t.i in evidence.health for t in sent)
               and any(t.lower_ in FIRST_PERSON for t in sent) for sent in doc.sents)


def person_role(entity: Any, span: Any, value: str, org_name: str) -> str:
    if span is None or not names.looks_like_name(span):
        return "noise"  # a capitalised word or brand that NER took for a name
    if org_name and value.lower() in org_name:
        return "org"
    before = [t.lower_.rstrip(".") for t in span.doc[max(span.start - 3, 0):span.start + 1]]
    if any(b in PUBLIC_TITLES for b in before):
        return "public"  # "Health Minister X", "Pope Francis", "Sir X"
    return "staff" if is_staff(entity, span.doc) else "person"


def is_staff(entity: Any, doc: Any) -> bool:
    span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    if span is None:
        return False
    before = [t.lower_.rstrip(".") for t in doc[max(span.start - 3, 0):span.start]]
    after = [t.lower_.rstrip(".") for t in doc[span.end:span.end + 4] if not t.is_punct]
    if any(b in STAFF_TITLES or b in CREDENTIALS for b in before[-2:]):
        return True
    if after and after[0] in CREDENTIALS:
        return True
    if any(a in STAFF_TITLES for a in after[:3]):
        return True  # "Ines Varga, HR Director": identified by a job, not as a patient
    text = span.doc.text  # rebuilt on every access
    before_text = text[span.sent.start_char:span.start_char]
    after_text = text[span.end_char:span.sent.end_char]
    if PASSED_ON_TO.search(before_text):
        return True
    if OURS_AFTER.match(after_text) or CONTACTS_YOU.match(after_text):
        return True
    return bool(STAFF_CONTEXT.search(span.sent.text))


def self_disclosed(span: Any) -> bool:
    """The person is the subject of telling their own health news: "X went public with his
    diagnosis", "X announced she has ...", "X opened up about ..."."""
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head
    lemma = verb.lemma_.lower()
    if lemma not in SELF_DISCLOSURE:
        return False
    particle = SELF_DISCLOSURE_PARTICLES[lemma]
    return particle is None or any(c.lower_ == particle for c in verb.children)
