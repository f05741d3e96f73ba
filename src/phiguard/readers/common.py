"""What every reader shares: decoding a file and masking non-published text."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from ..models import MAX_FILE_BYTES_DEFAULT, LineIndex, ReadError, Segment, SourceMap


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
    except OSError as exc:
        raise ReadError(unreadable(exc), shown) from None
    return text_of(data, shown, max_bytes), encoding_of(data)


def unreadable(exc: OSError) -> str:
    """Why a draft file could not be opened or read, in a few words (never its contents)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or type(exc).__name__}"


def text_of(data: bytes, shown: str, max_bytes: int = MAX_FILE_BYTES_DEFAULT) -> str:
    """The text of bytes the caller has read: what is analysed (and cached, and rewritten) is
    exactly what was read, never a second read of a file that may have changed meanwhile."""
    if len(data) > max_bytes:
        raise ReadError(f"file is too large ({len(data)} bytes; the limit is {max_bytes}, "
                        "set with max_file_bytes)", shown)
    text = decode(data, shown)
    if not text.strip():
        raise ReadError("empty file: nothing to check", shown)
    return text


def encoding_of(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"  # only read at all as csvlayout.legacy_text's Windows-1252
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


_BYTE_LINE_END = re.compile(rb"\r\n?|\n")
_BINARY = "binary file (contains NUL bytes), not a draft"


def decode(data: bytes, shown: str) -> str:
    """The file's text. A NUL anywhere refuses the file: no editor writes one into a post, and
    one past the start would otherwise reach excerpts raw."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(f"invalid UTF-16 at byte {exc.start}", shown) from None
    else:
        nul = data.find(b"\x00", 0, 8192)
        if nul >= 0:  # binary: say so before UTF-8 decoding fails on it
            raise ReadError(_BINARY, shown, _byte_line(data, nul))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            legacy = _legacy_csv(data, shown)  # Excel's Windows-1252 "CSV" (csvlayout.py)
            if legacy is None:
                raise ReadError(f"not valid UTF-8 (byte {exc.start})", shown,
                                _byte_line(data, exc.start)) from None
            text = legacy
    nul = text.find("\x00")
    if nul >= 0:
        raise ReadError(_BINARY, shown, LineIndex(text[:nul]).count)
    return text


def _legacy_csv(data: bytes, shown: str) -> str | None:
    """A scheduler export's Windows-1252 text; the shown name keeps the file's suffix."""
    if Path(shown).suffix.lower() not in (".csv", ".tsv"):
        return None
    from .csvlayout import legacy_text

    return legacy_text(data)


def _byte_line(data: bytes, offset: int) -> int:
    return len(_BYTE_LINE_END.findall(data, 0, offset)) + 1


def unix_lines(text: str) -> str:
    """``text`` with every line end as LF and the same length, for parsers that count only LF:
    CR LF becomes space LF, a lone CR becomes LF. Offsets and line numbers stay those of the
    file."""
    return text.replace("\r\n", " \n").replace("\r", "\n")


def mask(chars: list[str], start: int, end: int) -> None:
    """Blank out chars[start:end] in place, keeping line ends so lines stay put."""
    for i in range(max(start, 0), min(end, len(chars))):
        if chars[i] not in "\r\n":
            chars[i] = " "


def body_segment(text: str, file_offset: int) -> Segment:
    """A body whose text maps 1:1 onto the file from ``file_offset``, minus the leading blank
    (masked markup, front-matter gap): a sentence must start at its first word for spaCy."""
    lead = len(text) - len(text.lstrip())
    return Segment("body", text[lead:], SourceMap.linear(file_offset + lead), "body")
