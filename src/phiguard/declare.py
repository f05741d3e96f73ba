"""How a setting is declared: ``declare(...)`` is the metadata of a ``Settings`` field
(settings.py) that makes it a setting, ``Setting`` is that declaration read back with the
field's name and default, and the ``as_*`` functions say how a configuration file's value
becomes the attribute's value (paths are resolved against the file's folder).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, replace
from pathlib import Path
from typing import Any

# -- how a file's value becomes the attribute's (the value, the configuration file's folder) --


def as_is(value: Any, base: Path) -> Any:
    return value


def as_list(value: Any, base: Path) -> list[Any]:
    return list(value)


def as_dict(value: Any, base: Path) -> dict[Any, Any]:
    return dict(value)


def as_lists_by_key(value: Any, base: Path) -> dict[str, list[str]]:
    return {k: list(v) for k, v in value.items()}


def as_path(value: Any, base: Path) -> Path | None:
    return (base / value).resolve() if value else None


def as_paths(value: Any, base: Path) -> list[Path]:
    return [(base / p).resolve() for p in value]


def as_bool(value: Any, base: Path) -> bool:
    return bool(value)


@dataclass(frozen=True)
class Setting:
    """One declared setting: the metadata of a ``Settings`` field (``attribute`` and
    ``default`` are filled in from the field)."""

    doc: str
    schema: Mapping[str, Any]
    example: str  # YAML for the starter file: written as is when ``starter``, else commented
    starter: bool = False
    key: str = ""  # the key in configuration files, when it is not the attribute's name
    read: Callable[[Any, Path], Any] = as_is
    check: Callable[[Any], str | None] | None = None
    attribute: str = ""
    default: Any = None


_DECLARED = "phiguard.setting"


def declare(*, doc: str, schema: Mapping[str, Any], example: str, starter: bool = False,
            key: str = "", read: Callable[[Any, Path], Any] = as_is,
            check: Callable[[Any], str | None] | None = None) -> dict[str, Setting]:
    """The metadata of a ``Settings`` field that is a setting (its attribute and default come
    from the field)."""
    return {_DECLARED: Setting(doc, schema, example, starter, key, read, check)}


def declaration(f: Field[Any]) -> Setting | None:
    """The setting a field declares, with its attribute and default; None when it declares
    none."""
    if _DECLARED not in f.metadata:
        return None
    default = f.default_factory() if f.default_factory is not MISSING else f.default
    declared: Setting = f.metadata[_DECLARED]
    return replace(declared, attribute=f.name, key=declared.key or f.name, default=default)


def schema_of(declared: tuple[Setting, ...]) -> dict[str, Any]:
    """The JSON Schema of a configuration: an object of the declared keys only."""
    return {"type": "object", "additionalProperties": False,
            "properties": {s.key: dict(s.schema) for s in declared}}
