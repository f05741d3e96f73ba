"""The `claim` rule kind: a claim described as subject, relation and object, found on the parse.

A compliance officer writes a claim as three sets of words (each word matches a token's text
or its lemma; a trailing ``*`` matches any ending; a set may also name lexicons)::

    claims:
      - subject: [vaccine, vaccination, shot, jab, mmr]
        relation: [cause, trigger, "lead to", "linked to"]
        object: [autism]

A sentence holds the claim when it has a word of each given set and either the parse links
them (subject and object hang on the relation) or they come close together in claim order,
active ("vaccines cause autism") or, when the relation is a participle, passive ("autism is
caused by vaccines"). ``directive: true`` asks that the relation be an instruction to the
reader (an imperative, "you should ...", "how to ..."). Each match's stance is judged by
analysis/stance.py and the rule's ``stance`` list (default: asserted) says which ones fire.
With ``require``, the rule fires only when the required pattern is absent (like `missing`).

A claim rule may also take a ``trigger`` pattern: each of its matches (a figure such as "40%",
"3-fold") is a claim of its own whose stance is judged the same way. With ``attribution``, a
claim attributed in prose to a named source ("according to the CDC", "a new CDC report",
"RT @WHO: ...", "HHS: 24% of ...", "the CDC estimates ...") is cited, and a draft whose
``org`` is one of the named sources states its own figures: neither fires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis.stance import fold, in_quotation, is_negator, judge, quotations
from ..models import SCOPES
from .patterns import Span

GAP = 8  # most words between subject and relation, or relation and object, in surface order
PARSE_REACH = 25  # most tokens a parse-linked claim may span
BOUNDARIES = frozenset({";", "|", "\u2014", "\u2013", "\u2192", "\u27a1", "\u27a1\ufe0f"})
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
# a word hanging on a noun as its modifier: "coronavirus" in "the latest coronavirus updates"
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
SOFTENERS = frozenset({"please", "just", "always", "also", "still", "now", "then", "do", "n't",
                       "not", "never", "to", "and", "&", "or", "pls", "plz", "definitely",
                       "really", "simply", "regularly", "gently", "first", "try", "make", "sure"})
HOW_TO = frozenset({"how", "ways", "way", "tips", "tip", "steps", "reasons"})
REPORTING = "reporting_verbs"  # lexicon names the stance judge reads
REFUTATION = "refutation_frames"


@dataclass
class TermSet:
    """Words and multi-word terms, indexed by first word for one pass over a sentence."""
    exact: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    wild: list[tuple[str, ...]] = field(default_factory=list)
    proper: bool = False  # the terms are themselves proper names ("World Health Organization")

    def add(self, term: str, tokenize: Any = None) -> None:
        # as the tokenizer splits it, and as written: in running text "5G." stays one token
        # although the tokenizer alone splits "5g" like "5 g" (grams)
        for words in {_words(term, tokenize), _words(term, None)}:
            if not words:
                continue
            if words[0].endswith("*"):
                self.wild.append(words)
            else:
                self.exact.setdefault(words[0], []).append(words)

    def spans(self, tokens: Any) -> list[tuple[int, int]]:
        """Token spans (doc indices, end exclusive) of every term in ``tokens`` (a Span)."""
        found = []
        doc, start, end = tokens.doc, tokens.start, tokens.end
        for i in range(start, end):
            token = doc[i]
            name = None if self.proper else _enclosing_name(token)
            candidates = (self.exact.get(_text(token), []) + self.exact.get(
                fold(token.lemma_), []) + self.wild)
            for words in candidates:
                j = i + len(words)
                if name is not None and not (i <= name.start and j >= name.end):
                    continue  # part of a longer name; the whole name as a term ("Vitamin C") counts
                if j <= end and all(_word(doc[i + k], w) for k, w in enumerate(words)):
                    found.append((i, j))
        return sorted(set(found))


NAME_LABELS = {"ORG", "FAC", "GPE", "LOC", "PERSON", "WORK_OF_ART", "EVENT"}


def _enclosing_name(token: Any) -> Any:
    """The multi-word proper name a capitalised word is inside, if any: such a word is part of
    the name, not a claim's word ("Health" in "Kestrel Bay Health clinic" is no health topic),
    unless the term is the whole name."""
    if not token.is_title or token.ent_type_ not in NAME_LABELS:
        return None
    entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return entity if entity is not None and len(entity) > 1 else None


def _words(term: str, tokenize: Any) -> tuple[str, ...]:
    """A term as the pipeline's tokenizer splits it ("linked to", "can't", "myth:"), folded;
    a trailing * stays on the last word."""
    wild = term.endswith("*")
    base = term[:-1] if wild else term
    words = [fold(t.text) for t in tokenize(base)] if tokenize else fold(base).split()
    if wild and words:
        words[-1] += "*"
    return tuple(words)


def _text(token: Any) -> str:
    """A token's folded text without a hashtag sign or a stuck full stop ("5G." is one token)."""
    return fold(token.text).lstrip("#").rstrip(".,!?;:") or fold(token.text)


