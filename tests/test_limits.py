"""One bad file never sinks the run, workers end with the run, and the work per draft is
bounded (issue 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from phiguard import runner
from phiguard.config import Settings

from .conftest import AMBIENT, phiguard_command, run_cli, write

PATIENT = "Get well soon Quentin Marlowe, your knee surgery went great.\n"


def _one_error_line(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if name in line]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- item 1: an exception in one draft fails that file only -------------------------------------


@pytest.fixture
def exploding(checker, monkeypatch):
    """The rules raise on any draft that says BOOM, as a bug in one rule would."""
    original = checker.engine.check

    def check(analysis, only=None):
        if "BOOM" in analysis.text:
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
        return original(analysis, only)

    monkeypatch.setattr(checker.engine, "check", check)
    return checker


@pytest.mark.parametrize("jobs", [1, 2])
def test_exception_in_one_draft_fails_that_file_only(tmp_path, exploding, jobs):
    write(tmp_path / "a.txt", PATIENT)
    write(tmp_path / "b.md", "# Notes\n\nAll fine here.\n\nThen BOOM on this line.\n")
    write(tmp_path / "c.txt", PATIENT)
    report = runner.check([str(tmp_path)], exploding.settings, lambda: exploding, jobs)
    assert [e.path for e in report.errors] == [str(tmp_path / "b.md")]
    message = report.errors[0].message
    assert message.startswith("line 1: ") and "ValueError" in message  # where the draft starts
    assert "4300" not in message  # the exception's text may quote the draft: never shown
    assert {f.path for f in report.findings} == {str(tmp_path / "a.txt"),
                                                  str(tmp_path / "c.txt")}
    assert report.exit_code("error") == 2


def test_exception_mid_stream_keeps_the_drafts_around_it(tmp_path, exploding):
    """Drafts batched with the failing one are still checked, and so is the rest."""
    rows = ["text"] + [("BOOM now" if i == 5 else f"Row {i} mentions nothing.")
                       for i in range(150)]
    write(tmp_path / "export.csv", "\n".join(rows) + "\n")
    write(tmp_path / "z.txt", PATIENT)
    report = runner.check([str(tmp_path)], exploding.settings, lambda: exploding, 1)
    assert [(e.path, e.message.split(":")[0]) for e in report.errors] == [
        (str(tmp_path / "export.csv"), "line 7")]
    assert {f.path for f in report.findings} == {str(tmp_path / "z.txt")}
    assert report.files == 1


def test_reader_bug_fails_that_file_only(tmp_path, monkeypatch, checker):
    from phiguard.readers import text as text_reader

    def broken(path, shown, text, settings):
        raise ZeroDivisionError("a reader bug")

    monkeypatch.setattr(text_reader, "read_text_draft", broken)
    write(tmp_path / "a.txt", PATIENT)
    write(tmp_path / "b.md", PATIENT)
    report = runner.check([str(tmp_path)], checker.settings, lambda: checker, 1)
    assert [e.path for e in report.errors] == [str(tmp_path / "a.txt")]
    assert "ZeroDivisionError" in report.errors[0].message
    assert {f.path for f in report.findings} == {str(tmp_path / "b.md")}


def test_huge_numbers_and_impossible_dates_in_drafts(tmp_path):
    """A 5,000-digit number or a hexadecimal one (Python will not print either) and a date
    that does not exist: read as the text they are, refused by the field that needs them."""
    huge_hex = "0x" + "f" * 4000
    write(tmp_path / "hex.yaml", f"kind: post\nconsent: {huge_hex}\nbody: {PATIENT}")
    write(tmp_path / "long.yaml", f"kind: post\nid: {'1' * 5000}\nbody: Open house Tuesday.\n")
    write(tmp_path / "date.md", "---\nkind: post\nscheduled_at: 2027-02-30\n---\nSee you soon.\n")
    write(tmp_path / "ok.txt", PATIENT)
    proc = run_cli("check", "--no-cache", str(tmp_path))
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr
    assert "ok.txt:1:" in proc.stdout and "hex.yaml:3:" in proc.stdout
    assert "line 3" in _one_error_line(proc.stdout + proc.stderr, "date.md")
    assert "long.yaml" not in proc.stdout + proc.stderr  # checked: nothing to report


# -- item 2: the workers end with the run ----------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may never reap an orphan)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_workers(tmp_path, signum):
    rows = ["text"] + [f"Row {i}: Quentin Marlowe had knee surgery on 03/14/2024 so call "
                       f"555-010-{i % 10000:04d}." for i in range(3000)]
    for n in range(4):
        write(tmp_path / f"export{n}.csv", "\n".join(rows) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    proc = subprocess.Popen([*phiguard_command(), "check", "-j", "2", "--no-cache",
                             str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the workers never started"
        time.sleep(1.0)  # let them take up work
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _running(w)], "workers outlived the run"
        assert proc.returncode != 0
        assert "Traceback" not in stderr
        assert len(stderr.strip().splitlines()) == 1, stderr
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_broken_worker_pool_is_one_error(tmp_path, checker, monkeypatch):
    """A worker killed from outside (out of memory) ends the run with one line."""
    from phiguard import workers

    monkeypatch.setattr(workers, "screen_unit", _die)
    write(tmp_path / "a.txt", PATIENT)
    from phiguard.models import PhiguardError

    with pytest.raises(PhiguardError, match="worker process ended unexpectedly"):
        runner.check([str(tmp_path)], Settings(), lambda: checker, 2)


def _die(unit):
    os._exit(9)


# -- item 4: the work per draft is bounded ---------------------------------------------------


@pytest.mark.parametrize("unit,limit", [("\U0001F600", "run of more than"),
                                        ("1-", "run of more than"),
                                        ("1- ", "too many words and symbols"),
                                        ("\U0001F600 ", "too many words and symbols")])
def test_degenerate_draft_is_refused_naming_the_limit(checker, tmp_path, unit, limit):
    """Timing is in benchmarks/degenerate.py; here: refused with one line, others still run."""
    write(tmp_path / "a.txt", (unit * 60_000)[:99_000])
    write(tmp_path / "b.txt", PATIENT)
    report = runner.check([str(tmp_path)], checker.settings, lambda: checker, 1)
    assert [e.path for e in report.errors] == [str(tmp_path / "a.txt")]
    assert report.errors[0].message.startswith("line 1: ") and limit in report.errors[0].message
    assert {f.path for f in report.findings} == {str(tmp_path / "b.txt")}


def test_suffix_window_splits_like_spacy(checker):
    """Searching only a word's tail for its suffix changes no ordinary tokenization."""
    tokenizer = checker.analyzer.nlp.tokenizer.tokenizer
    from phiguard.analysis.nlp import SUFFIX_WINDOW

    text = ("Dr. O'Neil's 3rd visit (at 10:30am!!) cost $1,200.00... see https://ex.org/a?b=c "
            "\U0001F600\U0001F600 e-mail: q@ex.org; 5km/h 'quoted' \"double\".")
    words = [*text.split(), "x" * 50 + ")" * 20, "a" * (SUFFIX_WINDOW * 3) + "!?"]
    for word in words:
        assert [t.text for t in tokenizer(word)] == [
            t.text for t in checker.analyzer.nlp.tokenizer.tokenizer.__class__(
                tokenizer.vocab, tokenizer.rules, tokenizer.prefix_search,
                _original_suffix(checker), tokenizer.infix_finditer,
                tokenizer.token_match, tokenizer.url_match)(word)]


def _original_suffix(checker):
    import spacy

    nlp = spacy.blank("en")
    return nlp.tokenizer.suffix_search
