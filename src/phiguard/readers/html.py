"""HTML drafts: the visible text and every ``<img alt>``; not scripts, styles or comments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Draft, LineIndex, Segment, SourceMap
from ..suppressions import comment_directives
from . import htmltext
from .common import body_segment, unix_lines

if TYPE_CHECKING:
    from ..config import Settings


def read_html(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    extracted = htmltext.extract(text)
    segments = []
    if extracted.visible.strip():
        segments.append(body_segment(extracted.visible, 0))
    for alt in extracted.alts:
        if alt.value.strip():
            segments.append(Segment("alt", alt.value,
                                    SourceMap.aligned(alt.value, alt.raw, alt.offset), "img alt"))
    lines = LineIndex(text)
    return [Draft(shown, segments, {}, 0, [], lines, comment_directives(unix_lines(text), lines))]
