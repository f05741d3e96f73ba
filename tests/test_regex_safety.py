"""Rule and recognizer regexes cannot hang a run: slow shapes are refused when loaded, with
file and line, and every match is bounded in time; a timeout is an error for the draft's
file, never a silent miss (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phiguard import regexcheck, runner
from phiguard.analysis.recognizers import RecognizerError, load_pattern_recognizers
from phiguard.config import Settings
from phiguard.regexcheck import backtracking_problem
from phiguard.rules.loader import RuleError, load_ruleset
from phiguard.rules.patterns import CompiledPatterns

from .conftest import write

SLOW = [r"(a|aa)+$", r"(a|a)*$", r"([a-z]|[a-c])+$", r"\w*\w*\w*\w*\w*\d", r"(?:x|xy)*z",
        r"(a+)+$"]
SOUND = [r"(ab|ac)+", r"(?:Dr|Doctor)\.?\s+[A-Z]\w+", r"\b\d{3}-\d{2}-\d{4}\b",
         r"\s*:?\s*\d+", r"(?:\d{3}-)+\d{4}", r"[(|]+x"]

RULE = """rules:
  - id: ORG777
    category: advice
    severity: warning
    message: A pattern under test
    kind: match
    pattern: {regex: 'PATTERN'}
"""
RECOGNIZER = """recognizers:
  - name: Slow test recognizer
    supported_entity: SLOW_THING
    patterns:
      - name: slow
        regex: 'PATTERN'
        score: 0.9
"""


@pytest.mark.unit
@pytest.mark.parametrize("pattern", SLOW)
def test_slow_shapes_are_recognised(pattern: str) -> None:
    assert backtracking_problem(pattern)


@pytest.mark.unit
@pytest.mark.parametrize("pattern", SOUND)
def test_sound_patterns_pass(pattern: str) -> None:
    assert backtracking_problem(pattern) is None


@pytest.mark.parametrize("pattern", SLOW)
def test_rule_with_slow_regex_is_refused_with_file_and_line(checker, tmp_path: Path,
                                                            pattern: str) -> None:
    path = write(tmp_path / "rules" / "slow.yaml", RULE.replace("PATTERN", pattern))
    ruleset = load_ruleset([tmp_path / "rules"])
    rule = ruleset.rules[0]
    with pytest.raises(RuleError) as info:
        CompiledPatterns(checker.analyzer.nlp, ruleset).keys(rule.spec["pattern"],
                                                             (rule.path, rule.line))
    assert "backtrack" in info.value.message
    assert info.value.path == str(path) and info.value.line == 2


@pytest.mark.unit
@pytest.mark.parametrize("pattern", SLOW)
def test_recognizer_with_slow_regex_is_refused_with_file_and_line(tmp_path: Path,
                                                                  pattern: str) -> None:
    path = write(tmp_path / "slow.yaml", RECOGNIZER.replace("PATTERN", pattern))
    with pytest.raises(RecognizerError) as info:
        load_pattern_recognizers([path])
    assert "backtrack" in info.value.message
    assert info.value.path == str(path) and info.value.line == 6


@pytest.fixture(scope="module")
def slow_checker(tmp_path_factory):
    """Patterns the static check lets through (two neighbouring repeats) that are still
    quadratic on a long run of spaces: only the timeout stops them."""
    from phiguard.pipeline import Session

    folder = tmp_path_factory.mktemp("org")
    write(folder / "slow.yaml", RULE.replace("PATTERN", r"\bzork\s*\s*!"))
    write(folder / "recognizers" / "slow.yaml", RECOGNIZER.replace("PATTERN", r"\bqux\s*\s*!"))
    return Session.from_settings(Settings(rule_paths=[folder]))


@pytest.mark.parametrize("word,names", [("zork", "rule ORG777"),
                                        ("qux", "recognizer Slow test recognizer")])
def test_a_regex_timeout_is_an_error_for_that_file(slow_checker, tmp_path: Path, monkeypatch,
                                                   word: str, names: str) -> None:
    monkeypatch.setattr(regexcheck, "REGEX_TIMEOUT_SECONDS", 0.05)
    write(tmp_path / "a.txt", "Get well soon Quentin Marlowe, your knee surgery went great.\n")
    write(tmp_path / "b.txt", f"Notes\n{word}{' ' * 40_000}?\n")
    report = runner.check([str(tmp_path)], slow_checker.settings, lambda: slow_checker, 1)
    assert [e.path for e in report.errors] == [str(tmp_path / "b.txt")]
    message = report.errors[0].message
    assert message.startswith("line 1: ") and names in message and "time limit" in message
    assert {f.path for f in report.findings} == {str(tmp_path / "a.txt")}
