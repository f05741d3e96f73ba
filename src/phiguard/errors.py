"""The error family, at the bottom of the package: every module may raise these, and they
import nothing of phiguard's. One line each, naming the file (and line); exit 2."""

from __future__ import annotations


class PhiguardError(Exception):
    """Something phiguard cannot do its job with: exit 2, one line, no traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ReadError(PhiguardError):
    """A draft file that could not be read or parsed."""


class RecognizerError(PhiguardError):
    """A recognizer file phiguard cannot use."""
