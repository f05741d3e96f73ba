"""Shared fixtures: one real Session (spaCy + Presidio) per test process, the command run in
this process (`run_cli`) or as the installed program (`run_process`), and the test layers.

Layers (markers registered in pyproject.toml): `unit` tests load no language model and do not
run the command (`pytest -m unit`); `e2e` tests start the installed `phiguard`; every other
test is `integration`. A module marks its layer with `pytestmark`, or, when its tests differ,
each test; a test without a mark is integration. A unit test that loads the model or runs the
command fails, so the unit layer stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import json
import locale
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3  # noqa: F401  # probes IPv6 by opening (never connecting) a socket at import;

# imported here, before pytest-socket blocks sockets, so that probe is not reported as network
from phiguard.config import Settings
from phiguard.pipeline import Session

ROOT = Path(__file__).resolve().parents[1]
AMBIENT = {"PHIGUARD_DEBUG", "CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE",
           "PHIGUARD_BASELINE_KEY", "PHIGUARD_CACHE_DIR"}
LAYERS = ("unit", "integration", "e2e")
# Variables only a new interpreter reads: a test that sets one needs run_process.
PROCESS_ONLY_ENV = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONWARNINGS"}


# -- layers ------------------------------------------------------------------------------------


def layer(item: pytest.Item) -> str:
    """The test's layer: its mark (its own, its class's or its module's), else integration."""
    return next((mark.name for mark in item.iter_markers() if mark.name in LAYERS),
                "integration")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test is in one layer, marked, so that `-m unit` (or integration, e2e) selects it.
    A module of mixed layers marks its tests one by one (`-m` sees a module's mark on every
    test in it, whatever the test's own mark says)."""
    for item in items:
        layers = {mark.name for mark in item.iter_markers() if mark.name in LAYERS}
        if len(layers) > 1:
            raise pytest.UsageError(f"{item.nodeid}: marked for more than one layer "
                                    f"{sorted(layers)}; mark its module's tests one by one")
        if not layers:
            item.add_marker(pytest.mark.integration)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts) for the unit layer alone is this process: each worker
    would first collect the whole suite, which takes longer than the unit tests themselves."""
    return 0 if config.getoption("markexpr") == "unit" else None


_unit_test_running = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures are set up: is it a unit test, which must load no model?"""
    global _unit_test_running
    _unit_test_running = layer(item) == "unit"
    if _unit_test_running and "checker" in getattr(item, "fixturenames", ()):
        pytest.fail(f"{item.nodeid}: a unit test uses the model (checker)", pytrace=False)


def _refuse_in_unit_tests(what: str) -> None:
    """The unit layer's promise, kept: loading a model or running the command there fails."""
    if _unit_test_running:
        raise AssertionError(f"a unit test {what}: mark it integration (or e2e)")


# -- one language model per test process -------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _one_model_per_process() -> Iterator[None]:
    """Every Session built in this process (fixtures, the command run in process) shares one
    loaded spaCy pipeline per installed model, as one run of the command does: loading it
    takes seconds, and nothing a Session does changes the pipeline (analysis/nlp.py)."""
    from phiguard.analysis import nlp

    loaded: dict[str, Any] = {}
    load = nlp.load_pipeline

    def shared(model: str, config_path: str | None = None) -> Any:
        import spacy

        _refuse_in_unit_tests("loaded the language model")
        if not spacy.util.is_package(model):  # a folder, or missing: the real path each time
            return load(model, config_path)
        if model not in loaded:
            loaded[model] = load(model, config_path)
        return loaded[model]

    patch = pytest.MonkeyPatch()
    patch.setattr(nlp, "load_pipeline", shared)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def checker() -> Session:
    return Session.from_settings(Settings())


# -- the command ---------------------------------------------------------------------------------


def phiguard_command() -> list[str]:
    exe = shutil.which("phiguard", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "phiguard"]


@contextlib.contextmanager
def _working_folder(cwd: Path | None) -> Iterator[Path]:
    """The folder a run starts in: the test's, else an empty one of its own, so that a run on
    absolute paths writes nothing (its result cache) into the repository or beside another
    test's run."""
    if cwd is not None:
        yield Path(cwd)
        return
    with tempfile.TemporaryDirectory(prefix="phiguard-run-") as folder:
        yield Path(folder)


