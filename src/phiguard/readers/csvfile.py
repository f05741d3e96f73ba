"""Scheduler exports (CSV/TSV): one draft per row, cells mapped to line and column."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import LINE_END, Draft, LineIndex, ReadError, Segment, SourceMap

# Column names used by the common schedulers (Hootsuite, Sprout Social, Buffer,
# Later, SocialBee, HighLevel, PostFast, Ayrshare, Oktopost); more can be mapped
# in the configuration under `csv:`.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("message", "message_text", "text", "content", "post", "caption", "body",
             "post_text", "tweet", "description"),
    "extra_text": ("first_comment", "followup_comment", "follow_up_comment", "link_title",
                   "youtube_title", "title"),
    "alt": ("alt_text", "alt", "image_alt", "image_alt_text", "media_alt", "alt_texts"),
    "footer": ("footer",),
    "image": ("image", "image_url", "image_urls", "imageurls", "imageurl", "media_urls",
              "mediaurls", "picture", "media", "photo", "photo_url"),
    "platform": ("platform", "network", "social_network", "channel", "profile"),
    "kind": ("kind", "post_type", "draft_kind"),
    "scheduled_at": ("scheduled_at", "date", "publish_date", "postatspecifictime",
                     "scheduledate", "send_at", "datetime"),
    "id": ("id", "post_id", "draft_id"),
}


def normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


class _Lines:
    """Feeds the csv module line by line while remembering where each line starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = [0]

    def __iter__(self) -> Iterator[str]:
        pos = 0
        for line_end in LINE_END.finditer(self.text):  # CR LF, CR or LF, as csv reads them
            self.starts.append(line_end.end())
            yield self.text[pos: line_end.end()]
            pos = line_end.end()
        if pos < len(self.text):
            self.starts.append(len(self.text))
            yield self.text[pos:]


def read_csv(path: Path, shown: str, text: str, settings: Any) -> Iterator[Draft]:
    return iter_csv(shown, text, settings, "\t" if path.suffix.lower() == ".tsv" else ",")


def iter_csv(shown: str, text: str, settings: Any, delimiter: str) -> Iterator[Draft]:
    configured = _configured(settings)
    columns = _column_names(configured)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line_index = LineIndex(text)
    try:
        header = next(reader, None)
        if header is None:
            raise ReadError("empty file: no header row", shown)
        _check_header(header, shown)
        roles = _roles(header, columns)
        roles["text"] = _text_column(header, configured, roles, shown)
        previous = reader.line_num
        index = 0
        for row in reader:
            record_start = lines.starts[previous]
            record_line = previous + 1
            previous = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ReadError(f"row has {len(row)} fields, the header has {len(header)}",
                                shown, record_line)
            raw = text[record_start: lines.starts[reader.line_num]]
            yield _row_draft(shown, header, row, roles, raw, record_start, index, line_index)
            index += 1
    except csv.Error as exc:
        raise ReadError(f"invalid CSV: {exc}", shown, reader.line_num or None) from None


def _configured(settings: Any) -> dict[str, tuple[str, ...]]:
    """The column names the configuration maps under `csv:`, normalised, per role."""
    configured = getattr(settings, "csv_columns", None) or {}
    return {role: tuple(normalise(e) for e in ((names,) if isinstance(names, str) else names))
            for role, names in configured.items()}


