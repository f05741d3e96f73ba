"""Findings -> output. One module per format, imported when its format is asked for.

A new format is one module with a ``render(report, stream)`` function and one line in
``REGISTRY``: the command's ``--format`` choices, ``--format auto`` and the no-leak tests all
read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import IO

from ..models import Report

Formatter = Callable[[Report, IO[str]], None]


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # under phiguard.formatters
    function: str
    needs_rules: bool = False  # it describes every active rule, not only those that fired
    auto_env: tuple[str, str] | None = None  # (variable, value) that picks it under auto
    choice: bool = True  # a --format choice (statistics has its own flag)


REGISTRY = (
    Format("text", "text", "render_text"),
    Format("json", "json_format", "render_json"),
    Format("sarif", "sarif", "render_sarif", needs_rules=True),
    Format("github", "github", "render_github", auto_env=("GITHUB_ACTIONS", "true")),
    Format("junit", "junit", "render_junit"),
    Format("gitlab", "gitlab", "render_gitlab"),
    Format("statistics", "statistics", "render_statistics", choice=False),
)
_BY_NAME = {f.name: f for f in REGISTRY}


def choices() -> list[str]:
    """The names `--format` accepts (besides auto)."""
    return [f.name for f in REGISTRY if f.choice]


def spec(name: str) -> Format:
    return _BY_NAME[name]


def auto(environ: Mapping[str, str]) -> str:
    """What `--format auto` means here: the format whose environment this is, else text."""
    for entry in REGISTRY:
        if entry.auto_env and environ.get(entry.auto_env[0]) == entry.auto_env[1]:
            return entry.name
    return "text"


def formatter(name: str) -> Formatter:
    entry = _BY_NAME[name]
    render: Formatter = getattr(import_module(f"{__name__}.{entry.module}"), entry.function)
    return render
