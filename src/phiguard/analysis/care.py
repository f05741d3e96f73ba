"""Care confirmation in a reply: does the organization speak of care it gave this person?

A reply confirms that someone is a patient when, in one sentence, the speaker ("we", "I",
"our nurses") takes part in a care word (a visit, a procedure, a condition, a medication)
that belongs to the person answered or someone they mentioned ("you", "your dad", "him",
the commenter's name): "we'll recheck at your follow-up", "the nurses enjoyed having him in
the infusion chair", "as I mentioned to you at the visit"; or speaks of care the comment it
answers told of (answered.py). What does not confirm it: a hedge, an offer or a condition
("our front desk could set you up with a counselor"), a negation ("we can't discuss your care
here"), a redirect ("please phone his care team or the nurse line").

The confirmed care words are marked on the Doc; rules read them through the token
extension ``care_confirmed`` (``tokens: [{_: {care_confirmed: true}}]``). Those that are
themselves a specific health detail (a condition, a procedure, a test, a drug: "your
cleaning", "your wife's EKG", not "your visit" or "your care") are also ``care_disclosed``:
the reply both confirms the person is a patient and says what their care was, which POLICY
counts as phi, not only review_reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

USER_DATA_KEY = "phiguard.care_confirmed"
EXTENSION = "care_confirmed"
DISCLOSED_KEY = "phiguard.care_disclosed"
DISCLOSED_EXTENSION = "care_disclosed"
HELD_BACK_EXTENSION = "care_held_back"
NAMED_KEY = "phiguard.named"  # tokens of the names found (spaCy's NER and the recognizers')

SPEAKER = {"we", "us", "our", "ours", "i", "me", "my", "ourselves"}
ADDRESSEE = {"you", "your", "yours", "yourself", "u", "ur", "y'all", "ya"}
THIRD_PERSON = {"he", "him", "his", "she", "her", "hers", "they", "them", "their"}
# The people a commenter speaks for: "your dad", "my son". No maintained list; kept short.
RELATIVES = {
    "mom", "mother", "mum", "mama", "dad", "father", "papa", "son", "daughter", "husband",
    "wife", "child", "kid", "kids", "baby", "partner", "grandma", "grandmother", "grandpa",
    "grandfather", "brother", "sister", "aunt", "uncle", "parent", "parents", "family",
    "boy", "girl", "twins", "newborn", "spouse", "fiance", "fiancee", "granddaughter", "grandson",
}
# Titles before a name that make the person one of the organization's clinicians in its reply.
CLINICIAN_TITLES = {"dr", "doctor", "nurse", "hygienist", "therapist", "midwife", "np", "pa"}
# spaCy reads "can't" as ca + n't and "won't" as wo + n't
HEDGES = {"can", "could", "would", "might", "may", "should", "ca", "'d", "wo"}
CONDITIONS = {"if", "whether", "unless"}
# Verbs that send the person elsewhere instead of speaking of their care.
REDIRECTS = {"call", "contact", "reach", "email", "e-mail", "message", "dm", "text", "talk",
             "speak", "ask", "discuss", "book", "schedule", "find", "help", "share", "send",
             "recommend", "suggest", "encourage", "consider"}


# Adjectives that make what follows an offer when in the present: "we're happy to see you".
OFFER_WORDS = {"happy", "glad", "welcome", "able", "available", "ready", "eager", "free"}


def register_extension() -> None:
    """``token._.care_confirmed``: the token is a care word the reply confirms (read by rules)."""
    from spacy.tokens import Token

    if not Token.has_extension(EXTENSION):
        Token.set_extension(EXTENSION, getter=_confirmed)
    if not Token.has_extension(DISCLOSED_EXTENSION):
        Token.set_extension(DISCLOSED_EXTENSION, getter=_disclosed)
    if not Token.has_extension(HELD_BACK_EXTENSION):
        # ``_: {care_held_back: false}``: a rule's care word is not hedged, negated,
        # conditional or redirected ("if you'd like to book your first visit")
        Token.set_extension(HELD_BACK_EXTENSION, getter=lambda t: held_back(t, frozenset()))


def _confirmed(token: Any) -> bool:
    return token.i in token.doc.user_data.get(USER_DATA_KEY, ())


def _disclosed(token: Any) -> bool:
    return token.i in token.doc.user_data.get(DISCLOSED_KEY, ())


def mark(doc: Any, care: Iterable[int], addressee: set[str],
         specific: Iterable[int] = (), answering: Iterable[int] = (),
         named: Iterable[int] = (), told: frozenset[str] = frozenset()) -> frozenset[int]:
    """Find and store on ``doc`` the care tokens a reply confirms; returns them.

    ``named`` are the tokens of the names found, by spaCy's NER or the recognizers ("tell
    rosalind hello"), other than the addressee's: a later "she" can be that person.
    ``told`` are the health words the answered comment told of care elsewhere: a reply that
    repeats them ("his insulin" to "my dad takes insulin") confirms nothing by owning them.

    ``specific`` are health words (a condition, a drug, a procedure): one the reply says the
    person has ("your azithromycin", "your Crohn's") confirms it too, however it is said.
    ``answering`` are care words that speak of care the answered comment told of (answered.py)."""
    specific = frozenset(specific)
    care = frozenset(care) | specific
    doc.user_data[NAMED_KEY] = frozenset(named)
    owned = owned_health(doc, frozenset(i for i in specific if doc[i].lower_ not in told))
    found = (confirmed_care(doc, care, addressee) | owned
             | called_patient(doc, addressee) | frozenset(answering))
    doc.user_data[USER_DATA_KEY] = found
    doc.user_data[DISCLOSED_KEY] = frozenset(
        i for i in found if i in specific and doc[i].lower_ not in GENERIC)
    return found


def confirmed_care(doc: Any, care: frozenset[int], addressee: set[str]) -> frozenset[int]:
    """Care tokens whose own clause has the speaker and the patient side in it, not under a
    hedge, a negation, a condition, an offer or a redirect."""
    found: set[int] = set()
    someone_mentioned = False  # a relative or a person named so far: "he"/"she" may be them
    for sent in doc.sents:
        someone_mentioned = someone_mentioned or any(
            t.lower_ in RELATIVES or is_named(t) for t in sent)
        for token in sent:
            if token.i not in care or held_back(token, care) or _names_a_unit(token):
                continue
            clause = clause_of(token)
            if not _patient_side(clause, addressee, someone_mentioned):
                continue
            if (any(_speaker_side(t) for t in clause) or _implied_speaker(clause, care)
                    or _speaker_in_joined_clause(clause)):
                found.add(token.i)
    return frozenset(found)


# Where the organization's people work: "our billing office", "the surgery team".
UNITS = {"office", "team", "department", "dept", "desk", "line", "staff", "unit", "center",
         "centre", "manager", "coordinator", "specialist", "specialists", "counselor", "portal"}


def _names_a_unit(token: Any) -> bool:
    """The care word only says which of the organization's units: "our billing office will
    get back to you" speaks of no bill of the person's."""
    return token.dep_ in ("compound", "amod") and token.head.lower_ in UNITS


