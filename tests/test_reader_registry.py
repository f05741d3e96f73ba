"""Input formats come from one registry (readers.REGISTRY): the endings read, how --fix adds
words, whether the body references images, and what the pre-commit hook selects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from phiguard.readers import FORMATS, READERS, REGISTRY, format_of

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]


def test_every_ending_has_one_format_and_one_reader() -> None:
    endings = [s for f in REGISTRY for s in f.suffixes]
    assert len(endings) == len(set(endings))
    assert set(READERS) == set(FORMATS) == set(endings)
    assert all(s.startswith(".") and s == s.lower() for s in endings)


def test_edit_styles_are_known() -> None:
    assert {f.edit_style for f in REGISTRY} <= {"prose", "markup", "value", "cell", ""}
    assert format_of("post.MD").edit_style == "prose" and format_of("x.vtt").edit_style == ""
    assert format_of("notes.docx") is None


def test_the_pre_commit_hook_selects_exactly_the_registered_endings() -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    files = re.compile(hook["files"])
    for ending in FORMATS:
        assert files.search(f"drafts/post{ending}"), ending
        assert files.search(f"drafts/post{ending.upper()}"), ending
    for other in (".docx", ".xlsx", ".png", ".py"):
        assert not files.search(f"drafts/post{other}"), other
