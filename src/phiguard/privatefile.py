"""Writing files that hold derived data: owner-only, atomically (no half-written file is read)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .models import PhiguardError

OWNER_ONLY = 0o600


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
