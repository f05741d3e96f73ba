"""A loaded rule folder as data: `RuleSpec` (one rule), `Lexicon`, `RuleSet`, and the error
a rule folder phiguard cannot use raises. Below the loader and the schema, so a rule kind's
module (rules/kinds/) and the pattern compiler can use these without a cycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..models import DEFAULT_SCOPES, PhiguardError


class RuleError(PhiguardError):
    """A rule file phiguard cannot use."""


@dataclass(frozen=True)
class RuleSpec:
    """One loaded rule: the fields every kind has, and its whole ``spec`` (the rule as
    written) for the keys its kind reads. Frozen: the engine compiles it, never edits it."""

    id: str
    category: str
    severity: str
    message: str
    kind: str
    spec: dict[str, Any]
    path: str
    line: int | None

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.spec.get("scopes", DEFAULT_SCOPES))

    @property
    def kinds(self) -> tuple[str, ...] | None:
        """The draft kinds it applies to (None: all)."""
        return tuple(self.spec["kinds"]) if "kinds" in self.spec else None

    @property
    def platforms(self) -> tuple[str, ...] | None:
        """The platforms it applies to, lower-cased (None: all)."""
        if "platforms" not in self.spec:
            return None
        return tuple(p.lower() for p in self.spec["platforms"])

    @property
    def when(self) -> dict[str, Any]:
        return dict(self.spec.get("when", {}))


Rule = RuleSpec  # the name callers know


@dataclass
class Lexicon:
    name: str
    terms: list[str]
    path: str
    description: str = ""
    source: str = ""


@dataclass
class RuleSet:
    rules: list[RuleSpec] = field(default_factory=list)
    defines: dict[str, tuple[Any, str, int | None]] = field(default_factory=dict)
    lexicons: dict[str, Lexicon] = field(default_factory=dict)
    recognizer_files: list[Path] = field(default_factory=list)
    categories: dict[str, Any] = field(default_factory=dict)  # name -> categories.Category

    def get(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def pattern_items(spec: Any) -> list[dict[str, Any]]:
    if spec is None:
        return []
    return list(spec) if isinstance(spec, list) else [spec]


def builtin_rules_dir() -> Path:
    """The rules shipped with phiguard: inside an installed package, or the repository's rules/."""
    packaged = Path(str(resources.files("phiguard"))) / "_builtin_rules"
    if packaged.is_dir():
        return packaged
    repo = Path(__file__).resolve().parents[3] / "rules"
    if repo.is_dir():
        return repo
    raise RuleError("phiguard's built-in rules are missing from this installation")