def _process(args: tuple[str, ...], cwd: Path | None, env: dict[str, str] | None,
             stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    _refuse_in_unit_tests("started the command")
    # The suite's own CI must not change what the command does (--format auto, --show-matches).
    full_env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    full_env.update(env or {})
    with _working_folder(cwd) as folder:
        return subprocess.run([*phiguard_command(), *args], cwd=folder, capture_output=True,
                              input=stdin if stdin is not None else b"", env=full_env,
                              timeout=300)


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    """The installed `phiguard` program in a process of its own: for what only a process
    shows (the entry point, imports, environment read at start-up, signals, pipes). Without
    `cwd`, it starts in an empty folder of its own."""
    return _as_text(_process(args, cwd, env, None))


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """The command as the installed program runs it (its `main`, the same arguments, working
    folder and environment, standard output and error apart), in this process: exit status,
    output and any traceback are what the program's would be, without starting Python and
    loading the model again. Without `cwd`, it starts in an empty folder of its own."""
    return _as_text(_in_process(args, cwd, env, None))


def run_cli_bytes(*args: str, cwd: Path, stdin: str | bytes = b"",
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`run_cli` with bytes on standard input, and bytes out (as subprocess gives them)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return _in_process(args, cwd, env, data)


def run_process_bytes(*args: str, cwd: Path, stdin: str | bytes = b"",
                      env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`run_process` with bytes on standard input, and bytes out."""
    return _process(args, cwd, env, stdin.encode() if isinstance(stdin, str) else stdin)


def run_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    proc = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _as_text(proc: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    """Decoded as `subprocess.run(..., text=True)` decodes: locale encoding, universal
    newlines."""
    def text(data: bytes) -> str:
        decoded = data.decode(locale.getpreferredencoding(False))
        return decoded.replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(proc.args, proc.returncode, text(proc.stdout),
                                       text(proc.stderr))


def _in_process(args: tuple[str, ...], cwd: Path | None, env: dict[str, str] | None,
                stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    from click.testing import CliRunner

    from phiguard import cli

    _refuse_in_unit_tests("ran the command")
    wanted = env or {}
    if PROCESS_ONLY_ENV & set(wanted):
        raise ValueError(f"{sorted(PROCESS_ONLY_ENV & set(wanted))} is read by a new "
                         "interpreter only: use run_process")
    environment: dict[str, str | None] = {**dict.fromkeys(AMBIENT), **wanted}
    with _working_folder(cwd) as folder, \
            CliRunner().isolation(input=stdin or b"", env=environment) as (out, err, _), \
            _as_a_process(["phiguard", *args], folder):
        code = _exit_status(cli.main)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return subprocess.CompletedProcess([*phiguard_command(), *args], code, stdout, stderr)


def _exit_status(main: Callable[[], None]) -> int:
    """What the interpreter makes of `main()`: its exit status, a SystemExit message or an
    uncaught exception's traceback on standard error, exactly as for a script."""
    try:
        main()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException as exc:  # what escapes main(), as Python reports it
        sys.stderr.write("".join(traceback.format_exception(exc)))
        return 1
    return 0


@contextlib.contextmanager
def _as_a_process(argv: list[str], cwd: Path) -> Iterator[None]:
    """What a fresh process of the command starts with, set up here and put back after: its
    argv and working folder; default warning filters and logging (both print to standard
    error, pytest's capture of them set aside); the once-a-process state phiguard keeps (the
    repository root, the images notice); the SIGTERM handler it installs and the objects its
    run freezes for the garbage collector."""
    from phiguard import assets
    from phiguard.formatters import paths

    saved_argv, saved_cwd = sys.argv, os.getcwd()
    saved_sigterm = signal.getsignal(signal.SIGTERM)
    saved_notice = assets._noticed
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    collecting = gc.isenabled()
    sys.argv = argv
    assets._noticed = False
    paths.repository_root.cache_clear()
    root.handlers, root.level = [], logging.WARNING
    try:
        os.chdir(cwd)
        with warnings.catch_warnings():
            _default_warnings()
            yield
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        signal.signal(signal.SIGTERM, saved_sigterm)
        assets._noticed = saved_notice
        paths.repository_root.cache_clear()
        root.handlers, root.level = saved_handlers, saved_level
        gc.unfreeze()  # what the command froze for good is garbage in a test process
        (gc.enable if collecting else gc.disable)()


def _default_warnings() -> None:
    """Python's default filters, and warnings written to standard error (as a program's)."""
    warnings.resetwarnings()
    for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning,
                     DeprecationWarning):  # each goes first: the list ends in this order
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")

    def show(message: Any, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno,
                                                          line))

    warnings.showwarning = show


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

