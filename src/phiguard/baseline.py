"""Baselines: accept today's findings, report only new ones.

A finding's identity is its file, its rule and the words of its sentence, never its line,
so a baseline survives edits elsewhere in the file (as detect-secrets' does). The sentence
holds identifiers, and short ones such as MRNs could be recovered from a plain hash by trying
every value, so the baseline stores only an HMAC under a secret key: the
``PHIGUARD_BASELINE_KEY`` environment variable, or a key file next to the baseline
(``<baseline>.key``, created owner-only). Without the key the hashes reveal nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .models import Finding, PhiguardError
from .privatefile import write_private

BASELINE_VERSION = 1
KEY_ENV = "PHIGUARD_BASELINE_KEY"
DEFAULT_BASELINE = ".phiguard-baseline.json"


class BaselineError(PhiguardError):
    """A baseline or baseline key phiguard cannot use."""


@dataclass
class Baseline:
    path: Path
    key: bytes
    entries: Counter[tuple[str, str, str]]  # (path, rule, fingerprint) -> how many
    _remaining: Counter[tuple[str, str, str]] | None = None

    def fingerprint(self, finding: Finding) -> tuple[str, str, str]:
        path = _relative(finding.path, self.path.parent)
        digest = hmac.new(self.key, f"{path}\0{finding.identity}".encode(), hashlib.sha256)
        return path, finding.rule, digest.hexdigest()

    def accepts(self, finding: Finding) -> bool:
        """True (once per recorded occurrence) when the finding is in the baseline."""
        key = self.fingerprint(finding)
        if self._remaining is None:
            self._remaining = Counter(self.entries)
        if self._remaining[key] > 0:
            self._remaining[key] -= 1
            return True
        return False

    def write(self, findings: list[Finding]) -> None:
        keys = sorted(self.fingerprint(f) for f in findings)
        document = {
            "version": BASELINE_VERSION,
            "tool": {"name": "phiguard", "version": __version__},
            "key_id": key_id(self.key),
            "fingerprint": "HMAC-SHA256(key, path + rule + sentence); no identifier in clear",
            "findings": [{"path": p, "rule": r, "fingerprint": h} for p, r, h in keys],
        }
        write_private(self.path, json.dumps(document, indent=2) + "\n")
        self.entries = Counter(keys)


def key_id(key: bytes) -> str:
    """Which key made a baseline (so a wrong key is an error, not every finding "new")."""
    return hashlib.sha256(b"phiguard-key-id\0" + key).hexdigest()[:16]


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(Path(path).absolute(), base.absolute())).as_posix()


def key_path(baseline: Path) -> Path:
    return baseline.with_name(baseline.name + ".key")


def load_key(baseline: Path, create: bool = False) -> bytes:
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    path = key_path(baseline)
    if path.is_file():
        try:
            text = path.read_text("ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"cannot read baseline key: {exc}", str(path)) from None
        if not text:
            raise BaselineError("baseline key file is empty", str(path))
        return text.encode("ascii")
    if not create:
        raise BaselineError(f"no baseline key: set {KEY_ENV} or provide {path.name} next to "
                            "the baseline", str(baseline))
    generated = secrets.token_hex(32)
    write_private(path, generated + "\n")
    return generated.encode("ascii")


def create(path: Path) -> Baseline:
    return Baseline(path, load_key(path, create=True), Counter())


def load(path: Path) -> Baseline:
    shown = str(path)
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BaselineError("baseline not found (create it with `phiguard baseline create`)",
                            shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline: {exc}", shown) from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"invalid baseline JSON: {exc.msg}", shown, exc.lineno) from None
    entries = _entries(document, shown)
    key = load_key(path)
    if document.get("key_id") != key_id(key):
        raise BaselineError("baseline was made with another key (check "
                            f"{KEY_ENV} or {key_path(path).name})", shown)
    return Baseline(path, key, entries)


def _entries(document: Any, shown: str) -> Counter[tuple[str, str, str]]:
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"not a phiguard baseline of version {BASELINE_VERSION}", shown)
    items = document.get("findings")
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and all(isinstance(i.get(k), str)
                                        for k in ("path", "rule", "fingerprint"))
            for i in items):
        raise BaselineError("baseline `findings` must be a list of {path, rule, fingerprint}",
                            shown)
    return Counter((i["path"], i["rule"], i["fingerprint"]) for i in items)
