"""What a draft's images publish besides its words: metadata, text in the pixels, faces.

Everything here but refs.py needs the optional `images` extra: Pillow (metadata), rapidocr on
onnxruntime (text) and opencv-python-headless below 5 (faces). available() says whether Pillow
is installed, missing() which parts of the extra are not.
"""

from __future__ import annotations

from importlib.util import find_spec

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff")
# The extra's modules, by what needs them.
_MODULES = {"PIL": "pillow", "rapidocr": "rapidocr", "onnxruntime": "onnxruntime",
            "cv2": "opencv-python-headless<5", "numpy": "numpy"}


def available() -> bool:
    """Whether Pillow (image metadata) is installed."""
    return find_spec("PIL") is not None


def missing() -> list[str]:
    """The packages of the `images` extra that are not installed (none: text and faces too)."""
    absent = [package for module, package in _MODULES.items() if find_spec(module) is None]
    if not absent:
        import cv2

        if not getattr(getattr(cv2, "data", None), "haarcascades", None):
            absent.append("opencv-python-headless<5")  # 5.x has no bundled face cascades
    return absent


def open_heif_support() -> None:
    """Let Pillow open HEIC/HEIF photos when pillow-heif is installed (iPhones' default)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()
