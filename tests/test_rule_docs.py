"""The rule reference (docs/rules/) is what tools/gen_rule_docs.py makes of the rule files
now: a rule edited without regenerating the pages fails here, naming the command."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import write

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs",
                                                  ROOT / "tools" / "gen_rule_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _tool()


def test_the_rule_reference_is_current() -> None:
    stale = gen.stale()
    assert not stale, (f"docs/rules/ is out of date ({', '.join(stale)}): the rule files "
                       f"changed; run `{gen.COMMAND}` and commit docs/rules/")


def test_every_built_in_rule_has_a_page_and_an_index_line() -> None:
    from phiguard.assets import load_rules
    from phiguard.rules.loader import load_ruleset

    ids = {r.id for r in load_ruleset([gen.RULES]).rules} | {r.id for r in load_rules(gen.RULES)}
    built = gen.pages()
    assert set(built) == {f"{i}.md" for i in ids} | {"index.md"}
    for rule_id in ids:
        assert f"| [{rule_id}]({rule_id}.md) |" in built["index.md"]
        assert built[f"{rule_id}.md"].splitlines()[2].startswith(f"# {rule_id}: ")


ORG_RULE = """\
rules:
  - id: ORG101
    category: advice
    severity: warning
    kind: match
    message: Promises a cure | guaranteed
    description: A post that promises a cure.
    fix: Say what the treatment can do, not that it cures.
    kinds: [post]
    pattern: {phrases: [guaranteed cure]}
    tests:
      fire:
        - "A guaranteed cure for ```back pain```!"
      quiet:
        - text: "No cure is guaranteed."
          meta: {platform: facebook}
"""


def test_a_page_shows_the_rule_its_examples_and_what_it_lacks(tmp_path: Path) -> None:
    write(tmp_path / "org" / "promises.yaml", ORG_RULE)
    built = gen.pages(tmp_path / "org")
    page = built["ORG101.md"]
    assert "# ORG101: Promises a cure | guaranteed" in page
    assert "| Severity | warning |" in page and "| Kind | match |" in page
    assert "| Draft kinds | post |" in page
    assert "[org/promises.yaml](../../org/promises.yaml)" in page
    assert "## Why\n\n*Not stated in the rule file.*" in page  # no `source:`
    assert "## How to fix it\n\nSay what the treatment can do, not that it cures." in page
    assert "checked with kind `post` unless it says otherwise" in page
    # Each example verbatim, in a fence longer than any backticks it holds, with its outcome.
    assert "### Reported (fire 1)\n\n````text\nA guaranteed cure for ```back pain```!\n````" in page
    assert ("### Not reported (quiet 1)\n\nWith the draft's fields `{platform: facebook}`:\n\n"
            "```text\nNo cure is guaranteed.\n```") in page
    assert "| [ORG101](ORG101.md) | warning | match | Promises a cure \\| guaranteed |" in (
        built["index.md"])


def test_stale_names_edited_missing_and_left_over_pages(tmp_path: Path) -> None:
    rules = write(tmp_path / "org" / "promises.yaml", ORG_RULE).parent
    out = tmp_path / "pages"
    out.mkdir()
    current = gen.pages(rules)
    for name, text in current.items():
        write(out / name, text)
    assert gen.stale(out, current) == []
    edited = gen.pages(write(rules / "promises.yaml",
                             ORG_RULE.replace("severity: warning", "severity: error")).parent)
    assert gen.stale(out, edited) == ["ORG101.md", "index.md"]
    write(out / "ORG999.md", "a rule that is gone\n")
    (out / "index.md").unlink()
    assert gen.stale(out, current) == ["ORG999.md", "index.md"]
