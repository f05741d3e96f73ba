"""Compiling every rule's patterns into one Matcher, one PhraseMatcher and a few regexes.

Each distinct pattern item gets a key; one pass over a draft's Doc fills a
table key -> character spans that every rule reads. Entity items are not
matched here: they select Presidio results by type.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..regexcheck import backtracking_problem, timed_finditer
from .spec import RuleError, RuleSet, pattern_items

Span = tuple[int, int]
_SINGLE_SPACED = re.compile(r"\S+(?: \S+)*")
_SPACE = re.compile(r"\s")



class CompiledPatterns:
    def __init__(self, nlp: Any, ruleset: RuleSet) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.ruleset = ruleset
        self.matcher = Matcher(nlp.vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regexes: dict[str, Any] = {}  # compiled `regex` patterns
        self.regex_names: dict[str, str] = {}  # key -> which rule's regex, for a timeout
        self.entity_types: dict[str, frozenset[str]] = {}
        self.labels: dict[str, str] = {}  # key -> what it stands for, for messages
        self.entity_where: dict[str, tuple[str, int | None]] = {}  # entity type -> first use
        self._keys: dict[str, str] = {}
        self._refs: dict[str, list[str]] = {}

    @property
    def entities_used(self) -> set[str]:
        return set().union(*self.entity_types.values()) if self.entity_types else set()

    def keys(self, spec: Any, where: tuple[str, int | None]) -> list[str]:
        """Compile a pattern (one item or a list) and return the keys of its items."""
        keys: list[str] = []
        for item in pattern_items(spec):
            if "ref" in item:
                keys.extend(self._ref(item["ref"]))
            elif isinstance(item.get("lexicon"), list):
                # one key per lexicon, so a finding can say which one matched
                keys.extend(self._item({"lexicon": name}, where) for name in item["lexicon"])
            else:
                keys.append(self._item(item, where))
        return keys

    def _ref(self, name: str) -> list[str]:
        if name not in self._refs:
            self._refs[name] = []  # a cycle resolves to nothing instead of recursing forever
            spec, shown, line = self.ruleset.defines[name]
            self._refs[name] = self.keys(spec, (shown, line))
            for key in self._refs[name]:
                self.labels.setdefault(key, name)
        return self._refs[name]

    def _item(self, item: dict[str, Any], where: tuple[str, int | None]) -> str:
        signature = json.dumps(item, sort_keys=True)
        if signature in self._keys:
            return self._keys[signature]
        key = f"p{len(self._keys)}"
        shown, line = where
        if "phrases" in item:
            self._add_phrases(key, item["phrases"])
        elif "lexicon" in item:
            names = [item["lexicon"]] if isinstance(item["lexicon"], str) else item["lexicon"]
            terms = sorted({v for n in names for t in self.ruleset.lexicons[n].terms
                            for v in inflections(t)})
            self.labels[key] = "/".join(names)  # before any ref name: the lexicon says more
            self._add_phrases(key, terms)
        elif "tokens" in item:
            try:
                self.matcher.add(key, [item["tokens"]])
            except Exception as exc:  # spaCy raises ValueError/MatchPatternError
                raise RuleError(f"bad token pattern: {str(exc).splitlines()[0]}", shown,
                                line) from None
        elif "regex" in item:
            self.regexes[key] = compile_regex(item["regex"], shown, line)
            self.regex_names[key] = self._regex_name(shown, line)
        elif "entity" in item:
            types = [item["entity"]] if isinstance(item["entity"], str) else item["entity"]
            self.entity_types[key] = frozenset(types)
            for entity in types:
                self.entity_where.setdefault(entity, where)
        self._keys[signature] = key
        return key

    def _add_phrases(self, key: str, terms: list[str]) -> None:
        # The stub allows Docs only; spaCy's add() also takes token-id sequences (phrasematcher.pyx)
        patterns = lowered_tokens(self.nlp, terms) + capitals_forms(self.nlp, terms)
        self.phrases.add(key, patterns)  # type: ignore[arg-type]

    def _regex_name(self, shown: str, line: int | None) -> str:
        rule = next((r.id for r in self.ruleset.rules if (r.path, r.line) == (shown, line)), None)
        where = f"{shown}:{line}" if line else shown
        return f"the regex of rule {rule} ({where})" if rule else f"the regex at {where}"

    def run(self, doc: Any) -> dict[str, list[Span]]:
        # doc.text is rebuilt on each access: once
        hits = RegexHits(doc.text, self.regexes, self.regex_names)
        strings = self.nlp.vocab.strings
        for match_id, start, end in [*self.matcher(doc), *self.phrases(doc)]:
            span = doc[start:end]
            hits.setdefault(strings[match_id], []).append((span.start_char, span.end_char))
        return hits


class RegexHits(dict[str, list[Span]]):
    """Matcher hits, plus regex hits computed on first request.

    A regex is run only when a rule that applies to the draft asks for it: a reply rule's
    patterns are never run over a post, and a `near` rule stops when its first part is absent.
    """

    def __init__(self, text: str, regexes: dict[str, Any],
                 names: dict[str, str] | None = None) -> None:
        super().__init__()
        self._text = text
        self._regexes = regexes
        self._names = names or {}
        self._run: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        regex = self._regexes.get(key)
        if regex is not None and key not in self._run:
            self._run.add(key)
            matches = timed_finditer(regex, self._text, self._names.get(key, "a rule's regex"))
            found = [m.span() for m in matches if m.end() > m.start()]
            if found:
                self.setdefault(key, []).extend(found)
        return super().get(key, default)


def lowered_tokens(nlp: Any, terms: list[str]) -> list[tuple[int, ...]]:
    """Each term as the PhraseMatcher stores it: the LOWER ids of its tokens, exactly as the
    pipeline's tokenizer splits it.

    Tokenizing the ICD-10-CM lexicon's 10,000 forms one Doc at a time was a sixth of a cold
    start, mostly spent creating Docs and lexemes. Most words are a single token: a chunk of
    letters only that is no special case of the tokenizer is left whole (no prefix, suffix or
    infix rule of spaCy's splits letters), so only its lowercase id is needed. A term with any
    other chunk (punctuation, digits: they can split differently beside their neighbours) or
    with unusual whitespace goes to the tokenizer whole.
    """
    from spacy.attrs import LOWER

    tokenizer = nlp.tokenizer
    lower = nlp.vocab.lex_attr_getters.get(LOWER)
    specials = getattr(tokenizer, "rules", None)
    if lower is None or specials is None or any(  # a special case spanning words: no shortcut
            case.strip() and _SPACE.search(case) for case in specials):
        return [tuple(t.lower for t in doc) for doc in tokenizer.pipe(terms)]
    vocab, strings = nlp.vocab, nlp.vocab.strings
    chunks: dict[str, tuple[int, ...]] = {}

    def chunk_ids(chunk: str) -> tuple[int, ...]:
        ids = chunks.get(chunk)
        if ids is None:
            # letters only (the caller sends nothing else): no prefix, suffix or infix rule
            # splits such a chunk; a special case ("cannot") can
            if chunk in specials:
                ids = tuple(t.lower for t in tokenizer(chunk))
            elif chunk in vocab:
                ids = (vocab[chunk].lower,)
            else:
                ids = (strings.add(lower(chunk)),)
            chunks[chunk] = ids
        return ids

    lowered = []
    for term in terms:
        words = term.split(" ")
        # A chunk with punctuation can split differently inside the term than alone (spaCy
        # reads "a:) :)a" with its neighbours), so such a term goes to the tokenizer whole.
        if _SINGLE_SPACED.fullmatch(term) and all(w.isalpha() for w in words):
            lowered.append(tuple(i for chunk in words for i in chunk_ids(chunk)))
        else:
            lowered.append(tuple(t.lower for t in tokenizer(term)))
    return lowered


def capitals_forms(nlp: Any, terms: list[str]) -> list[tuple[int, ...]]:
    """Terms whose capitals split otherwise, as the tokenizer splits the capitals: "id" is a
    special case of the tokenizer ("I'd": i + d), "ID" is one word, so the lexicon's "id band"
    would never match "ID band" by its lower-case form alone."""
    specials = getattr(nlp.tokenizer, "rules", None) or {}
    found = []
    for term in terms:
        if any(chunk in specials for chunk in term.split()):
            lowered = tuple(t.lower for t in nlp.tokenizer(term))
            capitals = tuple(t.lower for t in nlp.tokenizer(term.upper()))
            if capitals != lowered:
                found.append(capitals)
    return found


def inflections(term: str) -> tuple[str, ...]:
    """A term and its regular plural, so lexicons list each word once."""
    if not term[-1:].isalpha():
        return (term,)
    if term.endswith("y") and term[-2:-1] not in "aeiou":
        return term, term[:-1] + "ies"
    if term.endswith(("s", "x", "z", "ch", "sh")):
        return term, term + "es"
    return term, term + "s"


def compile_regex(pattern: str, shown: str, line: int | None) -> Any:
    """A rule's regex, compiled with the `regex` module (as Presidio's recognizers are): its
    version-0 syntax is that of `re`, and it runs the rule patterns in half the time."""
    import regex

    problem = backtracking_problem(pattern)
    if problem:
        raise RuleError(problem, shown, line)
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.MULTILINE | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(f"bad regex {pattern!r}: {exc}", shown, line) from None
