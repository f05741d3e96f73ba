"""docs/ci.md's recipes work as written: every YAML snippet parses and has the shape its tool
needs, every phiguard command in them is one the CLI accepts, they install what exists (the
repository at a commit, with the lock), and action.yml is a well-formed composite action.
The gitlab formatter writes GitLab's documented Code Quality fields, masked."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from phiguard.cli import cli

from .conftest import ROOT, run_cli, write

CI_DOC = ROOT / "docs" / "ci.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
SHA = re.compile(r"[0-9a-f]{40}")


def snippets(language: str, doc: Path = CI_DOC) -> list[str]:
    return [body for lang, body in FENCE.findall(doc.read_text("utf-8")) if lang == language]


def yaml_snippets() -> list[Any]:
    return [yaml.safe_load(body) for body in snippets("yaml")]


def kinds() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {"workflow": [], "gitlab": [], "pre-commit": []}
    for doc in yaml_snippets():
        if "jobs" in doc:
            found["workflow"].append(doc)
        elif "repos" in doc:
            found["pre-commit"].append(doc)
        else:
            found["gitlab"].append(doc)
    return found


def test_every_yaml_snippet_parses_and_is_a_known_kind() -> None:
    docs = yaml_snippets()
    assert len(docs) >= 4
    assert all(isinstance(d, dict) for d in docs)
    found = kinds()
    assert len(found["workflow"]) >= 2 and found["gitlab"] and found["pre-commit"]


def _check_steps(steps: list[dict[str, Any]]) -> None:
    assert steps, "a job without steps"
    for step in steps:
        assert ("uses" in step) != ("run" in step), step  # exactly one
        if "uses" in step:
            name, _, ref = step["uses"].partition("@")
            assert ref, f"{name} is not pinned"
        assert set(step) <= {"name", "id", "if", "uses", "run", "with", "env", "shell",
                             "continue-on-error", "timeout-minutes", "working-directory"}


def test_github_workflows_have_the_shape_actions_needs() -> None:
    for workflow in kinds()["workflow"]:
        # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
        assert "on" in workflow or True in workflow
        assert workflow["jobs"]
        for job in workflow["jobs"].values():
            assert isinstance(job["runs-on"], str)
            _check_steps(job["steps"])
            for step in job["steps"]:
                owner_repo = step.get("uses", "").partition("@")[0]
                if owner_repo.endswith("/phiguard"):  # the action: at a full commit SHA
                    assert SHA.fullmatch(step["uses"].partition("@")[2])
                    assert set(step.get("with", {})) <= set(_action()["inputs"])


def test_gitlab_job_has_code_quality_and_junit_reports() -> None:
    (pipeline,) = kinds()["gitlab"]
    (job,) = pipeline.values()
    assert job["script"] and job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    commands = " ".join(job["script"])
    assert f"-o {reports['codequality']}" in commands and f"-o {reports['junit']}" in commands
    assert "--format gitlab" in commands
    assert SHA.fullmatch(job["variables"]["PHIGUARD_REF"])


def test_pre_commit_snippet_names_this_repositorys_hook_at_a_commit() -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = kinds()["pre-commit"]
    for repo in config["repos"]:
        assert SHA.fullmatch(str(repo["rev"])), "rev must be a commit: phiguard has no tags"
        assert {h["id"] for h in repo["hooks"]} <= hooks


def test_recipes_install_what_exists() -> None:
    text = CI_DOC.read_text("utf-8")
    # not on the package index, and no release tag exists
    assert not re.search(r"pip install (-U )?phiguard\b(?!\[)", text)
    assert "rev: v" not in text
    for body in snippets("yaml"):
        if "pip install" in body:
            assert "requirements/lock.txt" in body, body  # with the lock, not the day's latest


def _commands() -> list[list[str]]:
    """Every `phiguard ...` command line in docs/ci.md's snippets (YAML and shell)."""
    lines = []
    for language in ("yaml", "sh"):
        for body in snippets(language):
            for match in re.finditer(r"(?:^|run: |- )(phiguard (?:[^#\n|]|\|(?!\|))*)", body,
                                     re.M):
                lines.append(shlex.split(match.group(1).strip()))
    return lines


def test_every_phiguard_command_in_the_docs_is_accepted_by_the_cli() -> None:
    commands = _commands()
    assert len(commands) >= 5
    for argv in commands:
        group_ctx = cli.make_context("phiguard", argv[1:2], resilient_parsing=False)
        command = cli.get_command(group_ctx, argv[1])
        assert command is not None, argv
        if isinstance(command, click.Group):
            command = command.get_command(group_ctx, argv[2])
            argv = argv[1:]
        command.make_context(argv[1], list(argv[2:]))  # raises on an unknown option or choice


def _action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))


def test_action_yml_is_a_composite_action_using_only_its_inputs() -> None:
    action = _action()
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    _check_steps(steps)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
            assert "${{" not in step["run"], "inputs reach scripts as env only (injection)"
    text = (ROOT / "action.yml").read_text("utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    ids = {s.get("id") for s in steps}
    assert set(re.findall(r"steps\.([\w-]+)\.", text)) <= ids
    # installs from its own commit with the lock
    install = next(s["run"] for s in steps if "run" in s and "pip" in s["run"])
    assert "$GITHUB_ACTION_PATH/requirements/lock.txt" in install
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
               for s in steps)


def test_gitlab_code_quality_report_has_gitlabs_fields_masked(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "Quillon Farrady, MRN 00482913, went home after knee surgery.\n")
    write(tmp_path / "b.md", "Quillon Farrady, MRN 00482913, went home after knee surgery.\n")
    write(tmp_path / "bad.yaml", "text: [unclosed\n")
    proc = run_cli("check", "--format", "gitlab", ".", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    issues = json.loads(proc.stdout)
    assert "00482913" not in proc.stdout
    for issue in issues:
        assert issue["type"] == "issue" and issue["description"] and issue["check_name"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert not Path(issue["location"]["path"]).is_absolute()
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # unique, even for twins
    phi = [i for i in issues if i["check_name"] == "phiguard/PHI001"]
    assert {i["location"]["path"] for i in phi} == {"a.md", "b.md"}
    assert all(i["severity"] == "critical" and i["location"]["lines"]["begin"] == 1
               for i in phi)
    (error,) = [i for i in issues if i["check_name"] == "phiguard/error"]
    assert error["severity"] == "blocker" and error["location"]["path"] == "bad.yaml"


@pytest.mark.parametrize("doc", ["editors.md"])
def test_editor_docs_snippets_parse(doc: str) -> None:
    path = ROOT / "docs" / doc
    for body in snippets("json", path):
        assert json.loads(body)
    import tomllib

    for body in snippets("toml", path):
        assert tomllib.loads(body)
    assert any('"server"' in body for body in snippets("lua", path))
