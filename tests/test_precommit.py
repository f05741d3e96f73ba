"""The real pre-commit installs the hook from this working tree and gates real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import AMBIENT, ROOT, write

pytestmark = pytest.mark.e2e

HOOK_FILES = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "rules"]
CLEAN = "---\nplatform: facebook\n---\nJoin us Saturday for the community 5K!\n"
PHI = ("---\nplatform: google_reviews\nkind: review_reply\n---\n"
       "Teodora, our records show your MRN 00482913 and the bridge Dr. Varga advised.\n")


def git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=Test Author", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1800)


def hook_repository(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """This working tree (as it is now, committed or not) as a git repository pre-commit can
    clone at a revision."""
    repo = tmp_path / "phiguard-hook"
    repo.mkdir()
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    assert git(repo, "init", "-q", env=env).returncode == 0
    git(repo, "add", "-A", env=env)
    assert git(repo, "commit", "-q", "-m", "hook", env=env).returncode == 0
    rev = git(repo, "rev-parse", "HEAD", env=env).stdout.strip()
    return repo, rev


def test_pre_commit_blocks_phi_and_passes_clean_drafts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    hook, rev = hook_repository(tmp_path, env)
    content = tmp_path / "content"
    content.mkdir()
    git(content, "init", "-q", env=env)
    write(content / ".pre-commit-config.yaml",
          f"repos:\n- repo: {hook.as_posix()}\n  rev: {rev}\n  hooks:\n  - id: phiguard\n")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = subprocess.run([*pre_commit, "install"], cwd=content, env=env,
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr

    write(content / "drafts" / "5k.md", CLEAN)
    git(content, "add", "-A", env=env)
    ok = git(content, "commit", "-m", "clean draft", env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "phiguard" in ok.stdout + ok.stderr and "Passed" in ok.stdout + ok.stderr

    write(content / "drafts" / "reply.md", PHI)
    git(content, "add", "-A", env=env)
    blocked = git(content, "commit", "-m", "reply", env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "Failed" in output and "exit code: 1" in output and "PHI001" in output
    assert "00482913" not in output
    log = git(content, "log", "--oneline", env=env).stdout.strip().splitlines()
    assert len(log) == 1  # the PHI draft was not committed
