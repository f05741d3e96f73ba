"""YAML and JSON post files: one draft, a list of drafts, or a mapping with ``posts:``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..models import Draft, LineIndex, ReadError, SourceMap
from ..yamlpos import LocStr, compose, located
from .record import draft_from_record

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def read_yaml(path: Path, shown: str, text: str, settings: Any) -> list[Draft]:
    data = located(compose(text, shown), text)
    return _drafts(data, shown, text, settings)


def read_json(path: Path, shown: str, text: str, settings: Any) -> list[Draft]:
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise ReadError(message, shown, exc.lineno) from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply", shown) from None
    tokens = iter(_JSON_STRING.finditer(text))
    return _drafts(_locate_json(data, tokens, text), shown, text, settings)


class _Pairs(list):  # keeps duplicate keys in file order, so string tokens stay in step
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    return _Pairs(pairs)


def _locate_json(value: Any, tokens: Any, text: str) -> Any:
    if isinstance(value, _Pairs):
        out: dict[str, Any] = {}
        for key, item in value:
            next(tokens, None)  # the key's own token
            out[key] = _locate_json(item, tokens, text)
        return out
    if isinstance(value, list):
        return [_locate_json(item, tokens, text) for item in value]
    if isinstance(value, str):
        token = next(tokens, None)
        if token is None:
            return value
        raw_start = token.start() + 1
        raw = text[raw_start: token.end() - 1]
        line = text.count("\n", 0, token.start()) + 1
        return LocStr.at(value, SourceMap.aligned(value, raw, raw_start), line)
    return value


def _drafts(data: Any, shown: str, text: str, settings: Any) -> list[Draft]:
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
    lines = LineIndex(text)
    drafts = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ReadError(f"draft {index + 1} is not a mapping", shown)
        drafts.append(draft_from_record(record, shown, index, lines))
    return drafts
