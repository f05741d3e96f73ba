"""CI formats from the installed command: SARIF (schema-valid), GitHub annotations, JUnit."""

from __future__ import annotations

import json
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from .conftest import run_cli, write

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json")
                    .read_text("utf-8"))
REPLY = """---
platform: google_reviews
kind: review_reply
---
Teodora, our records show your MRN 00482913 and the bridge Dr. Varga advised.
"""
CLEAN = "Join us Saturday for the community 5K! Register at our front desk.\n"


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "content repo"
    (repo / "drafts").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write(repo / "drafts" / "reply é.md", REPLY)
    write(repo / "drafts" / "clean.txt", CLEAN)
    return repo


def sarif(repo: Path, *args: str) -> dict:
    proc = run_cli("check", "--format", "sarif", *args, cwd=repo / "drafts")
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_sarif_is_valid_and_repository_relative(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    document = sarif(repo, ".")
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    run = document["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert uris == {"drafts/reply%20%C3%A9.md"}
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "PHI001" in rule_ids
    phi001 = run["tool"]["driver"]["rules"][rule_ids.index("PHI001")]
    assert phi001["help"]["text"] and phi001["shortDescription"]["text"]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert "00482913" not in json.dumps(document)


def test_sarif_fingerprints_survive_unrelated_line_moves(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = {(r["ruleId"], r["partialFingerprints"]["phiguardFindingHash/v1"])
              for r in sarif(repo, ".")["runs"][0]["results"]}
    draft = repo / "drafts" / "reply é.md"
    draft.write_text(REPLY.replace("---\nTeodora", "---\n\n\nThank you!\n\nTeodora"), "utf-8")
    after_doc = sarif(repo, ".")
    after = {(r["ruleId"], r["partialFingerprints"]["phiguardFindingHash/v1"])
             for r in after_doc["runs"][0]["results"]}
    assert before == after
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in after_doc["runs"][0]["results"]}
    assert lines == {9}  # the findings did move
    assert all(len(fp) == 66 and "00482913" not in fp for _, fp in after)


def test_sarif_reports_unreadable_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "drafts" / "bad.md").write_bytes(b"Hello \xc3\x28 world\n")
    proc = run_cli("check", "--format", "sarif", ".", cwd=repo / "drafts")
    assert proc.returncode == 2
    document = json.loads(proc.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"]


def test_github_annotations_are_escaped_and_summarised(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write(repo / "drafts" / "a,b:c.md", REPLY)
    summary = tmp_path / "summary.md"
    proc = run_cli("check", ".", cwd=repo / "drafts",
                   env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=drafts/a%2Cb%3Ac.md,line=5,endLine=5,col=" in line for line in lines)
    assert any("title=phiguard PHI001 (phi)::" in line for line in lines)
    assert all("\n" not in line and "%0A" in line for line in lines)  # message + excerpt
    table = summary.read_text("utf-8")
    assert "| drafts/reply é.md | 5 | PHI001 | phi | error |" in table
    assert "00482913" not in proc.stdout + table


def test_junit_is_xml_with_one_failure_per_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    proc = run_cli("check", "--format", "junit", ".", cwd=repo / "drafts")
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    failures = root.findall(".//testcase/failure")
    assert failures and int(root.get("failures")) == len(failures)
    assert {f.get("type") for f in failures} >= {"PHI001"}
    clean = run_cli("check", "--format", "junit", "clean.txt", cwd=repo / "drafts")
    assert clean.returncode == 0
    assert ET.fromstring(clean.stdout).get("failures") == "0"


LEVELS = """rules:
  - id: ORG901
    category: advice
    severity: warning
    message: Says 5K
    kind: match
    pattern: {phrases: [5K]}
    tests: {fire: ["Our 5K!"], quiet: ["Our walk!"]}
  - id: ORG902
    category: advice
    severity: error
    message: Says front desk
    kind: match
    pattern: {phrases: [front desk]}
    tests: {fire: ["At the front desk."], quiet: ["At the desk."]}
"""


def junit_run(repo: Path, *args: str) -> tuple[int, ET.Element]:
    proc = run_cli("check", "--format", "junit", *args, "clean.txt", cwd=repo / "drafts")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, ET.fromstring(proc.stdout)


def test_junit_fails_only_what_fails_the_run(tmp_path: Path) -> None:
    """Findings below --fail-on are skipped cases with their severity, not failures."""
    repo = make_repo(tmp_path)
    write(repo / ".phiguard.yaml", "rule_paths: [org]\n")
    write(repo / "org" / "levels.yaml", LEVELS)
    # A warning only: the run passes, and so does the report.
    code, root = junit_run(repo, "--select", "ORG901")
    assert code == 0 and root.get("failures") == "0" and not root.findall(".//failure")
    skipped = root.findall(".//testcase/skipped")
    assert len(skipped) == 1 and root.get("skipped") == "1"
    assert skipped[0].get("message").startswith("warning (below --fail-on error): Says 5K")
    # A warning and an error: only the error fails.
    code, root = junit_run(repo, "--select", "ORG9")
    assert code == 1 and root.get("failures") == "1" and root.get("skipped") == "1"
    assert [f.get("type") for f in root.findall(".//testcase/failure")] == ["ORG902"]
    suite = root.find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    # With --fail-on warning, both fail the run and the report.
    code, root = junit_run(repo, "--select", "ORG9", "--fail-on", "warning")
    assert code == 1 and root.get("failures") == "2" and root.get("skipped") == "0"
    assert not root.findall(".//skipped")


def test_output_file_is_owner_only_and_stdout_empty(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    target = tmp_path / "report.sarif"
    proc = run_cli("check", "--format", "sarif", "-o", str(target), ".", cwd=repo / "drafts")
    assert proc.returncode == 1 and proc.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(target.read_text("utf-8")))


def test_format_auto_is_text_outside_github(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    proc = run_cli("check", ".", cwd=repo / "drafts")
    assert proc.returncode == 1 and not proc.stdout.startswith("::")
    assert "PHI001" in proc.stdout


@pytest.mark.unit
def test_docs_ci_snippets_are_valid_and_match_the_hook() -> None:
    import re

    import yaml

    from .conftest import ROOT

    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", doc, re.S)]
    precommit, action, actions, gitlab = blocks  # the action, then the same in plain steps
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert precommit["repos"][0]["hooks"][0]["id"] == hooks[0]["id"]
    assert any(s.get("uses", "").startswith("OWNER/phiguard@")
               for s in action["jobs"]["phiguard"]["steps"])
    steps = " ".join(str(s.get("run", "")) for s in actions["jobs"]["phiguard"]["steps"])
    assert "--format sarif" in steps and actions["permissions"]["security-events"] == "write"
    assert gitlab["phiguard"]["artifacts"]["reports"]["junit"] == "phiguard-junit.xml"
    assert gitlab["phiguard"]["artifacts"]["reports"]["codequality"] == (
        "gl-code-quality-report.json")
