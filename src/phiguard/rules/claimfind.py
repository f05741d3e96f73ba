"""Where a sentence holds a claim (subject, relation, object): a word of each set, and either
the parse links them (subject and object hang on the relation) or they come close together in
claim order, active or, for a participle relation, passive. claims.py is the rule kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.stance import fold
from .directive import instructs
from .terms import TermSet, compile_terms

GAP = 8  # most words between subject and relation, or relation and object, in surface order
PARSE_REACH = 25  # most tokens a parse-linked claim may span
BOUNDARIES = frozenset({";", "|", "\u2014", "\u2013", "\u2192", "\u27a1", "\u27a1\ufe0f"})
# a word hanging on a noun as its modifier: "coronavirus" in "the latest coronavirus updates"
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


@dataclass
class Claim:
    subject: TermSet | None
    relation: TermSet
    object: TermSet | None
    directive: bool = False
    parsed: bool = False  # the subject must be the relation's grammatical subject
    gap: int = GAP  # most words between the parts in surface order


def compile_claims(specs: list[dict[str, Any]], lexicons: dict[str, Any],
                   tokenize: Any = None) -> list[Claim]:
    return [Claim(compile_terms(s.get("subject"), lexicons, tokenize),
                  compile_terms(s["relation"], lexicons, tokenize) or TermSet(),
                  compile_terms(s.get("object"), lexicons, tokenize), bool(s.get("directive")),
                  bool(s.get("parsed")), int(s.get("gap", GAP)))
            for s in specs]


def find(claim: Claim, sentence: Any) -> list[tuple[list[int], int]]:
    """Each place ``sentence`` holds ``claim``: the tokens it covers and its relation token."""
    relations = claim.relation.spans(sentence)
    if not relations:
        return []  # most sentences: the other slots (lexicons of thousands) need no look
    subjects = claim.subject.spans(sentence) if claim.subject else [None]
    objects = claim.object.spans(sentence) if claim.object else [None]
    found = []
    doc = sentence.doc
    for r in relations:
        if claim.directive and not instructs(sentence, r[0]):
            continue
        if _named(doc, r):
            continue  # "USA:" is a country, not the Spanish "usa"
        if not claim.directive and _modifier_word(doc, r):
            continue  # "climate change-related", "the risk-factor list": no relation
        for s in subjects:
            for o in objects:
                if _overlap(s, r) or _overlap(o, r) or (s and o and _overlap(s, o)):
                    continue
                if s and o and _one_phrase(doc, s, o):
                    continue  # "a COVID vaccine" names one thing, not a vaccine and COVID
                if claim.directive and o and _modifies_other(sentence.doc, o, claim.object):
                    continue
                if s and not claim.directive and _object_elsewhere(sentence.doc, s, r):
                    continue
                if claim.parsed:
                    if not (s and _subject_of(sentence.doc, s, r)):
                        continue
                elif not (_ordered(sentence, s, r, o, claim.directive, claim.gap)
                          or (claim.gap == GAP and _linked(sentence, s, r, o))):
                    continue
                parts = [p for p in (s, r, o) if p]
                found.append((sorted(i for a, b in parts for i in range(a, b)), r[0]))
    return found


PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC"}


def _named(doc: Any, r: tuple[int, int]) -> bool:
    """A capitalised relation word the parser reads as a place or a people, or a capitalised
    label before a colon ("USA:" is no Spanish "usa"). Person and organization labels are not
    trusted: the small model gives them to sentence-initial imperatives ("Gargle bleach")."""
    token = doc[r[0]]
    label = token.is_upper and token.i + 1 < len(doc) and doc[token.i + 1].text == ":"
    return label or (not token.is_lower and token.ent_type_ in PLACE_LABELS)


def _modifier_word(doc: Any, r: tuple[int, int]) -> bool:
    """A one-word relation inside a hyphenated modifier: "climate change-related",
    "ever-changing" is a word of its own. (The parser's noun compounds are not trusted:
    it reads a sentence-initial imperative, "Gargle bleach", as one.)"""
    if r[1] - r[0] != 1:
        return False
    token = doc[r[0]]
    before_hyphen = token.i + 1 < len(doc) and doc[token.i + 1].text == "-" and (
        token.i + 2 < len(doc) and doc[token.i + 2].pos_ in ("ADJ", "VERB", "NOUN"))
    # "ever-changing viruses": the second part of a modifier before its noun
    after_hyphen = token.i >= 2 and doc[token.i - 1].text == "-" and token.dep_ == "amod"
    return before_hyphen or after_hyphen


def _one_phrase(doc: Any, s: tuple[int, int], o: tuple[int, int]) -> bool:
    """Subject and object words in one noun phrase, one modifying the other ("COVID vaccine",
    "vaccine injury")."""
    def modifies(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return any(doc[i].dep_ in ("compound", "amod", "nmod") and b[0] <= doc[i].head.i < b[1]
                   for i in range(*a))

    return modifies(o, s) or modifies(s, o)


def _modifies_other(doc: Any, o: tuple[int, int], terms: TermSet | None) -> bool:
    """The object word only modifies another noun, itself no object word, in a noun phrase
    an adjective opens: "Read the newest measles updates" is about updates, not the virus
    ("your flu shot" keeps "shot", a health word)."""
    token = doc[o[1] - 1]
    if token.dep_ not in MODIFIER_DEPS or token.head.i < o[1] or token.head.pos_ not in (
            "NOUN", "PROPN"):
        return False
    head = token.head
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head  # "flu vaccine clinic hours": the phrase's last noun
    # the tagger often misreads a word after the object as its head ("a mask indoors"); an
    # adjective before the object on the same head shows a real noun phrase ("the latest ...")
    if not any(c.dep_ == "amod" and c.i < token.i for c in head.children):
        return False
    own = terms.spans(doc[head.i:head.i + 1]) if terms is not None else []
    return not own


def _object_elsewhere(doc: Any, s: tuple[int, int], r: tuple[int, int]) -> bool:
    """The subject words are the direct object of a verb coordinated with the relation, whose
    subject is someone else: "we are buying medicines and protecting workers" (not "drinking
    tea cures ...", where the gerund is the subject)."""
    token = doc[s[1] - 1]
    while token.dep_ in ("compound", "amod", "conj", "appos") and token.head.i != token.i:
        token = token.head
    while token.dep_ == "pobj" and fold(token.head.text) == "of":
        token = token.head.head  # "a mix of baking soda": the mix
    if token.dep_ != "dobj":
        return False
    verb = token.head
    relation = doc[r[0]]
    if verb.i == relation.i or verb.pos_ not in ("VERB", "AUX") or relation in token.subtree:
        return False  # "they sell pills that cure gout": the relation describes the subject
    # coordinated verbs share a subject, not an object: "buying X and protecting Y"
    return (relation.dep_ == "conj" and relation.head.i == verb.i) or (
        verb.dep_ == "conj" and verb.head.i == relation.i)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


def _ordered(sentence: Any, s: Any, r: tuple[int, int], o: Any, directive: bool = False,
             gap: int = GAP) -> bool:
    """Subject, relation, object close together in that order; or, for a participle relation
    ("caused by", "linked with"), object, relation, subject. An instruction reaches its
    object across a dash ("Stretch every morning - your back will thank you")."""
    doc = sentence.doc
    if s is not None and any(doc[i].dep_ in ("nsubj", "nsubjpass") and doc[i].pos_ != "PRON"
                             for i in range(s[1], r[0])):
        return False  # another subject between them: "... vaccines the virus will kill"
    if directive and o is not None and r[1] <= o[0] and o[0] - r[1] <= 2 * gap:
        return True
    if _close(doc, s, r, gap) and _close(doc, r, o, gap):
        return True
    participle = any(doc[i].tag_ in ("VBN", "JJ") for i in range(*r))
    return participle and _close(doc, o, r, gap) and _close(doc, r, s, gap)


def _close(doc: Any, a: Any, b: Any, gap: int = GAP) -> bool:
    """``a`` ends before ``b`` starts, at most ``gap`` words apart, no clause break between."""
    if a is None or b is None:
        return True
    if a[1] > b[0] or b[0] - a[1] > gap:
        return False
    return not any(doc[i].text in BOUNDARIES for i in range(a[1], b[0]))


def _linked(sentence: Any, s: Any, r: tuple[int, int], o: Any) -> bool:
    """The parse hangs subject and object on the relation (either voice, any order)."""
    doc = sentence.doc
    head = doc[r[0]]
    passive = any(doc[i].tag_ == "VBN" for i in range(*r)) or any(
        c.dep_ in ("auxpass", "agent") for c in head.children)
    if s is not None and s[0] > r[1] and not passive:
        return False  # after an active relation the words are its object: "help develop vaccines"
    for part in (s, o):
        if part is None:
            continue
        token = doc[part[1] - 1]
        if head not in token.ancestors and token.head != head:
            return False
    span = [i for p in (s, r, o) if p for i in p]
    return max(span) - min(span) <= PARSE_REACH


def _subject_of(doc: Any, s: tuple[int, int], r: tuple[int, int]) -> bool:
    """The subject words head the relation's grammatical subject: "a new analysis of runners
    shows", "dozens of studies have found", "studies that show"; not "this chart by data users
    shows" (a modifier of another noun) nor "show the desk your review" (an object)."""
    token = doc[s[1] - 1]
    relation = doc[r[0]]
    if relation.dep_ == "relcl" and relation.head == token:
        return True
    if s[1] == r[0] and token.dep_ != "compound" and relation.tag_ in ("VBZ", "VBP", "VBD"):
        return True  # "... official figures show": the parser misses an unpunctuated clause
    while token.dep_ in ("pobj", "conj", "appos") and token.head.dep_ != "ROOT" and (
            token.dep_ != "pobj" or fold(token.head.text) == "of"):
        token = token.head.head if token.dep_ == "pobj" else token.head
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = token.head
    while head.i != relation.i and head.dep_ in ("aux", "auxpass"):
        head = head.head
    # the subject of "have" in "studies have shown", of a verb the relation completes, or of
    # the copula a predicate adjective or noun hangs on ("soreness is common")
    return head.i == relation.i or (relation.head == head and relation.dep_ in (
        "xcomp", "conj", "acomp", "attr"))
