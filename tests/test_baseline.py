"""Baselines from the installed command: accept today's findings, report only new ones."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from .conftest import run_cli, run_json, write

HEAD = "---\nplatform: facebook\n---\n"
STORY = "Congratulations to Maria Delgado, MRN 48213377, on finishing chemotherapy!\n"
OTHER = "Our patient Ana Ruiz had knee surgery last week.\n"


def test_baseline_hides_known_findings_and_survives_line_moves(tmp_path: Path) -> None:
    draft = write(tmp_path / "drafts" / "a.md", HEAD + STORY)
    created = run_cli("baseline", "create", "drafts", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    baseline = tmp_path / ".phiguard-baseline.json"
    key = tmp_path / ".phiguard-baseline.json.key"
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    recorded = json.loads(baseline.read_text("utf-8"))["findings"]
    assert recorded and all(set(e) == {"path", "rule", "fingerprint"} for e in recorded)

    code, report = run_json("--baseline", str(baseline), "drafts", cwd=tmp_path)
    assert code == 0 and report["findings"] == []

    draft.write_text(HEAD + "\n\nA note first.\n\n" + STORY + "\n" + OTHER, "utf-8")
    code, report = run_json("--baseline", str(baseline), "drafts", cwd=tmp_path)
    assert code == 1
    assert {f["line"] for f in report["findings"]} == {10}  # only the new patient


def test_baseline_holds_no_identifier_and_needs_its_key(tmp_path: Path) -> None:
    write(tmp_path / "a.md", HEAD + STORY)
    assert run_cli("baseline", "create", "--file", "b.json", "a.md", cwd=tmp_path).returncode == 0
    text = (tmp_path / "b.json").read_text("utf-8")
    for secret in ("48213377", "Maria", "Delgado", "chemotherapy"):
        assert secret not in text
    (tmp_path / "b.json.key").unlink()
    proc = run_cli("check", "--baseline", "b.json", "a.md", cwd=tmp_path)
    assert proc.returncode == 2 and "no baseline key" in proc.stderr
    # A different key is an error, never "everything is new" or "everything is known".
    proc = run_cli("check", "--baseline", "b.json", "a.md", cwd=tmp_path,
                   env={"PHIGUARD_BASELINE_KEY": "another key"})
    assert proc.returncode == 2 and "another key" in proc.stderr


def test_key_from_environment_is_not_written(tmp_path: Path) -> None:
    write(tmp_path / "a.md", HEAD + STORY)
    env = {"PHIGUARD_BASELINE_KEY": "ci-secret"}
    assert run_cli("baseline", "create", "a.md", cwd=tmp_path, env=env).returncode == 0
    assert not (tmp_path / ".phiguard-baseline.json.key").exists()
    proc = run_cli("check", "--baseline", ".phiguard-baseline.json", "a.md", cwd=tmp_path,
                   env=env)
    assert proc.returncode == 0


def test_update_adds_new_and_drops_fixed(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.md", HEAD + STORY)
    assert run_cli("baseline", "create", "a.md", cwd=tmp_path).returncode == 0
    assert run_cli("baseline", "create", "a.md", cwd=tmp_path).returncode == 2  # exists
    draft.write_text(HEAD + OTHER, "utf-8")
    updated = run_cli("baseline", "update", "a.md", cwd=tmp_path)
    assert updated.returncode == 0, updated.stderr
    code, _ = run_json("--baseline", ".phiguard-baseline.json", "a.md", cwd=tmp_path)
    assert code == 0
    draft.write_text(HEAD + STORY, "utf-8")
    code, _ = run_json("--baseline", ".phiguard-baseline.json", "a.md", cwd=tmp_path)
    assert code == 1


def test_baseline_from_configuration_and_broken_baseline(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "baseline: accepted.json\n")
    write(tmp_path / "a.md", HEAD + STORY)
    assert run_cli("baseline", "create", ".", cwd=tmp_path).returncode == 0
    code, report = run_json(".", cwd=tmp_path)
    assert code == 0 and report["errors"] == []  # the baseline is not read as a draft
    (tmp_path / "accepted.json").write_text("{not json", "utf-8")
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "accepted.json:1: invalid baseline JSON" in proc.stderr
