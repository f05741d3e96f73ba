"""Faces in a picture: OpenCV's bundled Haar cascade, offline.

opencv-python-headless below 5 ships the cascades in ``cv2.data``; 5.x does not (hence the
pin in the images extra). Frontal faces only: a face in profile is not found, which is why a
face finding is a warning that asks for a model release, not a proof there is none.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .ocr import Box

_CASCADE = "haarcascade_frontalface_default.xml"
MAX_SIDE = 1280  # detection runs on a picture scaled to this (faces in a post are not tiny)
MIN_FACE = 0.06  # of the shorter side: smaller "faces" are texture, not a person
NEIGHBOURS = 6  # overlapping detections a face needs (OpenCV's 3 finds faces in fabric)


class FacesUnavailable(Exception):
    """OpenCV or its bundled cascades are missing (opencv 5, or no images extra)."""


@cache
def _classifier() -> Any:
    try:
        import cv2
    except ImportError as error:
        raise FacesUnavailable(str(error)) from None
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if not folder or not (Path(folder) / _CASCADE).is_file():
        raise FacesUnavailable("OpenCV ships no face cascade (opencv-python-headless<5 does)")
    classifier = cv2.CascadeClassifier(str(Path(folder) / _CASCADE))
    if classifier.empty():
        raise FacesUnavailable(f"cannot load {_CASCADE}")
    return classifier


def detect(image: Any) -> list[Box]:
    """Boxes of the frontal faces in an upright Pillow image, in its own pixels."""
    import numpy as np

    gray = image.convert("L")
    scale = min(1.0, MAX_SIDE / max(gray.size))
    if scale < 1.0:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    pixels = np.asarray(gray)  # no histogram equalisation: it drowns faces on a plain wall
    side = max(int(min(gray.size) * MIN_FACE), 24)
    found = _classifier().detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=NEIGHBOURS,
                                           minSize=(side, side))
    return sorted((int(x / scale), int(y / scale), int(w / scale), int(h / scale))
                  for x, y, w, h in found)
