"""The result cache: hits without spaCy, a miss on any change, corruption, parallel writers,
and nothing in it that identifies anyone."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from phiguard import cache as cache_module
from phiguard.baseline import Baseline
from phiguard.cache import ENTRY_FORMAT, Cache, FileResult, run_key
from phiguard.config import Settings
from phiguard.models import Finding
from phiguard.rules.loader import builtin_rules_dir

from .conftest import AMBIENT, phiguard_command, run_cli, run_process, write

PHI_POST = ("Congratulations to Thaddeus Vrbanek on finishing chemotherapy this week! "
            "Call his daughter at 555-201-8841. MRN 00482913.\n")
CLEAN_POST = "Flu shots are available at all of our clinics this month. Walk-ins welcome.\n"
SECRETS = ("Thaddeus", "Vrbanek", "555-201-8841", "2018841", "00482913")


def drafts(folder: Path) -> Path:
    write(folder / "drafts" / "phi.md", PHI_POST)
    write(folder / "drafts" / "clean.md", CLEAN_POST)
    write(folder / "drafts" / "export.csv", f'text,platform\n"{PHI_POST.strip()}",facebook\n')
    return folder / "drafts"


def entries(folder: Path) -> list[Path]:
    return sorted((folder / ".phiguard_cache").rglob("*.json"))


def without_spacy(folder: Path) -> dict[str, str]:
    """An environment in which importing spaCy fails: a run that needs the model exits 2."""
    poison = folder / "poison"
    write(poison / "spacy" / "__init__.py", "raise ImportError('spaCy was imported')\n")
    return {"PYTHONPATH": str(poison)}


@pytest.mark.e2e
def test_a_rerun_is_served_from_the_cache_without_loading_spacy(tmp_path: Path) -> None:
    """The re-runs are programs of their own, in which spaCy cannot be imported."""
    drafts(tmp_path)
    first = run_cli("check", "--format", "json", "drafts", cwd=tmp_path)
    assert first.returncode == 1 and len(entries(tmp_path)) == 3
    again = run_process("check", "--format", "json", "drafts", cwd=tmp_path,
                        env=without_spacy(tmp_path))
    assert (again.returncode, again.stdout) == (1, first.stdout), again.stderr
    # The poison is real: a miss must load spaCy, and fails closed.
    write(tmp_path / "drafts" / "clean.md", CLEAN_POST + "Bring a friend.\n")
    changed = run_process("check", "drafts", cwd=tmp_path, env=without_spacy(tmp_path))
    assert changed.returncode == 2 and "spaCy was imported" in changed.stderr


@pytest.mark.e2e
def test_sarif_from_the_cache_still_lists_the_rules(tmp_path: Path) -> None:
    drafts(tmp_path)
    first = run_cli("check", "--format", "sarif", "drafts", cwd=tmp_path)
    again = run_process("check", "--format", "sarif", "drafts", cwd=tmp_path,
                        env=without_spacy(tmp_path))
    assert again.stdout == first.stdout
    assert json.loads(again.stdout)["runs"][0]["tool"]["driver"]["rules"]


def test_a_changed_file_is_analysed_again(tmp_path: Path) -> None:
    drafts(tmp_path)
    run_cli("check", "drafts", cwd=tmp_path)
    write(tmp_path / "drafts" / "clean.md", PHI_POST)  # was clean, now has PHI
    proc = run_cli("check", "--format", "json", "drafts/clean.md", cwd=tmp_path)
    assert any(f["category"] == "phi" for f in json.loads(proc.stdout)["findings"])


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    drafts(tmp_path)
    proc = run_cli("check", "--no-cache", "drafts", cwd=tmp_path)
    assert proc.returncode == 1 and not (tmp_path / ".phiguard_cache").exists()
    # A poisoned entry is not read either.
    run_cli("check", "drafts", cwd=tmp_path)
    for entry in entries(tmp_path):
        entry.write_text(json.dumps({"format": ENTRY_FORMAT, "findings": [], "drafts": 1,
                                     "suppressed": 0, "baselined": 0}), "utf-8")
    assert run_cli("check", "drafts", cwd=tmp_path).returncode == 0  # the poison is served
    assert run_cli("check", "--no-cache", "drafts", cwd=tmp_path).returncode == 1


def test_show_matches_is_never_cached(tmp_path: Path) -> None:
    drafts(tmp_path)
    proc = run_cli("check", "--show-matches", "drafts", cwd=tmp_path)
    assert "Vrbanek" in proc.stdout and not entries(tmp_path)


def test_entries_hold_no_identifier_and_are_owner_only(tmp_path: Path) -> None:
    drafts(tmp_path)
    run_cli("check", "drafts", cwd=tmp_path)
    assert entries(tmp_path)
    for entry in entries(tmp_path):
        text = entry.read_text("utf-8")
        assert not [s for s in SECRETS if s in text], entry
        assert entry.stat().st_mode & 0o777 == 0o600
    cache_dir = tmp_path / ".phiguard_cache"
    assert (cache_dir / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert (cache_dir / "CACHEDIR.TAG").is_file()


def test_a_cache_folder_is_never_checked_as_drafts(tmp_path: Path) -> None:
    drafts(tmp_path)
    write(tmp_path / ".phiguard.yaml", "cache_dir: results-cache\n")
    first = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert list((tmp_path / "results-cache").rglob("*.json"))
    again = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(again.stdout)["summary"]["files"] == 3
    assert again.stdout == first.stdout


@pytest.mark.parametrize("damage", [
    b"", b"{not json", b'{"findings": [{"path": 1}]}', b'{"findings": "x", "drafts": 1}',
    b"\xff\xfe\x00garbage",
    json.dumps({"format": ENTRY_FORMAT, "findings": [], "drafts": "many"}).encode(),
    b"[1, 2]", b'{"format": 999, "findings": [], "drafts": 0, "suppressed": 0, "baselined": 0}',
    json.dumps({"format": ENTRY_FORMAT, "drafts": 1, "suppressed": 0, "baselined": 0, "findings": [
        {"path": "x", "line": "one", "column": 1, "end_line": 1, "end_column": 2, "rule": "R",
         "category": "phi", "severity": "error", "message": "m", "excerpt": "e",
         "scope": "body"}]}).encode(),
])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path, damage: bytes) -> None:
    drafts(tmp_path)
    first = run_cli("check", "--format", "json", "drafts", cwd=tmp_path)
    for entry in entries(tmp_path):
        entry.write_bytes(damage)
    again = run_cli("check", "--format", "json", "drafts", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout), again.stderr
    for entry in entries(tmp_path):
        assert json.loads(entry.read_text("utf-8"))["format"] == cache_module.ENTRY_FORMAT


# -- the key ---------------------------------------------------------------------------------


def key_after(tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The run key after one change to what findings depend on."""
    rules = tmp_path / "org-rules"
    write(rules / "house.yaml", "rules: []\n")
    settings = Settings(rule_paths=[rules])
    registry = write(tmp_path / "consents.yaml", "consents: []\n")
    if change == "settings":
        settings.org = {"name": "Example Health"}
    elif change == "select":
        settings.select = ["phi"]
    elif change == "rule file":
        write(rules / "house.yaml", "rules: []  # edited\n")
    elif change == "rule added":
        write(rules / "lexicons" / "more.yaml", "lexicons: {}\n")
    elif change == "consent registry":
        settings.consent_registry = registry
    elif change == "phiguard version":
        monkeypatch.setattr(cache_module, "__version__", "99.0")
    elif change == "model":
        monkeypatch.setattr(cache_module, "_model_version", lambda model: "3.9.9")
    elif change in ("library", "regex engine"):
        changed = "presidio-analyzer" if change == "library" else "regex"
        real = cache_module._version
        monkeypatch.setattr(cache_module, "_version",
                            lambda name: "9.9" if name == changed else real(name))
    baseline = None
    if change == "baseline":
        baseline = Baseline(write(tmp_path / "b.json", "{}"), b"k" * 32, {})  # type: ignore[arg-type]
    return run_key(settings, [builtin_rules_dir(), *settings.rule_paths], baseline)


