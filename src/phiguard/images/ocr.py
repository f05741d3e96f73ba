"""Text in an image's pixels (rapidocr on onnxruntime, models shipped in its wheel).

Why rapidocr and not tesseract: measured on rendered whiteboards, wristbands (upright, tilted and
sideways), a portal screenshot and a birthday cake, rapidocr read every identifier (26 of 26)
in 1-3 s an image on one core; tesserocr's wheel bundles libtesseract but no English model, so
it cannot run offline (docs/images.md).

Run offline only: every model path is given explicitly (rapidocr's default configuration
would download a model it cannot find). Text comes back one region (a line of text) at a time
with its bounding box; ``normalise`` makes OCR's spelling read like typed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Box = tuple[int, int, int, int]  # x, y, width, height in the upright picture

MIN_SCORE = 0.5  # rapidocr's own default: below it a region is mostly noise
MAX_SIDE = 2000  # larger pictures are scaled down first (rapidocr's default too)
_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
           "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


@dataclass(frozen=True)
class TextRegion:
    text: str  # normalised
    box: Box


class OcrUnavailable(Exception):
    """The engine or its bundled models are missing (an incomplete images extra)."""


@cache
def engine() -> Any:
    """One engine per process (loading costs about a second), from the wheel's own models."""
    try:
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError as error:
        raise OcrUnavailable(str(error)) from None
    folder = Path(rapidocr.__file__).parent / "models"
    params: dict[str, Any] = {"Global.log_level": "error", "Global.max_side_len": MAX_SIDE,
                              "Global.text_score": MIN_SCORE,
                              # one thread: workers are processes already (runner.py)
                              "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                              "EngineConfig.onnxruntime.inter_op_num_threads": 1}
    for stage, name in _MODELS.items():
        path = folder / name
        if not path.is_file():
            raise OcrUnavailable(f"rapidocr's bundled model {name} is missing")
        params[f"{stage}.model_path"] = str(path)
    return RapidOCR(params=params)


def read(image: Any) -> list[TextRegion]:
    """The text regions of an upright Pillow image, top to bottom."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # rapidocr reads OpenCV's BGR
    result = engine()(np.ascontiguousarray(pixels))
    if result.boxes is None or not result.txts:
        return []
    regions = []
    for quad, text in zip(result.boxes, result.txts, strict=False):
        text = normalise(str(text))
        if text.strip():
            regions.append(TextRegion(text, _bounds(quad)))
    return sorted(regions, key=lambda r: (r.box[1], r.box[0]))


def _bounds(quad: Any) -> Box:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    x, y = int(min(xs)), int(min(ys))
    return max(x, 0), max(y, 0), int(max(xs)) - x, int(max(ys)) - y


# OCR drops the space after a label's colon ("DOB:03/14/1961") and between two fields
# ("1961MRN"), which the recognizers need; clock times ("9:30") keep theirs.
_COLON = re.compile(r"(?<=[A-Za-z#.)]):(?=\S)")
_DIGITS_THEN_WORD = re.compile(r"(?<=\d)(?=[A-Z]{2,}\b)")
_WORD = re.compile(r"[A-Z][A-Z'-]+")
# Labels printed in capitals stay so: a title-cased "Dob" or "Mrn" is no longer a label.
_LABELS = frozenset((
    "AM", "PM", "DOB", "MRN", "MR", "ID", "RN", "LPN", "NP", "MD", "DO", "PA", "CNA", "PT", "OT",
    "ICU", "ER", "ED", "OR", "NICU", "PICU", "BED", "RM", "ROOM", "UNIT", "SEX", "AGE", "DR",
    "MS", "MRS", "ACCT", "ACCOUNT", "HT", "WT", "BP", "HR", "INS", "ADM", "ATT", "PCP", "FIN",
    "CSN", "ENC", "VISIT", "ALLERGY", "ALLERGIES", "NKA", "NKDA", "YO", "YRS", "DX", "RX", "USA",
))


def normalise(text: str) -> str:
    """OCR text as the analysis expects typed text: a space after a label's colon and between
    run-together fields, and a name in capitals ("HAVERSTOCK, DELPHINE") title-cased, which
    the name recognizer reads (it misses most names in capitals)."""
    text = _DIGITS_THEN_WORD.sub(" ", _COLON.sub(": ", text))
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return text
    return _WORD.sub(lambda m: m.group() if m.group() in _LABELS else m.group().title(), text)
