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
    """A draft whose body is every text field it has, in file order. Two of them (`text` and
    `caption`) are not an error: which one a scheduler publishes depends on the tool and the
    platform (caption for an image, text for the post), so both are published words."""
    body_keys = [k for k in record if k in BODY_FIELDS]
    if not body_keys:
        raise ReadError(f"draft {index + 1} has no text field (one of: {', '.join(BODY_FIELDS)})",
                        shown, _line(record))
    segments = []
    for key in body_keys:
        value = record[key]
        if value is not None and not isinstance(value, str):
            raise ReadError(f"draft {index + 1}: `{key}` must be text, not "
                            f"{type(value).__name__}", shown, _line(record))
        body = text_segment(value, "body", key)
        if body:
            segments.append(body)
    footer = text_segment(record.get("footer"), "footer", "footer")
    if footer:
        segments.append(footer)
    segments.extend(media_segments(record.get("media")))
    meta = {k: v for k, v in record.items() if k not in body_keys}
    return Draft(shown, segments, meta, index, media_list(meta), lines)


def _line(record: dict[str, Any]) -> int | None:
    if isinstance(record, LocDict):
        return record.line
    for value in record.values():
        if isinstance(value, LocStr):
            return value.line
    return None
