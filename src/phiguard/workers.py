"""Where drafts are screened: in this process as one stream, or in batches in worker
processes (runner.py decides which, reads the batches and settles the results).

Either way the results come back in input order, one per draft, and a draft that cannot be
checked comes back as a DraftFailure naming only its line, never its text. No worker outlives
the run, however it ends.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import Draft, PhiguardError
from .suppressions import Screened

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .config import Settings
    from .pipeline import Session


@dataclass
class DraftFailure:
    """Why one draft could not be checked: its file becomes an error (picklable, so a worker
    process can return it)."""

    message: str


Outcome = Screened | DraftFailure


def failure(exc: Exception, draft: Draft | None) -> DraftFailure:
    """One line for an exception raised while checking a draft. A PhiguardError says what is
    wrong; anything else is named by its type only, since its text may quote the draft."""
    if os.environ.get("PHIGUARD_DEBUG"):
        raise exc
    if isinstance(exc, PhiguardError):
        message = exc.message
    else:
        message = (f"could not be checked: internal error ({type(exc).__name__}); set "
                   "PHIGUARD_DEBUG=1 for details")
    line = first_line(draft) if draft is not None else None
    return DraftFailure(f"line {line}: {message}" if line else message)


def first_line(draft: Draft) -> int | None:
    if not draft.segments or draft.lines is None:
        return None
    return draft.lines.position(draft.segments[0].source.file_offset(0))[0]


def in_this_process(session: Session, units: Iterable[list[tuple[int, Draft]]]
                    ) -> Generator[tuple[int, Outcome], None, None]:
    """Units analysed here as one stream of drafts: starting ``screen`` afresh for every unit
    measured 5 % slower over 3,000 CSV drafts. A draft that breaks the stream fails alone: the
    drafts fed but not yet screened are retried one by one, then the stream starts again."""
    items = (item for unit in units for item in unit)
    while True:
        fed: deque[tuple[int, Draft]] = deque()
        try:
            for result in session.screen(_feed(items, fed)):
                yield fed.popleft()[0], result
            return
        except Exception:
            yield from _one_by_one(session, list(fed))


def _feed(items: Iterator[tuple[int, Draft]], fed: deque[tuple[int, Draft]]) -> Iterator[Draft]:
    """The drafts of ``items``, each noted in ``fed`` until its result comes back."""
    for item in items:
        fed.append(item)
        yield item[1]


def _one_by_one(session: Session, unit: list[tuple[int, Draft]]
                ) -> Iterator[tuple[int, Outcome]]:
    """Each draft screened on its own, so an exception names the one draft that raised it."""
    for index, draft in unit:
        try:
            outcome: Outcome = next(iter(session.screen([draft])))
        except Exception as exc:
            outcome = failure(exc, draft)
        yield index, outcome


def screen_unit(unit: list[tuple[int, Draft]]) -> list[tuple[int, Outcome]]:
    """NLP, rules and suppressions for a batch of drafts, in a worker process."""
    if _worker_session is None:
        raise RuntimeError("worker process has no session")
    try:
        screened = _worker_session.screen([draft for _, draft in unit])
        return [(index, result) for (index, _), result in zip(unit, screened, strict=True)]
    except Exception:
        return list(_one_by_one(_worker_session, unit))


# The session a worker uses: inherited from this process when workers are forked (no model
# loaded twice), else built once per worker by _start_worker from worker_spec.
_worker_session: Session | None = None


def worker_spec(session: Session) -> tuple[Settings, bool, bool]:
    """What a started (not forked) worker builds its session from: the settings and the run's
    choices. Not the baseline: a worker only screens, and this process settles every draft
    against the one baseline the run shares (runner.py)."""
    return session.settings, session.show_matches, session.every_occurrence


def _start_worker(settings: Settings, show_matches: bool, every_occurrence: bool) -> None:
    global _worker_session
    from .pipeline import Session, collector_paused

    _worker_signals()
    with collector_paused(freeze=True):  # a worker process is ours alone
        _worker_session = Session.from_settings(settings, show_matches,
                                                every_occurrence=every_occurrence)


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


def in_workers(session: Session, units: Iterable[list[tuple[int, Draft]]],
               workers: int) -> Generator[tuple[int, Outcome], None, None]:
    """Units analysed in ``workers`` processes, results in input order. At most two units per
    worker are in flight, so a large export is never read ahead into memory. However this
    generator ends (an exception, an interrupt, being closed), no worker outlives it."""
    global _worker_session
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        _worker_session = session
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_signals)
    else:
        pool = ProcessPoolExecutor(workers, initializer=_start_worker,
                                   initargs=worker_spec(session))
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
        _worker_session = None
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
