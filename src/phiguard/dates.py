"""Dates as schedulers and consent registries write them, read strictly, compared as instants.

Accepted (anything else is an error, never a fallback to today or to "valid"):

- ISO 8601: ``2026-03-02``, ``2026-03-02T09:00``, ``2026-03-02T09:00:00.000Z``,
  ``2026-03-02T09:00:00-05:00`` (``T`` or one space between date and time), ``+0500`` too.
- Numeric, month first (US, the default): ``03/02/2026``, ``3/2/2026 9:00``,
  ``03/02/2026 09:00 PM``, ``03/02/2026 21:00:30``. With ``date_order: day_first`` in the
  configuration the same forms read day first. Two-digit years are refused (ambiguous).
- English month names: ``Mar 2, 2026``, ``March 2, 2026 9:00 AM``.
- Date and datetime values that YAML already built (unquoted ISO dates in YAML).

A scheduler export (CSV) decides day or month first per file: a configured ``date_order``
decides; otherwise the date column's own values do when one of them can be read only one way
(``25/03/2026``); a column whose every numeric date could be read either way is an error that
asks for ``date_order`` (see ``column_order``), never a guess.

Relative words ("next Friday"), epoch numbers and impossible dates (2027-02-30) are errors.

Time zones: a time with an offset or ``Z`` is that instant. A time without one is in the
configured ``timezone:`` (an IANA name), UTC when none is configured. A date without a time is
the whole day in that zone: a consent that ``expires: 2026-12-31`` covers the last moment of
that day; a draft ``scheduled_at: 2026-12-31`` must be covered for the whole day (fail closed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from .config import Settings
    from .models import Draft

DATE_ORDERS = ("month_first", "day_first")
EXAMPLES = "e.g. 2026-03-02, 2026-03-02T09:00-05:00 or 03/02/2026 09:00 AM"

_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?"
_ZONE = r"(?P<z>Z|[+-]\d{2}(?::?\d{2})?)"
_ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})(?:[T ]{_TIME}{_ZONE}?)?",
                  re.IGNORECASE)
_NUMERIC = re.compile(rf"(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}})"
                      rf"(?:,?\s+{_TIME}(?:\s*(?P<ap>[AP]\.?M\.?))?)?", re.IGNORECASE)
_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_NAMED = re.compile(rf"(?P<mname>[A-Za-z]+)\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})"
                    rf"(?:,?\s+(?:at\s+)?{_TIME}(?:\s*(?P<ap>[AP]\.?M\.?))?)?", re.IGNORECASE)


class DateError(ValueError):
    """A value that is not a date phiguard can read; the message never repeats the value."""


@dataclass(frozen=True)
class DateRules:
    """How to read what a date leaves open: the zone of a naive time, day or month first."""

    zone: dt.tzinfo = dt.UTC
    day_first: bool = False


@dataclass(frozen=True)
class When:
    """A moment, or a whole day when only a date was written: [start, end] as instants."""

    start: dt.datetime
    end: dt.datetime
    date_only: bool

    def shown(self) -> str:
        """For messages: the date, or the instant in ISO 8601 with its offset."""
        if self.date_only:
            return self.start.date().isoformat()
        return self.start.isoformat(timespec="minutes")


def rules_from(settings: Settings) -> DateRules:
    """The date rules of the settings: their time zone (UTC when none) and date order."""
    zone = zone_named(settings.timezone) if settings.timezone else dt.UTC
    return DateRules(zone, settings.date_order == "day_first")


def zone_named(name: str) -> dt.tzinfo:
    """An IANA zone by name; DateError when there is none by that name."""
    if name.upper() in ("UTC", "Z"):
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError("is not a known IANA time zone name (e.g. America/New_York)") from None


def parse_when(value: Any, rules: DateRules = DateRules()) -> When:
    """The moment (or day) ``value`` names; DateError when it is not one phiguard can read."""
    if isinstance(value, dt.datetime):
        return _instant(value, rules)
    if isinstance(value, dt.date):
        return _day(value, rules)
    if not isinstance(value, str):
        raise DateError(f"is not a date phiguard can read ({EXAMPLES})")
    text = " ".join(value.split())
    for pattern, build in ((_ISO, _from_iso), (_NUMERIC, _from_numeric), (_NAMED, _from_named)):
        match = pattern.fullmatch(text)
        if match:
            try:
                return build(match, rules)
            except DateError:
                raise
            except ValueError:  # 2027-02-30, 13/45/2026, 25:00: the shape is right, not the date
                raise DateError("is not a real calendar date or time") from None
    raise DateError(f"is not a date phiguard can read ({EXAMPLES})")


def order_evidence(value: str) -> str | None:
    """``day_first`` or ``month_first`` when a numeric date can be read only that way, None
    when it reads both ways alike or is not numeric (ISO, month names)."""
    match = _NUMERIC.match(" ".join(value.split()))
    if match is None:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second:
        return "day_first"
    if second > 12 >= first:
        return "month_first"
    return None


def is_ambiguous(value: str) -> bool:
    """A numeric date whose two first numbers could each be the month (03/02/2026)."""
    match = _NUMERIC.match(" ".join(value.split()))
    return match is not None and int(match["a"]) != int(match["b"]) and max(
        int(match["a"]), int(match["b"])) <= 12


class OrderError(DateError):
    """A date column that does not say which of day and month comes first; ``index`` is the
    position of the value that shows it (a contradicting or an ambiguous one)."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


