"""The stance a sentence takes toward a claim it contains.

A claim found in a sentence ("vaccines cause autism") is not always asserted by the writer:
it can be negated ("vaccines don't cause autism"), questioned ("do vaccines cause autism?"),
reported as someone else's ("a viral post claims vaccines cause autism") or refuted in a
myth-busting frame ("MYTH: cold weather causes colds. FACT: ..."). Rules decide which stances
fire; this module only says which one holds, from the dependency parse and two readable word
lists (reporting verbs and refutation frames) that live in rules/lexicons/.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

STANCES = ("asserted", "negated", "questioned", "reported", "refuted")

# Grammar, not policy: the words that negate an English clause. "n't" covers don't/can't/
# won't after the tokenizer splits them; typographic apostrophes are folded first.
NEGATORS = frozenset({"not", "n't", "never", "no", "cannot", "nor", "neither", "without",
                      "nothing", "none", "nobody"})
# Negators that negate the verb they hang on ("without chemo" or "no sugar" do not).
CLAUSE_NEGATORS = frozenset({"not", "n't", "never", "cannot"})
# Reporting verbs whose subject is the writer or the evidence itself assert, not report:
# "I'll say it", "the science says", "studies show".
ENDORSERS = frozenset({"i", "we", "science", "study", "studies", "research", "data", "evidence",
                       "scientist", "scientists", "fact", "facts", "truth"})
# Questions that assert: "Did you know antiperspirants ...?"
RHETORICAL = (("did", "you", "know"), ("do", "you", "know"), ("did", "u", "know"),
              ("you", "know"), ("fun", "fact"))
# Words that open a yes/no or wh-question when they start a sentence.
QUESTION_OPENERS = frozenset({"do", "does", "did", "can", "could", "will", "would", "is", "are",
                              "was", "were", "should", "may", "might", "has", "have", "what",
                              "why", "how", "which", "who"})
# Clause-ending marks after which a refutation frame usually answers a question ("? No.").
ANSWERS = frozenset({"no", "nope", "false", "wrong"})


def fold(text: str) -> str:
    """Lower case with typographic apostrophes made plain, so DON’T reads as don't."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def is_negator(token: Any) -> bool:
    word = fold(token.text)
    return word in NEGATORS or word.endswith("n't") or token.dep_ == "neg"


def judge(sentence: Any, claim: Sequence[Any], relation: Any,
          reporting: frozenset[str], refutation: Iterable[tuple[str, ...]],
          context: Any, messages: frozenset[str] = frozenset()) -> str:
    """The stance of ``sentence`` (a spaCy Span) toward the claim whose tokens are ``claim``
    and whose relation word is ``relation``; ``context`` is the surrounding text (a Span)
    searched for a myth-busting frame; ``messages`` are the nouns a claim travels in."""
    claimed = {t.i for t in claim}
    if _framed(context, claimed, refutation):
        return "refuted"
    if _questioned(sentence, context):
        return "questioned"
    if _negated(sentence, claim, relation):
        return "negated"
    if _reported(sentence, claim, relation, reporting) or _described(sentence, messages):
        return "reported"
    return "asserted"


def _negated(sentence: Any, claim: Sequence[Any], relation: Any) -> bool:
    """A negator between the claim's first word and its relation, or attached to the relation
    (or to the auxiliary it hangs on) in the parse."""
    first = min(t.i for t in claim)
    doc = sentence.doc
    if any(is_negator(doc[i]) and not _not_only(doc[i])
           for i in range(max(first - 1, sentence.start), relation.i + 1)
           if doc[i] not in claim):
        return True
    # the relation's own verb, or a verb the claim hangs on ("I don't think HCQ works")
    heads = [*_governors(relation), *_embedding(relation)]
    return any(child.dep_ == "neg" or fold(child.text) in CLAUSE_NEGATORS
               for head in heads for child in head.children
               if not _not_only(child))


def _embedding(token: Any) -> list[Any]:
    """The verbs whose complement clause holds the claim ("think" in "I don't think X works");
    not a neighbouring clause joined by a dash or "and" ("Don't wait - X works")."""
    found = []
    for step in [token, *token.ancestors]:
        if step.dep_ in ("conj", "parataxis", "advcl", "ROOT"):
            break
        if step.dep_ in ("ccomp", "xcomp"):
            found.append(step.head)
    return found


