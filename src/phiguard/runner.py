"""Scheduling a check: cached files first, then the others streamed through the pipeline in
batches of drafts, in this process or in worker processes.

Drafts are read as they are needed (a CSV export row by row), so memory holds a few batches,
never the whole input. Worker processes do everything that depends on a draft alone (NLP,
rules, its suppressions); this process applies what all drafts share (the baseline, per-rule
limits, severity overrides), so results do not depend on how the work was split.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import assets
from .cache import Cache, FileResult
from .models import Draft, FileError, Finding, PhiguardError, ReadError, Report
from .suppressions import Screened
from .walk import Target, collect

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .config import Settings
    from .pipeline import Checker

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


def check(paths: list[str], settings: Settings, checker: Callable[[], Checker],
          jobs: int | None = 1, cache: Cache | None = None, skip: Iterable[Any] = (),
          progress: Progress | None = None) -> Report:
    """Check files and folders. ``checker`` is called only if some file is not cached, so a
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
        active = checker()
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
        result = results[index]
        report.files += 1
        report.drafts += result.drafts
        report.suppressed += result.suppressed
        report.baselined += result.baselined
        report.findings.extend(result.findings)
    report.findings.sort(key=Finding.sort_key)
    return report


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


def _analyse(checker: Checker, pending: list[_Pending], workers: int,
             failed: dict[int, FileError],
             on_draft: Callable[[int], None] | None = None) -> dict[int, FileResult]:
    """Each pending file's result; files that cannot be read go to ``failed``."""
    fresh = {item.index: FileResult([], 0) for item in pending}
    shown = {item.index: item.target.shown for item in pending}
    units = _units(pending, checker.settings, failed)
    screened = (_in_workers(checker, units, workers) if workers > 1
                else _in_this_process(checker, units))
    policy = checker.policy
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
                failed[index] = FileError(shown[index], _failure(exc, None).message)
    return fresh


def _settle(policy: Any, result: FileResult, screened: Screened) -> None:
    baselined = policy.baselined
    result.findings.extend(policy.settle(screened))
    result.drafts += 1
    result.suppressed += screened.suppressed
    result.baselined += policy.baselined - baselined


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
            failed[item.index] = FileError(item.target.shown, _failure(exc, None).message)
    if batch:
        yield batch


def _in_this_process(checker: Checker, units: Iterable[list[tuple[int, Draft]]]
                     ) -> Generator[tuple[int, Outcome], None, None]:
    """Units analysed here as one stream of drafts: starting ``screen`` afresh for every unit
    measured 5 % slower over 3,000 CSV drafts. A draft that breaks the stream fails alone: the
    drafts fed but not yet screened are retried one by one, then the stream starts again."""
    items = (item for unit in units for item in unit)
    while True:
        fed: deque[tuple[int, Draft]] = deque()
        try:
            for result in checker.screen(_feed(items, fed)):
                yield fed.popleft()[0], result
            return
        except Exception:
            yield from _one_by_one(checker, list(fed))


def _feed(items: Iterator[tuple[int, Draft]], fed: deque[tuple[int, Draft]]) -> Iterator[Draft]:
    """The drafts of ``items``, each noted in ``fed`` until its result comes back."""
    for item in items:
        fed.append(item)
        yield item[1]


def _one_by_one(checker: Checker, unit: list[tuple[int, Draft]]
                ) -> Iterator[tuple[int, Outcome]]:
    """Each draft screened on its own, so an exception names the one draft that raised it."""
    for index, draft in unit:
        try:
            outcome: Outcome = next(iter(checker.screen([draft])))
        except Exception as exc:
            outcome = _failure(exc, draft)
        yield index, outcome


def screen_unit(unit: list[tuple[int, Draft]]) -> list[tuple[int, Outcome]]:
    """NLP, rules and suppressions for a batch of drafts, in a worker process."""
    if _worker_checker is None:
        raise RuntimeError("worker process has no checker")
    try:
        screened = _worker_checker.screen([draft for _, draft in unit])
        return [(index, result) for (index, _), result in zip(unit, screened, strict=True)]
    except Exception:
        return list(_one_by_one(_worker_checker, unit))


# The checker a worker uses: inherited from this process when workers are forked (no model
# loaded twice), else built once per worker by _start_worker.
_worker_checker: Checker | None = None