def _word(token: Any, word: str) -> bool:
    text = _text(token)
    if word.endswith("*"):
        return text.startswith(word[:-1])
    return word in (text, fold(token.lemma_))


@dataclass
class Claim:
    subject: TermSet | None
    relation: TermSet
    object: TermSet | None
    directive: bool = False
    parsed: bool = False  # the subject must be the relation's grammatical subject
    gap: int = GAP  # most words between the parts in surface order


def compile_terms(spec: Any, lexicons: dict[str, Any], tokenize: Any = None) -> TermSet | None:
    """A slot as written: a list of words, or {words: [...], lexicon: name | [names]}."""
    if spec is None:
        return None
    terms = TermSet()
    words = spec if isinstance(spec, list) else spec.get("words", [])
    names = [] if isinstance(spec, list) else spec.get("lexicon", [])
    for name in [names] if isinstance(names, str) else names:
        words = [*words, *lexicons[name].terms]
    for word in words:
        terms.add(str(word), tokenize)
    return terms


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
    subjects = claim.subject.spans(sentence) if claim.subject else [None]
    objects = claim.object.spans(sentence) if claim.object else [None]
    found = []
    for r in relations:
        if claim.directive and not _directive(sentence, r[0]):
            continue
        for s in subjects:
            for o in objects:
                if _overlap(s, r) or _overlap(o, r) or (s and o and _overlap(s, o)):
                    continue
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


def _modifies_other(doc: Any, o: tuple[int, int], terms: TermSet | None) -> bool:
    """The object word only modifies another noun, itself no object word, in a noun phrase
    an adjective opens: "Get the latest coronavirus updates" is about updates, not the virus
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
    object across a dash ("Floss once a day - your gums will thank you")."""
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
    # the subject of "have" in "studies have shown", or of a verb the relation completes
    return head.i == relation.i or (relation.head == head and relation.dep_ in ("xcomp", "conj"))


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


def _directive(sentence: Any, index: int) -> bool:
    """The relation word instructs the reader: an imperative opening the sentence (after
    "please", "don't", emoji or bullets), a verb after "you should"/"everyone must", or
    "how to ..."."""
    doc = sentence.doc
    token = doc[index]
    if token.tag_ in INFLECTED and fold(token.text) != fold(token.lemma_):
        return False
    if token.dep_ == "conj" and token.head.i < index and token.head.i >= sentence.start \
            and _directive(sentence, token.head.i):  # "Floss daily and brush twice a day"
        return True
    i = index - 1
    while i >= sentence.start:
        word = fold(doc[i].text)
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
    slot = spec["names"]
    words = slot if isinstance(slot, list) else slot.get("words", [])
    listed = [] if isinstance(slot, list) else slot.get("lexicon", [])
    for name in [listed] if isinstance(listed, str) else listed:
        words = [*words, *lexicons[name].terms]
    for word in map(str, words):
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


