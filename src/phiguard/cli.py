"""The `phiguard` command. Heavy work (spaCy, Presidio) is imported only when a check runs."""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from . import formatters as formats
from .baseline import DEFAULT_BASELINE
from .models import SEVERITIES, PhiguardError

if TYPE_CHECKING:
    from .config import Settings


def _fail(message: str) -> None:
    click.echo(f"phiguard: error: {message}", err=True)
    sys.exit(2)


def _stdout_reader_gone() -> bool:
    """True when standard output is a pipe whose reader has closed it. Only then is a
    BrokenPipeError the reader's choice; from anywhere else (a worker's pipe) it is a failure."""
    import select

    stdout = sys.__stdout__
    if stdout is None:  # no real stdout
        return False
    try:
        poller = select.poll()
        poller.register(stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll(), or no real stdout
        return False


def _end_quietly() -> None:
    """End as other command-line tools do when their reader stops early: no message, the
    status a shell reports for a tool stopped by SIGPIPE (128 + 13)."""
    # What is still buffered for the closed pipe goes nowhere, instead of failing again at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    if sys.__stdout__ is not None:
        os.dup2(devnull, sys.__stdout__.fileno())
    os.close(devnull)
    sys.exit(141)


class _Terminated(BaseException):
    """SIGTERM, raised where the program is, so that what it started (workers) is stopped on
    the way out; a BaseException, so no `except Exception` takes it for a draft's error."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Fail closed: any error is one line on stderr and exit 2, never a traceback."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return func(*args, **kwargs)
    except PhiguardError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted")
    except _Terminated:
        _fail("terminated")
    except Exception as exc:  # a bug must still fail closed, never pass a file silently
        if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
            _end_quietly()  # `phiguard rules | head`: the reader has all it wanted
        if os.environ.get("PHIGUARD_DEBUG"):
            raise
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        _fail(f"internal error ({type(exc).__name__}): {first_line} "
              "(set PHIGUARD_DEBUG=1 for details)")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _settings(config: str | None, paths: list[str]) -> Settings:
    from .config import load_settings
    from .pipeline import default_config_path

    path = Path(config) if config else default_config_path(paths)
    return load_settings(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phiguard")
def cli() -> None:
    """Lint healthcare social-media drafts for PHI and policy problems before publishing."""


FORMATS = ("auto", *formats.choices())


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="auto",
              show_default=True,
              help="Output format; auto is github inside GitHub Actions, text elsewhere "
                   "(gitlab: a Code Quality report).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write the report to this file (owner-only) instead of standard output.")
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
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
                           _split(select), _split(ignore), baseline, show_matches, force, fix,
                           jobs, not no_cache, stdin_filename, statistics)
    if show_files:
        _run(_show_files, options)
    elif show_settings:
        _run(_show_settings, options)
    else:
        _run(_check, options)


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
    settings = _settings(options.config, options.config_paths())
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
    from .config import describe

    settings = _resolved_settings(options)
    click.echo(f"configuration file: {settings.source or 'none (defaults)'}")
    for name, value, origin in describe(settings):
        click.echo(f"{name} = {json.dumps(value, ensure_ascii=False)}    # {origin}")


def _check(options: CheckOptions) -> None:
    from . import runner
    from .cache import Cache
    from .rules.loader import builtin_rules_dir

    if options.show_matches and os.environ.get("CI") and not options.force:
        raise PhiguardError("--show-matches prints identifiers in clear text and is refused when "
                            "CI is set (add --force to override)")
    _check_stdin_options(options)
    settings = _resolved_settings(options)
    baseline = _load_baseline(settings.baseline) if settings.baseline else None
    checker = None

    def make_checker() -> Any:  # only when some file is not in the cache
        nonlocal checker
        if checker is None:
            from .pipeline import Checker, collector_paused, load_rules

            with collector_paused(freeze=True):
                checker = Checker(settings, load_rules(settings), options.show_matches)
            checker.policy.baseline = baseline
        return checker

    if options.fix:
        _apply_fixes(make_checker(), options.paths, settings)
    # Excerpts shown in clear text are never cached.
    cache = (Cache.for_run(settings, [builtin_rules_dir(), *settings.rule_paths], baseline)
             if options.cache and not options.show_matches else None)
    written = {Path(options.output_file).resolve()} if options.output_file else set()
    if options.stdin:
        report = runner.check_data(_stdin_target(options), _read_stdin(settings), settings,
                                   make_checker)
    else:
        bar = _progress_bar(options)
        try:
            report = runner.check(options.paths, settings, make_checker, options.jobs, cache,
                                  written, bar)
        finally:
            if bar is not None:
                bar.close()  # erased before the report is written
    output_format = "statistics" if options.statistics else _output_format(
        options.output_format)
    if report.rules is None and formats.spec(output_format).needs_rules:
        from .pipeline import active_rules

        report.rules = active_rules(settings)
    report.fail_on = settings.fail_on
    _emit(report, output_format, options.output_file)
    sys.exit(report.exit_code(settings.fail_on))


def _progress_bar(options: CheckOptions) -> Any:
    """A progress bar on standard error, only for a person at a terminal (progress.py)."""
    from .progress import ProgressBar, wanted

    if not wanted(sys.stderr, sys.stdout, options.output_file, os.environ):
        return None
    return ProgressBar()


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
    from .walk import Target

    name = options.stdin_filename
    return Target(Path(name) if name else Path("stdin.txt"), name or "-")


def _read_stdin(settings: Settings) -> bytes:
    """At most one byte over the limit: the reader refuses what is larger, as for a file."""
    return sys.stdin.buffer.read(settings.max_file_bytes + 1)


def _show_files(options: CheckOptions) -> None:
    """The files a check of these paths reads (after exclusions), one a line."""
    from .walk import collect

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


def _apply_fixes(checker: Any, paths: list[str], settings: Settings) -> None:
    """Safe fixes, file by file; unreadable files are left for the check to report."""
    from .edits.autofix import fix_file
    from .edits.files import open_editable, write_in_place
    from .models import ReadError
    from .readers import reader_for
    from .walk import collect

    targets, _ = collect(paths, settings.exclude, settings.files_to_skip(), settings.rule_paths)
    for target in targets:
        if reader_for(target.path) is None:
            continue
        try:
            opened = open_editable(target.shown, settings, target.path)
            fixed, fixes, skipped = fix_file(checker, opened, settings)
        except ReadError:
            continue
        if fixes:
            write_in_place(opened, fixed)
        for item in fixes:
            click.echo(f"fixed {target.shown}:{item.finding.line}: {item.finding.rule} "
                       f"({item.note})", err=True)
        for note in skipped:
            click.echo(f"not fixed {note}", err=True)


def _load_baseline(path: Path) -> Any:
    from .baseline import load

    return load(path)


def _output_format(requested: str) -> str:
    return formats.auto(os.environ) if requested == "auto" else requested


def _emit(report: Any, output_format: str, output_file: str | None) -> None:
    from .formatters import formatter
    from .privatefile import write_private

    if output_file:
        buffer = io.StringIO()
        formatter(output_format)(report, buffer)
        write_private(Path(output_file), buffer.getvalue())
    else:
        formatter(output_format)(report, sys.stdout)
        sys.stdout.flush()


@cli.group()
def baseline() -> None:
    """Accept today's findings: create or update a baseline, then `check --baseline`."""


def _baseline_command(name: str, help_text: str) -> None:
    @baseline.command(name, help=help_text)
    @click.argument("paths", nargs=-1)
    @click.option("--file", "baseline_file", type=click.Path(dir_okay=False),
                  help=f"Baseline file (default: `baseline:` in the configuration, else "
                       f"{DEFAULT_BASELINE}).")
    @click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
    def command(paths: tuple[str, ...], baseline_file: str | None, config: str | None) -> None:
        _run(_write_baseline, name, list(paths) or ["."], baseline_file, config)


def _write_baseline(mode: str, paths: list[str], baseline_file: str | None,
                    config: str | None) -> None:
    from . import baseline as baselines
    from . import runner
    from .pipeline import Checker, load_rules

    settings = _settings(config, paths)
    path = Path(baseline_file) if baseline_file else settings.baseline or Path(DEFAULT_BASELINE)
    if mode == "create" and path.exists():
        raise PhiguardError("baseline already exists; use `phiguard baseline update`", str(path))
    target = baselines.create(path) if mode == "create" else baselines.load(path)
    before = sum(target.entries.values())
    settings.baseline = path  # never read as a draft
    checker = Checker(settings, load_rules(settings))
    checker.policy.limits = {}  # record every occurrence, not only the first one shown
    report = runner.check(paths, settings, lambda: checker)
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


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .phiguard.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .phiguard.yaml in the current folder."""
    _run(_init, force)


def _init(force: bool) -> None:
    from .config import starter_config

    path = Path(".phiguard.yaml")
    if path.exists() and not force:
        raise PhiguardError("already exists (use --force to overwrite)", str(path))
    path.write_text(starter_config(), encoding="utf-8")
    click.echo(f"wrote {path}; edit the org: section, then run `phiguard check`")


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--in-place", is_flag=True, help="Rewrite the files (atomically).")
@click.option("--no-backup", is_flag=True,
              help="With --in-place: keep no copy of the original (kept owner-only in the "
                   "cache folder's backups/ otherwise).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Show what would change as a unified diff (refused when CI is set).")
@click.option("--names", type=click.Choice(["phrase", "initial"]), default=None,
              help="Patient names become a phrase (\"a patient\") or an initial.")
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--force", is_flag=True, help="Allow --diff even when CI is set.")
def redact(files: tuple[str, ...], in_place: bool, no_backup: bool, show_diff: bool,
           names: str | None, config: str | None, force: bool) -> None:
    """Write a de-identified version of each draft (HIPAA Safe Harbor transformations)."""
    _run(_redact, list(files), in_place, not no_backup, show_diff, names, config, force)


def _redact(files: list[str], in_place: bool, backup: bool, show_diff: bool,
            names: str | None, config: str | None, force: bool) -> None:
    from .edits.deidentify import RedactOptions, redact_text, verify
    from .edits.files import backup_folder, open_editable, unified_diff, write_in_place
    from .pipeline import Checker, load_rules

    if show_diff and os.environ.get("CI") and not force:
        raise PhiguardError("--diff prints the original identifiers and is refused when CI is "
                            "set (add --force to override)")
    from .images.strip import is_image, strip_file

    for shown in [f for f in files if is_image(f)]:  # a copy without metadata (images/strip.py)
        click.echo(strip_file(shown, in_place), err=True)
    files = [f for f in files if not is_image(f)]
    if not files:
        return
    if not (in_place or show_diff) and len(files) > 1:
        raise PhiguardError("several files would be mixed on standard output; use --in-place "
                            "or --diff")
    settings = _settings(config, files)
    options = RedactOptions.from_settings(settings)
    if names:
        options.names = names
    checker = Checker(settings, load_rules(settings))
    changed = remaining = 0
    for shown in files:
        opened = open_editable(shown, settings)
        after, kinds = redact_text(checker, opened, settings, options)
        left = verify(checker, opened, after, settings, options)
        remaining += len(left.phi) + len(left.identifiers)
        _say_what_is_left(shown, left)
        if show_diff:
            sys.stdout.write(unified_diff(opened.text, after, shown))
        elif in_place:
            if after != opened.text:
                saved = write_in_place(opened, after,
                                       backup_folder(settings) if backup else None)
                click.echo(f"{shown}: redacted {', '.join(kinds)}"
                           + (f" (backup: {saved})" if saved else ""), err=True)
        else:
            sys.stdout.write(after)
        changed += after != opened.text
    sys.stdout.flush()
    sys.exit(1 if remaining or (show_diff and changed) else 0)


def _say_what_is_left(shown: str, left: Any) -> None:
    """Only what the re-check of the redacted text verified; never "identifiers are gone"."""
    for finding in left.phi:
        click.echo(f"{shown}:{finding.line}:{finding.column}: {finding.rule} still reports phi "
                   f"after redaction ({finding.message}); rewrite this by hand", err=True)
    for line, column, kind in left.identifiers:
        click.echo(f"{shown}:{line}:{column}: a {kind} is still detected after redaction; "
                   "rewrite this by hand", err=True)
    if left.name_like_lines:
        lines = ", ".join(map(str, left.name_like_lines[:10]))
        more = " ..." if len(left.name_like_lines) > 10 else ""
        click.echo(f"{shown}: words that could be names are left on line(s) {lines}{more}: "
                   "phiguard did not recognise them as names; check them by hand", err=True)


@cli.group("rules", invoke_without_command=True)
@click.option("--config", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.pass_context
def list_rules(ctx: click.Context, config: str | None) -> None:
    """List the active rules (`phiguard rules new` scaffolds one)."""
    if ctx.invoked_subcommand is None:
        _run(_list_rules, config)


@list_rules.command("new")
@click.argument("rule_id")
@click.option("--category", required=True, help="Its category (rules/categories.yaml).")
@click.option("--kind", required=True, help="Its kind: match, missing, near, metadata, claim.")
@click.option("--folder", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The rule folder to write it in.")
def new_rule(rule_id: str, category: str, kind: str, folder: str) -> None:
    """Write a rule file with TODOs and `tests:` examples to fill in, for `test-rules`."""
    _run(_new_rule, rule_id, category, kind, Path(folder))


def _new_rule(rule_id: str, category: str, kind: str, folder: Path) -> None:
    import re

    import yaml

    from .rules.categories import load_categories
    from .rules.kinds import KINDS

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
    from .pipeline import run_rule_tests

    settings = _settings(config, [])
    # A folder named here that `rule_paths` already lists (as docs/rules.md does) is read once:
    # reading it twice would report its own rules and patterns as duplicates.
    wanted = [*settings.rule_paths, *(Path(f).resolve() for f in folders)]
    settings.rule_paths = list(dict.fromkeys(Path(p).resolve() for p in wanted))
    failures, total = run_rule_tests(settings)
    for failure in failures:
        click.echo(failure)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


@cli.command()
def server() -> None:
    """Serve editor diagnostics over the Language Server Protocol on stdio (docs/editors.md)."""
    _run(_server)


def _server() -> None:
    try:
        from .server import serve
    except ImportError:
        raise PhiguardError("the editor server needs the `server` extra: pip install "
                            "'phiguard[server]' (pygls)") from None
    serve()


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8321, show_default=True,
              help="Port to serve the page on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback address to serve on (127.0.0.1, ::1 or localhost; no other).")
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Configuration file to use (default: found from the current folder).")
def web(port: int, host: str, no_open: bool, config: str | None) -> None:
    """Serve a page on this computer to paste a draft, see its findings, fix and redact it
    (docs/web.md)."""
    _run(_web, port, host, not no_open, config)


def _web(port: int, host: str, open_browser: bool, config: str | None) -> None:
    from .web.server import listen, serve

    server = listen(host, port)  # another host or a port in use: refused before loading
    try:
        click.echo("phiguard web: loading the checker...", err=True)
        from .web.api import WebApp

        serve(server, WebApp.load(config), open_browser)
    finally:
        server.server_close()


def main() -> None:
    try:
        cli()
    finally:
        # Output still buffered when a command returns or exits is written here, where a reader
        # that has gone ends the run quietly, not at interpreter exit with a warning.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            if not _stdout_reader_gone():
                raise
            _end_quietly()
