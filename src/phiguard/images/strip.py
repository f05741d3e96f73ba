"""`phiguard redact IMAGE`: a copy of the picture without any metadata block.

A plain re-save keeps the JPEG comment (Pillow writes ``info["comment"]`` back) and most
tools drop the EXIF Orientation tag with the rest, so a photo taken sideways is published
sideways. Here the orientation is applied to the pixels first, then only the pixels (and
the colour profile, which identifies no one) are written: no EXIF, GPS, XMP, IPTC, comment
or PNG text chunk survives.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from ..models import PhiguardError
from . import IMAGE_SUFFIXES

_FORMATS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 95, "subsampling": 0}, "PNG": {"optimize": False},
    "WEBP": {"quality": 95}, "TIFF": {}, "HEIF": {"quality": 95}}


def is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def stripped_name(path: Path) -> Path:
    """Where the copy goes: ``ward.jpg`` -> ``ward.stripped.jpg``, next to it."""
    return path.with_name(f"{path.stem}.stripped{path.suffix}")


def strip_file(shown: str, in_place: bool) -> str:
    """Write the stripped picture (a copy, or the file itself atomically); say what was done."""
    try:
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError:
        raise PhiguardError("redacting an image needs the images extra: pip install "
                            "'phiguard[images]'", shown) from None
    from . import open_heif_support

    open_heif_support()
    path = Path(shown)
    if path.is_symlink():
        raise PhiguardError("is a symbolic link; redact the file it points to", shown)
    try:
        with Image.open(path) as opened:
            kind = opened.format or ""
            if kind not in _FORMATS:
                raise PhiguardError(f"cannot write {kind or 'this'} images", shown)
            upright = ImageOps.exif_transpose(opened)  # the orientation, into the pixels
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            palette = upright.getpalette()
            if upright.mode == "P" and palette:
                clean.putpalette(palette)
            profile = opened.info.get("icc_profile")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhiguardError("not an image phiguard can read", shown) from None
    target = path if in_place else stripped_name(path)
    options = dict(_FORMATS[kind])
    if profile:
        options["icc_profile"] = profile
    _write(clean, kind, options, target, path)
    return (f"{shown}: removed every metadata block (orientation kept in the pixels)"
            + ("" if in_place else f"; wrote {target}"))


def _write(image: object, kind: str, options: dict[str, object], target: Path,
           original: Path) -> None:
    """Atomically, with the original's permissions: a reader never sees half a picture."""
    fd, temporary = tempfile.mkstemp(prefix=".phiguard-", suffix=target.suffix,
                                     dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            image.save(handle, format=kind, **options)  # type: ignore[attr-defined]
        os.chmod(temporary, original.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
