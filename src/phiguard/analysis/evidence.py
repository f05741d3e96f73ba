"""Patient evidence: is an identifier attached to a health event, or only near one?

A name in a post is a patient's only when the words around it say so: the person is the
subject or object of a health event ("Ana tested positive", "we treated Ana"), the owner of
one ("Ana's surgery", "congrats to Ana on her knee replacement"), described by one ("Ana, who
finished chemo", "Ana, a cancer survivor"), or introduced by a patient or story marker
("our patient Ana", "get well soon Ana", "happy birthday Ana"). A name that merely shares a
sentence with a health word ("Dr. Ruiz explains the flu season", "RT @agency: cases rise")
is not. The dependency parse the pipeline already computed decides which words govern which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import care

# Children whose subtree is another clause, with its own subject and its own events.
CLAUSE_DEPS = {"ccomp", "advcl", "conj", "parataxis", "csubj", "csubjpass", "relcl", "acl"}
# Prepositions that make a health word a topic, not something that happens to the subject:
# "responsible for COVID-19", "talks about vaccines", "a campaign against measles".
TOPIC_PREPS = {"for", "about", "against", "on", "regarding", "than", "like", "over", "into",
               "via", "despite", "amid", "behind", "between", "among"}
# Verbs whose subject goes through a health event, not works on one: "as he recovers from
# surgery", "while she undergoes chemo". No maintained list; kept short.
UNDERGO_VERBS = frozenset({"recover", "recuperate", "undergo", "heal", "battle", "fight",
                           "beat", "survive", "convalesce", "rehab", "rest"})
# Prepositions that place a person in their own health event: "during his surgery".
TIME_PREPS = frozenset({"during", "after", "following", "before", "since", "through", "from",
                        "throughout"})
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Where a proper noun the model did not tag can be another person: "visited Ana Ruiz".
PERSON_SLOTS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "appos", "conj"})
OBJECT_DEPS = {"dobj", "pobj", "dative", "attr", "oprd"}
NAME_DEPS = {"compound", "flat", "appos"}
# A relative whose health a clause about the name tells (the people a reply's commenter speaks
# for, care.py), owned by the name's pronoun. Not "his family": a household at a flu clinic is
# no one's diagnosis.
RELATIVES = care.RELATIVES - {"family"}
OWNERS = frozenset({"his", "her", "their"})
MAX_DEPTH = 3  # governor -> health word: "tested -> positive", "had -> surgery -> knee"
# Verbs whose subject speaks, sells or works on health rather than undergoing it: "X was
# pitching a COVID cure", "X warned about measles", "X researches cancer". Their subject is
# no patient; their object can be ("we treated Ana" is not here). Verb classes of English
# grammar (communication, commerce, study); no maintained list ships offline.
ACTOR_VERBS = frozenset({
    "say", "tell", "claim", "tweet", "post", "write", "report", "announce", "warn", "urge",
    "explain", "discuss", "talk", "speak", "share", "argue", "insist", "deny", "debunk",
    "pitch", "promote", "sell", "market", "tout", "push", "advertise", "endorse", "peddle",
    "hawk", "recommend", "advocate", "campaign", "lobby", "spread", "study", "research",
    "investigate", "develop", "invent", "discover", "fund", "approve", "authorize", "ban",
    "prescribe", "treat", "diagnose", "vaccinate", "administer"})
# Verbs whose object is someone to reach, not someone cared for: "call X to book a flu shot".
CONTACT_VERBS = frozenset({"call", "contact", "email", "e-mail", "text", "message", "dm",
                           "phone", "ring", "ask", "reach"})
# Care given to a person, whose "for" names the person's condition, not a topic: "we treated
# Ana for pneumonia", "Ana was admitted for chest pain".
CARE_VERBS = frozenset({"treat", "admit", "hospitalize", "hospitalise", "test", "screen",
                        "evaluate", "examine", "operate", "airlift", "rush", "transport",
                        "discharge", "monitor", "see", "care"})
# What is done to a person in their care: CARE_VERBS and "looked after", "saved", "delivered".
CARED_FOR_VERBS = CARE_VERBS | {"look", "save", "help", "airlift", "resuscitate", "revive",
                                "deliver"}


@dataclass
class Evidence:
    """Token indices of health words and of patient/story markers in one Doc."""

    doc: Any
    health: frozenset[int]
    markers: frozenset[int]

    @classmethod
    def from_spans(cls, doc: Any, health: Iterable[tuple[int, int]],
                   markers: Iterable[tuple[int, int]]) -> Evidence:
        return cls(doc, token_indices(doc, health), token_indices(doc, markers))

    def of_own_or_family_health(self, start: int, end: int) -> bool:
        """The name owns a health event, receives care ("we cared for X during his surgery")
        or its clause tells a relative's: what a staff or public title never exempts ("Dr. X's
        surgery", "Dr. X lost his son to flu"). Giving care ("Dr. X treated ...") is work."""
        span = _whole_name(self.doc.char_span(start, end, alignment_mode="expand"))
        if span is None or len(span) == 0:
            return False
        own = set(range(span.start, span.end))
        root = span.root
        # cared for ("we cared for X"), or in a state ("X is in fair condition"): not the
        # subject of an act, which is work ("Dr. X treated ...")
        in_state = root.dep_ in SUBJECT_DEPS and root.head.lemma_ == "be"
        cared_for = (in_state or _object_of_care(root)) and self._participant(span, own)
        return self._owner(span, own) or self._family(span, own) or cared_for

    def for_span(self, start: int, end: int) -> bool:
        """Whether the identifier at these character offsets carries patient evidence."""
        span = _whole_name(self.doc.char_span(start, end, alignment_mode="expand"))
        if span is None or len(span) == 0:
            return False
        own = set(range(span.start, span.end))
        return (self._marked(span, own) or self._owner(span, own)
                or self._described(span, own) or self._participant(span, own)
                or self._family(span, own))

    # -- the four kinds of evidence ------------------------------------------------------

    def _marked(self, span: Any, own: set[int]) -> bool:
        """A patient or story marker governs the name or sits right before it."""
        root = span.root
        if any(t.i in self.markers for t in root.children if t.i not in own):
            return True  # "patient Ana Ruiz", "Ana's story"
        before = span.start - 1
        while before >= 0 and (self.doc[before].is_punct or self.doc[before].lower_ in
                               ("to", "for", "our", "little", "sweet", "baby", "miss", "mr",
                                "mrs", "ms", "mr.", "mrs.", "ms.")):
            before -= 1
        if before >= 0 and before in self.markers and span.start - before <= 4:
            return True  # "get well soon, Ana", "congrats to Ana"
        return any(t.i in self.markers for t in _governors(root, 2))

    def _owner(self, span: Any, own: set[int]) -> bool:
        """The name owns a health event: "Ana's surgery", "Ana's knee replacement"."""
        if self._through_own_event(span):
            return True
        root = span.root
        if root.dep_ != "poss" and not any(t.lower_ in ("'s", "’s", "'") for t in span.rights):
            following = span.end < len(self.doc) and self.doc[span.end].lower_ in ("'s", "’s")
            if not following:
                return False
        owned = root.head if root.dep_ == "poss" else root
        words = [owned, *owned.children] if owned.i not in own else list(owned.rights)
        return (any(t.i in self.health for t in words if t.i not in own)
                or any(i in self.health for i in _phrase_after(self.doc, span.end, 4)))

    def _through_own_event(self, span: Any) -> bool:
        """Later in the name's sentence, a time phrase holds "his"/"her" health event, or "he"/
        "she" undergoes one, with no one else named between: "we cared for X during his
        surgery", "X, back on the ice after her knee surgery", "keep X in your prayers as he
        recovers from surgery". Read from word order, which holds when the parse of the
        sentence does not (a name inside a long title often loses its place)."""
        for token in span.doc[span.end:span.sent.end]:
            if (token.ent_type_ == "PERSON" or token.lower_ in care.RELATIVES
                    or (token.pos_ == "PROPN" and token.dep_ in PERSON_SLOTS)):
                return False  # someone else the pronoun can be
            if (token.lower_ in ("he", "she") and token.dep_ in SUBJECT_DEPS
                    and token.head.lemma_.lower() in UNDERGO_VERBS
                    and (token.head.i in self.health or self._reaches(token.head, {token.i}))):
                return True  # "... as he recovers from surgery", not "she treats burns"
            if token.lower_ not in ("his", "her") or token.dep_ != "poss":
                continue
            event = token.head
            while event.dep_ == "compound" and event.head.i != event.i:
                event = event.head
            if event.i in self.health and event.head.lower_ in TIME_PREPS:
                return True
        return False

    def _described(self, span: Any, own: set[int]) -> bool:
        """A relative clause, participle or appositive about the name holds a health event."""
        for child in span.root.children:
            if child.i in own:
                continue
            if child.dep_ in ("relcl", "acl") and self._reaches(child, own, -1):
                return True
            if child.dep_ == "appos" and any(t.i in self.health | self.markers
                                             for t in [child, *child.children]):
                return True  # "Ana Ruiz, a cancer survivor", "Edna, pacemaker and all"
        return False

    def _participant(self, span: Any, own: set[int]) -> bool:
        """Subject or object of a verb whose own clause holds a health word."""
        root = span.root
        if root.dep_ in SUBJECT_DEPS or root.dep_ in OBJECT_DEPS:
            governor = root.head
            if root.dep_ == "pobj" and governor.dep_ == "prep":
                if governor.lower_ in TOPIC_PREPS and not _cared_for(governor):
                    return False  # "a talk by Dr. X on vaccines" is not X's vaccine
                governor = governor.head
            if governor.i in self.health:
                return True  # "Ana tested positive", "we treated Ana"
            if root.dep_ == "nsubj" and governor.lemma_.lower() in ACTOR_VERBS:
                return False  # "X was pitching a COVID cure": X acts on health, not in it
            if root.dep_ == "dobj" and governor.lemma_.lower() in CONTACT_VERBS:
                return False  # "call X to book your flu shot": the one to reach, not a patient
            return self._reaches(governor, own)
        return False

    def _family(self, span: Any, own: set[int]) -> bool:
        """The name's own clause tells a relative's health: "X, who drives his mom to her
        radiation appointments", "X lost his son to flu". The name identifies the relative."""
        root = span.root
        clauses = [c for c in root.children if c.dep_ in ("relcl", "acl") and c.i not in own]
        if root.dep_ in SUBJECT_DEPS:
            clauses.append(root.head)
        for clause in clauses:
            words = [t for t in clause.subtree if t.i not in own]
            relatives = [t for t in words if t.lower_ in RELATIVES and any(
                c.dep_ == "poss" and c.lower_ in OWNERS for c in t.children)]
            health = [t for t in words if t.i in self.health]
            if any(_joined(r, h) for r in relatives for h in health):
                return True
        return False

    def _reaches(self, head: Any, own: set[int], depth: int = 0) -> bool:
        """A health word below ``head`` in its own clause, not through a topic preposition."""
        if head.i in self.health and head.i not in own and depth:
            return True
        if depth >= MAX_DEPTH:
            return False
        for child in head.children:
            if child.i in own or child.dep_ in CLAUSE_DEPS:
                continue
            if child.dep_ == "prep" and child.lower_ in TOPIC_PREPS and not _cared_for(child):
                continue
            if child.i in self.health and child.i not in own:
                return True
            if self._reaches(child, own, depth + 1):
                return True
        return False