def _column_names(configured: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    names = dict(DEFAULT_COLUMNS)
    for role, extra in configured.items():
        names[role] = extra + names.get(role, ())
    return names


def _check_header(header: list[str], shown: str) -> None:
    """Two columns with one name: which cell is the post, the platform, the consent? Columns
    are named by number, not by name (a file without a header row has a post there)."""
    first: dict[str, int] = {}
    for number, name in enumerate((normalise(h) for h in header), start=1):
        if not name:
            continue  # unnamed columns (trailing separators) are never read
        if name in first:
            raise ReadError(f"columns {first[name]} and {number} of the header have the same "
                            "name; rename one", shown, 1)
        first[name] = number


def _roles(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """Columns per role, the body (`text`) aside: _text_column picks that one."""
    normal = [normalise(h) for h in header]
    roles: dict[str, list[int]] = {}
    for role, names in columns.items():
        for name in names:
            if name in normal and role != "text":
                idx = normal.index(name)
                if role in ("alt", "extra_text"):
                    roles.setdefault(role, []).append(idx)
                else:
                    roles.setdefault(role, [idx])
                    break
    return roles


def _text_column(header: list[str], configured: dict[str, tuple[str, ...]],
                 roles: dict[str, list[int]], shown: str) -> list[int]:
    """The one body column. A name mapped under `csv.text` decides (the first one present);
    else exactly one column may have a common text name (`text` and `caption` both: which one
    is published is unknown, and the other would go unchecked)."""
    normal = [normalise(h) for h in header]
    for name in configured.get("text", ()):
        if name in normal:
            return [normal.index(name)]
    mapped = {i for role, names in configured.items() for i, n in enumerate(normal)
              if n in names}  # a column mapped to another role is not a candidate
    candidates = [i for i, n in enumerate(normal)
                  if n in DEFAULT_COLUMNS["text"] and i not in mapped]
    if not candidates:
        names = (*configured.get("text", ()), *DEFAULT_COLUMNS["text"])
        raise ReadError(f"no text column found (looked for: {', '.join(names)}); map one under "
                        "`csv.text` in the configuration", shown, 1)
    if len(candidates) > 1:
        numbers = ", ".join(str(i + 1) for i in candidates[:-1]) + f" and {candidates[-1] + 1}"
        raise ReadError(f"columns {numbers} could each be the post text; name the one that is "
                        "published under `csv.text` in the configuration (others may go under "
                        "`csv.extra_text`)", shown, 1)
    return candidates


def _row_draft(shown: str, header: list[str], row: list[str], roles: dict[str, list[int]],
               raw: str, record_start: int, index: int, lines: LineIndex) -> Draft:
    maps = _cell_maps(row, raw, record_start)
    segments: list[Segment] = []
    for role, scope in (("text", "body"), ("extra_text", "body"), ("footer", "footer"),
                        ("alt", "alt")):
        for col in roles.get(role, []):
            if row[col].strip():
                segments.append(Segment(scope, row[col], maps[col], header[col]))
    meta: dict[str, Any] = {normalise(h): v for h, v in zip(header, row, strict=True) if v != ""}
    for role in ("platform", "kind", "scheduled_at", "id", "image"):
        if role in roles and row[roles[role][0]]:
            meta[role] = row[roles[role][0]]
    # An image column with no alt text is an image without a description.
    has_image = any(row[c].strip() for c in roles.get("image", []))
    alts = [row[c] for c in roles.get("alt", []) if row[c].strip()]
    media = [{"type": "image", "alt": a} for a in alts] or (
        [{"type": "image", "alt": ""}] if has_image else [])
    return Draft(shown, segments, meta, index, media, lines)


def _cell_maps(row: list[str], raw: str, record_start: int) -> list[SourceMap]:
    """Align each cell to the raw record in order; quotes and doubled quotes are skipped."""
    maps = []
    cursor = 0
    for cell in row:
        if not cell:
            maps.append(SourceMap.linear(record_start + cursor))
            cursor = _next_delimiter(raw, cursor)
            continue
        smap = SourceMap.aligned(cell, raw[cursor:], record_start + cursor)
        maps.append(smap)
        cursor = smap.file_offset(len(cell) - 1) - record_start + 1
        cursor = _next_delimiter(raw, cursor)
    return maps


def _next_delimiter(raw: str, cursor: int) -> int:
    """Skip a closing quote and the delimiter after a cell."""
    if cursor < len(raw) and raw[cursor] == '"':
        cursor += 1
    return cursor + 1
