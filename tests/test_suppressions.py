"""Inline and whole-draft suppressions, per-file ignores and severity overrides, via the CLI."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_cli, run_json, write

STORY = "Congratulations to Maria Delgado on finishing chemotherapy!"
HEAD = "---\nplatform: facebook\n---\n"


def rules_at(report: dict) -> set[tuple[str, int]]:
    return {(f["rule"], f["line"]) for f in report["findings"]}


def test_disable_next_line_silences_only_the_named_rule_on_that_line(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.md", HEAD + (
        "<!-- phiguard-disable-next-line PHI002, CON001 -- authorization #1234 -->\n"
        f"{STORY}\n\n"
        f"{STORY.replace('Maria Delgado', 'Ana Ruiz')}\n"))
    code, report = run_json(str(draft))
    assert code == 1
    assert ("PHI002", 7) in rules_at(report) and ("CON001", 7) in rules_at(report)
    assert not [f for f in report["findings"] if f["line"] == 5]
    assert not [f for f in report["findings"] if f["category"] == "suppression"]


def test_disable_enable_range_in_html(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.html", (
        "<p>Intro.</p>\n<!-- phiguard-disable phi consent -- signed release -->\n"
        f"<p>{STORY}</p>\n<!-- phiguard-enable phi consent -->\n"
        f"<p>{STORY.replace('Maria Delgado', 'Ana Ruiz')}</p>\n"))
    _, report = run_json(str(draft))
    assert {line for _, line in rules_at(report)} == {5}


def test_bad_and_unused_suppressions_are_reported(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.md", (
        "<!-- phiguard-disable-next-line -->\nHello.\n\n"
        "<!-- phiguard-disable-next-line NOPE123 -->\nHello.\n\n"
        "<!-- phiguard-disable-next-line PHI002 -->\nSee you at the 5K on Saturday.\n"))
    code, report = run_json(str(draft))
    assert code == 1
    assert rules_at(report) == {("SUP001", 1), ("SUP001", 4), ("SUP002", 7)}
    assert "NOPE123" in next(f["message"] for f in report["findings"] if f["line"] == 4)
    # An unused suppression is a warning; ignoring the category turns the check off.
    _, quiet = run_json(str(draft), "--ignore", "suppression")
    assert quiet["findings"] == []


def test_unused_is_not_reported_for_a_rule_that_is_not_selected(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.md",
                  "<!-- phiguard-disable-next-line PHI002 -->\nSee you at the 5K.\n")
    code, report = run_json(str(draft), "--select", "CIT,suppression")
    assert code == 0 and report["findings"] == []


def test_front_matter_ignore_covers_the_whole_draft(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.md", ("---\nplatform: facebook\nphiguard:\n"
                                      "  ignore: [phi, consent]\n  reason: signed release\n---\n"
                                      f"{STORY}\n"))
    code, report = run_json(str(draft))
    assert code == 0 and report["findings"] == []


def test_record_field_and_csv_column_ignore_one_draft(tmp_path: Path) -> None:
    posts = write(tmp_path / "posts.yaml", (
        "- text: " + STORY + "\n  platform: facebook\n  phiguard: {ignore: [phi, consent]}\n"
        "- text: " + STORY + "\n  platform: facebook\n"))
    _, report = run_json(str(posts))
    assert {f["line"] for f in report["findings"]} == {4}
    export = write(tmp_path / "export.csv", (
        "text,platform,phiguard_ignore\n"
        f"{STORY},facebook,\"phi, consent\"\n{STORY},facebook,\n"))
    _, report = run_json(str(export))
    assert {f["line"] for f in report["findings"]} == {3}
    assert {f["rule"] for f in report["findings"]} >= {"PHI002", "CON001"}


def test_per_file_ignores_and_severity_overrides(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", ('per_file_ignores:\n  "training/*": [phi, consent]\n'
                                        "severity:\n  CON001: warning\n"))
    write(tmp_path / "training" / "t.md", HEAD + STORY + "\n")
    write(tmp_path / "posts" / "p.md", HEAD + STORY + "\n")
    code, report = run_json(".", cwd=tmp_path)
    assert code == 1
    found = {(f["path"], f["rule"], f["severity"]) for f in report["findings"]}
    assert found == {("posts/p.md", "PHI002", "error"), ("posts/p.md", "CON001", "warning")}


def test_unknown_rule_in_configuration_names_file_and_line(tmp_path: Path) -> None:
    config = write(tmp_path / ".phiguard.yaml", "fail_on: error\nseverity:\n  ZZZ9: info\n")
    write(tmp_path / "p.md", "Hello.\n")
    proc = run_cli("check", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"phiguard: error: {config}:2: severity: 'ZZZ9' names no rule id, id prefix or "
        "category"]
