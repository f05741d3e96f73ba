"""Published words of an HTML fragment: visible text and image alt text, with positions."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..models import LineIndex
from .common import mask, unix_lines

_ALT_ATTR = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_HIDDEN_TAGS = {"script", "style", "template", "noscript", "head", "title"}


@dataclass
class AltText:
    value: str
    raw: str
    offset: int  # of the raw attribute value in the parsed string


@dataclass
class HtmlText:
    """The fragment with every non-published character blanked, plus alt texts."""

    visible: str
    alts: list[AltText] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = LineIndex(source)
        self.keep = [False] * len(source)
        self.alts: list[AltText] = []
        self.hidden_depth = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines.line_start(line) + col

    def _keep(self, start: int, length: int) -> None:
        if self.hidden_depth:
            return
        for i in range(start, min(start + length, len(self.keep))):
            self.keep[i] = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden_depth += 1
        if tag == "img":
            self._record_alt()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self._record_alt()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        self._keep(self._offset(), len(data))

    def handle_entityref(self, name: str) -> None:
        self._keep(self._offset(), len(name) + 2)

    def handle_charref(self, name: str) -> None:
        self._keep(self._offset(), len(name) + 3)

    def _record_alt(self) -> None:
        raw_tag = self.get_starttag_text() or ""
        match = _ALT_ATTR.search(raw_tag)
        if not match:
            return
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        raw_value = match.group(group)
        self.alts.append(AltText(html.unescape(raw_value), raw_value,
                                 self._offset() + match.start(group)))


def extract(source: str) -> HtmlText:
    # The parser counts only LF as a line end and reads comments its own way: it gets a copy
    # of the same length with LF line ends and every comment blanked (see _blank_comments).
    flat = unix_lines(source)
    parser = _Extractor(_blank_comments(flat))
    parser.feed(parser.source)
    parser.close()
    chars = list(parser.source)
    for i, kept in enumerate(parser.keep):
        if not kept:
            mask(chars, i, i + 1)
    visible = "".join(chars)
    visible = _ENTITY.sub(lambda m: _entity_in_place(m.group(0)), visible)
    return HtmlText(visible, parser.alts)


_COMMENT_OR_RAW = re.compile(r"<!--|<(script|style)(?=[\s/>])", re.IGNORECASE)
_COMMENT_END = re.compile(r"--!?>")


def _blank_comments(text: str) -> str:
    """``text`` with each HTML comment blanked where HTML ends it: ``<!-->`` and ``<!--->`` end
    at once, others at ``-->`` or ``--!>``. Python's parser (before 3.13.4) swallows what follows
    an abrupt ``<!-->`` up to the next ``-->``: words a browser shows would go unchecked."""
    chars = list(text)
    pos = 0
    while (found := _COMMENT_OR_RAW.search(text, pos)) is not None:
        if found.group(1):  # script or style: a "<!--" inside is not a comment
            close = re.compile(f"</{found.group(1)}", re.IGNORECASE).search(text, found.end())
            pos = len(text) if close is None else close.start()
            continue
        start = found.start()
        if text.startswith(">", start + 4):
            end = start + 5
        elif text.startswith("->", start + 4):
            end = start + 6
        else:
            closing = _COMMENT_END.search(text, start + 4)
            end = len(text) if closing is None else closing.end()
        mask(chars, start, end)
        pos = end
    return "".join(chars)


_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _entity_in_place(entity: str) -> str:
    """Replace an entity by its character, padded so later offsets do not move."""
    char = html.unescape(entity)
    if len(char) != 1:
        return entity
    return char + " " * (len(entity) - 1)
