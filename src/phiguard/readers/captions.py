"""What the SRT and WebVTT readers share: cues joined into one transcript.

A video's words are published as caption cues, and a sentence often runs over two of them, so
the cues of a file become one body segment (cue lines joined by a space) that spaCy reads
whole. Its SourceMap leads every character back to the caption file, and its marks name each
cue's times, which a finding inside the cue shows in its message.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..models import LINE_END, Draft, LineIndex, ReadError, Segment, SourceMap
from .common import unix_lines

# Markup that is not spoken words: <i>, <v Speaker>, <c.yellow>, <00:00:01.000>, {\an8}
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")


@dataclass
class Line:
    text: str  # without its line end
    start: int  # file offset of its first character
    number: int  # 1-based


@dataclass
class Cue:
    times: str  # as the file writes them, for messages: "00:00:01,000 --> 00:00:03,500"
    start: int  # file offset where the cue's timing line starts
    lines: list[Line]


def lines_of(text: str) -> list[Line]:
    """The file's lines with their offsets; CR LF, CR and LF each end one."""
    lines = []
    start = 0
    for number, match in enumerate(LINE_END.finditer(text), 1):
        lines.append(Line(text[start:match.start()], start, number))
        start = match.end()
    if start < len(text):
        lines.append(Line(text[start:], start, len(lines) + 1))
    return lines


def blocks(lines: list[Line]) -> Iterator[list[Line]]:
    """Runs of lines separated by blank lines (cues, notes, headers)."""
    block: list[Line] = []
    for line in lines:
        if line.text.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def timestamp(value: str, separator: str, hours_required: bool) -> int | None:
    """Milliseconds of ``HH:MM:SS<sep>mmm`` (WebVTT allows ``MM:SS.mmm``); None if malformed."""
    pattern = (r"(?:(\d{1,3}):)" + ("" if hours_required else "?")
               + r"([0-5]\d):([0-5]\d)" + re.escape(separator) + r"(\d{3})")
    match = re.fullmatch(pattern, value)
    if match is None:
        return None
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def timing(line: Line, shown: str, parse: Callable[[str], int | None], expected: str) -> str:
    """The cue's times as written; a ReadError naming the line when they cannot be read."""
    parts = line.text.strip().split()
    if len(parts) < 3 or parts[1] != "-->":
        raise ReadError(f"malformed cue timing (expected {expected})", shown, line.number)
    begin, end = parse(parts[0]), parse(parts[2])
    if begin is None or end is None:
        raise ReadError(f"malformed cue timing (expected {expected})", shown, line.number)
    if end < begin:
        raise ReadError("cue ends before it starts", shown, line.number)
    return f"{parts[0]} --> {parts[2]}"


def transcript_draft(shown: str, text: str, cues: list[Cue]) -> Draft:
    """One draft (a post) whose body is every cue's words, in order, joined by spaces."""
    parts: list[str] = []
    runs: list[tuple[int, int]] = []
    size = 0
    for cue in cues:
        for line in cue.lines:
            first = True
            for piece, offset in _spoken(line):
                if not parts:  # a sentence must start at its first word for spaCy
                    lead = len(piece) - len(piece.lstrip())
                    piece, offset = piece[lead:], offset + lead
                if not piece:
                    continue
                if parts and first:  # a cue or line break is a space: a sentence goes on
                    parts.append(" ")
                    size += 1
                first = False
                runs.append((size, offset))
                parts.append(piece)
                size += len(piece)
    segments = []
    if parts:
        body = unix_lines("".join(parts))
        marks = tuple((cue.start, cue.times) for cue in cues)
        segments.append(Segment("body", body, _source(runs), "captions", marks))
    return Draft(shown, segments, {}, 0, [], LineIndex(text))


def _source(runs: list[tuple[int, int]]) -> SourceMap:
    """The runs, merged where text and file advance together."""
    merged: list[tuple[int, int]] = []
    for text_at, file_at in runs:
        if merged and file_at - merged[-1][1] == text_at - merged[-1][0]:
            continue
        merged.append((text_at, file_at))
    return SourceMap(tuple(merged) or ((0, 0),))


def _spoken(line: Line) -> Iterator[tuple[str, int]]:
    """The line's words without markup, each piece with its file offset. A decoded entity
    (``&amp;``) is a piece of its own, mapped to where the entity starts."""
    pos = 0
    raw = line.text
    for match in _TAG.finditer(raw):
        yield from _decoded(raw[pos:match.start()], line.start + pos)
        pos = match.end()
    yield from _decoded(raw[pos:], line.start + pos)


def _decoded(raw: str, offset: int) -> Iterator[tuple[str, int]]:
    pos = 0
    for match in _ENTITY.finditer(raw):
        yield raw[pos:match.start()], offset + pos
        yield html.unescape(match.group()), offset + match.start()
        pos = match.end()
    yield raw[pos:], offset + pos