def _whole_name(span: Any) -> Any:
    """The span with the proper nouns it is the first part of ("Walter" found, "Walter Finch"
    parsed): the parse hangs what is said of the name on its last word."""
    if span is None or len(span) == 0:
        return span
    end = span.end
    while (end < len(span.doc) and span.doc[end - 1].dep_ in ("compound", "flat")
           and span.doc[end - 1].head.i == end and span.doc[end].pos_ == "PROPN"):
        end += 1
    return span.doc[span.start:end]


def _object_of_care(root: Any) -> bool:
    """The name is what a care verb acts on: "we cared for X", "our team treated X" (not "call
    X to book your flu shot")."""
    governor = root.head
    if root.dep_ == "pobj" and governor.dep_ == "prep":
        governor = governor.head
    return root.dep_ in ("dobj", "pobj") and governor.lemma_.lower() in CARED_FOR_VERBS


def _cared_for(preposition: Any) -> bool:
    """"for" after a care verb names who or what is cared for: "we cared for X", "X was
    treated for pneumonia"."""
    return preposition.lower_ == "for" and preposition.head.lemma_.lower() in CARE_VERBS


def _joined(relative: Any, health: Any) -> bool:
    """The health word belongs to the relative's event: from the health word up to where it
    meets the relative in the parse, no topic preposition ("ran with his daughter for cancer
    research" is not her cancer)."""
    above = {t.i for t in [relative, *relative.ancestors]}
    for token in [health, *health.ancestors]:
        if token.i in above:
            return True
        if token.dep_ == "prep" and token.lower_ in TOPIC_PREPS:
            return False
    return False


def _phrase_after(doc: Any, start: int, limit: int) -> list[int]:
    """Up to ``limit`` tokens after ``start``, stopping at punctuation: the possessed noun
    phrase when the parse did not attach it ("Ana's knee surgery")."""
    found = []
    for i in range(start, min(start + limit, len(doc))):
        if doc[i].is_punct:
            break
        found.append(i)
    return found


def _governors(token: Any, hops: int) -> list[Any]:
    """The words above a token in the parse, up to ``hops`` steps (prepositions skipped)."""
    found = []
    current = token
    while hops > 0 and current.head.i != current.i:  # a root is its own head
        current = current.head
        if current.dep_ == "prep" or current.pos_ == "ADP":
            continue
        found.append(current)
        hops -= 1
    return found


def token_indices(doc: Any, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    found: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return frozenset(found)
