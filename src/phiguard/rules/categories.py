"""Rule categories as data (rules/categories.yaml, plus an organization's own categories.yaml
in its rule folder): what each category's findings are - whether its matched words are
identifiers to mask, which safe fix applies, whether it is a security issue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..yamlpos import load_file, node_line
from .spec import RuleError, builtin_rules_dir

FILE_NAME = "categories.yaml"
FIXES = ("disclaimer", "sponsorship", "none")  # the safe fixes edits/autofix.py knows
CATEGORY_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["categories"],
    "properties": {"categories": {"type": "array", "minItems": 1, "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "prefix", "description"],
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
            "prefix": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*$"},
            "description": {"type": "string", "minLength": 1},
            "mask": {"type": "boolean"},
            "fix": {"enum": list(FIXES)},
            "security": {"type": "boolean"},
        },
    }}},
}


@dataclass(frozen=True)
class Category:
    name: str
    prefix: str
    description: str = ""
    mask: bool = False  # its matched words are patients' identifiers
    fix: str | None = None  # the safe fix for its findings (edits/autofix.py)
    security: bool = False


# Every category loaded in this process: formatters and fixers see findings, not rule sets.
_LOADED: dict[str, Category] = {}


def load_categories(folders: list[Path]) -> dict[str, Category]:
    """The built-in categories and those the folders declare; a name declared twice (an
    organization redefining a built-in one, say) is an error naming the second place."""
    found = dict(builtin())
    home = builtin_rules_dir().resolve()
    for folder in folders:
        path = folder / FILE_NAME
        if folder.resolve() != home and path.is_file() and not _is_builtin_copy(path, home):
            _add_file(found, path)
    _LOADED.update(found)
    return found


def _is_builtin_copy(path: Path, home: Path) -> bool:
    """The built-in categories file where it lies in a checkout (rules/categories.yaml) while
    phiguard runs from an installed copy: the same file, not a second declaration."""
    builtin_file = home / FILE_NAME
    return builtin_file.is_file() and path.read_bytes() == builtin_file.read_bytes()


def _add_file(found: dict[str, Category], path: Path) -> None:
    data, node = load_file(path, CATEGORY_FILE, RuleError)
    for i, item in enumerate(data["categories"]):
        if item["name"] in found:
            raise RuleError(f"category {item['name']!r} is declared twice",
                            str(path), node_line(node, ["categories", i]))
        fix = item.get("fix", "none")
        found[item["name"]] = Category(item["name"], item["prefix"], item["description"],
                                       item.get("mask", False), None if fix == "none" else fix,
                                       item.get("security", False))


def builtin() -> dict[str, Category]:
    """phiguard's own categories (read once)."""
    if not _BUILTIN:
        path = builtin_rules_dir() / FILE_NAME
        if not path.is_file():
            raise RuleError("phiguard's built-in categories are missing from this installation")
        _add_file(_BUILTIN, path)
    return _BUILTIN


_BUILTIN: dict[str, Category] = {}


def lookup(name: str) -> Category:
    """A finding's category: built-in, or loaded from a rule folder in this process; one that
    is neither (an internal one, such as suppression) masks nothing and has no fix."""
    return _LOADED.get(name) or builtin().get(name) or Category(name, "")
