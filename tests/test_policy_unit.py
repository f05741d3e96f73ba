"""The policy without the model: findings made here go through per-file ignores, a draft's
suppressions, the baseline, per-rule limits and severity overrides (suppressions.Policy)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from phiguard.models import Draft, Finding, LineIndex, Segment, SourceMap
from phiguard.suppressions import INVALID, UNUSED, Directive, Policy, comment_directives

pytestmark = pytest.mark.unit

RULES = {"PHI001": "phi", "PHI002": "phi", "CIT001": "citation", "DIS001": "disclaimer",
         INVALID: "suppression", UNUSED: "suppression"}


def policy(**options: object) -> Policy:
    active = options.pop("active", set(RULES))
    return Policy(dict(RULES), set(active), **options)  # type: ignore[arg-type]


def draft(path: str = "drafts/a.md", directives: list[Directive] | None = None,
          **meta: object) -> Draft:
    text = "line one\nline two\nline three\n"
    return Draft(path, [Segment("body", text, SourceMap.linear(0), "body")], dict(meta), 0,
                 [], LineIndex(text), list(directives or []))


def finding(rule: str, line: int = 1, path: str = "drafts/a.md", excerpt: str = "x"
            ) -> Finding:
    return Finding(path, line, 1, line, 5, rule, RULES[rule], "warning", "m", excerpt)


def rules_of(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in findings]


@dataclass
class FakeBaseline:
    """Accepts the findings whose excerpt it lists (the real one keys a hash of the
    sentence: baseline.py)."""

    excerpts: set[str]
    asked: list[str] = field(default_factory=list)

    def accepts(self, found: Finding) -> bool:
        self.asked.append(found.excerpt)
        return found.excerpt in self.excerpts


@pytest.mark.parametrize("pattern,path,ignored", [
    ("drafts/a.md", "drafts/a.md", True),
    ("drafts/a.md", "./drafts/a.md", True),  # as a path given on the command line
    ("drafts/*.md", "drafts\\a.md", True),  # a Windows path
    ("a.md", "site/drafts/a.md", True),  # matches at any depth
    ("drafts/*.csv", "drafts/a.md", False),
    ("b.md", "drafts/ab.md", False),
])
def test_per_file_ignores_match_the_path_by_pattern(pattern: str, path: str,
                                                    ignored: bool) -> None:
    rules = policy(per_file_ignores={pattern: ["phi"]})
    screened = rules.screen(draft(path), [finding("PHI001", path=path),
                                          finding("CIT001", path=path)])
    expected = ["CIT001"] if ignored else ["PHI001", "CIT001"]
    assert [f.rule for f in screened.findings] == expected
    assert screened.suppressed == 0  # an ignore by configuration is not a suppression


def test_a_suppression_covers_its_lines_and_rules_only_and_is_counted() -> None:
    directive = Directive(["PHI"], 1, (2, 2), "consented")
    rules = policy()
    screened = rules.screen(draft(directives=[directive]), [
        finding("PHI001", 1), finding("PHI002", 2), finding("CIT001", 2), finding("PHI001", 3)])
    assert rules_of(screened.findings) == [("PHI001", 1), ("CIT001", 2), ("PHI001", 3)]
    assert screened.suppressed == 1 and directive.used
    assert screened.diagnostics == []
    assert rules_of(rules.settle(screened)) == rules_of(screened.findings)


def test_a_multi_line_finding_is_covered_by_a_directive_on_any_of_its_lines() -> None:
    long_one = Finding("drafts/a.md", 1, 1, 3, 2, "PHI001", "phi", "error", "m", "x")
    screened = policy().screen(draft(directives=[Directive(["PHI001"], 2, (3, 3))]),
                               [long_one])
    assert screened.findings == [] and screened.suppressed == 1


def test_a_draft_ignore_in_its_metadata_covers_the_whole_draft() -> None:
    screened = policy().screen(draft(phiguard={"ignore": ["citation"], "reason": "sourced"}),
                               [finding("CIT001", 1), finding("CIT001", 3),
                                finding("PHI001", 2)])
    assert rules_of(screened.findings) == [("PHI001", 2)] and screened.suppressed == 2


def test_a_csv_ignore_cell_names_rules_separated_by_commas() -> None:
    screened = policy().screen(draft(phiguard_ignore="PHI001, CIT001"),
                               [finding("PHI001"), finding("CIT001"), finding("DIS001")])
    assert [f.rule for f in screened.findings] == ["DIS001"]


@pytest.mark.parametrize("selectors,expected", [
    ([], (INVALID, "error", "names no rule")),
    (["NOPE9"], (INVALID, "error", "unknown rule: NOPE9")),
    (["CIT001"], (UNUSED, "warning", "nothing here matched CIT001")),
])
def test_a_suppression_that_names_nothing_or_silences_nothing_is_reported(
        selectors: list[str], expected: tuple[str, str, str]) -> None:
    screened = policy().screen(draft(directives=[Directive(selectors, 2, (3, 3))]),
                               [finding("PHI001", 3)])
    [diagnostic] = screened.diagnostics
    rule, severity, words = expected
    assert (diagnostic.rule, diagnostic.severity, diagnostic.line) == (rule, severity, 2)
    assert words in diagnostic.message and diagnostic.category == "suppression"


def test_unused_is_not_said_of_a_rule_that_is_not_active_nor_when_its_own_rule_is_off(
        ) -> None:
    not_selected = policy(active={"PHI001", INVALID, UNUSED})
    assert not_selected.screen(draft(directives=[Directive(["CIT001"], 2, (3, 3))]),
                               []).diagnostics == []
    unused_off = policy(active=set(RULES) - {UNUSED})
    assert unused_off.screen(draft(directives=[Directive(["CIT001"], 2, (3, 3))]),
                             []).diagnostics == []


def test_the_baseline_comes_before_the_limit_and_counts_what_it_hides() -> None:
    baseline = FakeBaseline({"known"})
    rules = policy(baseline=baseline, limits={"PHI001": 1})
    screened = rules.screen(draft(), [finding("PHI001", 1, excerpt="known"),
                                      finding("PHI001", 2, excerpt="new"),
                                      finding("PHI001", 3, excerpt="newer")])
    kept, baselined = rules.settle_counted(screened)
    assert rules_of(kept) == [("PHI001", 2)]  # the known one did not use up the limit
    assert baselined == 1 and baseline.asked == ["known", "new", "newer"]


def test_limits_are_per_rule_and_per_draft() -> None:
    rules = policy(limits={"PHI001": 2})
    first = rules.settle(rules.screen(draft(), [finding("PHI001", n) for n in (1, 2, 3)]
                                      + [finding("CIT001", n) for n in (1, 2, 3)]))
    second = rules.settle(rules.screen(draft("drafts/b.md"), [finding("PHI001", 1)]))
    assert rules_of(first) == [("PHI001", 1), ("PHI001", 2), ("CIT001", 1), ("CIT001", 2),
                               ("CIT001", 3)]
    assert rules_of(second) == [("PHI001", 1)]


@pytest.mark.parametrize("selector", ["PHI001", "PHI", "phi"])
def test_a_severity_override_by_id_prefix_or_category(selector: str) -> None:
    rules = policy(severity={selector: "info"})
    kept = rules.settle(rules.screen(draft(), [finding("PHI001"), finding("CIT001")]))
    assert [(f.rule, f.severity) for f in kept] == [("PHI001", "info"), ("CIT001", "warning")]


def test_a_severity_override_applies_to_the_suppressions_own_findings() -> None:
    rules = policy(severity={"suppression": "info"})
    kept = rules.apply(draft(directives=[Directive([], 1, (2, 2))]), [])
    assert [(f.rule, f.severity) for f in kept] == [(INVALID, "info")]


def test_comment_directives_read_from_markdown_cover_the_right_lines() -> None:
    text = ("Intro\n"
            "<!-- phiguard-disable-next-line PHI001 -- consented -->\n"
            "\n"
            "Covered line\n"
            "<!-- phiguard-disable CIT001, CIT002 -->\n"
            "a\n"
            "b\n"
            "<!-- phiguard-enable CIT001 -->\n"
            "after\n")
    next_line, ranged = comment_directives(text, LineIndex(text))
    assert (next_line.selectors, next_line.lines, next_line.reason) == (["PHI001"], (4, 4),
                                                                        "consented")
    assert (ranged.selectors, ranged.line, ranged.lines) == (["CIT001", "CIT002"], 5, (5, 8))


def test_a_policy_is_not_changed_after_it_is_built_nor_by_settling() -> None:
    import dataclasses

    rules = policy(limits={"PHI001": 1}, baseline=FakeBaseline({"known"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.limits = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.baseline = None  # type: ignore[misc]
    before = dataclasses.replace(rules)
    rules.settle(rules.screen(draft(), [finding("PHI001", 1, excerpt="known"),
                                        finding("PHI001", 2, excerpt="new")]))
    assert rules == before
