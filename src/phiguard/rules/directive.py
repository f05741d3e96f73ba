"""Whether a claim's relation word instructs the reader (a claim rule's ``directive: true``):
an imperative opening the sentence or following a label and a colon (after "please", "don't",
a greeting, emoji or bullets), a verb after "you should"/"everyone must", or "how to ...".
"""

from __future__ import annotations

from typing import Any

from ..analysis.stance import fold, is_negator

SECOND_PERSON = frozenset({"you", "u", "y'all", "everyone", "everybody", "anyone", "people",
                           "parents", "adults", "kids", "caregivers", "we"})
MODALS = frozenset({"should", "must", "need", "can", "could", "may", "have", "'ll", "will",
                    "ought", "better", "'d"})
# "will" predicts ("people will stop laughing"); it instructs only with the reader as its
# subject ("you'll need to ...")
PREDICTIVE = frozenset({"will", "'ll", "'d"})
READER = frozenset({"you", "u", "y'all"})
# an inflected verb is not an imperative: "Taken together ...", "Seen from above ..."
INFLECTED = frozenset({"VBN", "VBD", "VBZ", "VBG"})
SOFTENERS = frozenset({"please", "just", "always", "also", "still", "now", "then", "do", "n't",
                       "not", "never", "to", "and", "&", "or", "pls", "plz", "definitely",
                       "really", "simply", "regularly", "gently", "first", "try", "make", "sure"})
# verbs whose -ing object is the act instructed: "keep brushing", "avoid touching", "start walking"
ASPECT_VERBS = frozenset({"keep", "avoid", "start", "stop", "quit", "try", "continue", "begin",
                          "practice", "practise"})
HOW_TO = frozenset({"how", "ways", "way", "tips", "tip", "steps", "reasons"})


GREETINGS = frozenset({"hi", "hey", "hello", "dear", "thanks", "morning", "ok", "okay", "yes",
                       "no", "sure", "babe", "hun", "friend"})


def _vocative(doc: Any, i: int, start: int) -> bool:
    """``doc[i]`` opens the sentence as a greeting or a name addressed ("Hi Rachel,", "Sam,"):
    every word from the start is a greeting or a proper name, and a comma or dash follows."""
    words = range(start, i + 1)
    if not all(fold(doc[k].text) in GREETINGS or doc[k].pos_ == "PROPN"
               or not doc[k].is_alpha for k in words):
        return False
    return any(doc[k].text in (",", "\u2014", "-", "!") for k in range(i + 1, min(i + 3, len(doc))))


def _opens_clause(verb: Any, before: Any) -> bool:
    """After a comma, a base-form verb can begin an instruction ("if it swells, ice it"):
    not one item of a list or another verb's complement, with no subject between the comma
    and it, and no modal before the comma whose verbs it would continue ("X can lower A,
    reduce B")."""
    comma = before.end
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # the tagger reads an imperative after an if-clause as present tense ("..., wear goggles");
    # with no subject at all it is one. A subject before the comma is the parse's slip.
    base = (verb.tag_ == "VB" and all(i < comma for i in subjects)) or (
        verb.tag_ == "VBP" and not subjects)
    # a modal or a verb continued by this one ("X can lower A, reduce B"), unless what comes
    # before the comma is a clause of its own ("if someone won't wake up, call 911": the
    # parse may still join the two)
    subordinate = any(t.dep_ == "mark" for t in before)
    continued = not subordinate and (any(t.tag_ == "MD" for t in before)
                                     or verb.dep_ == "conj")
    return base and verb.dep_ != "xcomp" and not continued


def instructs(sentence: Any, index: int) -> bool:
    """The relation word instructs the reader: an imperative opening the sentence (after
    "please", "don't", emoji or bullets), a verb after "you should"/"everyone must", or
    "how to ..."."""
    doc = sentence.doc
    token = doc[index]
    if (token.tag_ == "VBG" and index - 1 >= sentence.start
            and fold(doc[index - 1].text) in ASPECT_VERBS):
        return instructs(sentence, index - 1)  # "keep brushing", "avoid touching your face"
    if token.tag_ in INFLECTED and fold(token.text) != fold(token.lemma_):
        return False
    if token.dep_ == "conj" and token.head.i < index and token.head.i >= sentence.start \
            and instructs(sentence, token.head.i):  # "Floss daily and brush twice a day"
        return True
    i = index - 1
    while i >= sentence.start:
        word = fold(doc[i].text)
        if word == ":" or (word == "," and _opens_clause(token, doc[sentence.start:i])):
            # a label opens the instruction like a sentence start ("Today's tip: floss"), and
            # so does a comma before a verb that begins its own clause ("if it swells, ice it")
            break
        if word in SOFTENERS or doc[i].pos_ in ("ADV", "PUNCT", "SYM", "X", "INTJ", "SPACE") \
                or not any(ch.isalnum() for ch in word):
            if word == "to" and i - 1 >= sentence.start and fold(doc[i - 1].text) in HOW_TO:
                return True
            i -= 1
            continue
        if word in MODALS or doc[i].tag_ == "MD":
            j, predictive = i - 1, word in PREDICTIVE
            while j >= sentence.start and (is_negator(doc[j]) or doc[j].pos_ == "ADV"
                                           or fold(doc[j].text) in MODALS):
                predictive = predictive or fold(doc[j].text) in PREDICTIVE  # "you'll need to"
                j -= 1
            people = READER if predictive else SECOND_PERSON
            return j >= sentence.start and fold(doc[j].text) in people
        if word in ("@", "rt") or word.startswith(("@", "#")) or doc[i].like_url:
            i -= 1
            continue
        if _vocative(doc, i, sentence.start):  # "Hi Rachel, stop the ..."
            i -= 1
            continue
        return False
    # at the sentence's start; the tagger often misreads an imperative ("Floss" as JJ), so
    # only a following finite verb says it is a subject instead ("Sleep is important")
    following = doc[index + 1] if index + 1 < sentence.end else None
    subject = following is not None and (following.tag_ in ("VBZ", "VBD", "MD")
                                         or fold(following.text) in ("is", "was", "'s"))
    return token.text[:1].isalpha() and not subject
