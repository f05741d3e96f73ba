"""Findings -> output. One module per format."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from ..runner import Report
from .github import render_github
from .json_format import render_json
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text

Formatter = Callable[[Report, IO[str]], None]

FORMATTERS: dict[str, Formatter] = {"text": render_text, "json": render_json,
                                     "sarif": render_sarif, "github": render_github,
                                     "junit": render_junit}
