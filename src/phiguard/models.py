"""The data that flows through the pipeline: files -> drafts -> findings."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

# Re-exported: the error family, for modules that import it with the data model.
from .errors import PhiguardError as PhiguardError
from .errors import ReadError as ReadError

# Draft kinds and scopes named by ../shared/spec/DRAFTS.md.
DRAFT_KINDS = ("post", "reply", "review_reply", "testimonial")
SCOPES = ("body", "footer", "alt", "image_text")
# What a rule without `scopes:` reads: text in images (OCR) is read only by rules that opt in.
DEFAULT_SCOPES = ("body", "footer", "alt")
SEVERITIES = ("info", "warning", "error")
MAX_FILE_BYTES_DEFAULT = 50 * 1024 * 1024  # larger drafts are refused, naming the limit
# The longest post any platform accepts is about 63,000 characters (Facebook); a "post" far
# beyond that is a mistake or an attack, and would cost seconds and gigabytes in spaCy.
MAX_DRAFT_CHARS_DEFAULT = 100_000
SEGMENT_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class SourceMap:
    """Maps offsets in a segment's text to offsets in the file it came from.

    Stored as runs: within a run, text and file advance together, so a plain
    cell costs one run while escaped or folded text costs one run per jump.
    """

    runs: tuple[tuple[int, int], ...]  # (text_offset, file_offset), text_offset ascending

    @classmethod
    def linear(cls, file_offset: int) -> SourceMap:
        return cls(((0, file_offset),))

    @classmethod
    def aligned(cls, value: str, raw: str, raw_offset: int) -> SourceMap:
        """Align a decoded value to the raw file text it was decoded from.

        Handles quoting, escapes (``\\n``, ``\\u00e9``, ``""``), folded and
        indented YAML lines: each value character is matched to the next raw
        character equal to it, whitespace matching whitespace.
        """
        if raw.startswith(value):
            return cls.linear(raw_offset)
        runs: list[tuple[int, int]] = []
        j = 0
        n = len(raw)
        for i, ch in enumerate(value):
            k = _find_raw(ch, raw, j)
            pos = k if k < n else min(j, max(n - 1, 0))
            if not runs or pos - runs[-1][1] + raw_offset != i - runs[-1][0]:
                runs.append((i, raw_offset + pos))
            if k < n:
                j = k + 1
        return cls(tuple(runs) or ((0, raw_offset),))

    def file_offset(self, text_offset: int) -> int:
        idx = bisect.bisect_right(self.runs, (text_offset, float("inf"))) - 1
        start, file_start = self.runs[max(idx, 0)]
        return file_start + (text_offset - start)


def _find_raw(ch: str, raw: str, start: int) -> int:
    """Index of the raw character that encodes ``ch``, searching from ``start``."""
    k = start
    n = len(raw)
    space = ch.isspace()
    while k < n:
        r = raw[k]
        if r == ch or (space and r.isspace()):
            return k
        escaped = r == "\\" and k + 1 < n
        if escaped and raw[k + 1] in "nrt\"'\\/" and _escape_value(raw[k + 1]) == ch:
            return k
        if r == "\\" and k + 1 < n and raw[k + 1] in "uUx":
            return k  # a numeric escape stands for exactly this character
        k += 1
    return n


def _escape_value(code: str) -> str:
    return {"n": "\n", "r": "\r", "t": "\t"}.get(code, code)


# What ends a line: Windows (CR LF), old Mac (CR) and Unix (LF) alike, as editors count them.
LINE_END = re.compile(r"\r\n?|\n")


class LineIndex:
    """Turns file offsets into 1-based line and column; CR LF, CR and LF each end one line."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in LINE_END.finditer(text))]

    @property
    def count(self) -> int:
        """Lines in the text (a text not ending in a line end still has its last line)."""
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]


@dataclass
class Segment:
    """A piece of published text: the body, the footer, or one image's alt text."""

    scope: str
    text: str
    source: SourceMap
    label: str = ""
    # (file offset, label) ascending: what part of the file each stretch came from, e.g. a
    # caption cue's times, shown in the message of a finding inside it (assets.py)
    marks: tuple[tuple[int, str], ...] = ()
    editable: bool = True  # False: derived from an asset (image text); --fix/redact never write


@dataclass
class Draft:
    """One piece of content that will be published, with its metadata."""

    path: str
    segments: list[Segment]
    meta: dict[str, Any] = field(default_factory=dict)
    index: int = 0  # position within a multi-draft file
    media: list[dict[str, Any]] = field(default_factory=list)
    lines: LineIndex | None = None  # of the file the draft came from
    directives: list[Any] = field(default_factory=list)  # inline suppressions (suppressions.py)
    assets: list[Any] = field(default_factory=list)  # what its images hold (assets.derive)

    @property
    def kind(self) -> str:
        kind = self.meta.get("kind")
        return kind if isinstance(kind, str) and kind else "post"

    @property
    def platform(self) -> str | None:
        platform = self.meta.get("platform")
        return str(platform).lower() if platform else None

    @property
    def draft_id(self) -> str | None:
        value = self.meta.get("id")
        return str(value) if value is not None else None

    def length(self) -> int:
        """Characters of published text (what the NLP pass will read)."""
        return sum(len(seg.text) for seg in self.segments)

    def joined(self) -> tuple[str, list[int]]:
        """The draft's published words as one text, and where each segment starts in it."""
        starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for seg in self.segments:
            starts.append(pos)
            parts.append(seg.text)
            pos += len(seg.text) + len(SEGMENT_SEPARATOR)
        return SEGMENT_SEPARATOR.join(parts), starts


@dataclass
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: str
    message: str
    excerpt: str
    scope: str = "body"
    # A digest of the rule and the sentence it is in: who the finding is, stable when lines
    # move. Kept in memory only; written out solely as a keyed hash (baseline.py).
    identity: str = field(default="", repr=False, compare=False)
    asset: str = ""  # the image the finding is about, as the draft references it

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "excerpt": self.excerpt,
            **({"asset": self.asset} if self.asset else {}),
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


@dataclass
class FileError:
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass
class Report:
    """What a run found: the findings, the files it could not check, and counts."""

    findings: list[Finding]
    errors: list[FileError]
    files: int = 0
    drafts: int = 0
    suppressed: int = 0  # silenced by inline or draft suppressions
    baselined: int = 0  # known from the baseline
    rules: list[Any] | None = None  # the active rules, for SARIF and JUnit (None: not loaded)
    fail_on: str = "error"  # the run's failing level: JUnit fails only the findings at it

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        floor = SEVERITIES.index(fail_on)
        return 1 if any(SEVERITIES.index(f.severity) >= floor for f in self.findings) else 0
