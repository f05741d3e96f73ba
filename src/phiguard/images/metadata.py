"""What an image file says about itself: EXIF, GPS, XMP, IPTC and comments (Pillow).

Only the names of the fields that hold something are returned, never their values: a finding
says "GPSLatitude" and the file, not where the photo was taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from PIL import ExifTags, Image, ImageFile, IptcImagePlugin

_BASE = ExifTags.Base
# EXIF tags by what they reveal (tag number -> name shown).
_DATES = {_BASE.DateTime, _BASE.DateTimeOriginal, _BASE.DateTimeDigitized}
_NAMES = {_BASE.Artist, _BASE.XPAuthor, _BASE.XPComment, _BASE.XPSubject, _BASE.XPTitle,
          _BASE.XPKeywords, _BASE.ImageDescription, _BASE.UserComment, _BASE.CameraOwnerName}
_SERIALS = {_BASE.BodySerialNumber, _BASE.LensSerialNumber, _BASE.ImageUniqueID}
_GPS_POSITION = {1, 2, 3, 4, 5, 6}  # latitude, longitude and altitude with their references
_GPS_DATE = 29  # GPSDateStamp
# IPTC (record 2) datasets: by-line, city, location, caption, keywords, dates, contact.
_IPTC_NAMES = {80: "By-line", 85: "By-lineTitle", 120: "Caption-Abstract", 25: "Keywords",
               5: "ObjectName", 118: "Contact", 122: "Writer-Editor"}
_IPTC_PLACES = {90: "City", 92: "Sub-location", 95: "Province-State", 101: "Country"}
_IPTC_DATES = {55: "DateCreated", 62: "DigitalCreationDate"}
# XMP properties, matched by their local name in the packet.
_XMP = {
    "location": re.compile(rb"\b(?:exif:GPS(?:Latitude|Longitude)|Iptc4xmpCore:Location|"
                           rb"photoshop:City|Iptc4xmpExt:LocationShown)\b"),
    "date": re.compile(rb"\b(?:xmp:CreateDate|photoshop:DateCreated|exif:DateTimeOriginal|"
                       rb"xmp:ModifyDate)\b"),
    "name": re.compile(rb"\b(?:dc:creator|dc:description|dc:title|photoshop:Author|"
                       rb"Iptc4xmpExt:PersonInImage|mwg-rs:Name)\b"),
    "serial": re.compile(rb"\b(?:exifEX:BodySerialNumber|aux:SerialNumber|"
                         rb"exifEX:LensSerialNumber)\b"),
}
_PNG_NAMES = re.compile(r"author|artist|comment|description|title|creator|owner|source", re.I)
_PNG_DATES = re.compile(r"creation.?time|date", re.I)


@dataclass
class Facts:
    """The fields found in an image, by what they reveal."""

    location: list[str] = field(default_factory=list)
    date: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    serial: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str) -> None:
        found = getattr(self, kind)
        if name not in found:
            found.append(name)


def read(image: ImageFile.ImageFile) -> Facts:
    """Every identifying field the opened image carries."""
    facts = Facts()
    _exif(image, facts)
    _iptc(image, facts)
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if xmp:
        packet = xmp if isinstance(xmp, bytes) else str(xmp).encode("utf-8", "replace")
        for kind, pattern in _XMP.items():
            for match in pattern.finditer(packet):
                facts.add(kind, f"XMP {match.group().decode('ascii')}")
    if _filled(image.info.get("comment")):
        facts.add("name", "comment")  # JPEG COM and GIF comments: free text
    for key, value in _png_text(image):
        if _PNG_NAMES.search(key) and _filled(value):
            facts.add("name", f"PNG text {key}")
        elif _PNG_DATES.search(key) and _filled(value):
            facts.add("date", f"PNG text {key}")
    return facts


def _exif(image: Image.Image, facts: Facts) -> None:
    exif = image.getexif()
    ifds: list[dict[int, Any]] = [dict(exif), dict(exif.get_ifd(ExifTags.IFD.Exif))]
    for ifd in ifds:
        for tag, value in ifd.items():
            if not _filled(value):
                continue
            name = ExifTags.TAGS.get(tag, str(tag))
            if tag in _DATES:
                facts.add("date", name)
            elif tag in _NAMES:
                facts.add("name", name)
            elif tag in _SERIALS:
                facts.add("serial", name)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    for tag, value in gps.items():
        if _filled(value):
            name = ExifTags.GPSTAGS.get(tag, str(tag))
            if tag in _GPS_POSITION:
                facts.add("location", name)
            elif tag == _GPS_DATE:
                facts.add("date", name)


def _iptc(image: ImageFile.ImageFile, facts: Facts) -> None:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError, IndexError, TypeError):
        info = {}
    for (record, dataset), value in info.items():
        if record != 2 or not _filled(value):
            continue
        for kind, table in (("name", _IPTC_NAMES), ("location", _IPTC_PLACES),
                            ("date", _IPTC_DATES)):
            if dataset in table:
                facts.add(kind, f"IPTC {table[dataset]}")


def _png_text(image: Image.Image) -> Iterator[tuple[str, Any]]:
    text = getattr(image, "text", None)
    if isinstance(text, dict):
        yield from text.items()


def _filled(value: Any) -> bool:
    if isinstance(value, bytes):
        return bool(value.strip(b"\0 \t\r\n"))
    if isinstance(value, str):
        return bool(value.strip("\0 \t\r\n"))
    if isinstance(value, (list, tuple)):
        return any(_filled(v) for v in value)
    return value is not None
