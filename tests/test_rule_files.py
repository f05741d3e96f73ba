"""Rule files: validation names file and line; every built-in rule passes its own examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phiguard.config import Settings
from phiguard.pipeline import Session, load_rules, run_rule_tests
from phiguard.rules.loader import RuleError, builtin_rules_dir, load_ruleset
from phiguard.rules.patterns import (
    CompiledPatterns,
    capitals_forms,
    inflections,
    lowered_tokens,
)
from phiguard.rules.testing import Example, examples, failure

from .conftest import write

GOOD_RULE = """rules:
  - id: ORG001
    category: advice
    severity: warning
    message: Do not promise cures
    kind: match
    pattern: {phrases: [guaranteed cure]}
    tests:
      fire: ["A guaranteed cure for back pain!"]
      quiet: ["No cure is guaranteed."]
"""


@pytest.mark.unit
def test_builtin_rules_load_and_cover_every_category() -> None:
    ruleset = load_ruleset([builtin_rules_dir()])
    categories = {r.category for r in ruleset.rules}
    assert {"phi", "consent", "review_reply", "advice", "disclaimer", "citation",
            "misinformation", "sponsorship"} <= categories


BUILTIN_EXAMPLES = examples(load_rules(Settings()))


@pytest.mark.unit
def test_the_builtin_rules_carry_examples() -> None:
    assert len(BUILTIN_EXAMPLES) >= 30
    assert {e.expect for e in BUILTIN_EXAMPLES} == {"fire", "quiet"}


@pytest.mark.parametrize("example", BUILTIN_EXAMPLES, ids=lambda e: e.name)
def test_builtin_rule_example(checker: Session, example: Example) -> None:
    """One test per example a built-in rule carries, so a failure names its rule."""
    assert failure(checker, example) is None


def test_an_organizations_own_rule_folder(tmp_path: Path) -> None:
    write(tmp_path / "org" / "promises.yaml", GOOD_RULE)
    settings = Settings(rule_paths=[tmp_path / "org"])
    failures, _ = run_rule_tests(settings)
    assert failures == []


@pytest.mark.unit
@pytest.mark.parametrize("text,message,line", [
    (GOOD_RULE.replace("kind: match", "kind: teleport"), "kind", 6),
    (GOOD_RULE.replace("severity: warning", "severity: fatal"), "severity", 4),
    (GOOD_RULE.replace("{phrases: [guaranteed cure]}", "{ref: nowhere}"), "unknown pattern ref", 2),
    (GOOD_RULE.replace("{phrases: [guaranteed cure]}", "{lexicon: nothing}"), "unknown lexicon", 2),
    (GOOD_RULE.replace("    message: Do not promise cures\n", ""), "message", 2),
    ("rules:\n  - id: X\n    category: advice\n  bad indent: [\n", "invalid YAML", None),
])
def test_invalid_rule_files_name_file_and_line(tmp_path: Path, text: str, message: str,
                                               line: int | None) -> None:
    path = write(tmp_path / "rules" / "bad.yaml", text)
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path / "rules"])
    assert message in str(info.value)
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line


@pytest.mark.parametrize("pattern,message", [
    ("{regex: '(a+)+$'}", "backtrack"),
    ("{regex: '(unclosed'}", "bad regex"),
    ("{tokens: [{NOT_AN_ATTR: x}]}", "bad token pattern"),
])
def test_bad_patterns_are_refused_with_line(checker, tmp_path: Path, pattern: str,
                                            message: str) -> None:
    path = write(tmp_path / "rules" / "p.yaml",
                 GOOD_RULE.replace("{phrases: [guaranteed cure]}", pattern))
    ruleset = load_ruleset([tmp_path / "rules"])
    compiled = CompiledPatterns(checker.analyzer.nlp, ruleset)
    rule = ruleset.rules[0]
    with pytest.raises(RuleError) as info:
        compiled.keys(rule.spec["pattern"], (rule.path, rule.line))
    assert message in str(info.value)
    assert info.value.path == str(path) and info.value.line == 2


def test_worked_example_in_docs_is_a_valid_passing_rule(tmp_path: Path) -> None:
    """The organization rule in docs/rules.md loads and passes its own examples."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text("utf-8")
    example = doc.split("In `compliance/rules/promises.yaml`:\n\n```yaml\n")[1].split("```")[0]
    write(tmp_path / "compliance" / "promises.yaml", example)
    failures, total = run_rule_tests(Settings(rule_paths=[tmp_path / "compliance"]))
    assert failures == []
    assert total >= 2


