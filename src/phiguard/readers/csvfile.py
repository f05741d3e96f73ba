"""Scheduler exports (CSV/TSV): one draft per row, cells mapped to line and column.

Which layout a file has (encoding, delimiter, header row or Hootsuite's headerless bulk
layout, which column is what) is decided in csvlayout.py; this module reads the rows into
drafts. Dates go through dates.py; which of day and month comes first is decided per file
(dates.column_order) and the date is stored as ISO 8601 in `scheduled_at`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import DateError, DateRules, OrderError, column_order, parse_when, rules_from
from ..models import Draft, LineIndex, ReadError, Segment, SourceMap
from .csvlayout import (
    Lines,
    check_header,
    column_names,
    column_roles,
    configured_columns,
    delimiter_of,
    hootsuite_header,
    is_headerless,
    normalise,
    text_column,
)

if TYPE_CHECKING:
    from ..config import Settings


def read_csv(path: Path, shown: str, text: str, settings: Settings) -> Iterator[Draft]:
    if path.suffix.lower() == ".tsv":
        return iter_csv(shown, text, settings, "\t")
    return iter_csv(shown, text, settings, delimiter_of(text))


def iter_csv(shown: str, text: str, settings: Settings, delimiter: str) -> Iterator[Draft]:
    configured = configured_columns(settings)
    columns = column_names(configured)
    lines = Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line_index = LineIndex(text)
    try:
        first = next(reader, None)
        if first is not None and delimiter.join(first).strip().lower() == f"sep={delimiter}":
            first = next(reader, None)  # Excel's separator line is not the header
        if first is None:
            raise ReadError("empty file: no header row", shown)
        headerless = is_headerless(first, columns)
        header = hootsuite_header(first, shown) if headerless else first
        if not headerless:
            check_header(header, shown)
        roles = column_roles(header, columns)
        roles["text"] = text_column(header, configured, roles, shown)
        dates = _Dates(shown, text, header, roles, settings, delimiter, headerless)
        previous = 0 if headerless else reader.line_num
        index = 0
        rows = _chain(first, reader) if headerless else reader
        for row in rows:
            record_start = lines.starts[previous]
            record_line = previous + 1
            previous = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                what = "the first row" if headerless else "the header"
                raise ReadError(f"row has {len(row)} fields, {what} has {len(header)}",
                                shown, record_line)
            raw = text[record_start: lines.starts[reader.line_num]]
            draft = _row_draft(shown, header, row, roles, raw, record_start, index, line_index)
            dates.apply(draft, row, raw, record_start)
            yield draft
            index += 1
    except csv.Error as exc:
        raise ReadError(f"invalid CSV: {exc}", shown, reader.line_num or None) from None


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


class _Dates:
    """A file's scheduled dates: one column (or a date and a time column), read in one order
    (day or month first) for the whole file, stored on each draft as ISO 8601. A cell that
    is not a date is an error naming its line and column, never a fallback to today."""

    def __init__(self, shown: str, text: str, header: list[str], roles: dict[str, list[int]],
                 settings: Settings, delimiter: str, headerless: bool) -> None:
        self.shown = shown
        self.header = header
        self.date = roles.get("scheduled_at", [None])[0]
        self.time = roles.get("time", [None])[0]
        base = rules_from(settings)
        self.rules = base
        if self.date is not None and "date_order" not in getattr(settings, "origins", {}):
            self.rules = self._order(text, delimiter, headerless, base, self.date)

    def _order(self, text: str, delimiter: str, headerless: bool, base: DateRules,
               date: int) -> DateRules:
        """The column's values decide the order when they can (dates.column_order)."""
        lines = Lines(text)
        reader = csv.reader(lines, delimiter=delimiter)
        values: list[tuple[str, int]] = []
        previous = 0
        try:
            for number, row in enumerate(reader):
                start, previous = previous, reader.line_num
                if (number == 0 and not headerless) or len(row) != len(self.header):
                    continue
                if row[date].strip():
                    values.append((row[date], start + 1))
        except csv.Error:
            return base  # the main pass names the broken line
        try:
            order = column_order([v for v, _ in values])
        except OrderError as exc:
            raise ReadError(f"the date column {self._name(self.date)} {exc}", self.shown,
                            values[exc.index][1]) from None
        return base if order is None else DateRules(base.zone, order == "day_first")

    def apply(self, draft: Draft, row: list[str], raw: str, record_start: int) -> None:
        if self.date is None or not row[self.date].strip():
            draft.meta.pop("scheduled_at", None)
            return
        value = row[self.date].strip()
        if self.time is not None and row[self.time].strip():
            value = f"{value} {row[self.time].strip()}"
        try:
            when = parse_when(value, self.rules)
        except DateError as exc:
            cell = _cell_maps(row, raw, record_start)[self.date].file_offset(0)
            line = int(draft.lines.position(cell)[0]) if draft.lines else None
            raise ReadError(f"scheduled_at in column {self._name(self.date)} {exc}",
                            self.shown, line) from None
        draft.meta["scheduled_at"] = (when.start.date().isoformat() if when.date_only
                                      else when.start.isoformat())

    def _name(self, column: int | None) -> str:
        assert column is not None
        return f"{column + 1} (`{self.header[column]}`)"


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
