"""Markdown drafts with YAML front matter.

markdown-it-py finds the structure (code, HTML, images, emphasis); the body
segment is the source with everything that is not published words blanked
out, so offsets in it are offsets in the file. Image alt text becomes its own
segment, mapped back to the characters between ``![`` and ``]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..models import Draft, LineIndex, ReadError, Segment, SourceMap
from ..suppressions import comment_directives
from ..yamlpos import compose, located
from . import htmltext
from .common import body_segment, mask, unix_lines
from .record import media_list, media_segments, text_segment

if TYPE_CHECKING:
    from ..config import Settings

_PARSER = MarkdownIt("commonmark").enable("table")
_EMPHASIS = {"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"}


def read_markdown(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    # Structure is found on a copy with LF line ends and the same length (markdown-it would
    # shorten CR LF, and CR-only files would be one line); the words come from ``text``.
    flat = unix_lines(text)
    meta, body_start = _front_matter(text, flat, shown)
    lines = LineIndex(text)
    segments = _body_segments(flat, body_start)
    footer = text_segment(meta.get("footer"), "footer", "footer")
    if footer:
        segments.append(footer)
    segments.extend(media_segments(meta.get("media")))
    return [Draft(shown, segments, meta, 0, media_list(meta), lines,
                  comment_directives(flat, lines))]


def _front_matter(text: str, flat: str, shown: str) -> tuple[dict[str, Any], int]:
    first_line_end = flat.find("\n")
    if first_line_end < 0 or flat[:first_line_end].rstrip() != "---":
        return {}, 0
    pos = first_line_end + 1
    while pos < len(flat):
        end = flat.find("\n", pos)
        end = len(flat) if end < 0 else end
        if flat[pos:end].rstrip() in ("---", "..."):
            block = text[first_line_end + 1: pos]
            node = compose(block, shown, line_offset=1)
            meta = located(node, text, base=first_line_end + 1, line_offset=1)
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise ReadError("front matter must be a mapping of fields", shown, 2)
            return meta, min(end + 1, len(text))
        pos = end + 1
    raise ReadError("front matter opened with --- is never closed", shown, 1)


def _body_segments(flat: str, body_start: int) -> list[Segment]:
    body = flat[body_start:]
    chars = list(body)  # LF line ends read best in spaCy; the length is the file's
    body_lines = LineIndex(body)
    line_count = body_lines.count
    keep_line = [False] * (line_count + 1)
    alts: list[Segment] = []

    def line_span(token: Token) -> tuple[int, int]:
        first, last = token.map or (0, 0)
        start = body_lines.line_start(first + 1)
        end = body_lines.line_start(last + 1) if last < line_count else len(body)
        return start, end

    for token in _PARSER.parse(body):
        if token.type == "code_block" and token.map:
            # Text indented four spaces is a code block to CommonMark, but social posts carry
            # no code: it is a post pasted with indentation, and the scheduler publishes it.
            for line in range(token.map[0], token.map[1]):
                keep_line[line] = True
        elif token.type == "inline" and token.map:
            for line in range(token.map[0], token.map[1]):
                keep_line[line] = True
            start, end = line_span(token)
            _scan_inline(token, body, start, end, chars, alts, body_start)
        elif token.type == "html_block" and token.map:
            for line in range(token.map[0], token.map[1]):
                keep_line[line] = True
            start, end = line_span(token)
            _html_region(body, start, end, chars, alts, body_start)

    # Lines no inline or HTML block covers: fenced code, reference definitions, rules, blanks.
    for line in range(line_count):
        if not keep_line[line]:
            start = body_lines.line_start(line + 1)
            end = body_lines.line_start(line + 2) if line + 1 < line_count else len(body)
            mask(chars, start, end)
    visible = "".join(chars)
    segments = []
    if visible.strip():
        segments.append(body_segment(visible, body_start))
    return segments + alts


def _scan_inline(token: Token, body: str, start: int, end: int, chars: list[str],
                 alts: list[Segment], base: int) -> None:
    """Walk the inline children in order, finding each construct in the raw lines."""
    cursor = start
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            found = body.find(child.content, cursor, end) if child.content else -1
            if found >= 0:
                cursor = found + len(child.content)
        elif kind == "code_inline":
            found = body.find(child.markup, cursor, end)
            if found >= 0:
                close = body.find(child.markup, found + len(child.markup), end)
                close = end if close < 0 else close + len(child.markup)
                mask(chars, found, close)
                cursor = close
        elif kind == "image":
            cursor = _image(child, body, cursor, end, chars, alts, base)
        elif kind == "html_inline":
            found = body.find(child.content, cursor, end)
            if found >= 0:
                # tags and comments are blanked, their alt kept; a comment that HTML closes
                # early (``--!>``) leaves what follows it visible, as a browser shows it
                _html_region(body, found, found + len(child.content), chars, alts, base)
                cursor = found + len(child.content)
        elif kind in _EMPHASIS and child.markup:
            found = body.find(child.markup, cursor, end)
            if found >= 0:
                mask(chars, found, found + len(child.markup))
                cursor = found + len(child.markup)


def _image(child: Token, body: str, cursor: int, end: int, chars: list[str],
           alts: list[Segment], base: int) -> int:
    open_at = body.find("![", cursor, end)
    if open_at < 0:
        return cursor
    close = _matching(body, open_at + 1, "[", "]", end)
    if close < 0:
        return cursor
    raw_alt = body[open_at + 2: close]
    stop = close + 1
    if stop < end and body[stop] == "(":
        stop = _matching(body, stop, "(", ")", end) + 1 or end
    elif stop < end and body[stop] == "[":
        stop = _matching(body, stop, "[", "]", end) + 1 or end
    alt = _plain_text(child.children or []) if child.children else child.content
    if alt.strip():
        alts.append(Segment("alt", alt, SourceMap.aligned(alt, raw_alt, base + open_at + 2),
                            "image alt"))
    mask(chars, open_at, stop)
    return stop


def _plain_text(tokens: list[Token]) -> str:
    """Alt text as CommonMark renders it: the plain string content, emphasis flattened."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


def _matching(text: str, open_at: int, opener: str, closer: str, end: int) -> int:
    depth = 0
    i = open_at
    while i < end:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _html_region(body: str, start: int, end: int, chars: list[str], alts: list[Segment],
                 base: int) -> None:
    """Blank tags, comments and scripts in an HTML block; keep its text; collect img alt."""
    extracted = htmltext.extract(body[start:end])
    for i, ch in enumerate(extracted.visible):
        if ch == " " and body[start + i] != " ":
            mask(chars, start + i, start + i + 1)
        elif ch != body[start + i]:
            chars[start + i] = ch
    for alt in extracted.alts:
        if alt.value.strip():
            alts.append(Segment("alt", alt.value,
                                SourceMap.aligned(alt.value, alt.raw, base + start + alt.offset),
                                "img alt"))
