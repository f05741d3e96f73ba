"""Repository-relative paths for CI formats (SARIF, GitHub annotations)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def repository_root() -> Path:
    """The enclosing git work tree (GITHUB_WORKSPACE inside Actions), else the current folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and Path(workspace).is_dir():
        return Path(workspace).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def relative_to_root(path: str) -> str:
    """``path`` relative to the repository root, with forward slashes."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(repository_root()).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, repository_root())).as_posix()
