"""Opening each image a draft references once, and everything read from it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Draft
from . import metadata, open_heif_support
from .ocr import Box, TextRegion
from .refs import ImageRef, references

MAX_PIXELS = 60_000_000  # larger pictures are decompression bombs, not photos for a post


@dataclass
class ImageAssets:
    """What one referenced image holds: its metadata fields by kind, text, faces, unreadable."""

    ref: ImageRef
    meta: metadata.Facts = field(default_factory=metadata.Facts)
    text: list[TextRegion] = field(default_factory=list)
    faces: list[Box] = field(default_factory=list)  # x, y, width, height
    unreadable: bool = False

    def facts(self, kind: str) -> list[str]:
        if kind == "face":
            return [f"face at {box_label(box)}" for box in self.faces]
        return list(getattr(self.meta, kind, []))


def box_label(box: Box) -> str:
    """A region as messages name it: its top-left corner and size, in the upright picture."""
    x, y, width, height = box
    return f"{x},{y} {width}x{height}"


def inspect(draft: Draft, pixels: Callable[[], bool] = lambda: True) -> list[ImageAssets]:
    """Each referenced image's metadata and, when ``pixels()`` says the engines are there, its
    text and faces."""
    refs = references(draft)
    if not refs:
        return []  # Pillow is imported only for a draft with an image to read
    read_pixels = pixels()
    from PIL import Image, ImageOps, UnidentifiedImageError

    open_heif_support()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    found = []
    for ref in refs:
        assets = ImageAssets(ref)
        try:
            data = ref.path.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                assets.meta = metadata.read(image)
                if read_pixels:
                    key = hashlib.sha256(data).digest()
                    if key not in _seen:
                        _seen[key] = _read_pixels(ImageOps.exif_transpose(image))
                        _forget_oldest()
                    assets.text, assets.faces = _seen[key]
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
                Image.DecompressionBombError):
            assets.unreadable = True
        found.append(assets)
    return found


# Text and faces by the image's bytes: an image many drafts share (a CSV's rows, a campaign's
# posts) is read once a process; the result cache does the same across runs (assets.key_of).
_seen: dict[bytes, tuple[list[TextRegion], list[Box]]] = {}
_SEEN_LIMIT = 256


def _forget_oldest() -> None:
    while len(_seen) > _SEEN_LIMIT:
        del _seen[next(iter(_seen))]


def _read_pixels(upright: object) -> tuple[list[TextRegion], list[Box]]:
    """Text and faces as the picture is seen (its EXIF orientation applied)."""
    from . import faces, ocr

    return ocr.read(upright), faces.detect(upright)
