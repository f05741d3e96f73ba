"""The result cache: a file whose content, configuration, rules and model are unchanged is not
analysed again.

One entry per checked file, named by a digest of everything its findings depend on: the
file's bytes and path, phiguard's version, the settings, every rule, lexicon and recognizer
file, the consent registry (and today's date, against which consents expire), the baseline
and its key, and the versions of the model and the libraries that find entities. An entry
holds the file's findings as reported (excerpts masked, never an identifier in clear) and
is written atomically, owner-only, so hooks running in parallel never read half an entry. An
entry that cannot be read or does not have the expected shape is a miss, and is rewritten.
The folder must be ours alone (no symbolic link, not another user's, not writable by others),
else the run goes on uncached; redact's backups live in its `backups/` (edits/files.py).

This module imports nothing heavy: a run whose files are all cached never loads spaCy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .models import Finding, PhiguardError
from .privatefile import UnsafeFolder, open_private_folder, subfolder, write_at

if TYPE_CHECKING:
    from .config import Settings

CACHE_DIR_NAME = ".phiguard_cache"
ENTRY_FORMAT = 2  # 2: findings carry the image they are about (asset)
# Libraries whose version changes what is found (the model's own package is added per run).
_DEPENDENCIES = ("spacy", "presidio-analyzer", "phonenumbers", "gender-guesser",
                 "regex",  # regex runs the rule and recognizer patterns
                 # what reads the images drafts reference (the images extra)
                 "pillow", "pillow-heif", "rapidocr", "onnxruntime", "opencv-python-headless")
_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "identity")
_SKIPPED_SETTINGS = {"source", "origins", "cache_dir"}


@dataclass
class FileResult:
    """What checking one file gave: its findings after suppressions and the baseline."""

    findings: list[Finding]
    drafts: int
    suppressed: int = 0
    baselined: int = 0


def default_dir(settings: Settings) -> Path:
    """The cache folder: `cache_dir`, else next to the configuration file, else here."""
    if os.environ.get("PHIGUARD_CACHE_DIR"):
        return Path(os.environ["PHIGUARD_CACHE_DIR"])
    if settings.cache_dir is not None:
        return Path(settings.cache_dir)
    base = settings.source.parent if settings.source else Path.cwd()
    return base / CACHE_DIR_NAME


class Cache:
    """Entries under ``folder``, a folder of ours alone: a symbolic link, a folder owned by
    someone else or writable by others is not used (the run goes on uncached, said once on
    stderr), since entries written there would land, or be forged, where we did not choose."""

    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        self.run_key = run_key
        self._fd: int | None = None
        self.unusable: str | None = None  # why the folder is not used, once found out

    @classmethod
    def for_run(cls, settings: Settings, rule_dirs: list[Path], baseline: Any = None) -> Cache:
        return cls(default_dir(settings), run_key(settings, rule_dirs, baseline))

    def _entry(self, shown: str, content: bytes) -> tuple[str, str, str]:
        """The entry's folders and file name, relative to the cache folder."""
        digest = hashlib.sha256(f"{self.run_key}\0{shown}\0".encode())
        digest.update(content)
        name = digest.hexdigest()
        return __version__, name[:2], f"{name[2:]}.json"

    def get(self, shown: str, content: bytes) -> FileResult | None:
        *folders, name = self._entry(shown, content)
        try:
            with self._folder(folders, create=False) as leaf:
                if leaf is None:
                    return None
                fd = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0), dir_fd=leaf)
                with open(fd, encoding="utf-8") as handle:
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
        *folders, name = self._entry(shown, content)
        document = {
            "format": ENTRY_FORMAT,
            "findings": [{k: v for k, v in asdict(f).items() if k in _FINDING_FIELDS}
                         for f in result.findings],
            "drafts": result.drafts,
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        }
        payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
        try:
            with self._folder(folders, create=True) as leaf:
                if leaf is not None:
                    write_at(leaf, name, payload)
        except (OSError, PhiguardError):
            pass  # a cache that cannot be written costs speed, never a result

    @contextlib.contextmanager
    def _folder(self, names: list[str], create: bool) -> Iterator[int | None]:
        """The descriptor of the entry's folder (None: absent, or no cache folder to use)."""
        opened: list[int] = []
        try:
            current = self._root(create)
            for name in names:
                if current is None:
                    break
                current = subfolder(current, name, create)
                if current is not None:
                    opened.append(current)
            yield current
        finally:
            for fd in opened:
                os.close(fd)

    def _root(self, create: bool) -> int | None:
        """The cache folder's descriptor (None: absent, or not to be used)."""
        if self._fd is None and self.unusable is None:
            try:
                self._fd = open_folder(self.folder, create)
            except UnsafeFolder as exc:
                self.unusable = exc.message
                sys.stderr.write(f"phiguard: warning: {self.folder}: {exc.message}; "
                                 "running without the cache\n")
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


def open_folder(folder: Path, create: bool) -> int | None:
    """A descriptor of a cache folder of ours (see open_private_folder); one it creates is
    marked, so that git ignores it (as ruff's and pytest's) and backup tools skip it."""
    fd = open_private_folder(folder, create)
    if fd is not None and create:
        for name, text in _MARKERS.items():
            with contextlib.suppress(FileExistsError):
                write_at(fd, name, text.encode("utf-8"), replace=False)
    return fd


_MARKERS = {
    ".gitignore": "# created by phiguard\n*\n",
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# This is phiguard's result cache; see https://bford.info/cachedir/\n",
}


def _well_typed(finding: Finding) -> bool:
    return all(type(getattr(finding, f.name)) is (int if f.type == "int" else str)
               for f in fields(Finding) if f.name in _FINDING_FIELDS)


def run_key(settings: Settings, rule_dirs: list[Path], baseline: Any = None) -> str:
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
