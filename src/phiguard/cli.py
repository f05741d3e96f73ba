"""The `phiguard` command. Heavy work (spaCy, Presidio) is imported only when a check runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .models import SEVERITIES, PhiguardError

FORMATS = ("text", "json")


def _fail(message: str) -> None:
    click.echo(f"phiguard: error: {message}", err=True)
    sys.exit(2)


def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Fail closed: any error is one line on stderr and exit 2, never a traceback."""
    try:
        return func(*args, **kwargs)
    except PhiguardError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as exc:  # a bug must still fail closed, never pass a file silently
        if os.environ.get("PHIGUARD_DEBUG"):
            raise
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        _fail(f"internal error ({type(exc).__name__}): {first_line} "
              "(set PHIGUARD_DEBUG=1 for details)")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _settings(config: str | None, paths: list[str]) -> Any:
    from .config import load_settings
    from .pipeline import default_config_path

    path = Path(config) if config else default_config_path(paths)
    return load_settings(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phiguard")
def cli() -> None:
    """Lint healthcare social-media drafts for PHI and policy problems before publishing."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the run fail (default: error).")
@click.option("--select", multiple=True, help="Only these rules (id, id prefix or category).")
@click.option("--ignore", multiple=True, help="Skip these rules (id, id prefix or category).")
@click.option("--show-matches", is_flag=True,
              help="Show identifiers in clear text in excerpts (refused when CI is set).")
def check(paths: tuple[str, ...], output_format: str, config: str | None, fail_on: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], show_matches: bool) -> None:
    """Check draft files and folders (default: the current folder)."""
    _run(_check, list(paths) or ["."], output_format, config, fail_on, _split(select),
         _split(ignore), show_matches)


def _check(paths: list[str], output_format: str, config: str | None, fail_on: str | None,
           select: list[str], ignore: list[str], show_matches: bool) -> None:
    from .formatters import FORMATTERS
    from .pipeline import Checker, load_rules

    if show_matches and os.environ.get("CI"):
        raise PhiguardError("--show-matches prints identifiers in clear text and is refused when "
                            "CI is set")
    settings = _settings(config, paths)
    if select:
        settings.select = select
    if ignore:
        settings.ignore = [*settings.ignore, *ignore]
    checker = Checker(settings, load_rules(settings), show_matches)
    report = checker.check_paths(paths)
    FORMATTERS[output_format](report, sys.stdout)
    sys.stdout.flush()
    sys.exit(report.exit_code(fail_on or settings.fail_on))


@cli.command("rules")
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
def list_rules(config: str | None) -> None:
    """List the active rules."""
    _run(_list_rules, config)


def _list_rules(config: str | None) -> None:
    from .pipeline import active_rule_ids, load_rules

    settings = _settings(config, [])
    ruleset = load_rules(settings)
    active = active_rule_ids(ruleset, settings)
    for rule in ruleset.rules:
        if rule.id in active:
            click.echo(f"{rule.id:<10} {rule.category:<15} {rule.severity:<8} {rule.message}")


@cli.command()
@click.argument("rule_id")
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
def explain(rule_id: str, config: str | None) -> None:
    """Explain what a rule checks, why, and how to fix a finding."""
    _run(_explain, rule_id, config)


def _explain(rule_id: str, config: str | None) -> None:
    from .pipeline import load_rules

    ruleset = load_rules(_settings(config, []))
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


@cli.command("test-rules")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False))
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
def test_rules(folders: tuple[str, ...], config: str | None) -> None:
    """Run the `tests:` examples of every rule (built-in and the given rule folders)."""
    _run(_test_rules, list(folders), config)


def _test_rules(folders: list[str], config: str | None) -> None:
    from .rules.testing import run_rule_tests

    settings = _settings(config, [])
    settings.rule_paths = [*settings.rule_paths, *(Path(f).resolve() for f in folders)]
    failures, total = run_rule_tests(settings)
    for failure in failures:
        click.echo(failure)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def main() -> None:
    cli()
