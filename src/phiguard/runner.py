"""Scheduling a check: cached files first, then the others streamed through the pipeline in
batches of drafts, in this process or in worker processes (workers.py).

Drafts are read as they are needed (a CSV export row by row), so memory holds a few batches,
never the whole input. Worker processes do everything that depends on a draft alone (NLP,
rules, its suppressions); this process applies what all drafts share (the baseline, per-rule
limits, severity overrides), so results do not depend on how the work was split.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import assets
from .cache import Cache, FileResult
from .models import Draft, FileError, Finding, ReadError, Report
from .suppressions import Policy, Screened
from .walk import Target, collect
from .workers import DraftFailure, failure, first_line, in_this_process, in_workers

if TYPE_CHECKING:
    from .config import Settings
    from .pipeline import Session

BATCH_DRAFTS = 64  # drafts per unit of work: one nlp.pipe batch
# Below this much input to analyse, starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 128 * 1024


@dataclass
class _Pending:
    index: int
    target: Target
    content: bytes | None  # the bytes analysed, as the cache key read them; None: no cache
    key: bytes | None = None  # the cache key: the content and the images it references
    meta: dict[str, Any] | None = None  # metadata chosen outside the file (readers.iter_drafts)


# Told how far a run is: (files done, files to check, drafts analysed). The command draws it;
# this module only counts.
Progress = Callable[[int, int, int], None]


def check(paths: list[str], settings: Settings, session: Callable[[], Session],
          jobs: int | None = 1, cache: Cache | None = None, skip: Iterable[Any] = (),
          progress: Progress | None = None) -> Report:
    """Check files and folders. ``session`` is called only if some file is not cached, so a
    run with every result cached never loads the model. ``jobs``: worker processes, or None
    for as many as there are CPUs when the input is large enough to gain from them.
    ``progress`` is told how far the run is, once before the analysis and after each draft."""
    # ``skip``: files this run writes (its report), never read back as drafts
    targets, errors = collect(paths, settings.exclude, settings.files_to_skip() | set(skip),
                              settings.rule_paths)
    results: dict[int, FileResult] = {}
    pending: list[_Pending] = []
    for index, target in enumerate(targets):
        content = _content(target) if cache is not None else None
        # the images a draft references are part of what its findings depend on (assets.py)
        key = content + assets.key_of(target.path, content) if content else None
        hit = cache.get(target.shown, key) if cache is not None and key else None
        if hit is not None:
            results[index] = hit
        else:
            pending.append(_Pending(index, target, content, key))
    failed: dict[int, FileError] = {}
    rules = None
    tally = _Tally(progress, len(targets), len(results)) if progress else None
    if pending:
        if tally:
            tally.tell()
        active = session()
        rules = active.rules
        fresh = _analyse(active, pending, _workers(jobs, pending), failed,
                         tally.draft if tally else None)
        for item in pending:
            if item.index in failed:
                continue
            results[item.index] = fresh[item.index]
            if cache is not None and item.key is not None:
                cache.put(item.target.shown, item.key, fresh[item.index])
    if tally:
        tally.finish()
    report = Report([], [*errors, *(failed[i] for i in sorted(failed))], rules=rules)
    for index in sorted(results):
        _add(report, results[index])
    report.findings.sort(key=Finding.sort_key)
    return report


def _add(report: Report, result: FileResult) -> None:
    """One checked file's counts and findings, added to the run's report."""
    report.files += 1
    report.drafts += result.drafts
    report.suppressed += result.suppressed
    report.baselined += result.baselined
    report.findings.extend(result.findings)


def _content(target: Target) -> bytes | None:
    """The file's bytes for its cache key; None for what only the reader may open (a FIFO
    would block) or cannot be read (reading it for real reports the problem)."""
    try:
        if not stat.S_ISREG(target.path.stat().st_mode):
            return None
        return target.path.read_bytes()
    except OSError:
        return None


def _workers(jobs: int | None, pending: list[_Pending]) -> int:
    if jobs is not None:
        return max(jobs, 1)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    size = sum(_size(p) for p in pending)
    return (cpus or 1) if size >= PARALLEL_MIN_BYTES else 1


def _size(item: _Pending) -> int:
    if item.content is not None:
        return len(item.content)
    try:
        return item.target.path.stat().st_size
    except OSError:
        return 0


@dataclass
class _Tally:
    """Files and drafts done, for a Progress callback. Results come in input order, so a
    draft of a later file means the files before it are done."""

    report: Progress
    total: int
    files: int = 0
    drafts: int = 0
    current: int | None = None

    def tell(self) -> None:
        self.report(self.files, self.total, self.drafts)

    def draft(self, index: int) -> None:
        if self.current is not None and index != self.current:
            self.files += 1
        self.current = index
        self.drafts += 1
        self.tell()

    def finish(self) -> None:
        self.files = self.total
        self.tell()


def _analyse(session: Session, pending: list[_Pending], workers: int,
             failed: dict[int, FileError],
             on_draft: Callable[[int], None] | None = None) -> dict[int, FileResult]:
    """Each pending file's result; files that cannot be read go to ``failed``."""
    fresh = {item.index: FileResult([], 0) for item in pending}
    shown = {item.index: item.target.shown for item in pending}
    units = _units(pending, session.settings, failed)
    screened = (in_workers(session, units, workers) if workers > 1
                else in_this_process(session, units))
    policy = session.policy
    with closing(screened):  # stops the workers at once if this loop is interrupted
        for index, outcome in screened:
            if on_draft is not None:
                on_draft(index)
            if index in failed:  # one draft that cannot be checked fails its whole file
                continue
            if isinstance(outcome, DraftFailure):
                failed[index] = FileError(shown[index], outcome.message)
                continue
            try:
                _settle(policy, fresh[index], outcome)
            except Exception as exc:
                failed[index] = FileError(shown[index], failure(exc, None).message)
    return fresh


