"""A claim attributed to a named source (a claim rule's ``attribution``): "according to the
CDC", "a new CDC report", "RT @WHO: ...", "HHS: 24% of ...", "the CDC estimates ..."; and a
draft whose ``org`` is one of the named sources, which states its own figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.stance import fold
from .terms import TermSet, compile_terms, slot_words


@dataclass
class Attribution:
    """Who a claim may be attributed to, and the words that attribute it (rule `attribution`)."""
    names: TermSet  # the sources, any case
    capitals: TermSet  # acronyms written in capitals, matched only in capitals ("WHO")
    markers: TermSet  # "according to", "per", "source", "RT", ...: a name follows
    nouns: TermSet  # "report", "data", "study", ...: follows a name ("a new CDC report")
    verbs: frozenset[str]  # lemmas whose subject a name is ("the CDC estimates ...")

    def names_in(self, tokens: Any) -> list[tuple[int, int]]:
        doc = tokens.doc
        capital = [s for s in self.capitals.spans(tokens)
                   if all(doc[i].text.isupper() or not doc[i].is_alpha for i in range(*s))]
        return sorted(set(self.names.spans(tokens)) | set(capital))


def compile_attribution(spec: Any, lexicons: dict[str, Any],
                        tokenize: Any = None) -> Attribution | None:
    if not spec:
        return None
    names, capitals = TermSet(proper=True), TermSet(proper=True)
    for word in map(str, slot_words(spec["names"], lexicons)):
        # an acronym that is also an English word ("WHO", "NICE") is the source only in capitals
        (capitals if word.isupper() and word.isalpha() else names).add(word, tokenize)
    return Attribution(names, capitals,
                       compile_terms(spec.get("markers", []), lexicons, tokenize) or TermSet(),
                       compile_terms(spec.get("nouns", []), lexicons, tokenize) or TermSet(),
                       frozenset(fold(v) for v in spec.get("verbs", [])))


def attributed(attribution: Attribution, tokens: Any) -> bool:
    """``tokens`` (a Span) attributes what it says to a named source: a marker just before the
    name ("according to the CDC", "RT @WHO"), a colon after a name opening a sentence ("HHS:
    ..."), a report noun just after it ("a new CDC report", "CDC's data"), or the name as the
    subject of an attributing verb ("the CDC estimates ...")."""
    doc = tokens.doc
    markers = attribution.markers.spans(tokens)
    nouns = [(n0, n1) for n0, n1 in attribution.nouns.spans(tokens)  # "report", not "reported"
             if doc[n1 - 1].pos_ in ("NOUN", "PROPN")]
    for a, b in attribution.names_in(tokens):
        if any(m1 <= a and a - m1 <= 2 for _, m1 in markers):
            return True
        if b < len(doc) and doc[b].text.startswith(":") and a - doc[a].sent.start <= 2:
            return True
        if any(0 <= n0 - b <= 2 or 0 <= a - n1 <= 3 for n0, n1 in nouns):
            return True  # "a new CDC report", "a study in the Lancet"
        if any(doc[i].dep_ in ("nsubj", "nsubjpass") and fold(doc[i].head.lemma_)
               in attribution.verbs for i in range(a, b)):
            return True
    return False


def own_source(attribution: Attribution, org: Any, tokenize: Any) -> bool:
    """The draft is published by one of the named sources (its `org`): its figures are its own."""
    if isinstance(org, dict):
        org = org.get("name")
    if not org or tokenize is None:
        return False
    doc = tokenize(str(org))
    return bool(attribution.names_in(doc[:]))
