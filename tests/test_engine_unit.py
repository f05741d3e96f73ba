"""The rules engine without the model, on a fake analysis (tests/fakes.py: a blank spaCy
tokenizer with a sentencizer, entities given, no Presidio) and rules written here. Each rule
kind, what decides whether a rule applies, positions and the excerpt, in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from phiguard.analysis.core import Entity

from .fakes import FakeEngine, fake_engine

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
    unless: {pattern: {phrases: [never promise a]}, window: sentence}
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


def rules_folder(folder: Path) -> Path:
    (folder / "org.yaml").write_text(RULES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> FakeEngine:
    return fake_engine(rules_folder(tmp_path_factory.mktemp("rules")))


def test_match_fires_and_its_unless_cancels_it(engine: FakeEngine) -> None:
    assert engine.fired("A guaranteed cure for back pain!") == ["ORG101"]
    assert engine.fired("We never promise a guaranteed cure.") == []


def test_missing_fires_only_without_the_required_words(engine: FakeEngine) -> None:
    assert engine.fired("Drink water every hour.") == ["ORG102"]
    assert engine.fired("Drink water every hour. Tips only, not medical advice.") == []


def test_near_needs_both_in_one_sentence(engine: FakeEngine) -> None:
    assert engine.fired("Thanks for your visit, we hope the cleaning went well.") == ["ORG103"]
    assert engine.fired("Thanks for your visit. A cleaning special starts Monday.") == []


def test_metadata_reads_the_draft_fields(engine: FakeEngine) -> None:
    assert engine.fired("Our new toothbrush!", sponsored=True) == ["ORG104"]
    assert engine.fired("Our new toothbrush!", sponsored=False) == []


def test_a_finding_points_into_the_file_and_masks_its_excerpt(engine: FakeEngine) -> None:
    text = "Hello.\nA guaranteed cure, says Quentavia Holloworth, MRN 4418207."
    analysis = engine.analyse(text)
    [finding] = engine.engine.check(analysis)
    assert (finding.line, finding.column) == (2, 3)
    assert "Quentavia" not in finding.excerpt and "4418207" not in finding.excerpt
    assert "guaranteed cure" in finding.excerpt


def test_detected_entities_are_masked_whatever_their_words(engine: FakeEngine) -> None:
    text = "A guaranteed cure, says the river pilot."
    analysis = engine.analyse(text, [Entity("PERSON", 28, 39, 0.9)])
    [finding] = engine.engine.check(analysis)
    assert "river pilot" not in finding.excerpt and "r**** p****" in finding.excerpt


def test_a_rule_applies_only_to_its_draft_kinds_and_platforms(engine: FakeEngine) -> None:
    text = "Thanks for coming in!"
    assert engine.fired(text, kind="review_reply", platform="facebook") == ["ORG105"]
    assert engine.fired(text, kind="review_reply", platform="FACEBOOK") == ["ORG105"]
    assert engine.fired(text, kind="post", platform="facebook") == []
    assert engine.fired(text, kind="review_reply", platform="instagram") == []
    assert engine.fired(text, kind="review_reply") == []  # no platform: not one it names


def test_a_rule_reads_only_its_scopes_and_points_into_that_segment(engine: FakeEngine) -> None:
    body_only = engine.analyse_segments([("body", "A miracle!"), ("alt", "A sunrise")])
    assert engine.engine.check(body_only) == []
    in_alt = engine.analyse_segments([("body", "Our new ward"), ("alt", "A miracle cure")])
    [finding] = engine.engine.check(in_alt)
    assert (finding.rule, finding.scope) == ("ORG106", "alt")
    assert (finding.line, finding.column, finding.end_column) == (3, 3, 10)


def test_limits_come_from_the_rule_or_its_kind_and_select_keeps_only_the_active(
        tmp_path: Path) -> None:
    fresh = fake_engine(rules_folder(tmp_path))  # select() changes it: not the module's one
    limits = fresh.engine.limits()
    assert limits["ORG105"] == 1  # its own
    assert limits["ORG101"] > 1 and limits["ORG103"] == 1  # a match reports all, a near one
    assert fresh.fired("A guaranteed cure! Drink water.") == ["ORG101", "ORG102"]
    fresh.engine.select({"ORG102"})
    assert fresh.fired("A guaranteed cure! Drink water.") == ["ORG102"]


def test_a_findings_identity_is_its_rule_and_sentence_not_its_place(engine: FakeEngine) -> None:
    [first] = engine.engine.check(engine.analyse("A guaranteed cure today."))
    [moved] = engine.engine.check(engine.analyse("Hello.\n\nA guaranteed cure today."))
    [other] = engine.engine.check(engine.analyse("A guaranteed cure tomorrow."))
    assert first.line != moved.line and first.identity == moved.identity
    assert other.identity != first.identity