def _speaker_side(token: Any) -> bool:
    """The organization speaking or one of its clinicians by title: "we", "our", "Dr. Hale"
    ("Dr. Hale wanted to be sure your blood pressure pills were working")."""
    if token.lower_ in SPEAKER:
        return True
    if token.pos_ != "PROPN" or token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return before.lower_.rstrip(".") in CLINICIAN_TITLES and before.i + 1 == token.i


def _speaker_in_joined_clause(clause: list[Any]) -> bool:
    """The clause is joined by "and" to one the speaker acts in: "we'll numb the area first
    and you'll only need 12 units" (the amount is the speaker's plan for the person)."""
    head = clause[0]
    if head.dep_ != "conj" or head.pos_ not in ("VERB", "AUX"):
        return False
    return any(t.lower_ in SPEAKER and t.dep_ in ("nsubj", "nsubjpass")
               for t in head.head.children)


# Children that start another clause, with its own subject and its own events.
CLAUSE_DEPS = {"ccomp", "advcl", "conj", "parataxis", "csubj", "relcl", "acl"}


def clause_of(token: Any) -> list[Any]:
    """The words of the clause a care word belongs to: from its nearest verb (or the root),
    every word below it that is not inside another clause; the verbs above it that it
    completes ("loved having him", "a privilege to look after") are followed up."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    while head.dep_ in ("xcomp", "acomp", "acl") and head.head.i != head.i:
        head = head.head  # "loved having him", "happy to see you": the governing verb
    words: list[Any] = []
    stack = [head]
    while stack:
        current = stack.pop()
        words.append(current)
        stack.extend(c for c in current.children if c.dep_ not in CLAUSE_DEPS)
    return words


# Health words that name a kind of thing, not the person's own: "your medication", "your care".
GENERIC = {"medication", "medications", "medicine", "medicines", "meds", "med", "care",
           "health", "condition", "conditions", "symptoms", "treatment", "treatments",
           "results", "insurance", "doctor", "provider", "prescription", "prescriptions",
           # the person's own clinicians elsewhere: "best asked of your surgeon or OT"
           "surgeon", "surgeons", "therapist", "pt", "physician", "dentist", "nurse",
           "pediatrician", "specialist", "clinician", "prescriber", "pharmacist", "ot", "np"}


def owned_health(doc: Any, specific: frozenset[int]) -> frozenset[int]:
    """Specific health words the person answered owns: "your azithromycin", "your son's
    asthma", "your wife's labs and EKG" - told to them, not asked about, hedged or
    redirected. "her pneumonia" is owned too once the reply has spoken of a relative or a
    named person she can be ("we called your mother ... her pneumonia")."""
    found = set()
    for i in specific:
        token = doc[i]
        head = token
        chain = [token]
        while head.dep_ in ("compound", "amod", "conj") and head.head.i != head.i:
            head = head.head  # "your [blood pressure] pills" -> pills; "your X and [Y]" -> X
            chain.append(head)
        if token.lower_ in GENERIC:
            continue
        # the owner may hang on any word of the phrase: "your accutane glow-up"
        owners = [c for step in chain for c in step.children if c.dep_ == "poss"]
        if any(_owner_is_patient_side(o, _someone_before(doc, o.i)) for o in owners) and (
                not held_back(token, specific)):
            found.add(i)
    return frozenset(found)


def is_named(token: Any) -> bool:
    """The token is part of the name of someone other than the addressee (spaCy's NER or
    the recognizers')."""
    return token.i in token.doc.user_data.get(NAMED_KEY, ())


def _owner_is_patient_side(owner: Any, someone_before: bool) -> bool:
    low = owner.lower_
    if low in ADDRESSEE:
        return True
    if low in RELATIVES:
        return any(p.lower_ in ADDRESSEE for p in owner.children)
    return low in THIRD_PERSON and low != "their" and someone_before


def _someone_before(doc: Any, index: int) -> bool:
    """A relative of the person answered ("your dad") or a named person comes before
    ``index``: a later "he"/"she" can be them."""
    for token in doc[:index]:
        if is_named(token):
            return True
        if token.lower_ in RELATIVES and any(
                p.lower_ in ADDRESSEE for p in token.children if p.dep_ == "poss"):
            return True
    return False


# Nouns that say someone is a patient of the speaker: "you were a great patient".
PATIENT_NOUNS = {"patient", "patients", "client", "clients", "resident", "residents"}


def called_patient(doc: Any, addressee: set[str]) -> frozenset[int]:
    """A patient noun said of the person answered, a relative or a person named before:
    "you were such a great patient", "she was a fun client". Hedged, negated and conditional
    clauses do not count ("if you become a patient", "you're not a patient here")."""
    found = set()
    for token in doc:
        if token.lower_ not in PATIENT_NOUNS or token.pos_ != "NOUN" or token.dep_ != "attr":
            continue
        verb = token.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects or held_back(token, frozenset()):
            continue
        subject = subjects[0]
        low = subject.lower_
        if (low in ADDRESSEE or low in addressee or _owner_is_patient_side(
                subject, _someone_before(doc, subject.i)) or (
                low in RELATIVES and any(p.lower_ in ADDRESSEE for p in subject.children))):
            found.add(token.i)
    return frozenset(found)


def _patient_side(sent: Any, addressee: set[str], someone_mentioned: bool) -> bool:
    for token in sent:
        low = token.lower_
        if low in ADDRESSEE or low in addressee or low in RELATIVES:
            return True
        if low in THIRD_PERSON and someone_mentioned:
            return True
    return False


def _implied_speaker(clause: list[Any], care: frozenset[int]) -> bool:
    """A care verb with no subject whose object is the person: "see you at your follow-up",
    "a privilege to look after your dad"."""
    for token in clause:
        if token.pos_ != "VERB" or any(c.dep_ in ("nsubj", "nsubjpass") and not _cut_off(c, token)
                                       for c in token.children):
            continue
        if token.i not in care and token.lemma_.lower() not in ("see", "have"):
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
        objects += [g for c in token.children if c.dep_ == "prep"
                    for g in c.children if g.dep_ == "pobj"]
        if any(o.lower_ in ADDRESSEE or o.lower_ in RELATIVES or o.lower_ in THIRD_PERSON
               or any(p.lower_ in ADDRESSEE for p in o.children if p.dep_ == "poss")
               for o in objects):
            return token.lemma_.lower() not in REDIRECTS
    return False


# A dash, colon or semicolon ends a clause: a "subject" the parse takes across one is not
# the verb's ("Congrats on the new job - see you at the recheck").
CLAUSE_BREAKS = {"-", "\u2013", "\u2014", "--", ":", ";"}


def _cut_off(subject: Any, verb: Any) -> bool:
    """A clause break stands between the subject and its verb."""
    low, high = sorted((subject.i, verb.i))
    return any(t.text in CLAUSE_BREAKS for t in subject.doc[low + 1:high])


def held_back(token: Any, care: frozenset[int]) -> bool:
    """The care word's own clause is hedged, negated or conditional, or a redirect governs it.

    Hedges, negations and conditions count in the clauses the care word belongs to up to the
    first clause boundary ("you can stop X and we'll recheck": the "can" is not the recheck's);
    a redirect verb counts anywhere above ("please call ... about your medication")."""
    current = token
    own_clause = True
    for _ in range(12):  # up to the root
        if current.pos_ in ("VERB", "AUX") and current.i not in care and (
                current.lemma_.lower() in REDIRECTS or current.lower_ in REDIRECTS) and (
                not _narrated(current)):
            return True
        if own_clause and _hedged(current):
            return True
        if current.head.i == current.i:
            break
        if current.dep_ in CLAUSE_DEPS:
            own_clause = False
        current = current.head
    return False


# Verbs of talking that tell what someone says or said rather than send the person
# somewhere: "the whole unit still mentions her first laugh".
TALK = {"talk", "speak", "share", "discuss"}


def _narrated(verb: Any) -> bool:
    """A report, not a redirect: any such verb told in the past with its subject ("the
    impacted tooth we found at his first visit", "we called your mother"), or a talking verb
    in the present with a subject that is not the person answered ("please talk to", "you
    can speak with" and "we will discuss" stay redirects)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.tag_ == "VBD" and subjects:
        return True
    if verb.lemma_.lower() not in TALK or verb.tag_ not in ("VBD", "VBP", "VBZ"):
        return False
    return bool(subjects) and all(s.lower_ not in ADDRESSEE for s in subjects)


def _hedged(word: Any) -> bool:
    if word.lower_ in OFFER_WORDS and _present(word):
        return True  # "we're glad to go over your list": an offer, not a memory
    for child in word.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
        if child.dep_ == "aux" and child.lower_ in HEDGES and not _permission(word, child):
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONS:
            return True
    return False


def _permission(verb: Any, modal: Any) -> bool:
    """"you can"/"you may" tells the person what they may do with their care ("you can skip
    your evening dose"), not a hedge on whether there is any."""
    return modal.lower_ in ("can", "may") and any(
        c.dep_ == "nsubj" and c.lower_ in ("you", "u") for c in verb.children)


def _present(adjective: Any) -> bool:
    """The adjective is said of now: "we're happy to", "we are glad to" (not "we were")."""
    verbs = [adjective.head] if adjective.dep_ == "acomp" else []
    verbs += [c for c in adjective.children if c.dep_ in ("aux", "cop")]
    return any(v.tag_ in ("VBP", "VBZ") for v in verbs)
