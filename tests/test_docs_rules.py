"""docs/rules.md followed step by step, as a new user would, through the real command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from .conftest import ROOT, run_cli, write

DOC = ROOT / "docs" / "rules.md"


def _worked_example(doc: str) -> tuple[str, str]:
    """The file the worked example names and the YAML it shows for it."""
    section = doc.split("## Worked example", 1)[1]
    name = re.search(r"In `([^`]+\.ya?ml)`:", section)[1]
    yaml_text = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)[1]
    return name, yaml_text


def _set_up_as_documented(tmp_path: Path, doc: str, yaml_text: str | None = None) -> None:
    name, example = _worked_example(doc)
    write(tmp_path / name, example if yaml_text is None else yaml_text)
    config = re.search(r"in `\.phiguard\.yaml`, `([^`]+)`", doc)[1]
    write(tmp_path / ".phiguard.yaml", config + "\n")


def test_worked_example_runs_exactly_as_documented(tmp_path: Path) -> None:
    doc = DOC.read_text("utf-8")
    _set_up_as_documented(tmp_path, doc)
    section = doc.split("## Worked example", 1)[1]
    command = re.search(r"```sh\n(.*?)\n```", section, re.DOTALL)[1]
    program, *args = shlex.split(command)
    assert program == "phiguard"
    proc = run_cli(*args, cwd=tmp_path)
    # The folder is both under rule_paths and on the command line: read once, all pass.
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^\d+ passed, 0 failed$", proc.stdout, re.MULTILINE), proc.stdout

    rule_id = re.search(r"`phiguard explain (\w+)`", section)[1]
    explained = run_cli("explain", rule_id, cwd=tmp_path)
    assert explained.returncode == 0, explained.stderr
    for key in ("description", "source", "fix"):  # what the doc says explain prints
        value = re.search(rf"^    {key}: (.+)$", _worked_example(doc)[1], re.MULTILINE)[1]
        assert value in explained.stdout
    listed = run_cli("rules", cwd=tmp_path)
    assert listed.returncode == 0 and rule_id in listed.stdout


def test_documented_validation_error_is_the_one_phiguard_prints(tmp_path: Path) -> None:
    doc = DOC.read_text("utf-8")
    quoted = re.search(r"with `severity: fatal` gives\n`([^`]+)`", doc)[1]
    path, line, message = quoted.split(":", 2)
    _, example = _worked_example(doc)
    _set_up_as_documented(tmp_path, doc, example.replace("severity: error", "severity: fatal"))
    proc = run_cli("test-rules", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"{path}:{line}:{message}"), lines
    assert "Traceback" not in proc.stderr
