"""Worker processes and streaming: the same report however the work is split, the baseline
shared across workers, and a bad row late in an export still fails the file."""

from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pytest

from phiguard import runner
from phiguard.config import Settings
from phiguard.pipeline import Session, collector_paused

from .conftest import ROOT, run_cli, write

ROWS = [
    "Congratulations to Maribel Castellano on finishing chemotherapy this week!",
    "Flu shots are available at all of our clinics this month. Walk-ins welcome.",
    "Take 800 mg of ibuprofen every 6 hours for the swelling, {name}.",
    "Meet Dr. Keiko Halvorsen, who joins our cardiology team this spring.",
    "Vaccines cause autism, so skip the MMR.",
]


def export(path: Path, rows: int, tail: str = "") -> Path:
    lines = ["text,platform"]
    for i in range(rows):
        text = ROWS[i % len(ROWS)].replace("{name}", f"Ana{i}")
        lines.append(f'"{text} Post {i}.",facebook')
    return write(path, "\n".join(lines) + "\n" + tail)


def test_workers_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    export(tmp_path / "examples" / "big.csv", 3 * runner.BATCH_DRAFTS + 5)
    one = run_cli("check", "--no-cache", "--format", "json", "-j", "1", "examples", cwd=tmp_path)
    two = run_cli("check", "--no-cache", "--format", "json", "-j", "2", "examples", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(two.stdout)["summary"]["drafts"] > 3 * runner.BATCH_DRAFTS


def test_the_baseline_is_shared_by_all_workers(tmp_path: Path) -> None:
    """The same finding in many batches is accepted as often as it was recorded, not once per
    worker."""
    write(tmp_path / ".phiguard.yaml", "baseline: base.json\n")
    same = "Congratulations to Maribel Castellano on finishing chemotherapy this week!"
    write(tmp_path / "posts.csv",
          "text\n" + "".join(f'"{same}"\n' for _ in range(2 * runner.BATCH_DRAFTS)))
    assert run_cli("baseline", "create", "posts.csv", cwd=tmp_path).returncode == 0
    quiet = run_cli("check", "--no-cache", "-j", "2", "posts.csv", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stdout
    write(tmp_path / "posts.csv", (tmp_path / "posts.csv").read_text("utf-8") + f'"{same}"\n')
    one_more = run_cli("check", "--no-cache", "--format", "json", "-j", "2", "posts.csv",
                       cwd=tmp_path)
    report = json.loads(one_more.stdout)
    # Only the row the baseline has not seen is reported.
    assert one_more.returncode == 1
    assert {f["line"] for f in report["findings"]} == {2 * runner.BATCH_DRAFTS + 2}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bad_row_after_many_good_ones_fails_the_file(tmp_path: Path, jobs: int) -> None:
    export(tmp_path / "late.csv", 2 * runner.BATCH_DRAFTS + 3, tail='"unclosed,facebook\nx\n')
    write(tmp_path / "ok.md", "Join us Saturday for the 5K!\n")
    proc = run_cli("check", "--no-cache", "--format", "json", "-j", str(jobs), ".", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [e["path"] for e in report["errors"]] == ["late.csv"]
    assert not [f for f in report["findings"] if f["path"] == "late.csv"]  # none half-checked
    assert report["summary"]["files"] == 1


@pytest.mark.unit
def test_drafts_are_read_as_they_are_consumed(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A large export is streamed: at most a few batches are held at once."""
    path = export(tmp_path / "stream.csv", 10 * runner.BATCH_DRAFTS)
    from phiguard.readers import csvfile

    produced = {"rows": 0}
    real = csvfile.iter_csv

    def counting(*args, **kwargs):
        for draft in real(*args, **kwargs):
            produced["rows"] += 1
            yield draft

    monkeypatch.setattr(csvfile, "iter_csv", counting)
    pending = [runner._Pending(0, runner.Target(path, "stream.csv"), None)]
    units = runner._units(pending, Settings(), {})
    next(units)
    assert produced["rows"] <= runner.BATCH_DRAFTS + 1
    assert sum(len(u) for u in units) + runner.BATCH_DRAFTS == 10 * runner.BATCH_DRAFTS


@pytest.mark.unit
def test_auto_jobs_stay_in_one_process_for_a_handful_of_files(tmp_path: Path) -> None:
    small = [runner._Pending(0, runner.Target(write(tmp_path / "a.md", "Hello!\n"), "a.md"),
                             None)]
    assert runner._workers(None, small) == 1
    big = export(tmp_path / "big.csv", 3000)
    assert big.stat().st_size >= runner.PARALLEL_MIN_BYTES
    pending = [runner._Pending(0, runner.Target(big, "big.csv"), None)]
    assert runner._workers(None, pending) == len(os.sched_getaffinity(0))
    assert runner._workers(3, small) == 3


def test_the_python_api_checks_paths_in_workers(checker: Session, tmp_path: Path) -> None:
    export(tmp_path / "posts.csv", runner.BATCH_DRAFTS + 10)
    one = runner.check([str(tmp_path)], checker.settings, lambda: checker, jobs=1)
    two = runner.check([str(tmp_path)], checker.settings, lambda: checker, jobs=2)
    assert [f.as_dict() for f in one.findings] == [f.as_dict() for f in two.findings]
    assert one.drafts == two.drafts == runner.BATCH_DRAFTS + 10


@pytest.mark.unit
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("freeze", [True, False])
def test_the_collector_is_paused_while_building_and_restored(enabled: bool,
                                                             freeze: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        before = gc.get_freeze_count()
        built = []
        with collector_paused(freeze=freeze):
            assert not gc.isenabled()
            built.extend([object()] for _ in range(1000))
        assert gc.isenabled() == enabled
        assert (gc.get_freeze_count() >= before + len(built)) == freeze
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
