"""SubRip captions (``.srt``): numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, text lines.

The cues of one file are one draft (a video's transcript); see captions.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Draft
from .captions import Cue, blocks, lines_of, timestamp, timing, transcript_draft

if TYPE_CHECKING:
    from ..config import Settings

_EXPECTED = "HH:MM:SS,mmm --> HH:MM:SS,mmm"


def read_srt(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    cues = []
    for block in blocks(lines_of(text)):
        # The cue number is optional in practice (some tools omit it); the timing is not.
        at = 1 if block[0].text.strip().isdigit() and len(block) > 1 else 0
        times = timing(block[at], shown, _parse, _EXPECTED)
        cues.append(Cue(times, block[0].start, block[at + 1:]))
    return [transcript_draft(shown, text, cues)]


def _parse(value: str) -> int | None:
    # Many tools write a dot instead of the comma; players accept both.
    return timestamp(value.replace(".", ","), ",", hours_required=True)
