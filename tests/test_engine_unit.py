"""The rules engine without the model: a blank spaCy tokenizer with a sentencizer, rules
written here, no Presidio. Each rule kind and the excerpt in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from phiguard.analysis.core import Analysis, Entity
from phiguard.consent import Registry
from phiguard.models import SEGMENT_SEPARATOR, Draft, LineIndex, Segment, SourceMap
from phiguard.rules.engine import Engine
from phiguard.rules.loader import load_ruleset
from phiguard.rules.patterns import CompiledPatterns

# These rules use no token pattern, so spaCy's Matcher says it has none: expected here.
pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore:.*W036")]

RULES = """
rules:
  - id: ORG101
    category: advice
    severity: warning
    message: A promise of a cure
    kind: match
    pattern: {phrases: [guaranteed cure]}
    unless: {pattern: {phrases: [no such thing as a]}, window: sentence}
  - id: ORG102
    category: disclaimer
    severity: warning
    message: Health tip without a disclaimer
    kind: missing
    trigger: {phrases: [drink water]}
    require: {phrases: [not medical advice]}
  - id: ORG103
    category: review_reply
    severity: error
    message: Visit and care in one sentence
    kind: near
    a: {phrases: [your visit]}
    b: {phrases: [cleaning, filling]}
    window: sentence
  - id: ORG104
    category: sponsorship
    severity: error
    message: Sponsored without a disclosure
    kind: metadata
    when: {meta: {sponsored: true}}
  - id: ORG105
    category: review_reply
    severity: warning
    message: Thanking a reviewer for a visit on Facebook
    kind: match
    pattern: {phrases: [thanks for coming in]}
    kinds: [review_reply]
    platforms: [Facebook]
    limit: 1
  - id: ORG106
    category: advice
    severity: warning
    message: A promise in the alt text
    kind: match
    pattern: {phrases: [miracle]}
    scopes: [alt]
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, CompiledPatterns, object]:
    folder = Path(tmp_path_factory.mktemp("rules"))
    (folder / "org.yaml").write_text(RULES, encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruleset = load_ruleset([folder])
    patterns = CompiledPatterns(nlp, ruleset)
    return Engine(ruleset, patterns, Registry.empty()), patterns, nlp


def analyse(engine_parts: tuple, text: str, entities: list[Entity] | None = None,
            **meta: object) -> Analysis:
    """A fake analysis: the draft's words through a blank tokenizer, entities given."""
    return analyse_segments(engine_parts, [("body", text)], entities, **meta)


def analyse_segments(engine_parts: tuple, segments: list[tuple[str, str]],
                     entities: list[Entity] | None = None, **meta: object) -> Analysis:
    """A fake analysis of a draft of several segments (scope, text), one after the other in
    the file as the draft joins them."""
    _, patterns, nlp = engine_parts
    pieces, offset = [], 0
    for scope, text in segments:
        pieces.append(Segment(scope, text, SourceMap.linear(offset), scope))
        offset += len(text) + len(SEGMENT_SEPARATOR)
    file_text = SEGMENT_SEPARATOR.join(text for _, text in segments)
    draft = Draft("d.txt", pieces, dict(meta), 0, [], LineIndex(file_text))
    text, starts = draft.joined()
    doc = nlp(text)
    return Analysis(draft, text, starts, doc, entities or [], patterns.run(doc))


def fired(engine_parts: tuple, text: str, **meta: object) -> list[str]:
    return [f.rule for f in engine_parts[0].check(analyse(engine_parts, text, **meta))]


def test_match_fires_and_its_unless_cancels_it(engine) -> None:
    assert fired(engine, "A guaranteed cure for back pain!") == ["ORG101"]
    assert fired(engine, "There is no such thing as a guaranteed cure.") == []


def test_missing_fires_only_without_the_required_words(engine) -> None:
    assert fired(engine, "Drink water every hour.") == ["ORG102"]
    assert fired(engine, "Drink water every hour. This is not medical advice.") == []


def test_near_needs_both_in_one_sentence(engine) -> None:
    assert fired(engine, "Thanks for your visit, we hope the cleaning went well.") == ["ORG103"]
    assert fired(engine, "Thanks for your visit. A cleaning special starts Monday.") == []


def test_metadata_reads_the_draft_fields(engine) -> None:
    assert fired(engine, "Our new toothbrush!", sponsored=True) == ["ORG104"]
    assert fired(engine, "Our new toothbrush!", sponsored=False) == []


def test_a_finding_points_into_the_file_and_masks_its_excerpt(engine) -> None:
    text = "Hello.\nA guaranteed cure, says Quentavia Holloworth, MRN 4418207."
    analysis = analyse(engine, text)
    [finding] = engine[0].check(analysis)
    assert (finding.line, finding.column) == (2, 3)
    assert "Quentavia" not in finding.excerpt and "4418207" not in finding.excerpt
    assert "guaranteed cure" in finding.excerpt


def test_detected_entities_are_masked_whatever_their_words(engine) -> None:
    text = "A guaranteed cure, says the river pilot."
    analysis = analyse(engine, text, [Entity("PERSON", 28, 39, 0.9)])
    [finding] = engine[0].check(analysis)
    assert "river pilot" not in finding.excerpt and "r**** p****" in finding.excerpt


def test_a_rule_applies_only_to_its_draft_kinds_and_platforms(engine) -> None:
    text = "Thanks for coming in!"
    assert fired(engine, text, kind="review_reply", platform="facebook") == ["ORG105"]
    assert fired(engine, text, kind="review_reply", platform="FACEBOOK") == ["ORG105"]
    assert fired(engine, text, kind="post", platform="facebook") == []
    assert fired(engine, text, kind="review_reply", platform="instagram") == []
    assert fired(engine, text, kind="review_reply") == []  # no platform: not one it names


def test_a_rule_reads_only_its_scopes_and_points_into_that_segment(engine) -> None:
    body_only = analyse_segments(engine, [("body", "A miracle!"), ("alt", "A sunrise")])
    assert engine[0].check(body_only) == []
    in_alt = analyse_segments(engine, [("body", "Our new ward"), ("alt", "A miracle cure")])
    [finding] = engine[0].check(in_alt)
    assert (finding.rule, finding.scope) == ("ORG106", "alt")
    assert (finding.line, finding.column, finding.end_column) == (3, 3, 10)


def test_limits_come_from_the_rule_or_its_kind_and_select_keeps_only_the_active(
        tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "org.yaml").write_text(RULES, encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruleset = load_ruleset([folder])
    engine = Engine(ruleset, CompiledPatterns(nlp, ruleset), Registry.empty())
    limits = engine.limits()
    assert limits["ORG105"] == 1  # its own
    assert limits["ORG101"] > 1 and limits["ORG103"] == 1  # a match reports all, a near one
    engine.select({"ORG102"})
    parts = (engine, engine.patterns, nlp)
    assert fired(parts, "A guaranteed cure! Drink water.") == ["ORG102"]


def test_a_findings_identity_is_its_rule_and_sentence_not_its_place(engine) -> None:
    [first] = engine[0].check(analyse(engine, "A guaranteed cure today."))
    [moved] = engine[0].check(analyse(engine, "Hello.\n\nA guaranteed cure today."))
    [other] = engine[0].check(analyse(engine, "A guaranteed cure tomorrow."))
    assert first.line != moved.line and first.identity == moved.identity
    assert other.identity != first.identity
