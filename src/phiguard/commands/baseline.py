"""`phiguard baseline create|update`: accept today's findings, so that `check --baseline`
reports only new ones.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..baseline import DEFAULT_BASELINE
from ..models import PhiguardError
from .common import config_option, settings_for


@click.group()
def baseline() -> None:
    """Accept today's findings: create or update a baseline, then `check --baseline`."""


def _baseline_command(name: str, help_text: str) -> None:
    @baseline.command(name, help=help_text)
    @click.argument("paths", nargs=-1)
    @click.option("--file", "baseline_file", type=click.Path(dir_okay=False),
                  help=f"Baseline file (default: `baseline:` in the configuration, else "
                       f"{DEFAULT_BASELINE}).")
    @config_option
    def command(paths: tuple[str, ...], baseline_file: str | None, config: str | None) -> None:
        _write_baseline(name, list(paths) or ["."], baseline_file, config)


def _write_baseline(mode: str, paths: list[str], baseline_file: str | None,
                    config: str | None) -> None:
    from .. import baseline as baselines
    from .. import runner
    from ..pipeline import Session, load_rules

    settings = settings_for(config, paths)
    path = Path(baseline_file) if baseline_file else settings.baseline or Path(DEFAULT_BASELINE)
    if mode == "create" and path.exists():
        raise PhiguardError("baseline already exists; use `phiguard baseline update`", str(path))
    target = baselines.create(path) if mode == "create" else baselines.load(path)
    before = sum(target.entries.values())
    settings.baseline = path  # never read as a draft
    # every occurrence is recorded, not only the first ones a check shows
    session = Session(settings, load_rules(settings), every_occurrence=True)
    report = runner.check(paths, settings, lambda: session)
    if report.errors:
        for error in report.errors:
            click.echo(f"{error.path}: error {error.message}", err=True)
        raise PhiguardError(f"baseline not written: {len(report.errors)} file(s) could not be "
                            "checked", str(path))
    target.write(report.findings)
    click.echo(f"{path}: {len(report.findings)} finding(s) recorded"
               + (f" (was {before})" if mode == "update" else ""))


_baseline_command("create", "Write the current findings to a new baseline file.")
_baseline_command("update", "Rewrite a baseline with the current findings (same key).")
