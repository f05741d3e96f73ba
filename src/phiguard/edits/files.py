"""Edits to a file's text, and writing the result back the way it was encoded."""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import Draft, PhiguardError, ReadError
from ..privatefile import subfolder, write_at

if TYPE_CHECKING:
    from ..config import Settings


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the file with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str
    what: str = ""  # for the report: what was changed, never the old text


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (overlapping ones keep the first, by position)."""
    out = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor:
            continue
        out.append(text[cursor:edit.start])
        out.append(edit.new)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)


def raw_end(text: str, pos: int) -> int:
    """End of the raw characters that encode the one decoded character starting at ``pos``:
    an escape (\\n, \\u00e9), an HTML entity (&amp;) or a doubled CSV quote counts whole."""
    if pos >= len(text):
        return len(text)
    ch = text[pos]
    if ch == "\\" and pos + 1 < len(text):
        return pos + (6 if text[pos + 1] == "u" else 10 if text[pos + 1] == "U" else 2)
    if ch == "&":
        semi = text.find(";", pos, pos + 12)
        return semi + 1 if semi > 0 else pos + 1
    if ch == '"' and text[pos + 1:pos + 2] == '"':
        return pos + 2
    return pos + 1


def file_span(draft: Draft, starts: list[int], text: str, start: int, end: int,
              segment: int) -> tuple[int, int]:
    """File offsets of the draft's published characters [start, end) in one segment."""
    seg = draft.segments[segment]
    first = seg.source.file_offset(start - starts[segment])
    last = seg.source.file_offset(max(end - 1, start) - starts[segment])
    return first, raw_end(text, last)


@dataclass(frozen=True)
class Snapshot:
    """The file as it was read: rewriting it is refused if any of this has changed since."""

    data: bytes
    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, data: bytes, info: os.stat_result) -> Snapshot:
        return cls(data, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)

    def matches(self, data: bytes, info: os.stat_result) -> bool:
        return Snapshot.of(data, info) == self


@dataclass(frozen=True)
class Editable:
    """A draft file opened for editing: its reader, its text, and how to write it back."""

    path: Path
    shown: str
    reader: Any
    text: str
    encoding: str
    snapshot: Snapshot

    def drafts(self, text: str, settings: Settings) -> list[Draft]:
        return list(self.reader(self.path, self.shown, text, settings))


def open_editable(shown: str, settings: Settings, path: Path | None = None) -> Editable:
    from ..readers import reader_for
    from ..readers.common import encoding_of, text_of

    path = path or Path(shown)
    reader = reader_for(path)
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix or '(none)'!r}", shown)
    data, info = _read(path, shown, settings.max_file_bytes)
    text = text_of(data, shown, settings.max_file_bytes)
    return Editable(path, shown, reader, text, encoding_of(data), Snapshot.of(data, info))


def _read(path: Path, shown: str, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The file's bytes and what it was when they were read, through one descriptor."""
    from ..readers.common import unreadable

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    except OSError as exc:
        raise ReadError(unreadable(exc), shown) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("is a directory, not a draft file", shown)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not a regular file (a pipe, socket or device)", shown)
        if info.st_size > max_bytes:  # refused before reading it, with its real size
            raise ReadError(f"file is too large ({info.st_size} bytes; the limit is "
                            f"{max_bytes}, set with max_file_bytes)", shown)
        try:
            data = handle.read(max_bytes + 1)  # text_of refuses more than max_bytes
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}", shown) from None
    return data, info


def backup_folder(settings: Settings) -> Path:
    """Where `redact --in-place` keeps the original: the cache folder's `backups/`, owner-only
    and ignored by git (the folder's own .gitignore) like the rest of the cache."""
    from ..cache import default_dir

    return default_dir(settings) / BACKUPS


BACKUPS = "backups"


