"""Scheduler exports (CSV/TSV): one draft per row, cells mapped to line and column.

Layouts read without configuration (docs in README "Scheduler exports"):

- a header row naming the columns (DEFAULT_COLUMNS; more mapped under `csv:`), e.g. Sprout
  Social (`date`, `time_24hr`, `message_text`), Buffer (`Text, Image URL, Tags, Posting
  Time`), Metricool-style numbered media columns (`Picture Url 1`, `Alt text picture 1`);
- no header row, Hootsuite's bulk composer: date-time, message and an optional link;
- `,` or `;` between cells (the one that splits every line alike; an Excel `sep=;` first
  line decides), a tab in `.tsv` files;
- UTF-8, or Windows-1252 as Excel writes "CSV" (legacy_text: only when the bytes are not
  UTF-8 and read as ordinary Western text, never a guess that could garble).

Dates go through dates.py; which of day and month comes first is decided per file
(dates.column_order) and the date is stored as ISO 8601 in `scheduled_at`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import DateError, DateRules, OrderError, column_order, parse_when, rules_from
from ..models import LINE_END, Draft, LineIndex, ReadError, Segment, SourceMap

if TYPE_CHECKING:
    from ..config import Settings

# Column names used by the common schedulers (Hootsuite, Sprout Social, Buffer,
# Later, SocialBee, HighLevel, PostFast, Ayrshare, Oktopost, Metricool); more can be mapped
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
                     "scheduledate", "send_at", "datetime", "posting_time", "scheduled_time",
                     "date_time", "schedule_date", "publish_at"),
    "time": ("time_24hr", "time", "hour", "publish_time"),  # joined to a date-only column
    "id": ("id", "post_id", "draft_id"),
}
# Numbered media columns (Metricool and others): `Alt text picture 1`, `Picture Url 2`.
NUMBERED = {
    "alt": re.compile(r"alt(?:_text)?(?:_(?:picture|image|photo|media))?_?\d+|"
                      r"(?:picture|image|photo|media)_?\d+_alt(?:_text)?"),
    "image": re.compile(r"(?:picture|image|photo|media)(?:_url)?_?\d+(?:_url)?"),
}
HOOTSUITE = ("date_time", "message", "link")  # bulk composer columns, no header row
_DATE_SHAPE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:[ T].*)?")
SNIFF_RECORDS = 50


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


def read_csv(path: Path, shown: str, text: str, settings: Settings) -> Iterator[Draft]:
    if path.suffix.lower() == ".tsv":
        return iter_csv(shown, text, settings, "\t")
    return iter_csv(shown, text, settings, delimiter_of(text))


def delimiter_of(text: str) -> str:
    """`;` when Excel's `sep=;` line says so, or when `;` splits the first records into the
    same number of cells (two or more) and `,` does not or gives fewer; `,` otherwise (its
    errors then name the ragged row)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first.lower() in ("sep=;", "sep=,"):
        return first[-1]
    counts = {d: _field_counts(text, d) for d in (",", ";")}
    fits = {d: len(set(c)) == 1 and c[0] >= 2 for d, c in counts.items() if c}
    if fits.get(";") and (not fits.get(",") or counts[";"][0] > counts[","][0]):
        return ";"
    return ","


def _field_counts(text: str, delimiter: str) -> list[int]:
    counts: list[int] = []
    try:
        for row in csv.reader(_Lines(text), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                counts.append(len(row))
            if len(counts) >= SNIFF_RECORDS:
                break
    except csv.Error:
        return []
    return counts


def iter_csv(shown: str, text: str, settings: Settings, delimiter: str) -> Iterator[Draft]:
    configured = _configured(settings)
    columns = _column_names(configured)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line_index = LineIndex(text)
    try:
        first = next(reader, None)
        if first is not None and delimiter.join(first).strip().lower() == f"sep={delimiter}":
            first = next(reader, None)  # Excel's separator line is not the header
        if first is None:
            raise ReadError("empty file: no header row", shown)
        headerless = _is_headerless(first, columns)
        header = _hootsuite_header(first, shown) if headerless else first
        if not headerless:
            _check_header(header, shown)
        roles = _roles(header, columns)
        roles["text"] = _text_column(header, configured, roles, shown)
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


def _is_headerless(first: list[str], columns: dict[str, tuple[str, ...]]) -> bool:
    """Hootsuite's bulk composer has no header row: its first cell is already a date, and no
    cell is a column name phiguard knows."""
    known = {n for names in columns.values() for n in names}
    return (bool(_DATE_SHAPE.fullmatch(first[0].strip()))
            and not any(normalise(c) in known for c in first))


def _hootsuite_header(first: list[str], shown: str) -> list[str]:
    if len(first) not in (2, 3):
        raise ReadError(f"no header row, and {len(first)} columns are not Hootsuite's bulk "
                        "layout (date-time, message, link); add a header row naming the text "
                        "column (e.g. `message`) or map it under `csv.text`", shown, 1)
    return list(HOOTSUITE[: len(first)])


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
        lines = _Lines(text)
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


def _configured(settings: Settings) -> dict[str, tuple[str, ...]]:
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
    for role, pattern in NUMBERED.items():
        numbered = [i for i, n in enumerate(normal) if pattern.fullmatch(n)]
        if numbered:
            roles[role] = numbered
    for role, names in columns.items():
        for name in names:
            if name in normal and role != "text":
                idx = normal.index(name)
                if role in ("alt", "extra_text", "image"):
                    if idx not in roles.get(role, []):
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


# What Windows-1252 text written by people holds beyond ASCII: accented Latin letters,
# typographic quotes and dashes, currency, and a few common signs. A byte that decodes to
# anything else (¤, ¦, ¨, control characters...) means the file is in another encoding.
_WESTERN = re.compile(r"[\x00-\x7f\u00a0-\u00a3\u00a5\u00a7\u00a9-\u00ab\u00ae\u00b0-\u00b3"
                      r"\u00b5-\u00b7\u00b9-\u00bf\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178"
                      r"\u017d\u017e\u0192\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022"
                      r"\u2026\u2030\u2039\u203a\u20ac\u2122]*")
# A UTF-8 multi-byte sequence: a file that has one is UTF-8 with damage, not Windows-1252.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                            rb"[\xf0-\xf4][\x80-\xbf]{3}")


def legacy_text(data: bytes) -> str | None:
    """The text of a CSV that Excel saved as "CSV (Comma delimited)" in Windows-1252, or None
    when the bytes may be anything else: only bytes that are not UTF-8, hold no UTF-8
    multi-byte sequence, decode strictly and read as Western text are taken (a wrong guess
    would garble names the checks must see)."""
    if _UTF8_SEQUENCE.search(data):
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if _WESTERN.fullmatch(text) else None
