"""What a draft's images publish besides its words: metadata, text in the pixels, faces.

Everything here but refs.py needs the optional `images` extra (Pillow and the engines it
names); available() says whether it is installed.
"""

from __future__ import annotations

from importlib.util import find_spec

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff")


def available() -> bool:
    """Whether the `images` extra (Pillow at least) is installed."""
    return find_spec("PIL") is not None


def open_heif_support() -> None:
    """Let Pillow open HEIC/HEIF photos when pillow-heif is installed (iPhones' default)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()
