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

Here the kind is evaluated; the words are found by terms.py, a claim in a sentence by
claimfind.py (an instruction by directive.py), a source named by attribution.py.
"""

from __future__ import annotations

from typing import Any

from ..analysis.stance import fold, in_quotation, judge, quotations
from ..models import SCOPES
from .attribution import Attribution as Attribution
from .attribution import attributed as attributed
from .attribution import compile_attribution as compile_attribution
from .attribution import own_source as own_source
from .claimfind import Claim as Claim
from .claimfind import compile_claims as compile_claims
from .claimfind import find as find
from .patterns import Span
from .terms import TermSet as TermSet
from .terms import compile_terms as compile_terms
from .terms import term_words

REPORTING = "reporting_verbs"  # lexicon names the stance judge reads
REFUTATION = "refutation_frames"
MESSAGES = "message_nouns"


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
                # a claim marked `guidance: false` tells no one what to do for their health
                # ("the pandemic is a hoax"): it is borrowed by no rule about health guidance
                specs += [c for c in other.spec.get("claims", []) if c.get("guidance", True)]
        state = (compile_claims(specs, lexicons, tokenize),
                 frozenset(fold(t) for t in _terms(lexicons, REPORTING)),
                 frozenset(fold(t) for t in _terms(lexicons, MESSAGES)),
                 [term_words(t, tokenize) for t in _terms(lexicons, REFUTATION)],
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
    claims, reporting, messages, refutation, attribution = _state(engine, compiled)
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
                       refutation, context, messages)
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
