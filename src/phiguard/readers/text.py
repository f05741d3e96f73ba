"""Plain-text drafts: the whole file is one post with no metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import Draft, LineIndex, Segment, SourceMap


def read_text_draft(path: Path, shown: str, text: str, settings: Any) -> list[Draft]:
    segments = [Segment("body", text, SourceMap.linear(0), "body")] if text.strip() else []
    return [Draft(shown, segments, {}, 0, [], LineIndex(text))]
