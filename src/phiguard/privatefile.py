"""Writing files that hold derived data: owner-only, atomically (no half-written file is read),
and, inside phiguard's own folders, never through a symbolic link."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

from .models import PhiguardError

OWNER_ONLY = 0o600
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class UnsafeFolder(PhiguardError):
    """A folder phiguard would write into that someone else could redirect or read."""


def write_private(path: Path, data: str | bytes, mode: int = OWNER_ONLY) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, with ``mode`` (0600 for
    derived data; a draft rewritten in place keeps its own)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PhiguardError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise PhiguardError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def open_private_folder(folder: Path, create: bool, shown: str | None = None) -> int | None:
    """A descriptor of ``folder`` (created owner-only when ``create``), or None when it does
    not exist and may not be created. Everything phiguard writes there is then written
    relative to the descriptor, so swapping the path for a link later changes nothing.

    Raises UnsafeFolder when the folder is a symbolic link, not a folder, owned by someone
    else or writable by others: what goes there (results, copies of drafts) would go, or be
    readable, somewhere the user did not choose."""
    shown = shown or str(folder)
    if create:
        with contextlib.suppress(FileExistsError):
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, 0o700)
    try:
        fd = os.open(folder, _DIRECTORY)
    except FileNotFoundError:
        if create:
            raise UnsafeFolder("cannot be created", shown) from None
        return None
    except OSError:
        raise UnsafeFolder(_why_not_a_folder(folder), shown) from None
    info = os.fstat(fd)
    reason = ("is owned by another user" if info.st_uid != os.geteuid()
              else "is writable by other users" if info.st_mode & 0o022 else "")
    if reason:
        os.close(fd)
        raise UnsafeFolder(reason, shown)
    return fd


def _why_not_a_folder(folder: Path) -> str:
    try:
        mode = os.lstat(folder).st_mode
    except OSError as exc:
        return f"cannot be opened: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    return "is not a folder" if not stat.S_ISDIR(mode) else "cannot be opened"


def subfolder(parent_fd: int, name: str, create: bool) -> int | None:
    """A descriptor of the folder ``name`` inside an open private folder (never a link)."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=parent_fd)
    try:
        return os.open(name, _DIRECTORY, dir_fd=parent_fd)
    except FileNotFoundError:
        if create:
            raise
        return None


def write_at(folder_fd: int, name: str, data: bytes, replace: bool = True) -> None:
    """Write ``name`` owner-only in an open folder: a new temporary file (O_EXCL|O_NOFOLLOW,
    so never an existing file or link) renamed over ``name``, or, when not ``replace``,
    created only if ``name`` does not exist (FileExistsError otherwise)."""
    if not replace:
        _write_new(folder_fd, name, data)
        return
    temp = f".{name}.{secrets.token_hex(6)}.tmp"
    _write_new(folder_fd, temp, data)
    try:
        os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder_fd)
        raise


def _write_new(folder_fd: int, name: str, data: bytes) -> None:
    fd = os.open(name, _NEW_FILE, OWNER_ONLY, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder_fd)
        raise
