"""Opening each image a draft references once, and everything read from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Draft
from . import metadata, open_heif_support
from .refs import ImageRef, references

MAX_PIXELS = 60_000_000  # larger pictures are decompression bombs, not photos for a post


@dataclass
class ImageAssets:
    """What one referenced image holds: its metadata fields by kind, faces, unreadable."""

    ref: ImageRef
    meta: metadata.Facts = field(default_factory=metadata.Facts)
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)  # x, y, width, height
    unreadable: bool = False

    def facts(self, kind: str) -> list[str]:
        if kind == "face":
            return [f"face at {x},{y} {w}x{h}" for x, y, w, h in self.faces]
        return list(getattr(self.meta, kind, []))


def inspect(draft: Draft) -> list[ImageAssets]:
    refs = references(draft)
    if not refs:
        return []  # Pillow is imported only for a draft with an image to read
    from PIL import Image, UnidentifiedImageError

    open_heif_support()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    found = []
    for ref in refs:
        assets = ImageAssets(ref)
        try:
            with Image.open(ref.path) as image:
                assets.meta = metadata.read(image)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
                Image.DecompressionBombError):
            assets.unreadable = True
        found.append(assets)
    return found