def _start_worker(settings: Settings, show_matches: bool) -> None:
    global _worker_checker
    from .pipeline import Checker, collector_paused

    _worker_signals()
    with collector_paused(freeze=True):  # a worker process is ours alone
        _worker_checker = Checker.from_settings(settings, show_matches)


def _worker_signals() -> None:
    """A worker leaves interrupts to its parent (which stops it), ends on SIGTERM, and on Linux
    is sent SIGTERM when its parent dies, even by SIGKILL."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is inherited by fork
    parent = os.getppid()
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the parent's stop_workers still applies
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _in_workers(checker: Checker, units: Iterable[list[tuple[int, Draft]]],
                workers: int) -> Generator[tuple[int, Outcome], None, None]:
    """Units analysed in ``workers`` processes, results in input order. At most two units per
    worker are in flight, so a large export is never read ahead into memory. However this
    generator ends (an exception, an interrupt, being closed), no worker outlives it."""
    global _worker_checker
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        _worker_checker = checker
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_signals)
    else:
        pool = ProcessPoolExecutor(workers, initializer=_start_worker,
                                   initargs=(checker.settings, checker.engine.show_matches))
    finished = False
    try:
        window: deque[Future[list[tuple[int, Outcome]]]] = deque()
        for unit in units:
            window.append(pool.submit(screen_unit, unit))
            if len(window) >= 2 * workers:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
        finished = True
    except BrokenProcessPool:
        raise PhiguardError("a worker process ended unexpectedly (out of memory or killed); "
                            "nothing was reported for the files it held: run again, or with "
                            "-j 1") from None
    finally:
        _worker_checker = None
        if not finished:
            stop_workers(pool)
        pool.shutdown(wait=finished, cancel_futures=not finished)


def stop_workers(pool: Any) -> None:
    """End the pool's processes now, not after the work they hold (shutdown would wait)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()


def _too_long(draft: Draft, limit: int) -> str:
    where = ""
    if draft.segments and draft.lines is not None:
        where = f"line {draft.lines.position(draft.segments[0].source.file_offset(0))[0]}: "
    return (f"{where}draft is too long ({draft.length()} characters; the limit is {limit}, "
            "set with max_draft_chars)")


def _one_line(exc: ReadError) -> str:
    return f"line {exc.line}: {exc.message}" if exc.line else exc.message


@dataclass
class DraftFailure:
    """Why one draft could not be checked: its file becomes an error (picklable, so a worker
    process can return it)."""

    message: str


Outcome = Screened | DraftFailure


def _failure(exc: Exception, draft: Draft | None) -> DraftFailure:
    """One line for an exception raised while checking a draft. A PhiguardError says what is
    wrong; anything else is named by its type only, since its text may quote the draft."""
    if os.environ.get("PHIGUARD_DEBUG"):
        raise exc
    if isinstance(exc, PhiguardError):
        message = exc.message
    else:
        message = (f"could not be checked: internal error ({type(exc).__name__}); set "
                   "PHIGUARD_DEBUG=1 for details")
    line = _first_line(draft) if draft is not None else None
    return DraftFailure(f"line {line}: {message}" if line else message)


def _first_line(draft: Draft) -> int | None:
    if not draft.segments or draft.lines is None:
        return None
    return draft.lines.position(draft.segments[0].source.file_offset(0))[0]


def check_data(target: Target, data: bytes, settings: Settings,
               checker: Callable[[], Checker], meta: dict[str, Any] | None = None) -> Report:
    """One draft file given as its bytes (standard input, the web page), shown as
    ``target.shown`` and read by the reader its path's ending names; never cached (it has no
    file to key it on). ``meta`` replaces the drafts' own metadata for each key it has."""
    failed: dict[int, FileError] = {}
    active = checker()
    fresh = _analyse(active, [_Pending(0, target, data, meta=meta)], 1, failed)
    report = Report([], [failed[0]] if 0 in failed else [], rules=active.rules)
    if 0 not in failed:
        result = fresh[0]
        report.files, report.drafts = 1, result.drafts
        report.suppressed, report.baselined = result.suppressed, result.baselined
        report.findings = sorted(result.findings, key=Finding.sort_key)
    return report
