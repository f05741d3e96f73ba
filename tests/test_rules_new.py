"""`phiguard rules new` scaffolds a rule file whose examples `test-rules` runs once filled in."""

from __future__ import annotations

from pathlib import Path

from phiguard.config import Settings
from phiguard.pipeline import run_rule_tests

from .conftest import run_cli


def test_a_scaffolded_rule_passes_test_rules_once_filled_in(tmp_path: Path) -> None:
    made = run_cli("rules", "new", "ADV900", "--category", "advice", "--kind", "near",
                   "--folder", "org", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "org" / "adv900.yaml"
    text = path.read_text("utf-8")
    assert "tests:" in text and "kind: near" in text
    for todo, words in [("TODO first words", "miracle"), ("TODO second words", "tonic"),
                        ("TODO a draft it must flag", "Try our miracle tonic today."),
                        ("TODO a draft it must leave alone", "A miracle of a morning."),
                        ("TODO what is wrong, in a few words", "A miracle tonic")]:
        text = text.replace(todo, words)
    path.write_text(text, encoding="utf-8")
    # what `phiguard test-rules org` runs, in this process (the model is loaded once)
    failures, total = run_rule_tests(Settings(rule_paths=[tmp_path / "org"]))
    assert failures == [] and total > 2


def test_rules_new_refuses_an_unknown_category_or_kind_and_an_existing_file(
        tmp_path: Path) -> None:
    for args in (["--category", "nonsense", "--kind", "match"],
                 ["--category", "advice", "--kind", "teleport"]):
        proc = run_cli("rules", "new", "ADV901", *args, "--folder", "org", cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "nonsense" not in proc.stderr and "teleport" not in proc.stderr
    assert not (tmp_path / "org" / "adv901.yaml").exists()
    args = ["rules", "new", "ADV901", "--category", "advice", "--kind", "match", "--folder", "org"]
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    again = run_cli(*args, cwd=tmp_path)
    assert again.returncode == 2 and "adv901.yaml" in again.stderr
