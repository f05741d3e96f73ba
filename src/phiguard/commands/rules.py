"""The rule commands: `phiguard rules` lists the active rules, `rules new` scaffolds one,
`explain` says what a rule checks and why, `test-rules` runs every rule's `tests:` examples.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..models import PhiguardError
from .common import config_option, settings_for


@click.group("rules", invoke_without_command=True)
@config_option
@click.pass_context
def list_rules(ctx: click.Context, config: str | None) -> None:
    """List the active rules (`phiguard rules new` scaffolds one)."""
    if ctx.invoked_subcommand is None:
        _list_rules(config)


@list_rules.command("new")
@click.argument("rule_id")
@click.option("--category", required=True, help="Its category (rules/categories.yaml).")
@click.option("--kind", required=True, help="Its kind: match, missing, near, metadata, claim.")
@click.option("--folder", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The rule folder to write it in.")
def new_rule(rule_id: str, category: str, kind: str, folder: str) -> None:
    """Write a rule file with TODOs and `tests:` examples to fill in, for `test-rules`."""
    _new_rule(rule_id, category, kind, Path(folder))


def _new_rule(rule_id: str, category: str, kind: str, folder: Path) -> None:
    import re

    import yaml

    from ..rules.categories import load_categories
    from ..rules.kinds import KINDS

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", rule_id):
        raise PhiguardError("a rule id starts with a letter and holds letters, digits, _ . -")
    if kind not in KINDS:
        raise PhiguardError(f"no rule kind by that name; kinds: {', '.join(KINDS)}")
    known = load_categories([folder]) if folder.is_dir() else load_categories([])
    if category not in known:
        raise PhiguardError(f"no category by that name; categories: {', '.join(known)}")
    path = folder / f"{rule_id.lower()}.yaml"
    if path.exists():
        raise PhiguardError("already exists; choose another id", str(path))
    rule = {"id": rule_id, "category": category, "severity": "warning",
            "message": "TODO what is wrong, in a few words", "kind": kind,
            "description": "TODO what the rule checks", "source": "TODO the policy it enforces",
            **KINDS[kind].scaffold,
            "tests": {"fire": ["TODO a draft it must flag"],
                      "quiet": ["TODO a draft it must leave alone"]}}
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"rules": [rule]}, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    prefix = known[category].prefix
    if prefix and not rule_id.startswith(prefix):
        click.echo(f"note: {category} rule ids usually start with {prefix}", err=True)
    click.echo(f"{path}: fill in the TODOs, then `phiguard test-rules {folder}`")


def _list_rules(config: str | None) -> None:
    from ..pipeline import active_rule_ids, load_rules

    settings = settings_for(config, [])
    ruleset = load_rules(settings)
    active = active_rule_ids(ruleset, settings)
    for rule in ruleset.rules:
        if rule.id in active:
            click.echo(f"{rule.id:<10} {rule.category:<15} {rule.severity:<8} {rule.message}")


@click.command()
@click.argument("rule_id")
@config_option
def explain(rule_id: str, config: str | None) -> None:
    """Explain what a rule checks, why, and how to fix a finding."""
    _explain(rule_id, config)


def _explain(rule_id: str, config: str | None) -> None:
    from ..pipeline import load_rules

    ruleset = load_rules(settings_for(config, []))
    rule = ruleset.get(rule_id)
    if rule is None:
        raise PhiguardError(f"no rule {rule_id!r}; `phiguard rules` lists them")
    spec = rule.spec
    click.echo(f"{rule.id} ({rule.category}, {rule.severity}): {rule.message}")
    for title, key in (("What it checks", "description"), ("Why", "source"),
                       ("How to fix", "fix")):
        if spec.get(key):
            click.echo(f"\n{title}:\n  {spec[key].strip()}")
    click.echo(f"\nDefined in {rule.path}:{rule.line}")


@click.command("test-rules")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False))
@config_option
def test_rules(folders: tuple[str, ...], config: str | None) -> None:
    """Run the `tests:` examples of every rule (built-in and the given rule folders)."""
    _test_rules(list(folders), config)


def _test_rules(folders: list[str], config: str | None) -> None:
    from ..pipeline import run_rule_tests

    settings = settings_for(config, [])
    # A folder named here that `rule_paths` already lists (as docs/rules.md does) is read once:
    # reading it twice would report its own rules and patterns as duplicates.
    wanted = [*settings.rule_paths, *(Path(f).resolve() for f in folders)]
    settings.rule_paths = list(dict.fromkeys(Path(p).resolve() for p in wanted))
    failures, total = run_rule_tests(settings)
    for failure in failures:
        click.echo(failure)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)