def _settle(policy: Policy, result: FileResult, screened: Screened) -> None:
    kept, baselined = policy.settle_counted(screened)
    result.findings.extend(kept)
    result.drafts += 1
    result.suppressed += screened.suppressed
    result.baselined += baselined


def _units(pending: list[_Pending], settings: Settings,
           failed: dict[int, FileError]) -> Iterator[list[tuple[int, Draft]]]:
    """Batches of (file, draft), read as they are consumed."""
    from .readers import iter_drafts

    batch: list[tuple[int, Draft]] = []
    for item in pending:
        try:
            # The bytes the cache key was made of, not a second read: a file edited meanwhile
            # must not have its findings stored under the key of content never analysed.
            for draft in iter_drafts(item.target.path, item.target.shown, settings,
                                     item.content, item.meta):
                if draft.length() > settings.max_draft_chars:
                    raise ReadError(_too_long(draft, settings.max_draft_chars), item.target.shown)
                batch.append((item.index, draft))
                if len(batch) >= BATCH_DRAFTS:
                    yield batch
                    batch = []
        except ReadError as exc:
            # Drafts of this file already in flight are analysed, and their results dropped.
            failed[item.index] = FileError(item.target.shown, _one_line(exc))
        except Exception as exc:  # a reader's bug fails this file, not the run
            failed[item.index] = FileError(item.target.shown, failure(exc, None).message)
    if batch:
        yield batch


def _too_long(draft: Draft, limit: int) -> str:
    line = first_line(draft)
    where = f"line {line}: " if line else ""
    return (f"{where}draft is too long ({draft.length()} characters; the limit is {limit}, "
            "set with max_draft_chars)")


def _one_line(exc: ReadError) -> str:
    return f"line {exc.line}: {exc.message}" if exc.line else exc.message


def check_data(target: Target, data: bytes, settings: Settings,
               session: Callable[[], Session], meta: dict[str, Any] | None = None) -> Report:
    """One draft file given as its bytes (standard input, the web page), shown as
    ``target.shown`` and read by the reader its path's ending names; never cached (it has no
    file to key it on). ``meta`` replaces the drafts' own metadata for each key it has."""
    failed: dict[int, FileError] = {}
    active = session()
    fresh = _analyse(active, [_Pending(0, target, data, meta=meta)], 1, failed)
    report = Report([], [failed[0]] if 0 in failed else [], rules=active.rules)
    if 0 not in failed:
        _add(report, fresh[0])
        report.findings.sort(key=Finding.sort_key)
    return report