def _state(engine: Any, compiled: Any) -> tuple[Any, ...]:
    """The rule's claims, word lists and attribution, compiled once."""
    state = getattr(compiled, "claim_state", None)
    if state is None:
        rule = compiled.rule
        lexicons = engine.patterns.ruleset.lexicons
        tokenize = engine.patterns.nlp.tokenizer
        specs = list(rule.spec.get("claims", []))
        for other in engine.patterns.ruleset.rules:  # `claims_of: misinformation`
            if other.kind == "claim" and other.category == rule.spec.get("claims_of"):
                specs += other.spec.get("claims", [])
        state = (compile_claims(specs, lexicons, tokenize),
                 frozenset(fold(t) for t in _terms(lexicons, REPORTING)),
                 [_words(t, tokenize) for t in _terms(lexicons, REFUTATION)],
                 compile_attribution(rule.spec.get("attribution"), lexicons, tokenize))
        compiled.claim_state = state
    return state


def _matches(engine: Any, compiled: Any, analysis: Any,
             claims: list[Claim]) -> list[tuple[Any, list[int], int]]:
    """(sentence, claim tokens, relation token) of every claim, and of every trigger match."""
    rule = compiled.rule
    doc = analysis.doc
    found = []
    for sentence in doc.sents:
        if analysis.scope_at(sentence.start_char) not in rule.scopes:
            continue
        for claim in claims:
            found += [(sentence, tokens, relation) for tokens, relation in find(claim, sentence)]
    for lo, hi in engine._hits(compiled.keys.get("trigger", []), analysis, tuple(rule.scopes)):
        span = doc.char_span(lo, hi, alignment_mode="expand")
        if span is not None and len(span):
            found.append((span.sent, list(range(span.start, span.end)), span.root.i))
    return found


def evaluate(engine: Any, compiled: Any, analysis: Any) -> list[tuple[Span, list[Span], str]]:
    """The claim rule's findings for one draft (the engine's `_evaluate` dispatches here)."""
    rule = compiled.rule
    claims, reporting, refutation, attribution = _state(engine, compiled)
    if attribution is not None and own_source(attribution, analysis.draft.meta.get("org"),
                                              engine.patterns.nlp.tokenizer):
        return []
    wanted = rule.spec.get("stance", ["asserted"])
    wanted = [wanted] if isinstance(wanted, str) else wanted
    found: list[tuple[Span, list[Span], str]] = []
    doc = analysis.doc
    # a testimonial's quote is its speaker's own claim, not a report
    quoted = [] if analysis.draft.kind == "testimonial" else quotations(analysis.text)
    for sentence, tokens, relation in _matches(engine, compiled, analysis, claims):
        span = (doc[tokens[0]].idx, doc[tokens[-1]].idx + len(doc[tokens[-1]]))
        lo, hi = analysis.context(span[0])
        context = doc.char_span(lo, hi, alignment_mode="expand") or sentence
        stance = judge(sentence, [doc[i] for i in tokens], doc[relation], reporting,
                       refutation, context)
        if stance == "asserted" and in_quotation(doc[relation].idx, quoted):
            stance = "reported"
        if stance not in wanted or engine._unless(compiled, analysis, span):
            continue
        if attribution is not None and (attributed(attribution, context)
                                        or attributed(attribution, next(doc.sents))):
            continue  # the sentence, a neighbour or the post's opening names the source
        found.append((span, [span], ""))
    if not found or "require" not in compiled.keys:
        return found
    within = rule.spec.get("require_within", {})
    required = engine._hits(compiled.keys["require"], analysis,
                            tuple(within.get("scopes", SCOPES)))
    return [] if required else found[:1]


def _terms(lexicons: dict[str, Any], name: str) -> list[str]:
    lexicon = lexicons.get(name)
    return list(lexicon.terms) if lexicon is not None else []
