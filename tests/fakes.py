"""A fake analysis: what the rules engine reads for a draft, made without the language model.

The real analysis (analysis/core.py) runs spaCy's English model and Presidio over a draft. Here
a blank English tokenizer with a sentence splitter reads the words, the entities are the ones a
test gives, and the rules are compiled against that tokenizer: the engine, the policy and what
the formatters print are then tested in milliseconds (the `unit` layer, tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy

from phiguard.analysis.core import Analysis, Entity
from phiguard.consent import Registry
from phiguard.models import SEGMENT_SEPARATOR, Draft, LineIndex, Segment, SourceMap
from phiguard.rules.engine import Engine
from phiguard.rules.loader import load_ruleset
from phiguard.rules.patterns import CompiledPatterns


@dataclass
class FakeEngine:
    """The real engine over rule folders, compiled against a blank tokenizer."""

    engine: Engine
    patterns: CompiledPatterns
    nlp: Any

    def analyse(self, text: str, entities: list[Entity] | None = None,
                **meta: object) -> Analysis:
        """A one-segment (body) draft."""
        return self.analyse_segments([("body", text)], entities, **meta)

    def analyse_segments(self, segments: list[tuple[str, str]],
                         entities: list[Entity] | None = None, path: str = "d.txt",
                         **meta: object) -> Analysis:
        """A draft of several segments (scope, text), one after the other in its file as the
        draft joins them; ``entities`` are offsets in the joined text."""
        pieces, offset = [], 0
        for scope, text in segments:
            pieces.append(Segment(scope, text, SourceMap.linear(offset), scope))
            offset += len(text) + len(SEGMENT_SEPARATOR)
        file_text = SEGMENT_SEPARATOR.join(text for _, text in segments)
        draft = Draft(path, pieces, dict(meta), 0, [], LineIndex(file_text))
        text, starts = draft.joined()
        doc = self.nlp(text)
        return Analysis(draft, text, starts, doc, entities or [], self.patterns.run(doc))

    def fired(self, text: str, **meta: object) -> list[str]:
        """The ids of the rules that report on a one-segment draft."""
        return [f.rule for f in self.engine.check(self.analyse(text, **meta))]


def blank_english() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def fake_engine(*folders: Path, registry: Registry | None = None) -> FakeEngine:
    """The rules of ``folders`` (with the built-in categories), ready to check fake analyses."""
    nlp = blank_english()
    ruleset = load_ruleset(list(folders))
    patterns = CompiledPatterns(nlp, ruleset)
    return FakeEngine(Engine(ruleset, patterns, registry or Registry.empty()), patterns, nlp)
