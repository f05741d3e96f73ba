"""Which files a run checks: named files, and the supported files under named folders.

Inside a folder, hidden files and folders, excluded paths, phiguard's own files (configuration,
consent registry, baseline, rule folders, the run's report, the cache) and files of a type
phiguard does not read (.docx, .xlsx, images) are skipped without a word: a drafts folder
holds such files too. A folder that cannot be entered is an error, and so is a run that finds
no draft file at all: checking nothing is not a pass.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .models import FileError
from .readers import READERS, reader_for


@dataclass(frozen=True)
class Target:
    path: Path
    shown: str  # as the user would write it: relative stays relative


def collect(paths: list[str], exclude: list[str], skip: set[Path],
            skip_dirs: Iterable[Path] = ()) -> tuple[list[Target], list[FileError]]:
    """The files to check, and the paths that cannot be. ``skip``: files that are not drafts;
    ``skip_dirs``: folders that hold none (rule folders)."""
    targets: list[Target] = []
    errors: list[FileError] = []
    seen: set[Path] = set()
    own = _Own(skip, {_resolved(d) for d in skip_dirs})
    folders: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            errors.append(FileError(given, "no such file or directory"))
        elif path.is_dir():
            folders.append(given)
            for found in _walk(path, given, exclude, own, errors):
                _add(Target(found, _shown(given, path, found)), targets, seen)
        elif own.holds(path) or _named_excluded(path, exclude):
            continue  # phiguard's own files, and excluded ones even when named (pre-commit)
        else:
            _add(Target(path, given), targets, seen)
    if not targets and not errors:
        # Named files that are all excluded pass (pre-commit names each staged file).
        errors.extend(FileError(given, _nothing_found(given)) for given in folders)
    return targets, errors


def _nothing_found(given: str) -> str:
    return (f"no draft files found under {given} (phiguard reads {', '.join(sorted(READERS))}; "
            "hidden, excluded and phiguard's own files are skipped)")


@dataclass(frozen=True)
class _Own:
    """Files and folders phiguard reads or writes itself, resolved: never drafts."""

    files: set[Path]
    folders: set[Path]

    def holds(self, path: Path) -> bool:
        resolved = _resolved(path)
        return resolved in self.files or any(p in self.folders for p in resolved.parents)


def _add(target: Target, targets: list[Target], seen: set[Path]) -> None:
    key = target.path.absolute()
    if key not in seen:
        seen.add(key)
        targets.append(target)


def _walk(root: Path, given: str, exclude: list[str], own: _Own,
          errors: list[FileError]) -> list[Path]:
    found: list[Path] = []

    def cannot_enter(exc: OSError) -> None:  # os.walk would skip the folder silently
        folder = Path(exc.filename) if exc.filename else root
        reason = "permission denied" if isinstance(exc, PermissionError) else (
            exc.strerror or type(exc).__name__)
        errors.append(FileError(_shown(given, root, folder), f"cannot enter folder: {reason}"))

    if _resolved(root) in own.folders:
        return found
    for folder, dirs, files in os.walk(root, onerror=cannot_enter, followlinks=False):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and not _excluded(base / d, root, exclude)
                         and not (base / d / "CACHEDIR.TAG").is_file()  # phiguard's cache
                         and _resolved(base / d) not in own.folders)
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or reader_for(path) is None:
                continue
            if _excluded(path, root, exclude) or _resolved(path) in own.files:
                continue
            found.append(path)
    return found


def _excluded(path: Path, root: Path, patterns: list[str]) -> bool:
    rel = path.relative_to(root).as_posix()
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(path.name, p)
               or fnmatch.fnmatch(path.as_posix(), p) for p in patterns)


def _resolved(path: Path) -> Path:
    """``path`` with symlinks resolved; a looping link stays as it is (reported when read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _named_excluded(path: Path, patterns: list[str]) -> bool:
    rel = path.as_posix().removeprefix("./")
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def _shown(given: str, root: Path, found: Path) -> str:
    rel = found.relative_to(root).as_posix()
    if rel == ".":
        return given
    return rel if given in (".", "./") else f"{given.rstrip('/')}/{rel}"
