"""`phiguard init`: a commented starter configuration (settings.starter_config)."""

from __future__ import annotations

from pathlib import Path

import click

from ..models import PhiguardError


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .phiguard.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .phiguard.yaml in the current folder."""
    from ..config import starter_config

    path = Path(".phiguard.yaml")
    if path.exists() and not force:
        raise PhiguardError("already exists (use --force to overwrite)", str(path))
    path.write_text(starter_config(), encoding="utf-8")
    click.echo(f"wrote {path}; edit the org: section, then run `phiguard check`")
