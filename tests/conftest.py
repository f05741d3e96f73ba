"""Shared fixtures: one real Checker (spaCy + Presidio) per test session, and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import urllib3  # noqa: F401  # probes IPv6 by opening (never connecting) a socket at import;

# imported here, before pytest-socket blocks sockets, so that probe is not reported as network
from phiguard.config import Settings
from phiguard.pipeline import Checker

ROOT = Path(__file__).resolve().parents[1]
AMBIENT = {"PHIGUARD_DEBUG", "CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE",
           "PHIGUARD_BASELINE_KEY", "PHIGUARD_CACHE_DIR"}


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker.from_settings(Settings())


def phiguard_command() -> list[str]:
    exe = shutil.which("phiguard", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "phiguard"]


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    # The suite's own CI must not change what the command does (--format auto, --show-matches).
    full_env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    full_env.update(env or {})
    return subprocess.run([*phiguard_command(), *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=300)


def run_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    proc = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
