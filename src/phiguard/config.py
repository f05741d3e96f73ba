"""Settings from files: `.phiguard.yaml` or `[tool.phiguard]` in pyproject.toml, found from
the checked path upwards, validated against the schema settings.py derives, with lines."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .models import PhiguardError
from .settings import BY_KEY, SCHEMA
from .settings import Settings as Settings  # re-exported: where callers have always found it
from .settings import describe as describe
from .settings import starter_config as starter_config
from .yamlpos import load_file, validate

CONFIG_NAMES = (".phiguard.yaml", ".phiguard.yml")


class ConfigError(PhiguardError):
    """A configuration file phiguard cannot use."""


def find_config(start: Path) -> Path | None:
    """The nearest configuration from ``start`` upwards (a file's folder, or a folder)."""
    folder = start if start.is_dir() else start.parent
    folder = folder.absolute()
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(pyproject: Path) -> bool:
    """Whether phiguard reads this pyproject.toml. One that cannot be parsed or read is an
    error (file and line) when it may hold [tool.phiguard]: it mentions ``phiguard``, or has a
    ``\\u`` escape that could spell it, or cannot be read at all. A broken pyproject.toml
    that cannot hold the section is not phiguard's to judge: the search goes on past it."""
    try:
        text = pyproject.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration ({_reason(exc)})", str(pyproject)) from None
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError as exc:
        if "phiguard" in text or "\\u" in text or "\\U" in text:
            raise _toml_error(exc, pyproject, text) from None
        return False
    return isinstance(tool, dict) and "phiguard" in tool


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not valid UTF-8"
    return getattr(exc, "strerror", None) or type(exc).__name__


def _toml_error(exc: tomllib.TOMLDecodeError, path: Path, source: str) -> ConfigError:
    """tomllib's description and line: its message ends "(at line 3, column 7)" or "(at end
    of document)", the last line."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)$", text)
    if where is not None:
        problem = f"{text[: where.start()].strip()} (column {where[2]})"
        return ConfigError(f"invalid TOML: {problem}", str(path), int(where[1]))
    if text.endswith("(at end of document)"):
        problem = text.removesuffix("(at end of document)").strip()
        last = len(source.rstrip("\n").splitlines()) or None
        return ConfigError(f"invalid TOML: {problem} (at the end of the file)", str(path), last)
    return ConfigError(f"invalid TOML: {text}", str(path))


def load_settings(config: Path | None) -> Settings:
    if config is None:
        return Settings()
    shown = str(config)
    if not config.is_file():
        raise ConfigError("configuration file not found", shown)
    node = None
    if config.name == "pyproject.toml":
        data = _load_toml(config)
        validate(data, None, SCHEMA, shown, ConfigError)
    else:
        data, node = load_file(config, SCHEMA, ConfigError)
    settings = Settings(source=config)
    for key, value in data.items():
        declared = BY_KEY[key]  # the schema allows declared keys only
        setattr(settings, declared.attribute, declared.read(value, config.parent))
        line = _key_line(node, key)
        settings.origins[declared.attribute] = f"{shown}:{line}" if line else (
            f"{shown} [tool.phiguard]")
    for key in data:
        declared = BY_KEY[key]
        problem = declared.check(getattr(settings, declared.attribute)) if declared.check else None
        if problem:
            raise ConfigError(f"{key}: {problem}", shown, _key_line(node, key))
    return settings


def _key_line(node: yaml.Node | None, key: str) -> int | None:
    """The line a top-level key is written on (None for pyproject.toml)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((k.start_mark.line + 1 for k, _ in node.value if k.value == key), None)


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration ({_reason(exc)})", str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, path, text) from None
    tool = data.get("tool")
    return tool.get("phiguard", {}) if isinstance(tool, dict) else {}