def write_in_place(opened: Editable, text: str, backup: Path | None = None) -> Path | None:
    """Replace the file with ``text`` atomically, keeping its owner, group and mode; first
    keep a copy of the original in the folder ``backup`` when given (its path is returned).

    Refused (PhiguardError, nothing written) when the file is a symbolic link, read-only,
    has other hard links (an atomic replace would separate this name from the others, which
    keep the old text; writing through them instead would not be atomic), cannot keep its
    owner, or has changed since it was read (that change would be lost)."""
    try:
        payload = text.encode(opened.encoding)
    except UnicodeEncodeError:  # a Windows-1252 CSV cannot hold every character of a fix
        raise PhiguardError(f"the new text has characters {opened.encoding} cannot hold; save "
                            "the file as UTF-8 (Excel: CSV UTF-8) and run again",
                            opened.shown) from None
    info = _unchanged(opened)
    _refuse_unsafe(opened, info)
    saved = _keep_backup(opened, backup) if backup is not None else None
    _replace(opened, payload, info)
    return saved


def _unchanged(opened: Editable) -> os.stat_result:
    """The file's status now, if it still is what was read (name, inode, size, time, bytes)."""
    try:
        if stat.S_ISLNK(os.lstat(opened.path).st_mode):
            raise PhiguardError("is a symbolic link: not rewritten in place (run on the file "
                                "it points to)", opened.shown)
        fd = os.open(opened.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            data = handle.read(len(opened.snapshot.data) + 1)
    except FileNotFoundError:
        raise PhiguardError(_CHANGED, opened.shown) from None
    except OSError as exc:
        raise PhiguardError(f"cannot read it again before rewriting: {exc.strerror or exc}",
                            opened.shown) from None
    if not opened.snapshot.matches(data, info):
        raise PhiguardError(_CHANGED, opened.shown)
    return info


_CHANGED = "changed since phiguard read it: not rewritten, so that change is kept (run again)"


def _refuse_unsafe(opened: Editable, info: os.stat_result) -> None:
    if not info.st_mode & 0o222 or not os.access(opened.path, os.W_OK):
        raise PhiguardError("is read-only: not rewritten (make it writable to allow this)",
                            opened.shown)
    if info.st_nlink > 1:
        raise PhiguardError(f"has {info.st_nlink} hard links: not rewritten in place, which "
                            "would leave the other names with the old text (copy it to a "
                            "file of its own first)", opened.shown)


def _keep_backup(opened: Editable, folder: Path) -> Path:
    """The original bytes, in a new owner-only file (O_EXCL|O_NOFOLLOW: never an existing
    file or a planted link) inside a folder of ours (never reached through a link)."""
    from ..cache import open_folder

    name = f"{opened.path.name}.{time.strftime('%Y%m%dT%H%M%S')}.{secrets.token_hex(4)}.bak"
    try:
        with contextlib.ExitStack() as opened_folders:
            root = open_folder(folder.parent, create=True)
            if root is not None:
                opened_folders.callback(os.close, root)
            backups = subfolder(root, folder.name, create=True) if root is not None else None
            if backups is None:
                raise OSError("the folder cannot be created")
            opened_folders.callback(os.close, backups)
            write_at(backups, name, opened.snapshot.data, replace=False)
    except PhiguardError as exc:
        raise PhiguardError(f"not rewritten: no safe place for its backup ({exc}; or use "
                            "--no-backup)", opened.shown) from None
    except OSError as exc:
        raise PhiguardError(f"not rewritten: its backup cannot be written "
                            f"({exc.strerror or exc})", opened.shown) from None
    return folder / name


def _replace(opened: Editable, payload: bytes, info: os.stat_result) -> None:
    """A new file with the old one's owner, group and mode, renamed over it; the file is
    compared with what was read once more just before, to keep the window for a lost
    change as short as a rename."""
    folder = opened.path.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{opened.path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PhiguardError(f"cannot write: {exc.strerror or exc}", opened.shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            _same_owner(handle.fileno(), info, opened.shown)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))  # after chown: keeps setgid
        _unchanged(opened)
        os.replace(temp, opened.path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise PhiguardError(f"cannot write: {exc.strerror or exc}", opened.shown) from None
        raise


def _same_owner(fd: int, info: os.stat_result, shown: str) -> None:
    created = os.fstat(fd)
    if (created.st_uid, created.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        raise PhiguardError("belongs to another user or group, which rewriting it would "
                            "change: not rewritten", shown) from None


def unified_diff(before: str, after: str, shown: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        fromfile=f"a/{shown}", tofile=f"b/{shown}"))
