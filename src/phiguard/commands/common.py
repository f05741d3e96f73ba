"""What the subcommands share: the configuration a command runs with and its `--config`
option, and options given as lists."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..config import Settings

config_option = click.option("--config", type=click.Path(dir_okay=False),
                             help="Configuration file to use.")


def split_values(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def settings_for(config: str | None, paths: list[str]) -> Settings:
    from ..config import load_settings
    from ..pipeline import default_config_path

    path = Path(config) if config else default_config_path(paths)
    return load_settings(path)
