"""Plain-text drafts: the whole file is one post with no metadata."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Draft, LineIndex
from .common import body_segment, unix_lines

if TYPE_CHECKING:
    from ..config import Settings


def read_text_draft(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    # LF line ends, same length: spaCy reads a CR-only file as lines, positions stay put
    segments = [body_segment(unix_lines(text), 0)] if text.strip() else []
    return [Draft(shown, segments, {}, 0, [], LineIndex(text))]
