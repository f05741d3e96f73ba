"""The Session: built once from the settings and the run's choices (baseline, every
occurrence), complete when built and never changed after; a worker process builds the same."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from phiguard import baseline as baselines
from phiguard import pipeline, runner, workers
from phiguard.config import Settings
from phiguard.pipeline import Session, load_rules

from .conftest import write

# MIS001 (limit 1 a draft) fires on each of these sentences.
REPEATED = ("Vaccines cause autism. Vaccines cause autism, so skip the MMR. "
            "Vaccines cause autism!")


def session(**choices: object) -> Session:
    settings = Settings()
    return Session(settings, load_rules(settings), **choices)  # type: ignore[arg-type]


def test_a_built_session_cannot_be_changed(checker: Session) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        checker.policy = dataclasses.replace(checker.policy, limits={})
    with pytest.raises(AttributeError, match="immutable"):
        checker.anything_new = 1
    with pytest.raises(AttributeError, match="immutable"):
        del checker.engine
    with pytest.raises(dataclasses.FrozenInstanceError):
        checker.policy.limits = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        checker.policy.baseline = object()  # type: ignore[misc]
    assert checker.policy.limits  # nothing above took


def test_the_policy_is_complete_when_built(checker: Session) -> None:
    assert checker.policy.limits == checker.engine.limits()
    assert checker.policy.baseline is None
    assert not checker.every_occurrence and not checker.show_matches


def test_every_occurrence_gives_no_limits(checker: Session) -> None:
    every = session(every_occurrence=True)
    assert every.policy.limits == {} and every.every_occurrence
    assert [f.rule for f in checker.check_text(REPEATED)].count("MIS001") == 1
    assert [f.rule for f in every.check_text(REPEATED)].count("MIS001") == 3


def test_a_session_built_with_a_baseline_holds_it_and_drops_what_it_accepts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(baselines.KEY_ENV, raising=False)
    path = tmp_path / "base.json"
    recorder = session(every_occurrence=True)
    recorded = recorder.check_text(REPEATED)
    baselines.create(path).write(recorded)
    loaded = baselines.load(path)
    known = session(baseline=loaded)
    assert known.policy.baseline is loaded
    assert known.check_text(REPEATED) == []
    assert known.check_text("Vaccines cause autism, so skip the MMR.") != []  # used up


@contextmanager
def _not_paused(freeze: bool = False) -> Iterator[None]:
    yield  # the test process's collector is left alone


def test_a_started_worker_builds_the_same_session_without_the_baseline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a spawned worker is given (workers.worker_spec) builds a session equal to this
    process's but for the baseline, which only this process applies (runner.py)."""
    monkeypatch.setattr(workers, "_worker_signals", lambda: None)
    monkeypatch.setattr(pipeline, "collector_paused", _not_paused)
    monkeypatch.setattr(workers, "_worker_session", None)
    for choices in ({"every_occurrence": True}, {"show_matches": True},
                    {"baseline": object()}):
        main = session(**choices)
        workers._start_worker(*workers.worker_spec(main))
        built = workers._worker_session
        assert built is not None and built is not main
        assert (built.settings, built.show_matches, built.every_occurrence) == (
            main.settings, main.show_matches, main.every_occurrence)
        assert built.policy == dataclasses.replace(main.policy, baseline=None)


def test_spawned_workers_give_the_same_report_with_a_baseline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers cannot be forked, each builds its session from the spec: the report
    (per-rule limits, the shared baseline) is the one of a single process."""
    monkeypatch.delenv(baselines.KEY_ENV, raising=False)
    rows = [REPEATED, "Congratulations to Maribel Castellano on finishing chemo!"]
    write(tmp_path / "posts.csv", "text\n" + "".join(
        f'"{rows[i % 2]} Post {i}."\n' for i in range(runner.BATCH_DRAFTS + 8)))
    known = tmp_path / "base.json"
    first = runner.check([str(tmp_path / "posts.csv")], Settings(), lambda: session(), 1)
    baselines.create(known).write(first.findings[:5])
    settings = Settings()

    def with_baseline() -> Session:
        return Session(settings, load_rules(settings), baseline=baselines.load(known))

    one = runner.check([str(tmp_path / "posts.csv")], settings, with_baseline, 1)
    specs = []

    def spec(built: Session) -> tuple[Settings, bool, bool]:
        specs.append(real_spec(built))
        return specs[-1]

    real_spec = workers.worker_spec
    monkeypatch.setattr(workers, "worker_spec", spec)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    two = runner.check([str(tmp_path / "posts.csv")], settings, with_baseline, 2)
    assert specs == [(settings, False, False)]  # the workers were started, not forked
    assert one.baselined == two.baselined == 5
    assert [f.as_dict() for f in one.findings] == [f.as_dict() for f in two.findings]
    # A baselined finding does not use up its rule's limit: a later occurrence shows instead.
    assert len(first.findings) - 5 < len(one.findings) < len(first.findings)
