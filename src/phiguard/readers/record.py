"""Building a draft from a record of fields (front matter, a post file entry, a CSV row)."""

from __future__ import annotations

from typing import Any

from ..models import Draft, LineIndex, ReadError, Segment
from ..yamlpos import LocDict, LocStr

BODY_FIELDS = ("text", "message", "message_text", "content", "post", "caption", "body")


def text_segment(value: Any, scope: str, label: str) -> Segment | None:
    if isinstance(value, LocStr) and value.strip():
        return Segment(scope, str(value), value.smap, label)
    return None


def media_segments(media: Any) -> list[Segment]:
    """Alt text of every media item: ``media: [{alt: ...}]`` (a single mapping is accepted)."""
    if isinstance(media, dict):
        media = [media]
    if not isinstance(media, list):
        return []
    segments = []
    for i, item in enumerate(media):
        if isinstance(item, dict):
            seg = text_segment(item.get("alt"), "alt", f"media[{i}].alt")
            if seg:
                segments.append(seg)
    return segments


def media_list(meta: dict[str, Any]) -> list[dict[str, Any]]:
    media = meta.get("media")
    if isinstance(media, dict):
        return [media]
    return [m for m in media if isinstance(m, dict)] if isinstance(media, list) else []


def draft_from_record(record: dict[str, Any], shown: str, index: int,
                      lines: LineIndex) -> Draft:
    body_key = next((k for k in BODY_FIELDS if k in record), None)
    if body_key is None:
        raise ReadError(f"draft {index + 1} has no text field (one of: {', '.join(BODY_FIELDS)})",
                        shown, _line(record))
    if record[body_key] is not None and not isinstance(record[body_key], str):
        raise ReadError(f"draft {index + 1}: `{body_key}` must be text, not "
                        f"{type(record[body_key]).__name__}", shown, _line(record))
    segments = []
    body = text_segment(record[body_key], "body", body_key)
    if body:
        segments.append(body)
    footer = text_segment(record.get("footer"), "footer", "footer")
    if footer:
        segments.append(footer)
    segments.extend(media_segments(record.get("media")))
    meta = {k: v for k, v in record.items() if k != body_key}
    return Draft(shown, segments, meta, index, media_list(meta), lines)


def _line(record: dict[str, Any]) -> int | None:
    if isinstance(record, LocDict):
        return record.line
    for value in record.values():
        if isinstance(value, LocStr):
            return value.line
    return None
