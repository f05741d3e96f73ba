"""How a scheduler export (CSV/TSV) is laid out: its encoding, the delimiter between cells,
whether a header row names the columns, and which columns hold the post, its media and its
metadata. csvfile.py reads the rows with what this module decides.

Layouts read without configuration (docs in README "Scheduler exports"):

- a header row naming the columns (DEFAULT_COLUMNS; more mapped under `csv:`), e.g. Sprout
  Social (`date`, `time_24hr`, `message_text`), Buffer (`Text, Image URL, Tags, Posting
  Time`), Metricool-style numbered media columns (`Picture Url 1`, `Alt text picture 1`);
- no header row, Hootsuite's bulk composer: date-time, message and an optional link;
- `,` or `;` between cells (the one that splits every line alike; an Excel `sep=;` first
  line decides), a tab in `.tsv` files;
- UTF-8, or Windows-1252 as Excel writes "CSV" (legacy_text: only when the bytes are not
  UTF-8 and read as ordinary Western text, never a guess that could garble).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..models import LINE_END, ReadError

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


class Lines:
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
        for row in csv.reader(Lines(text), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                counts.append(len(row))
            if len(counts) >= SNIFF_RECORDS:
                break
    except csv.Error:
        return []
    return counts


def is_headerless(first: list[str], columns: dict[str, tuple[str, ...]]) -> bool:
    """Hootsuite's bulk composer has no header row: its first cell is already a date, and no
    cell is a column name phiguard knows."""
    known = {n for names in columns.values() for n in names}
    return (bool(_DATE_SHAPE.fullmatch(first[0].strip()))
            and not any(normalise(c) in known for c in first))


def hootsuite_header(first: list[str], shown: str) -> list[str]:
    if len(first) not in (2, 3):
        raise ReadError(f"no header row, and {len(first)} columns are not Hootsuite's bulk "
                        "layout (date-time, message, link); add a header row naming the text "
                        "column (e.g. `message`) or map it under `csv.text`", shown, 1)
    return list(HOOTSUITE[: len(first)])


def configured_columns(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The column names the configuration maps under `csv:`, normalised, per role."""
    configured = getattr(settings, "csv_columns", None) or {}
    return {role: tuple(normalise(e) for e in ((names,) if isinstance(names, str) else names))
            for role, names in configured.items()}


def column_names(configured: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    names = dict(DEFAULT_COLUMNS)
    for role, extra in configured.items():
        names[role] = extra + names.get(role, ())
    return names


def check_header(header: list[str], shown: str) -> None:
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


def column_roles(header: list[str],
                 columns: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """Columns per role, the body (`text`) aside: text_column picks that one."""
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


def text_column(header: list[str], configured: dict[str, tuple[str, ...]],
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
