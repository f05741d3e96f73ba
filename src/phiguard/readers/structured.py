"""YAML and JSON post files: one draft, a list of drafts, or a mapping with ``posts:``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import Draft, LineIndex, ReadError, SourceMap
from ..yamlpos import LocStr, compose, located
from .record import draft_from_record

if TYPE_CHECKING:
    from ..config import Settings

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def read_yaml(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    data = located(compose(text, shown), text)
    return _drafts(data, shown, text, settings)


def read_json(path: Path, shown: str, text: str, settings: Settings) -> list[Draft]:
    lines = LineIndex(text)
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        line, column = lines.position(exc.pos)  # json counts only LF as a line end
        raise ReadError(f"invalid JSON: {exc.msg} (column {column})", shown, line) from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply", shown) from None
    tokens = iter(_JSON_STRING.finditer(text))
    located = _JsonLocator(shown, text, lines, tokens).locate(data)
    return _drafts(located, shown, text, settings, lines)


class _Pairs(list[tuple[str, Any]]):
    """Keeps duplicate keys in file order, so string tokens stay in step."""


def _pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    return _Pairs(pairs)


class _JsonLocator:
    """Pairs each decoded string with its token in the file, in order, for its position."""

    def __init__(self, shown: str, text: str, lines: LineIndex, tokens: Iterator[re.Match[str]]
                 ) -> None:
        self.shown, self.text, self.lines, self.tokens = shown, text, lines, tokens

    def locate(self, value: Any) -> Any:
        if isinstance(value, _Pairs):
            out: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key, item in value:
                line = self._line(next(self.tokens, None), key)  # the key's own token
                if key in first_line:
                    # json keeps the last value: the first `text` would never be checked
                    raise ReadError(f"duplicate key: the same key is also on line "
                                    f"{first_line[key]}; only one value would be read",
                                    self.shown, line)
                first_line[key] = line or 0
                out[key] = self.locate(item)
            return out
        if isinstance(value, list):
            return [self.locate(item) for item in value]
        if isinstance(value, str):
            token = next(self.tokens, None)
            line = self._line(token, value)
            if token is None:
                return value
            raw_start = token.start() + 1
            raw = self.text[raw_start: token.end() - 1]
            return LocStr.at(value, SourceMap.aligned(value, raw, raw_start), line or 0)
        return value

    def _line(self, token: re.Match[str] | None, value: str) -> int | None:
        line = self.lines.position(token.start())[0] if token else None
        if _SURROGATE.search(value):
            # "\ud800" alone decodes to no character: spaCy and the output would fail on it
            raise ReadError("a string holds a lone UTF-16 surrogate (an invalid \\u escape), "
                            "which is no character", self.shown, line)
        return line


def _drafts(data: Any, shown: str, text: str, settings: Settings,
            lines: LineIndex | None = None) -> list[Draft]:
    if isinstance(data, dict) and "posts" in data:
        records = data["posts"]
        if not isinstance(records, list):
            raise ReadError("`posts` must be a list of drafts", shown)
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        records = [data]
    elif data is None:
        raise ReadError("empty file: no drafts", shown)
    else:
        raise ReadError("not a post file: expected a draft, a list of drafts or `posts:`", shown)
    lines = lines or LineIndex(text)
    drafts = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ReadError(f"draft {index + 1} is not a mapping", shown)
        drafts.append(draft_from_record(record, shown, index, lines))
    return drafts
