"""The package's shape: imports point one way, down the pipeline, and never in a circle.

files -> drafts (readers) -> analysis -> rules -> findings -> formatters, with pipeline.py
wiring the stages, runner.py scheduling a run against it and cli.py / api.py on top. An
import inside a function counts (it is a dependency all the same); one under
``if TYPE_CHECKING:`` does not (it never runs).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "phiguard"

# A module (or package prefix) -> what it must never import.
FORBIDDEN = {
    "phiguard.errors": ["phiguard"],
    "phiguard.vocabulary": ["phiguard"],  # data both masking and name detection read
    "phiguard.models": ["phiguard.(anything but errors)"],
    "phiguard.readers": ["phiguard.analysis", "phiguard.rules", "phiguard.pipeline",
                         "phiguard.runner", "phiguard.workers", "phiguard.cli", "phiguard.api",
                         "phiguard.formatters", "phiguard.edits"],
    "phiguard.analysis": ["phiguard.rules.engine", "phiguard.pipeline", "phiguard.runner",
                          "phiguard.workers", "phiguard.cli", "phiguard.api",
                          "phiguard.formatters", "phiguard.edits"],
    "phiguard.rules": ["phiguard.pipeline", "phiguard.runner", "phiguard.workers",
                       "phiguard.cli", "phiguard.api", "phiguard.formatters", "phiguard.edits"],
    # rule kinds sit below the engine, loader and schema that read their registry
    "phiguard.rules.kinds": ["phiguard.rules.engine", "phiguard.rules.loader",
                             "phiguard.rules.schema"],
    # a loaded rule and its category: data, below everything that loads or runs rules
    "phiguard.rules.spec": ["phiguard.rules.engine", "phiguard.rules.loader",
                            "phiguard.rules.schema", "phiguard.rules.kinds",
                            "phiguard.analysis"],
    "phiguard.rules.categories": ["phiguard.rules.engine", "phiguard.rules.loader",
                                  "phiguard.rules.schema", "phiguard.rules.kinds",
                                  "phiguard.analysis"],
    "phiguard.formatters": ["phiguard.pipeline", "phiguard.runner", "phiguard.workers",
                            "phiguard.cli", "phiguard.api", "phiguard.edits",
                            "phiguard.analysis", "phiguard.readers"],
    "phiguard.pipeline": ["phiguard.runner", "phiguard.workers", "phiguard.cli", "phiguard.api",
                          "phiguard.formatters"],
    "phiguard.runner": ["phiguard.cli", "phiguard.api", "phiguard.formatters"],
    # where drafts are screened (this process or worker processes): below the runner
    "phiguard.workers": ["phiguard.runner", "phiguard.cli", "phiguard.api",
                         "phiguard.formatters"],
}
# The use cases on top (the web page, the progress bar the command draws, the subcommands):
# nothing below them imports them, and the core stays free of rich and HTTP.
for _layer in ("phiguard.readers", "phiguard.analysis", "phiguard.rules", "phiguard.formatters",
               "phiguard.pipeline", "phiguard.runner", "phiguard.workers"):
    FORBIDDEN[_layer] = [*FORBIDDEN[_layer], "phiguard.web", "phiguard.progress",
                         "phiguard.commands"]
FORBIDDEN["phiguard.edits"] = ["phiguard.web", "phiguard.cli", "phiguard.progress",
                               "phiguard.commands"]
FORBIDDEN["phiguard.web"] = ["phiguard.cli", "phiguard.server", "phiguard.progress",
                             "phiguard.commands"]
# The subcommands sit below the group that registers them (cli.py) and runs them fail-closed.
FORBIDDEN["phiguard.commands"] = ["phiguard.cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def dependencies(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's own modules that ``name`` imports."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    deps = set()
    for node in _imports(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target
                       for a in node.names]
        deps.update(t for t in targets if t in known and t != name)
    return deps


@functools.cache  # parsed once a test process: the tests only read it
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: dependencies(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for vertex in sorted(edges):
        if vertex not in index:
            visit(vertex)
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_upward_import(layer: str) -> None:
    edges = graph()
    wrong = []
    for name, deps in edges.items():
        if not _within(name, layer):
            continue
        for dep in deps:
            if layer == "phiguard.models":
                bad = dep != "phiguard.errors"
            else:
                bad = any(_within(dep, f) for f in FORBIDDEN[layer] if not _within(name, f))
            if bad:
                wrong.append(f"{name} -> {dep}")
    assert wrong == []


def test_only_the_entry_point_imports_the_command() -> None:
    importers = {name for name, deps in graph().items() if "phiguard.cli" in deps}
    assert importers <= {"phiguard.__main__"}
