"""Which files a run checks: named files, and the supported files under named folders."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from .models import FileError
from .readers import reader_for


@dataclass(frozen=True)
class Target:
    path: Path
    shown: str  # as the user would write it: relative stays relative


def collect(paths: list[str], exclude: list[str], skip: set[Path]) -> tuple[list[Target],
                                                                          list[FileError]]:
    targets: list[Target] = []
    errors: list[FileError] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            errors.append(FileError(given, "no such file or directory"))
        elif path.is_dir():
            for found in _walk(path, exclude, skip):
                _add(Target(found, _shown(given, path, found)), targets, seen)
        elif _resolved(path) in skip or _named_excluded(path, exclude):
            continue  # phiguard's own files, and excluded ones even when named (pre-commit)
        else:
            _add(Target(path, given), targets, seen)
    return targets, errors


def _add(target: Target, targets: list[Target], seen: set[Path]) -> None:
    key = target.path.absolute()
    if key not in seen:
        seen.add(key)
        targets.append(target)


def _walk(root: Path, exclude: list[str], skip: set[Path]) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and not _excluded(base / d, root, exclude)
                         and not (base / d / "CACHEDIR.TAG").is_file())  # phiguard's cache
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or reader_for(path) is None:
                continue
            if _excluded(path, root, exclude) or _resolved(path) in skip:
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
    return rel if given in (".", "./") else f"{given.rstrip('/')}/{rel}"
