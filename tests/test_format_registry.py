"""Output formats come from one registry: the command's choices, `--format auto` and every
format's module are read from it (adding a format is a module and a registry line)."""

from __future__ import annotations

import io

import pytest

from phiguard import cli, formatters
from phiguard.models import Report

pytestmark = pytest.mark.unit


def test_the_command_offers_exactly_the_registered_formats() -> None:
    option = next(p for p in cli.check.params if p.name == "output_format")
    assert list(option.type.choices) == ["auto", *formatters.choices()]
    assert "statistics" not in formatters.choices()  # chosen by --statistics instead


def test_auto_picks_the_format_of_the_environment() -> None:
    assert formatters.auto({"GITHUB_ACTIONS": "true"}) == "github"
    assert formatters.auto({"GITHUB_ACTIONS": "false"}) == "text"
    assert formatters.auto({}) == "text"


def test_every_registered_format_renders_an_empty_report() -> None:
    for entry in formatters.REGISTRY:
        stream = io.StringIO()
        formatters.formatter(entry.name)(Report([], [], rules=[]), stream)
        assert isinstance(stream.getvalue(), str)
