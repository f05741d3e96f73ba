"""Rule kinds in a registry and categories as data (rules/categories.yaml, an organization's
categories.yaml): without the model, a blank spaCy pipeline."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from phiguard.edits.autofix import plan
from phiguard.formatters.gitlab import _issue
from phiguard.models import Draft, Finding, LineIndex, Segment, SourceMap
from phiguard.rules import categories
from phiguard.rules.kinds import KINDS
from phiguard.rules.loader import RuleError, builtin_rules_dir, load_ruleset
from phiguard.rules.schema import PATTERN_SLOTS, RULE

from .fakes import fake_engine

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore:.*W036")]

ORG_CATEGORIES = """\
categories:
  - name: trial_code
    prefix: TC
    description: An internal trial code in a public post.
    mask: {mask}
    fix: disclaimer
    security: true
"""
ORG_RULES = """\
rules:
  - id: TC001
    category: trial_code
    severity: error
    message: An internal trial code
    kind: match
    pattern: {regex: "\\\\bgreen protocol\\\\b"}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def org_folder(tmp_path: Path, mask: str = "true", rules: str = ORG_RULES) -> Path:
    write(tmp_path / "org" / "categories.yaml", ORG_CATEGORIES.format(mask=mask))
    write(tmp_path / "org" / "trial.yaml", rules)
    return tmp_path / "org"


def findings(folder: Path, text: str) -> list[Finding]:
    fake = fake_engine(folder)  # the built-in categories are always known
    return fake.engine.check(fake.analyse(text))


def test_the_builtin_categories_say_what_the_python_sets_said() -> None:
    builtin = categories.builtin()
    assert set(builtin) == {"phi", "consent", "review_reply", "advice", "disclaimer", "citation",
                            "misinformation", "sponsorship", "fair_balance", "accessibility"}
    assert {n for n, c in builtin.items() if c.mask} == {"phi", "consent", "review_reply"}
    assert {n: c.fix for n, c in builtin.items() if c.fix} == {
        "disclaimer": "disclaimer", "sponsorship": "sponsorship"}
    assert {n for n, c in builtin.items() if c.security} == {"phi", "consent"}


def test_every_builtin_rule_id_starts_with_its_categorys_prefix() -> None:
    ruleset = load_ruleset([builtin_rules_dir()])
    for rule in ruleset.rules:
        assert rule.id.startswith(ruleset.categories[rule.category].prefix), rule.id


def test_an_organizations_own_category_is_accepted_and_reported(tmp_path: Path) -> None:
    [finding] = findings(org_folder(tmp_path), "enrolment for the green protocol opens monday.")
    assert (finding.rule, finding.category) == ("TC001", "trial_code")
    assert "green" not in finding.excerpt  # its `mask: true` masks what its rules match
    assert categories.lookup("trial_code").security


def test_an_unmasked_category_shows_its_matched_words(tmp_path: Path) -> None:
    text = "enrolment for the green protocol opens."
    [finding] = findings(org_folder(tmp_path, mask="false"), text)
    assert "green protocol" in finding.excerpt


def test_an_organizations_category_drives_gitlab_and_the_safe_fix(tmp_path: Path) -> None:
    load_ruleset([org_folder(tmp_path)])
    text = "Enrolment opens Monday.\n"
    finding = Finding("d.txt", 1, 1, 1, 2, "TC001", "trial_code", "error", "m", "", "body", "x")
    issue = _issue(finding, Counter())
    assert issue["categories"] == ["Security"]
    draft = Draft("d.txt", [Segment("body", text, SourceMap.linear(0), "body")], {}, 0, [],
                  LineIndex(text))
    settings = type("S", (), {"org": {"disclaimer": "Not medical advice."}})()
    fixes, skipped = plan(draft, [finding], text, "prose", settings)
    assert skipped == [] and [f.edit.new.strip() for f in fixes] == ["Not medical advice."]


def test_a_rule_naming_an_unknown_category_names_file_and_line(tmp_path: Path) -> None:
    rules = ORG_RULES.replace("category: trial_code", "category: trial_codes")
    path = write(tmp_path / "org" / "trial.yaml", rules)  # no categories.yaml declares it
    with pytest.raises(RuleError) as info:
        load_ruleset([builtin_rules_dir(), path.parent])
    assert (info.value.path, info.value.line) == (str(path), 3)
    assert "category" in info.value.message and "trial_codes" not in info.value.message


@pytest.mark.parametrize("text,line", [
    (ORG_CATEGORIES.format(mask="true").replace("fix: disclaimer", "fix: rewrite"), 6),
    (ORG_CATEGORIES.format(mask="true").replace("prefix: TC", "prefix: tc-"), 3),
    (ORG_CATEGORIES.format(mask="maybe"), 5),
    (ORG_CATEGORIES.format(mask="true").replace("name: trial_code", "name: phi"), 2),
    ("categories:\n  - name: x\n  bad indent: [\n", None),
])
def test_a_bad_categories_file_names_file_and_line(tmp_path: Path, text: str,
                                                   line: int | None) -> None:
    path = write(tmp_path / "org" / "categories.yaml", text)
    with pytest.raises(RuleError) as info:
        load_ruleset([builtin_rules_dir(), path.parent])
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line
    assert "rewrite" not in info.value.message and "maybe" not in info.value.message


def test_the_rule_kinds_come_from_the_registry() -> None:
    assert RULE["properties"]["kind"]["enum"] == list(KINDS)
    assert PATTERN_SLOTS == ("pattern", "trigger", "require", "a", "b", "c")
    assert [c["if"]["properties"]["kind"]["const"] for c in RULE["allOf"]] == list(KINDS)
    for kind in KINDS.values():
        assert callable(kind.evaluate)
        assert set(kind.slots) <= set(kind.properties)


@pytest.mark.unit
def test_a_copy_of_the_builtin_categories_file_is_the_builtin_one(tmp_path: Path) -> None:
    # a checkout's rules/ while phiguard runs from an installed copy of them
    builtin_file = builtin_rules_dir() / categories.FILE_NAME
    (tmp_path / categories.FILE_NAME).write_bytes(builtin_file.read_bytes())
    assert set(categories.load_categories([tmp_path])) == set(categories.builtin())
    # a changed declaration of a built-in category is still a second declaration
    changed = builtin_file.read_text(encoding="utf-8").replace("prefix: PHI", "prefix: PHX", 1)
    (tmp_path / categories.FILE_NAME).write_text(changed, encoding="utf-8")
    with pytest.raises(RuleError, match="declared twice"):
        categories.load_categories([tmp_path])
