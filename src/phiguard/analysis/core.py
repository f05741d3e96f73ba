"""One NLP pass per draft, shared by every rule.

The spaCy pipeline runs once over each draft's published words (batched with
nlp.pipe through Presidio's process_batch); Presidio's recognizers and every
rule pattern then read the same Doc.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Draft
from . import answered, care, roles
from .answered import answered_text
from .evidence import Evidence, token_indices
from .recognizer_gates import EntityGates
from .textview import fold

if TYPE_CHECKING:
    from ..config import Settings

BATCH_SIZE = 64
CHUNK_CHARS = 100_000  # longer texts are analysed in pieces: bounded memory per spaCy call
SCORE_THRESHOLD = 0.3


@dataclass
class Entity:
    type: str
    start: int
    end: int
    score: float
    role: str = "person"  # person | staff | org
    featured: bool = False  # the draft features this person itself (a support hashtag)


@dataclass
class Analysis:
    draft: Draft
    text: str
    starts: list[int]
    doc: Any
    entities: list[Entity] = field(default_factory=list)
    hits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _token_starts: list[int] | None = field(default=None, repr=False)

    def segment_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def scope_at(self, offset: int) -> str:
        if not self.draft.segments:
            return "body"
        return self.draft.segments[self.segment_index(offset)].scope

    def token_at(self, offset: int) -> Any:
        """The token at ``offset``, or the last one before it (offsets in spaces included)."""
        if self._token_starts is None:
            self._token_starts = [t.idx for t in self.doc]
        if not self._token_starts:
            return None
        return self.doc[max(bisect.bisect_right(self._token_starts, offset) - 1, 0)]

    def sentence(self, offset: int) -> tuple[int, int]:
        """Character bounds of the sentence holding ``offset``."""
        token = self.token_at(offset)
        if token is None:
            return offset, offset
        sent = token.sent
        return sent.start_char, sent.end_char

    def context(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset`` with the one before and the one after it."""
        start, end = self.sentence(offset)
        start = self._neighbour_start(start)
        end = self._neighbour_end(end)
        return start, end

    def _neighbour_start(self, start: int) -> int:
        """Start of the previous sentence with words in it (emoji-only "sentences" are skipped)."""
        while start > 0:
            start = self.sentence(start - 1)[0]
            if _has_words(self.text[start:self.sentence(start)[1]]):
                break
        return start

    def _neighbour_end(self, end: int) -> int:
        """End of the next sentence with words in it."""
        while True:
            following = end
            while following < len(self.text) and self.text[following].isspace():
                following += 1
            if following >= len(self.text):
                return end
            next_start, next_end = self.sentence(following)
            if next_end <= end:
                return end
            end = next_end
            if _has_words(self.text[next_start:next_end]):
                return end


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


