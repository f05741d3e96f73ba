"""The words a claim rule is written in, found on the parse: a ``TermSet`` indexes words and
multi-word terms (a trailing ``*`` matches any ending; a slot may name lexicons) and finds them
in a sentence by a token's text or lemma. A capitalised word inside a longer proper name is
part of the name, not the word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis.namewords import enclosing_name
from ..analysis.stance import fold


@dataclass
class TermSet:
    """Words and multi-word terms, indexed by first word for one pass over a sentence."""
    exact: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    wild: list[tuple[str, ...]] = field(default_factory=list)
    proper: bool = False  # the terms are themselves proper names ("World Health Organization")
    # lexicons' sets, built once and shared by every slot that names them
    shared: list[TermSet] = field(default_factory=list)

    def add(self, term: str, tokenize: Any = None) -> None:
        # as the tokenizer splits it, and as written: in running text "5G." stays one token
        # although the tokenizer alone splits "5g" like "5 g" (grams)
        for words in {term_words(term, tokenize), term_words(term, None)}:
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
        texts, lemmas = _view(doc)
        for i in range(start, end):
            candidates = self._candidates(texts[i], lemmas[i])
            if not candidates:
                continue
            name = None if self.proper else enclosing_name(doc[i])
            for words in candidates:
                j = i + len(words)
                if name is not None and not (i <= name.start and j >= name.end):
                    continue  # part of a longer name; the whole name as a term ("Vitamin C") counts
                if j <= end and all(_word(texts[i + k], lemmas[i + k], w)
                                    for k, w in enumerate(words)):
                    found.append((i, j))
        return sorted(set(found))

    def _candidates(self, text: str, lemma: str) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        for part in (self, *self.shared):
            found += part.exact.get(text, ())
            if lemma != text:
                found += part.exact.get(lemma, ())
            found += part.wild
        return found


_VIEW_KEY = "phiguard.term_view"


def _view(doc: Any) -> tuple[list[str], list[str]]:
    """Each token's folded text and lemma, computed once per Doc: every slot of every claim
    rule reads them for every sentence (most of the rules' time before)."""
    view = doc.user_data.get(_VIEW_KEY)
    if view is None:
        view = doc.user_data[_VIEW_KEY] = ([_text(t) for t in doc],
                                           [fold(t.lemma_) for t in doc])
    return view


def term_words(term: str, tokenize: Any) -> tuple[str, ...]:
    """A term as the pipeline's tokenizer splits it ("linked to", "can't", "myth:"), folded;
    a trailing * stays on the last word."""
    wild = term.endswith("*")
    base = term[:-1] if wild else term
    words = list(_tokenized(base, tokenize)) if tokenize else fold(base).split()
    if wild and words:
        words[-1] += "*"
    return tuple(words)


_TOKENIZED: dict[tuple[Any, str], tuple[str, ...]] = {}


def _tokenized(text: str, tokenize: Any) -> tuple[str, ...]:
    """The folded tokens of ``text``, once per tokenizer and text: claim rules share lexicons
    of thousands of terms (drug names), and running the tokenizer on each, for each rule that
    reads it, was most of a cold start. Words of letters only that are no special case of the
    tokenizer ("cannot", "gonna") are split on spaces without running it."""
    key = (tokenize, text)  # the tokenizer itself, held: never another one's id
    found = _TOKENIZED.get(key)
    if found is None:
        specials = getattr(tokenize, "rules", None)
        words = text.split(" ")
        if specials is not None and all(
                w.isalpha() and w not in specials and w.lower() not in specials for w in words):
            found = tuple(fold(w) for w in words)
        else:
            found = tuple(fold(t.text) for t in tokenize(text))
        _TOKENIZED[key] = found
    return found


def _text(token: Any) -> str:
    """A token's folded text without a hashtag sign or a stuck full stop ("5G." is one token)."""
    return fold(token.text).lstrip("#").rstrip(".,!?;:") or fold(token.text)


def _word(text: str, lemma: str, word: str) -> bool:
    """A token (its folded text and lemma) is ``word``; a trailing * matches any ending."""
    if word.endswith("*"):
        return text.startswith(word[:-1])
    return word in (text, lemma)


def _slot_parts(spec: Any) -> tuple[list[Any], list[str]]:
    """A slot as written: a list of words, or {words: [...], lexicon: name | [names]}."""
    if isinstance(spec, list):
        return spec, []
    names = spec.get("lexicon", [])
    return list(spec.get("words", [])), [names] if isinstance(names, str) else list(names)


def slot_words(spec: Any, lexicons: dict[str, Any]) -> list[Any]:
    """The words of a slot, with every term of the named lexicons after the words."""
    words, names = _slot_parts(spec)
    return [*words, *(term for name in names for term in lexicons[name].terms)]


def compile_terms(spec: Any, lexicons: dict[str, Any], tokenize: Any = None) -> TermSet | None:
    """A slot as written: a list of words, or {words: [...], lexicon: name | [names]}."""
    if spec is None:
        return None
    words, names = _slot_parts(spec)
    terms = TermSet(shared=[_lexicon_terms(lexicons[name], tokenize) for name in names])
    for word in words:
        terms.add(str(word), tokenize)
    return terms


_LEXICON_TERMS: dict[tuple[Any, str, tuple[str, ...]], TermSet] = {}


def _lexicon_terms(lexicon: Any, tokenize: Any) -> TermSet:
    """A lexicon's terms indexed once, whichever slots and rules name it: the drug lexicon's
    ten thousand names, indexed anew for each of the rules that read them, cost a tenth of
    a second each at start-up. Keyed by the terms themselves, so an edited lexicon is new."""
    key = (tokenize, lexicon.name, tuple(lexicon.terms))
    terms = _LEXICON_TERMS.get(key)
    if terms is None:
        terms = _LEXICON_TERMS[key] = TermSet()
        for term in lexicon.terms:
            terms.add(str(term), tokenize)
    return terms
