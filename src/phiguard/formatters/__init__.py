"""Findings -> output. One module per format."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from ..pipeline import Report
from .json_format import render_json
from .text import render_text

Formatter = Callable[[Report, IO[str]], None]

FORMATTERS: dict[str, Formatter] = {"text": render_text, "json": render_json}