def column_order(values: list[str]) -> str | None:
    """The order one file's numeric dates are written in, judged from the values alone:
    ``day_first``/``month_first``, None when no value is numeric and ambiguous (nothing to
    decide). OrderError when values contradict each other or every one reads both ways."""
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        evidence = order_evidence(value)
        if evidence is not None:
            seen.setdefault(evidence, index)
    if len(seen) == 2:
        raise OrderError("mixes day-first and month-first dates", max(seen.values()))
    if seen:
        return next(iter(seen))
    ambiguous = next((i for i, v in enumerate(values) if is_ambiguous(v)), None)
    if ambiguous is not None:
        raise OrderError("has dates that read as day first or month first alike; set "
                         "`date_order: day_first` or `month_first` in the configuration",
                         ambiguous)
    return None


def _instant(moment: dt.datetime, rules: DateRules) -> When:
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=rules.zone)
    return When(moment, moment, False)


def _day(day: dt.date, rules: DateRules) -> When:
    start = dt.datetime.combine(day, dt.time(), rules.zone)
    end = dt.datetime.combine(day, dt.time.max, rules.zone)
    return When(start, end, True)


def _from_iso(m: re.Match[str], rules: DateRules) -> When:
    return _build(int(m["y"]), int(m["mo"]), int(m["d"]), m, rules)


def _from_numeric(m: re.Match[str], rules: DateRules) -> When:
    first, second = int(m["a"]), int(m["b"])
    month, day = (second, first) if rules.day_first else (first, second)
    return _build(int(m["y"]), month, day, m, rules)


def _from_named(m: re.Match[str], rules: DateRules) -> When:
    month = _MONTHS.get(m["mname"].lower())
    if month is None:
        raise DateError(f"is not a date phiguard can read ({EXAMPLES})")
    return _build(int(m["y"]), month, int(m["d"]), m, rules)


def _build(year: int, month: int, day: int, m: re.Match[str], rules: DateRules) -> When:
    date = dt.date(year, month, day)  # ValueError on an impossible date
    if m["h"] is None:
        return _day(date, rules)
    hour = _hour(int(m["h"]), (m.groupdict().get("ap") or "").replace(".", "").upper())
    fraction = int((m["f"] or "0").ljust(6, "0"))
    time = dt.time(hour, int(m["mi"]), int(m["s"] or 0), fraction)
    zone = _offset(m.groupdict().get("z")) or rules.zone
    return _instant(dt.datetime.combine(date, time, zone), rules)


def _hour(hour: int, meridiem: str) -> int:
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("a 12-hour clock runs from 1 to 12")
    return hour % 12 + (12 if meridiem == "PM" else 0)


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text.upper() == "Z":
        return dt.UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if text[0] == "-" else delta)


def now() -> When:
    moment = dt.datetime.now(dt.UTC)
    return When(moment, moment, False)


def check_schedule(draft: Draft, settings: Settings) -> None:
    """A draft's ``scheduled_at`` must be readable: a ReadError naming its line otherwise, so
    an expired consent is never checked against a fallback date (called by every reader)."""
    value = draft.meta.get("scheduled_at")
    if value is None or value == "":
        return
    try:
        parse_when(value, rules_from(settings))
    except DateError as exc:
        from .models import ReadError

        raise ReadError(f"scheduled_at {exc}", draft.path, _line_of(draft, value)) from None


def _line_of(draft: Draft, value: Any) -> int | None:
    """The value's own line when it has one (YAML, JSON strings), else the draft's record."""
    key = next((k for k in draft.meta if k == "scheduled_at"), None)  # a LocStr in YAML
    line = getattr(value, "line", None) or getattr(key, "line", None) or getattr(
        draft.meta, "line", None)
    if line:
        return int(line)
    located: list[int] = [v.line for v in draft.meta.values()
                          if isinstance(getattr(v, "line", None), int)]
    if located:
        return min(located)
    if draft.segments and draft.lines is not None:  # a CSV row: where its text stands
        return int(draft.lines.position(draft.segments[0].source.file_offset(0))[0])
    return None
