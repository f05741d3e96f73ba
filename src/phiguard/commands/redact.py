"""`phiguard redact`: a de-identified version of each draft (edits/deidentify.py), a copy
without metadata of each image, and what the re-check still finds, said on standard error.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..models import PhiguardError
from .common import config_option, settings_for


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--in-place", is_flag=True, help="Rewrite the files (atomically).")
@click.option("--no-backup", is_flag=True,
              help="With --in-place: keep no copy of the original (kept owner-only in the "
                   "cache folder's backups/ otherwise).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Show what would change as a unified diff (refused when CI is set).")
@click.option("--names", type=click.Choice(["phrase", "initial"]), default=None,
              help="Patient names become a phrase (\"a patient\") or an initial.")
@config_option
@click.option("--force", is_flag=True, help="Allow --diff even when CI is set.")
def redact(files: tuple[str, ...], in_place: bool, no_backup: bool, show_diff: bool,
           names: str | None, config: str | None, force: bool) -> None:
    """Write a de-identified version of each draft (HIPAA Safe Harbor transformations)."""
    _redact(list(files), in_place, not no_backup, show_diff, names, config, force)


def _redact(files: list[str], in_place: bool, backup: bool, show_diff: bool,
            names: str | None, config: str | None, force: bool) -> None:
    from ..edits.deidentify import RedactOptions, redact_text, verify
    from ..edits.files import backup_folder, open_editable, unified_diff, write_in_place
    from ..pipeline import Session, load_rules

    if show_diff and os.environ.get("CI") and not force:
        raise PhiguardError("--diff prints the original identifiers and is refused when CI is "
                            "set (add --force to override)")
    from ..images.strip import is_image, strip_file

    for shown in [f for f in files if is_image(f)]:  # a copy without metadata (images/strip.py)
        click.echo(strip_file(shown, in_place), err=True)
    files = [f for f in files if not is_image(f)]
    if not files:
        return
    if not (in_place or show_diff) and len(files) > 1:
        raise PhiguardError("several files would be mixed on standard output; use --in-place "
                            "or --diff")
    settings = settings_for(config, files)
    options = RedactOptions.from_settings(settings)
    if names:
        options.names = names
    session = Session(settings, load_rules(settings))
    changed = remaining = 0
    for shown in files:
        opened = open_editable(shown, settings)
        after, kinds = redact_text(session, opened, settings, options)
        left = verify(session, opened, after, settings, options)
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