@pytest.mark.unit
def test_every_builtin_rule_carries_fire_and_quiet_examples() -> None:
    ruleset = load_ruleset([builtin_rules_dir()])
    tests = {r.id: r.spec.get("tests", {}) for r in ruleset.rules}
    missing = [rid for rid, t in tests.items() if not t.get("fire") or not t.get("quiet")]
    assert missing == []


@pytest.mark.parametrize("text,message,line", [
    (GOOD_RULE.replace("{phrases: [guaranteed cure]}", "{entity: NOT_A_TYPE}"),
     "unknown entity type", 2),  # the rule that uses it
    ("define:\n  one: {ref: two}\n  two: {ref: one}\n"
     + GOOD_RULE.replace("{phrases: [guaranteed cure]}", "[{ref: one}, {phrases: [cure]}]"),
     None, None),
])
def test_entity_types_and_ref_cycles(checker, tmp_path: Path, text: str, message: str | None,
                                     line: int | None) -> None:
    """An unknown entity names file and line; a ref cycle resolves to nothing, never hangs."""
    from phiguard.analysis.recognizers import RecognizerError
    from phiguard.pipeline import Session

    path = write(tmp_path / "org" / "r.yaml", text)
    settings = Settings(rule_paths=[tmp_path / "org"])
    if message is None:
        Session.from_settings(settings)  # must return
        return
    with pytest.raises(RecognizerError) as info:
        Session.from_settings(settings)
    assert message in str(info.value)
    assert info.value.path == str(path) and info.value.line == line


def _tokenizer_lowers(nlp, terms: list[str]) -> list[tuple[int, ...]]:
    return [tuple(token.lower for token in nlp.tokenizer(term)) for term in terms]


def test_lexicon_terms_are_split_exactly_as_the_tokenizer_splits_them(checker) -> None:
    """The shortcut that skips the tokenizer for plain words must agree with it on every
    built-in lexicon form (ICD-10-CM included), or a lexicon term would silently stop
    matching."""
    nlp = checker.analyzer.nlp
    ruleset = load_ruleset([builtin_rules_dir()])
    terms = sorted({form for lexicon in ruleset.lexicons.values() for term in lexicon.terms
                    for form in inflections(term)})
    assert len(terms) > 9_000
    assert lowered_tokens(nlp, terms) == _tokenizer_lowers(nlp, terms)


def test_a_phrase_whose_lower_case_is_a_special_case_also_matches_its_capitals(checker) -> None:
    # "id" is the tokenizer's "I'd" (two tokens); "ID" in running text is one word
    nlp = checker.analyzer.nlp
    assert capitals_forms(nlp, ["id band"]) == _tokenizer_lowers(nlp, ["ID band"])
    assert _tokenizer_lowers(nlp, ["ID band"]) != _tokenizer_lowers(nlp, ["id band"])
    assert capitals_forms(nlp, ["wristband", "patient chart"]) == []


# Letters, digits, punctuation, odd whitespace and the tokenizer's own special cases.
PIECES = [*"abcXYZ019 .,;:-'’\"()/&%$#@!?+*é\t\n", "  ", "can't", "don't", "a.m.", "U.S.",
          "e.g.", "gonna", "5mg", "vs.", ":)", "Dr."]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=8))
def test_any_phrase_is_split_exactly_as_the_tokenizer_splits_it(checker,
                                                                 terms: list[str]) -> None:
    nlp = checker.analyzer.nlp
    assert lowered_tokens(nlp, terms) == _tokenizer_lowers(nlp, terms)