CHANGES = ["settings", "select", "rule file", "rule added", "consent registry",
           "phiguard version", "model", "library", "regex engine", "baseline"]


@pytest.mark.unit
@pytest.mark.parametrize("change", CHANGES)
def test_every_input_of_the_findings_is_in_the_key(tmp_path: Path, change: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    unchanged = key_after(tmp_path, "nothing", monkeypatch)
    assert key_after(tmp_path, "nothing", monkeypatch) == unchanged  # stable
    assert key_after(tmp_path, change, monkeypatch) != unchanged


@pytest.mark.unit
def test_the_consent_date_is_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Consents expire: with a registry, yesterday's results are not today's."""
    import datetime as dt

    settings = Settings(consent_registry=write(tmp_path / "consents.yaml", "consents: []\n"))
    today = run_key(settings, [builtin_rules_dir()])

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2099, 1, 1)

    monkeypatch.setattr(cache_module.dt, "date", Tomorrow)
    assert run_key(settings, [builtin_rules_dir()]) != today


@pytest.mark.unit
def test_path_and_content_are_in_the_entry_name(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "run")
    result = FileResult([Finding("a.md", 1, 1, 1, 5, "PHI001", "phi", "error", "m", "x")], 1)
    cache.put("a.md", b"text", result)
    assert cache.get("a.md", b"text") == result
    assert cache.get("b.md", b"text") is None
    assert cache.get("a.md", b"text!") is None
    assert Cache(tmp_path, "other run").get("a.md", b"text") is None


# -- many writers ----------------------------------------------------------------------------


def _hammer(args: tuple[str, int]) -> int:
    """Write and read the same entries many times; count reads that saw a partial entry."""
    folder, worker = args
    cache = Cache(Path(folder), "run")
    partial = 0
    for i in range(200):
        findings = [Finding("a.md", n, 1, n, 2, "PHI001", "phi", "error", "m" * 500, "x")
                    for n in range(1 + (i + worker) % 7)]
        cache.put("a.md", b"same", FileResult(findings, len(findings)))
        seen = cache.get("a.md", b"same")
        if seen is None or len(seen.findings) != seen.drafts:
            partial += 1
    return partial


@pytest.mark.unit
def test_parallel_writers_never_leave_a_partial_entry(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        partial = sum(pool.map(_hammer, [(str(tmp_path), w) for w in range(4)]))
    assert partial == 0
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind


@pytest.mark.e2e
def test_parallel_hooks_on_one_cache_agree(tmp_path: Path) -> None:
    """pre-commit runs hooks in parallel: several checks filling one cache at once."""
    folder = drafts(tmp_path)
    reference = run_cli("check", "--no-cache", "--format", "json", "drafts", cwd=tmp_path).stdout
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    runs = [subprocess.Popen([*phiguard_command(), "check", "--format", "json", "drafts"],
                             cwd=tmp_path, stdout=subprocess.PIPE, text=True, env=env)
            for _ in range(3)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert outputs == [reference] * 3
    assert len(entries(tmp_path)) == len(list(folder.iterdir()))
    assert run_cli("check", "--format", "json", "drafts", cwd=tmp_path).stdout == reference


# -- a cache folder that is not ours alone -----------------------------------------------------


def _symlinked(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".phiguard_cache").symlink_to(elsewhere, target_is_directory=True)
    return elsewhere


def _dangling(tmp_path: Path) -> Path:
    (tmp_path / ".phiguard_cache").symlink_to(tmp_path / "planted")
    return tmp_path / "planted"


def _foreign(tmp_path: Path) -> Path:
    folder = tmp_path / ".phiguard_cache"
    folder.mkdir(mode=0o700)
    os.chown(folder, os.geteuid() + 4242, -1)
    return folder


def _shared(tmp_path: Path) -> Path:
    folder = tmp_path / ".phiguard_cache"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


@pytest.mark.parametrize("plant", [
    _symlinked, _dangling,
    pytest.param(_foreign, marks=pytest.mark.skipif(os.geteuid() != 0, reason="needs chown")),
    _shared,
])
def test_a_cache_folder_not_ours_alone_is_not_used(tmp_path: Path, plant) -> None:
    """A symlinked, foreign or shared `.phiguard_cache` is neither written nor read: the run
    goes on uncached, says so once, and reports exactly what an uncached run reports."""
    drafts(tmp_path)
    reference = run_cli("check", "--no-cache", "--format", "json", "drafts", cwd=tmp_path)
    target = plant(tmp_path)
    for _ in range(2):  # the second run would be served from a cache, had one been written
        proc = run_cli("check", "--format", "json", "drafts", cwd=tmp_path)
        assert (proc.returncode, proc.stdout) == (1, reference.stdout)
        warnings = proc.stderr.splitlines()
        assert len(warnings) == 1 and ".phiguard_cache" in warnings[0], proc.stderr
        assert "without the cache" in warnings[0] and "Traceback" not in proc.stderr
        assert not target.exists() or list(target.iterdir()) == []


def test_an_entry_is_never_served_from_a_cache_folder_not_ours(tmp_path: Path) -> None:
    """Entries planted in a shared folder (a forged clean result) are not read."""
    drafts(tmp_path)
    run_cli("check", "drafts", cwd=tmp_path)
    for entry in entries(tmp_path):
        entry.write_text(json.dumps({"format": ENTRY_FORMAT, "findings": [], "drafts": 1,
                                     "suppressed": 0, "baselined": 0}), "utf-8")
    (tmp_path / ".phiguard_cache").chmod(0o777)  # anyone could have written those
    assert run_cli("check", "drafts", cwd=tmp_path).returncode == 1


# -- the key is made of the bytes analysed -------------------------------------------------


def test_a_file_edited_during_a_check_cannot_poison_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checker) -> None:
    """The file changes right after its bytes are read for the key (the race, made certain):
    the findings stored under that key must be those of those bytes, not of the new text."""
    from phiguard import runner

    draft = write(tmp_path / "post.md", PHI_POST)
    read_for_key = runner._content

    def edited_meanwhile(target: runner.Target) -> bytes | None:
        content = read_for_key(target)
        draft.write_text(CLEAN_POST, "utf-8")  # someone saves a clean version now
        return content

    monkeypatch.setattr(runner, "_content", edited_meanwhile)
    cache = Cache(tmp_path / "cache", "run")
    report = runner.check([str(draft)], checker.settings, lambda: checker, 1, cache)
    assert any(f.category == "phi" for f in report.findings)  # what was read was analysed
    stored = cache.get(str(draft), PHI_POST.encode())
    assert stored is not None and any(f.category == "phi" for f in stored.findings)
    # Restoring the PHI text (the same bytes as the key) is not served a clean result.
    draft.write_text(PHI_POST, "utf-8")
    monkeypatch.setattr(runner, "_content", read_for_key)
    again = runner.check([str(draft)], checker.settings, lambda: checker, 1, cache)
    assert any(f.category == "phi" for f in again.findings)
