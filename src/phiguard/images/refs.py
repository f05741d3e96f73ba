"""Which image files a draft references, and where in the draft it references them.

Markdown and HTML images (``![alt](src)``, ``<img src>``), ``media[].path`` and a CSV image
column; paths are relative to the draft's file; web addresses and files that do not exist are
not read (what is published from elsewhere cannot be checked here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Draft
from . import IMAGE_SUFFIXES

_SUFFIX = "|".join(s.lstrip(".") for s in IMAGE_SUFFIXES)
# Anything that looks like an image file's name, for the cache key (over-inclusive is fine).
_MENTION = re.compile(rb"[^\s\"'()<>\[\]|,;=`*]+\.(?:" + _SUFFIX.encode() + rb")\b", re.I)
# A Markdown image's destination, or an HTML img's src.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_BODY_SUFFIXES = (".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class ImageRef:
    path: Path  # the file on disk
    shown: str  # as the draft writes it: what messages name
    line: int
    column: int


def mentioned_images(path: Path, content: bytes) -> list[Path]:
    """Existing image files whose name a draft file's bytes mention, in order, once each."""
    found: dict[Path, None] = {}
    for match in _MENTION.finditer(content):
        image = _local(path.parent, match.group().decode("utf-8", "replace"))
        if image is not None:
            found.setdefault(image)
    return list(found)


def references(draft: Draft) -> list[ImageRef]:
    """The existing local images the draft references, each once, at its first mention."""
    base = Path(draft.path).parent
    refs: dict[Path, ImageRef] = {}
    for shown, line, column in [*_in_body(draft), *_in_fields(draft)]:
        image = _local(base, shown)
        if image is not None and image not in refs:
            refs[image] = ImageRef(image, shown, line, column)
    return list(refs.values())


def _local(base: Path, written: str) -> Path | None:
    if "://" in written or written.startswith(("data:", "//", "mailto:")):
        return None
    written = written.split("?", 1)[0].split("#", 1)[0]
    if not written.lower().endswith(IMAGE_SUFFIXES):
        return None
    image = base / written
    try:
        return image if image.is_file() else None
    except OSError:
        return None


def _in_body(draft: Draft) -> list[tuple[str, int, int]]:
    """Images in a Markdown or HTML body. The reader keeps no image destination, so the file
    is read again here, and only when the images extra runs."""
    path = Path(draft.path)
    if path.suffix.lower() not in _BODY_SUFFIXES or draft.lines is None:
        return []
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for pattern in (_MARKDOWN_IMAGE, _HTML_IMAGE):
        for match in pattern.finditer(text):
            found.append((match.group(1), *draft.lines.position(match.start(1))))
    return sorted(found, key=lambda item: (item[1], item[2]))


def _in_fields(draft: Draft) -> list[tuple[str, int, int]]:
    """``media[].path`` (at its value's place) and a CSV image column (at the row's line)."""
    found = []
    for item in draft.media:
        value = item.get("path") or item.get("src") or item.get("url")
        if isinstance(value, str) and value.strip():
            found.append((value.strip(), *_place(draft, value)))
    image = draft.meta.get("image")
    if isinstance(image, str):
        for value in re.split(r"[\s,;|]+", image):
            if value:
                found.append((value, *_place(draft, image)))
    return found


def _place(draft: Draft, value: Any) -> tuple[int, int]:
    smap = getattr(value, "smap", None)
    if smap is not None and draft.lines is not None:
        return draft.lines.position(smap.file_offset(0))
    if draft.segments and draft.lines is not None:  # a CSV cell: the row's line
        return draft.lines.position(draft.segments[0].source.file_offset(0))[0], 1
    return 1, 1