class Analyzer:
    """Holds the loaded pipeline, the Presidio engine and the compiled patterns."""

    def __init__(self, nlp: Any, presidio: Any, patterns: Any, settings: Settings) -> None:
        self.nlp = nlp
        self.presidio = presidio
        self.patterns = patterns
        self.settings = settings
        self.gates = EntityGates(presidio.registry.recognizers)
        # What counts as health information and as a patient marker, for patient evidence:
        # the rules' own `health_information` pattern and the `patient_markers` lexicon.
        self.health_keys = _keys(patterns, {"ref": "health_information"}, "health_information")
        self.marker_keys = _keys(patterns, {"lexicon": "patient_markers"}, "patient_markers")
        # Care words a reply may confirm: health information, encounters and care acts.
        self.care_keys = [k for name in ("encounters", "care_acts")
                          for k in _keys(patterns, {"lexicon": name}, name) or []]
        # their PhraseMatcher ids, for the comment a reply answers
        self._health_word_ids = {nlp.vocab.strings[k] for k in self.health_keys or []}
        self._care_word_ids = self._health_word_ids | {nlp.vocab.strings[k]
                                                       for k in self.care_keys}
        care.register_extension()

    def analyze(self, drafts: Iterable[Draft]) -> Iterator[Analysis]:
        batch: list[tuple[Draft, str, list[int]]] = []
        for draft in drafts:
            text, starts = draft.joined()
            batch.append((draft, text, starts))
            if len(batch) >= BATCH_SIZE:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[tuple[Draft, str, list[int]]]) -> Iterator[Analysis]:
        # Texts longer than spaCy's max_length are cut into chunks at whitespace, analysed
        # as separate texts in the same batch, and joined again (offsets are unchanged).
        pieces: list[tuple[int, int]] = []  # (draft index in batch, chunk start)
        texts: list[str] = []
        for i, (_, text, _) in enumerate(batch):
            # The NLP reads the folded view (styled letters, typographic quotes made plain);
            # it has the text's length, so every offset found in it is the file's.
            view = fold(text)
            for start, end in split_points(view, min(self.nlp.max_length, CHUNK_CHARS)):
                pieces.append((i, start))
                texts.append(view[start:end])
        engine = self.presidio.nlp_engine
        processed = list(engine.process_batch(texts, language="en", batch_size=BATCH_SIZE))
        by_draft: dict[int, list[tuple[int, str, Any]]] = {}
        for (i, start), chunk, (_, artifacts) in zip(pieces, texts, processed, strict=True):
            by_draft.setdefault(i, []).append((start, chunk, artifacts))
        for i, (draft, text, starts) in enumerate(batch):
            yield self._analysis(draft, text, starts, by_draft[i])

    def _analysis(self, draft: Draft, text: str, starts: list[int],
                  chunks: list[tuple[int, str, Any]]) -> Analysis:
        found: list[Entity] = []
        for start, chunk, artifacts in chunks:
            entities = self.gates.entities(chunk)
            if not entities:  # Presidio would read an empty list as "every type"
                continue
            results = self.presidio.analyze(text=chunk, language="en", entities=entities,
                                            nlp_artifacts=artifacts,
                                            score_threshold=SCORE_THRESHOLD)
            found += [Entity(r.entity_type, r.start + start, r.end + start, r.score)
                      for r in results]
        if len(chunks) == 1:
            doc = chunks[0][2].tokens
        else:
            from spacy.tokens import Doc

            doc = Doc.from_docs([artifacts.tokens for _, _, artifacts in chunks],
                                ensure_whitespace=False)
        analysis = Analysis(draft, text, starts, doc)
        analysis.hits = self.patterns.run(doc)
        if draft.kind in ("reply", "review_reply"):
            self._confirm_care(analysis, [e for e in found if e.type == "PERSON"])
        evidence = self._evidence(analysis) if self.health_keys is not None else None
        analysis.entities = roles.assign(found, doc, self.settings, draft.meta, evidence)
        if evidence is not None and draft.kind == "post":
            # In a post, a name near a health word is a patient's only with evidence attached
            # to it, in its words and in its images' alt text ("Dana and Luis at the potluck"
            # names no patient); replies and testimonials are about their addressee or speaker.
            roles.require_evidence(analysis.entities, evidence, lambda e: analysis.scope_at(
                e.start) in ("body", "footer", "alt"))
        return analysis

    def _confirm_care(self, analysis: Analysis, names: list[Entity]) -> None:
        """Mark the care words the reply confirms, then match the token patterns that read
        the mark (``_: {care_confirmed: true}``) again."""
        def tokens(keys: list[str]) -> frozenset[int]:
            spans = [s for k in keys for s in analysis.hits.get(k, ())]
            return Evidence.from_spans(doc, spans, ()).health

        doc = analysis.doc
        addressee = roles.addressee_words(analysis.draft.meta)
        cared, specific = tokens(self.care_keys), tokens(self.health_keys or [])
        answering: frozenset[int] = frozenset()
        told: frozenset[str] = frozenset()
        comment = answered_text(analysis.draft.meta)
        care_words, health_words = self._comment_terms(comment)
        if answered.tells_own_care(comment, lambda _: care_words):
            answering = answered.answering_care(doc, cared, specific, addressee)
        else:
            told = health_words  # care elsewhere, or none the comment gave
        # the names found, by the recognizers and by spaCy's NER, but the addressee's
        spans = [(e.start, e.end) for e in names] + [
            (e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        named = token_indices(doc, [(a, b) for a, b in spans if not roles.is_addressee(
            analysis.text[a:b], addressee)])
        if not care.mark(doc, cared, addressee, specific, answering, named, told):
            return
        strings = self.nlp.vocab.strings
        for match_id, start, end in self.patterns.matcher(doc):
            span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
            found = analysis.hits.setdefault(strings[match_id], [])
            if span not in found:
                found.append(span)

    def _comment_terms(self, text: str) -> tuple[bool, frozenset[str]]:
        """In ``text`` (the comment a reply answers, read with the tokenizer alone: it is
        context, not a draft): whether the lexicons find a health or care word, and the words
        of the health terms they find."""
        if not text:
            return False, frozenset()
        doc = self.nlp.make_doc(str(text))  # a plain str: the front matter gives a LocStr
        matches = self.patterns.phrases(doc)
        return (any(match_id in self._care_word_ids for match_id, _, _ in matches),
                frozenset(t.lower_ for match_id, start, end in matches
                          if match_id in self._health_word_ids for t in doc[start:end]))

    def _evidence(self, analysis: Analysis) -> Evidence:
        def spans(keys: list[str] | None) -> list[tuple[int, int]]:
            return [s for k in keys or [] for s in analysis.hits.get(k, ())]

        return Evidence.from_spans(analysis.doc, spans(self.health_keys),
                                   spans(self.marker_keys))


def _keys(patterns: Any, spec: dict[str, Any], name: str) -> list[str] | None:
    """The compiled keys of a define or lexicon, or None when the rule set lacks it."""
    ruleset = getattr(patterns, "ruleset", None)
    if ruleset is None:
        return None
    if "ref" in spec and name not in ruleset.defines:
        return None
    if "lexicon" in spec and name not in ruleset.lexicons:
        return None
    return patterns.keys(spec, (f"<{name}>", None))


def split_points(text: str, limit: int) -> list[tuple[int, int]]:
    """Chunks of at most ``limit`` characters, cut after a paragraph break, a line break or a
    space where possible, so that no word is split and offsets add up exactly."""
    chunks = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > 0 else limit)
        chunks.append((start, end))
        start = end
    chunks.append((start, len(text)))
    return chunks
