"""The Python API: check texts or files from your own code, in one process or in many.

    from phiguard import api

    api.check_text("Congrats to Ana Ruiz on finishing chemo!", kind="post")
    api.check_texts([("Great visit!", {"kind": "review_reply"}), "Flu shots today."])
    api.check_paths(["drafts/"])

Each process builds its Session (model, rules, Presidio; pipeline.py) once, on first use,
and reuses it; worker processes (multiprocessing, Dask, Spark) each build their own. Calls
from several threads of one process take turns, since a spaCy pipeline is not safe to share
between threads. Findings are masked exactly as in the command's reports.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .models import Finding, Report

_lock = threading.Lock()
_sessions: dict[tuple[str | None, int], Any] = {}


def session(config: str | Path | None = None) -> Any:
    """This process's Session for a configuration file (None: the defaults)."""
    key = (str(config) if config else None, os.getpid())  # a forked child may inherit it
    with _lock:
        if key not in _sessions:
            from .config import load_settings
            from .pipeline import Session, collector_paused

            settings = load_settings(Path(config)) if config else None
            with collector_paused():
                _sessions[key] = Session.from_settings(settings)
        return _sessions[key]


def check_text(text: str, config: str | Path | None = None, **meta: Any) -> list[Finding]:
    """Findings in one draft. ``meta`` is the draft's metadata: kind ("post", "reply",
    "review_reply", "testimonial"), platform, consent, scheduled_at, sponsored, id."""
    return check_texts([(text, meta)], config)[0]


def check_texts(texts: Iterable[str | tuple[str, dict[str, Any]]],
                config: str | Path | None = None) -> list[list[Finding]]:
    """Findings for each of many drafts, in order: one batched NLP pass (much faster than a
    call per text). Each item is a text, or a (text, metadata) pair."""
    active = session(config)
    with _lock:
        return active.check_texts(texts)


def check_paths(paths: list[str], config: str | Path | None = None,
                jobs: int | None = 1) -> Report:
    """Check files and folders as `phiguard check` does (no cache); ``jobs`` as `-j`."""
    from . import runner

    active = session(config)
    with _lock:
        return runner.check(paths, active.settings, lambda: active, jobs)
