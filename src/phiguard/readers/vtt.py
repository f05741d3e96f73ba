"""WebVTT captions (``.vtt``): a ``WEBVTT`` header, then cues (an optional identifier line,
``[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]``, text lines) and NOTE, STYLE and REGION
blocks, which are not published words.

The cues of one file are one draft (a video's transcript); see captions.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Draft, ReadError
from .captions import Cue, blocks, lines_of, timestamp, timing, transcript_draft

if TYPE_CHECKING:
    from ..config import Settings

_EXPECTED = "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm"
_NOT_CUES = ("NOTE", "STYLE", "REGION")


def read_vtt(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    lines = lines_of(text)
    if not lines or not _is_header(lines[0].text):
        raise ReadError("not a WebVTT file: the first line must be WEBVTT", shown, 1)
    cues = []
    for index, block in enumerate(blocks(lines)):
        first = block[0].text
        if index == 0 or first.split(" ", 1)[0].split("\t", 1)[0] in _NOT_CUES:
            continue  # the header block, a comment, a style sheet or a region definition
        at = 0 if "-->" in first else 1  # a cue may start with its identifier
        if at >= len(block):
            raise ReadError(f"cue without timing (expected {_EXPECTED})", shown,
                            block[0].number)
        times = timing(block[at], shown, _parse, _EXPECTED)
        cues.append(Cue(times, block[0].start, block[at + 1:]))
    return [transcript_draft(shown, text, cues)]


def _is_header(line: str) -> bool:
    return line == "WEBVTT" or line.startswith(("WEBVTT ", "WEBVTT\t"))


def _parse(value: str) -> int | None:
    return timestamp(value, ".", hours_required=False)
