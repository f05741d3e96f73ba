"""Findings -> output. One module per format, imported when its format is asked for."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import IO

from ..models import Report

Formatter = Callable[[Report, IO[str]], None]

_MODULES = {"text": ("text", "render_text"), "json": ("json_format", "render_json"),
            "sarif": ("sarif", "render_sarif"), "github": ("github", "render_github"),
            "junit": ("junit", "render_junit"), "gitlab": ("gitlab", "render_gitlab"),
            "statistics": ("statistics", "render_statistics")}  # --statistics, not a --format


def formatter(name: str) -> Formatter:
    module, function = _MODULES[name]
    render: Formatter = getattr(import_module(f"{__name__}.{module}"), function)
    return render
