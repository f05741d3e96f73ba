"""`phiguard check`: its options, what the command line changes in the configuration, the
run (cache, --fix, standard input) and the modes that stop before checking (--show-files,
--show-settings). check_output.py writes what the run produces.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import formatters as formats
from ..models import SEVERITIES, PhiguardError
from .check_output import apply_fixes, emit, output_format_of, progress_bar
from .common import config_option, settings_for, split_values

if TYPE_CHECKING:
    from ..config import Settings

FORMATS = ("auto", *formats.choices())


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="auto",
              show_default=True,
              help="Output format; auto is github inside GitHub Actions, text elsewhere "
                   "(gitlab: a Code Quality report).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write the report to this file (owner-only) instead of standard output.")
@config_option
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the run fail (default: error).")
@click.option("--select", multiple=True, help="Only these rules (id, id prefix or category).")
@click.option("--ignore", multiple=True, help="Skip these rules (id, id prefix or category).")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline file.")
@click.option("--show-settings", is_flag=True,
              help="Print the resolved configuration and where each value came from, then stop.")
@click.option("--show-matches", is_flag=True,
              help="Show identifiers in clear text in excerpts (refused when CI is set).")
@click.option("--force", is_flag=True, help="Allow --show-matches even when CI is set.")
@click.option("--fix", is_flag=True,
              help="Apply safe fixes (configured disclaimer, sponsorship disclosure) first.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per CPU for large inputs, else one).")
@click.option("--no-cache", is_flag=True,
              help="Analyse every file, without reading or writing the result cache.")
@click.option("--stdin-filename", metavar="NAME",
              help="With `-` as the path: the name the draft read from standard input is "
                   "shown under; its ending chooses the reader (default: plain text).")
@click.option("--statistics", is_flag=True,
              help="Print how many findings each rule and category has, not the findings.")
@click.option("--show-files", is_flag=True,
              help="List the files that would be checked, then stop.")
def check(paths: tuple[str, ...], output_format: str, output_file: str | None,
          config: str | None, fail_on: str | None, select: tuple[str, ...],
          ignore: tuple[str, ...], baseline: str | None, show_settings: bool,
          show_matches: bool, force: bool, fix: bool, jobs: int | None, no_cache: bool,
          stdin_filename: str | None, statistics: bool, show_files: bool) -> None:
    """Check draft files and folders (default: the current folder); `-` reads one draft from
    standard input."""
    options = CheckOptions(list(paths) or ["."], output_format, output_file, config, fail_on,
                           split_values(select), split_values(ignore), baseline, show_matches,
                           force, fix, jobs, not no_cache, stdin_filename, statistics)
    if show_files:
        _show_files(options)
    elif show_settings:
        _show_settings(options)
    else:
        _check(options)


@dataclass
class CheckOptions:
    paths: list[str]
    output_format: str
    output_file: str | None
    config: str | None
    fail_on: str | None
    select: list[str]
    ignore: list[str]
    baseline: str | None
    show_matches: bool = False
    force: bool = False
    fix: bool = False
    jobs: int | None = None
    cache: bool = True
    stdin_filename: str | None = None
    statistics: bool = False

    @property
    def stdin(self) -> bool:
        """One draft from standard input (`phiguard check -`)."""
        return "-" in self.paths

    def config_paths(self) -> list[str]:
        """Where the configuration is looked for: a draft from standard input is found as the
        file it is named after would be."""
        if not self.stdin:
            return self.paths
        return [str(Path(self.stdin_filename).parent) if self.stdin_filename else "."]


def _resolved_settings(options: CheckOptions) -> Any:
    """Configuration file, then the command line on top of it."""
    settings = settings_for(options.config, options.config_paths())
    if options.select:
        settings.select = options.select
        settings.origins["select"] = "command line (--select)"
    if options.ignore:
        settings.ignore = [*settings.ignore, *options.ignore]
        settings.origins["ignore"] = "command line (--ignore)" + (
            f" + {settings.origins['ignore']}" if "ignore" in settings.origins else "")
    if options.fail_on:
        settings.fail_on = options.fail_on
        settings.origins["fail_on"] = "command line (--fail-on)"
    if options.baseline:
        settings.baseline = Path(options.baseline)
        settings.origins["baseline"] = "command line (--baseline)"
    return settings


def _show_settings(options: CheckOptions) -> None:
    from ..config import describe

    settings = _resolved_settings(options)
    click.echo(f"configuration file: {settings.source or 'none (defaults)'}")
    for name, value, origin in describe(settings):
        click.echo(f"{name} = {json.dumps(value, ensure_ascii=False)}    # {origin}")


def _check(options: CheckOptions) -> None:
    from .. import runner
    from ..cache import Cache
    from ..rules.loader import builtin_rules_dir

    if options.show_matches and os.environ.get("CI") and not options.force:
        raise PhiguardError("--show-matches prints identifiers in clear text and is refused when "
                            "CI is set (add --force to override)")
    _check_stdin_options(options)
    settings = _resolved_settings(options)
    baseline = _load_baseline(settings.baseline) if settings.baseline else None
    session = None

    def make_session() -> Any:  # only when some file is not in the cache
        nonlocal session
        if session is None:
            from ..pipeline import Session, collector_paused, load_rules

            with collector_paused(freeze=True):
                session = Session(settings, load_rules(settings), options.show_matches,
                                  baseline=baseline)
        return session

    if options.fix:
        apply_fixes(make_session(), options.paths, settings)
    # Excerpts shown in clear text are never cached.
    cache = (Cache.for_run(settings, [builtin_rules_dir(), *settings.rule_paths], baseline)
             if options.cache and not options.show_matches else None)
    written = {Path(options.output_file).resolve()} if options.output_file else set()
    if options.stdin:
        report = runner.check_data(_stdin_target(options), _read_stdin(settings), settings,
                                   make_session)
    else:
        bar = progress_bar(options.output_file)
        try:
            report = runner.check(options.paths, settings, make_session, options.jobs, cache,
                                  written, bar)
        finally:
            if bar is not None:
                bar.close()  # erased before the report is written
    output_format = "statistics" if options.statistics else output_format_of(
        options.output_format)
    if report.rules is None and formats.spec(output_format).needs_rules:
        from ..pipeline import active_rules

        report.rules = active_rules(settings)
    report.fail_on = settings.fail_on
    emit(report, output_format, options.output_file)
    sys.exit(report.exit_code(settings.fail_on))


def _check_stdin_options(options: CheckOptions) -> None:
    if options.stdin and len(options.paths) > 1:
        raise PhiguardError("`-` (standard input) cannot be checked together with other paths")
    if options.stdin_filename and not options.stdin:
        raise PhiguardError("--stdin-filename names standard input: give `-` as the path")
    if options.stdin and options.fix:
        raise PhiguardError("--fix rewrites files; standard input is not one (run "
                            "`phiguard check --fix` on the file)")
    if options.statistics and options.output_format not in ("auto", "text"):
        raise PhiguardError("--statistics prints a table of its own; leave out --format")


def _stdin_target(options: CheckOptions) -> Any:
    from ..walk import Target

    name = options.stdin_filename
    return Target(Path(name) if name else Path("stdin.txt"), name or "-")


def _read_stdin(settings: Settings) -> bytes:
    """At most one byte over the limit: the reader refuses what is larger, as for a file."""
    return sys.stdin.buffer.read(settings.max_file_bytes + 1)


def _show_files(options: CheckOptions) -> None:
    """The files a check of these paths reads (after exclusions), one a line."""
    from ..walk import collect

    _check_stdin_options(options)
    settings = _resolved_settings(options)
    if options.stdin:
        click.echo(_stdin_target(options).shown)
        return
    written = {Path(options.output_file).resolve()} if options.output_file else set()
    targets, errors = collect(options.paths, settings.exclude,
                              settings.files_to_skip() | written, settings.rule_paths)
    for target in targets:
        click.echo(target.shown)
    for error in errors:
        click.echo(f"{error.path}: error {error.message}", err=True)
    sys.exit(2 if errors else 0)


def _load_baseline(path: Path) -> Any:
    from ..baseline import load

    return load(path)
