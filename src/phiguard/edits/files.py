"""Edits to a file's text, and writing the result back the way it was encoded."""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Draft
from ..privatefile import write_private


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the file with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str
    what: str = ""  # for the report: what was changed, never the old text


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (overlapping ones keep the first, by position)."""
    out = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor:
            continue
        out.append(text[cursor:edit.start])
        out.append(edit.new)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)


def raw_end(text: str, pos: int) -> int:
    """End of the raw characters that encode the one decoded character starting at ``pos``:
    an escape (\\n, \\u00e9), an HTML entity (&amp;) or a doubled CSV quote counts whole."""
    if pos >= len(text):
        return len(text)
    ch = text[pos]
    if ch == "\\" and pos + 1 < len(text):
        return pos + (6 if text[pos + 1] == "u" else 10 if text[pos + 1] == "U" else 2)
    if ch == "&":
        semi = text.find(";", pos, pos + 12)
        return semi + 1 if semi > 0 else pos + 1
    if ch == '"' and text[pos + 1:pos + 2] == '"':
        return pos + 2
    return pos + 1


def file_span(draft: Draft, starts: list[int], text: str, start: int, end: int,
              segment: int) -> tuple[int, int]:
    """File offsets of the draft's published characters [start, end) in one segment."""
    seg = draft.segments[segment]
    first = seg.source.file_offset(start - starts[segment])
    last = seg.source.file_offset(max(end - 1, start) - starts[segment])
    return first, raw_end(text, last)


@dataclass(frozen=True)
class Editable:
    """A draft file opened for editing: its reader, its text, and how to write it back."""

    path: Path
    shown: str
    reader: Any
    text: str
    encoding: str

    def drafts(self, text: str, settings: Any) -> list[Draft]:
        return list(self.reader(self.path, self.shown, text, settings))


def open_editable(shown: str, settings: Any, path: Path | None = None) -> Editable:
    from ..models import ReadError
    from ..readers import reader_for
    from ..readers.common import read_text_and_encoding

    path = path or Path(shown)
    reader = reader_for(path)
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix or '(none)'!r}", shown)
    text, encoding = read_text_and_encoding(path, shown, settings.max_file_bytes)
    return Editable(path, shown, reader, text, encoding)


def write_in_place(path: Path, text: str, encoding: str, backup: bool) -> Path | None:
    """Atomically replace ``path`` (same mode), keeping ``path.bak`` first when asked."""
    saved = None
    if backup:
        saved = path.with_name(path.name + ".bak")
        shutil.copy2(path, saved)
    write_private(path, text.encode(encoding), mode=path.stat().st_mode & 0o7777)
    return saved


def unified_diff(before: str, after: str, shown: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"a/{shown}", tofile=f"b/{shown}"))
