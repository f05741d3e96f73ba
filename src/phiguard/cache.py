"""The result cache: a file whose content, configuration, rules and model are unchanged is not
analysed again.

One entry per checked file, named by a digest of everything its findings depend on: the
file's bytes and path, phiguard's version, the settings, every rule, lexicon and recognizer
file, the consent registry (and today's date, against which consents expire), the baseline
and its key, and the versions of the model and the libraries that find entities. An entry
holds the file's findings as reported (excerpts masked, never an identifier in clear) and
is written atomically, owner-only, so hooks running in parallel never read half an entry. An
entry that cannot be read or does not have the expected shape is a miss, and is rewritten.

This module imports nothing heavy: a run whose files are all cached never loads spaCy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from . import __version__
from .models import Finding, PhiguardError
from .privatefile import write_private

CACHE_DIR_NAME = ".phiguard_cache"
ENTRY_FORMAT = 1
# Libraries whose version changes what is found (the model's own package is added per run).
_DEPENDENCIES = ("spacy", "presidio-analyzer", "phonenumbers", "gender-guesser",
                 "regex")  # regex runs the rule and recognizer patterns
_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "identity")
_SKIPPED_SETTINGS = {"source", "origins", "cache_dir"}


@dataclass
class FileResult:
    """What checking one file gave: its findings after suppressions and the baseline."""

    findings: list[Finding]
    drafts: int
    suppressed: int = 0
    baselined: int = 0


def default_dir(settings: Any) -> Path:
    """The cache folder: `cache_dir`, else next to the configuration file, else here."""
    if os.environ.get("PHIGUARD_CACHE_DIR"):
        return Path(os.environ["PHIGUARD_CACHE_DIR"])
    if settings.cache_dir is not None:
        return Path(settings.cache_dir)
    base = settings.source.parent if settings.source else Path.cwd()
    return base / CACHE_DIR_NAME


class Cache:
    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        self.run_key = run_key

    @classmethod
    def for_run(cls, settings: Any, rule_dirs: list[Path], baseline: Any = None) -> Cache:
        return cls(default_dir(settings), run_key(settings, rule_dirs, baseline))

    def _entry(self, shown: str, content: bytes) -> Path:
        digest = hashlib.sha256(f"{self.run_key}\0{shown}\0".encode())
        digest.update(content)
        name = digest.hexdigest()
        return self.folder / __version__ / name[:2] / f"{name[2:]}.json"

    def get(self, shown: str, content: bytes) -> FileResult | None:
        try:
            with open(self._entry(shown, content), encoding="utf-8") as handle:
                data = json.load(handle)
            if data["format"] != ENTRY_FORMAT:
                return None
            findings = [Finding(**{k: item[k] for k in _FINDING_FIELDS})
                        for item in data["findings"]]
            counts = [data[k] for k in ("drafts", "suppressed", "baselined")]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, written by another version, or damaged: a miss
        if not all(map(_well_typed, findings)) or not all(type(n) is int for n in counts):
            return None
        return FileResult(findings, *counts)

    def put(self, shown: str, content: bytes, result: FileResult) -> None:
        entry = self._entry(shown, content)
        document = {
            "format": ENTRY_FORMAT,
            "findings": [{k: v for k, v in asdict(f).items() if k in _FINDING_FIELDS}
                         for f in result.findings],
            "drafts": result.drafts,
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        }
        try:
            self._prepare(entry.parent)
            write_private(entry, json.dumps(document, ensure_ascii=False))
        except (OSError, PhiguardError):
            pass  # a cache that cannot be written costs speed, never a result

    def _prepare(self, folder: Path) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Never committed, never backed up as content (as ruff and pytest do).
            (self.folder / ".gitignore").write_text("# created by phiguard\n*\n", "utf-8")
            (self.folder / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This is phiguard's result cache; see https://bford.info/cachedir/\n", "utf-8")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _well_typed(finding: Finding) -> bool:
    return all(type(getattr(finding, f.name)) is (int if f.type == "int" else str)
               for f in fields(Finding) if f.name in _FINDING_FIELDS)


def run_key(settings: Any, rule_dirs: list[Path], baseline: Any = None) -> str:
    """A digest of everything but the file itself that a file's findings depend on."""
    digest = hashlib.sha256()

    def add(*parts: Any) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else str(part).encode())
            digest.update(b"\0")

    add("phiguard", __version__, _model_version(settings.model))
    for name in _DEPENDENCIES:
        add(name, _version(name))
    add(json.dumps({f.name: getattr(settings, f.name) for f in fields(settings)
                    if f.name not in _SKIPPED_SETTINGS}, sort_keys=True, default=str))
    for folder in rule_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            add(path.relative_to(folder), _file_bytes(path))
    if settings.consent_registry is not None:
        add(_file_bytes(settings.consent_registry), dt.date.today().isoformat())
    if baseline is not None:
        add(_file_bytes(baseline.path), hashlib.sha256(baseline.key).hexdigest())
    return digest.hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"  # the run itself reports it; the key only has to differ


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def _model_version(model: str) -> str:
    """The model package's version, or the digest of a model folder's meta.json."""
    folder = Path(model)
    if folder.is_dir():
        return hashlib.sha256(_file_bytes(folder / "meta.json")).hexdigest()
    return _version(model.replace("_", "-"))
