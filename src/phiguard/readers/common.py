"""What every reader shares: decoding a file and masking non-published text."""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from ..models import MAX_FILE_BYTES_DEFAULT, ReadError, Segment, SourceMap


def read_text(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES_DEFAULT) -> str:
    """The file's text, or a ReadError that says why not (fail closed)."""
    return read_text_and_encoding(path, shown, max_bytes)[0]


def read_text_and_encoding(path: Path, shown: str,
                           max_bytes: int = MAX_FILE_BYTES_DEFAULT) -> tuple[str, str]:
    """The text and the encoding to write it back in (for redact and --fix), in one read."""
    try:
        if path.is_dir():
            raise ReadError("is a directory, not a draft file", shown)
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise ReadError("not a regular file (a pipe, socket or device)", shown)
        if info.st_size > max_bytes:
            raise ReadError(f"file is too large ({info.st_size} bytes; the limit is "
                            f"{max_bytes}, set with max_file_bytes)", shown)
        data = path.read_bytes()
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError("no such file", shown) from None
    except PermissionError:
        raise ReadError("permission denied", shown) from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", shown) from None
    text = decode(data, shown)
    if not text.strip():
        raise ReadError("empty file: nothing to check", shown)
    return text, encoding_of(data)


def encoding_of(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def decode(data: bytes, shown: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(f"invalid UTF-16 at byte {exc.start}", shown) from None
    if b"\x00" in data[:8192]:
        raise ReadError("binary file (contains NUL bytes), not a draft", shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"not valid UTF-8 (byte {exc.start})", shown, line) from None


def mask(chars: list[str], start: int, end: int) -> None:
    """Blank out chars[start:end] in place, keeping newlines so lines stay put."""
    for i in range(max(start, 0), min(end, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


def body_segment(text: str, file_offset: int) -> Segment:
    """A body whose text maps 1:1 onto the file from ``file_offset``, minus the leading blank
    (masked markup, front-matter gap): a sentence must start at its first word for spaCy."""
    lead = len(text) - len(text.lstrip())
    return Segment("body", text[lead:], SourceMap.linear(file_offset + lead), "body")