def _not_only(token: Any) -> bool:
    """"not only ... but also" adds, it does not negate."""
    doc = token.doc
    return token.i + 1 < len(doc) and fold(doc[token.i + 1].text) == "only"


def _governors(token: Any) -> list[Any]:
    """The relation and the words it hangs on up to the nearest verb: "from" in "you can't
    get the flu from the shot" is negated through "get"."""
    chain = [token]
    while token.pos_ not in ("VERB", "AUX") and token.head is not token and len(chain) < 4:
        token = token.head
        chain.append(token)
    return chain


def _questioned(sentence: Any, context: Any) -> bool:
    """The sentence asks: it ends in '?' (trailing emoji and spaces aside)."""
    text = sentence.text.rstrip()
    opening = tuple(fold(t.text) for t in sentence if t.is_alpha)[:3]
    if any(opening[:len(r)] == r for r in RHETORICAL):
        return False
    stripped = text.rstrip("\"'\u201d) *_!\u2757\ufe0f\U0001f914")
    return stripped.endswith("?") or "?" in text[-4:]


def _reported(sentence: Any, claim: Sequence[Any], relation: Any,
              reporting: frozenset[str]) -> bool:
    """The claim hangs on a reporting verb ("a post claims that ...", "..., he said"), or the
    sentence attributes it ("allegedly", "according to")."""
    claimed = {t.i for t in claim}
    for ancestor in relation.ancestors:
        if ancestor.i not in claimed and _reports(ancestor, reporting):
            return True
    for token in sentence:
        if token.i in claimed:
            continue
        if _reports(token, reporting) and (token.head.i in claimed or any(
                c.i in claimed for c in token.subtree)):
            return True
    return False


# What may stand before a message noun in a description of it: "A viral WhatsApp message".
DESCRIBING_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod"})


def _described(sentence: Any, messages: frozenset[str]) -> bool:
    """The sentence opens by describing a message and what it says: a message noun, then an
    -ing participle ("A video urging everyone to stay in because ...", "Viral posts claiming
    ..."). Read on the words' order and tags, which hold when the parse of the rest does not."""
    for k, token in enumerate(sentence):
        if fold(token.text) in messages and token.pos_ == "NOUN":
            after = sentence[k + 1] if k + 1 < len(sentence) else None
            # "-ing": the message acts ("asking", "claiming"); "a video made by our nurses
            # shows ..." is the writer's own
            return after is not None and after.tag_ == "VBG"
        if not (token.dep_ in DESCRIBING_DEPS or token.pos_ in ("DET", "ADJ", "PROPN")
                or token.is_punct):
            return False
    return False


def _reports(token: Any, reporting: frozenset[str]) -> bool:
    """A reporting word whose speaker is someone else (not the writer, not "the science")."""
    if fold(token.lemma_) not in reporting and fold(token.text) not in reporting:
        return False
    speakers = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not any(fold(s.text) in ENDORSERS or fold(s.lemma_) in ENDORSERS for s in speakers)


def _framed(context: Any, claimed: set[int], frames: Iterable[tuple[str, ...]]) -> bool:
    """A refutation frame ("myth", "false", "no evidence", "fact:") in the context, outside
    the claim's own words."""
    words = [(t.i, fold(t.text)) for t in context]
    for frame in frames:
        n = len(frame)
        for k in range(len(words) - n + 1):
            if all(words[k + j][1] == frame[j] for j in range(n)) and not any(
                    words[k + j][0] in claimed for j in range(n)):
                return True
    return False


# A quotation that is most of the draft is the draft's own voice (a testimonial, a shared
# quote card), not a report inside it.
WHOLE_DRAFT_SHARE = 0.8


def quotations(text: str) -> list[tuple[int, int]]:
    """Character spans of double-quoted passages (typographic quotes are folded to '"' in the
    analysis view), paired in order; an unpaired quote opens nothing."""
    marks = [i for i, char in enumerate(text) if char == '"']
    spans = [(marks[k], marks[k + 1] + 1) for k in range(0, len(marks) - 1, 2)]
    words = len(text.strip()) or 1
    return [(a, b) for a, b in spans if (b - a) / words < WHOLE_DRAFT_SHARE]


def in_quotation(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """A claim whose relation is inside a quotation is reported: the post quotes a headline,
    a message or a person ('a video claims the "numbers are false"'), it does not assert it."""
    return any(a < offset < b for a, b in spans)
