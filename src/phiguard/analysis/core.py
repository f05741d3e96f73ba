"""One NLP pass per draft, shared by every rule.

The spaCy pipeline runs once over each draft's published words (batched with
nlp.pipe through Presidio's process_batch); Presidio's recognizers and every
rule pattern then read the same Doc.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..models import Draft
from . import roles

BATCH_SIZE = 64
SCORE_THRESHOLD = 0.3


@dataclass
class Entity:
    type: str
    start: int
    end: int
    score: float
    role: str = "person"  # person | staff | org


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

    def __init__(self, nlp: Any, presidio: Any, patterns: Any, settings: Any) -> None:
        self.nlp = nlp
        self.presidio = presidio
        self.patterns = patterns
        self.settings = settings
        self.entity_types = sorted(presidio.get_supported_entities(language="en"))

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
        texts = [text for _, text, _ in batch]
        engine = self.presidio.nlp_engine
        processed = engine.process_batch(texts, language="en", batch_size=BATCH_SIZE)
        for (draft, text, starts), (_, artifacts) in zip(batch, processed, strict=True):
            results = self.presidio.analyze(text=text, language="en", entities=self.entity_types,
                                            nlp_artifacts=artifacts,
                                            score_threshold=SCORE_THRESHOLD)
            doc = artifacts.tokens
            analysis = Analysis(draft, text, starts, doc)
            analysis.entities = roles.assign(
                [Entity(r.entity_type, r.start, r.end, r.score) for r in results], doc,
                self.settings, draft.meta)
            analysis.hits = self.patterns.run(doc)
            yield analysis
