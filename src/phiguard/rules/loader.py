"""Finding and validating rule folders: rule files, lexicons and recognizers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..yamlpos import load_file, node_line
from .categories import FILE_NAME, load_categories
from .schema import LEXICON_FILE, PATTERN_SLOTS, rule_file_schema
from .spec import Lexicon, Rule, RuleError, RuleSet, RuleSpec, builtin_rules_dir, pattern_items

__all__ = ["Lexicon", "Rule", "RuleError", "RuleSet", "RuleSpec", "builtin_rules_dir",
           "load_ruleset", "pattern_items"]


def load_ruleset(folders: list[Path]) -> RuleSet:
    ruleset = RuleSet()
    for folder in folders:
        if not folder.is_dir():
            raise RuleError("rule folder not found", str(folder))
    ruleset.categories = load_categories(folders)
    schema = rule_file_schema(tuple(ruleset.categories))
    for folder in folders:
        for path in _visible(folder.glob("lexicons/*.y*ml")):
            _add_lexicon(ruleset, path)
        ruleset.recognizer_files.extend(_visible(folder.glob("recognizers/*.y*ml")))
        for path in _visible([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if path.name != FILE_NAME:
                _add_rule_file(ruleset, path, schema)
    _check_references(ruleset)
    return ruleset


def _visible(paths: Iterable[Path]) -> list[Path]:
    """Sorted, without hidden files (``.draft.yaml``, an editor's ``.#rules.yaml``), as the
    drafts walk skips them: pathlib's glob matches them, the shell's does not."""
    return sorted(p for p in paths if not p.name.startswith("."))


def _add_lexicon(ruleset: RuleSet, path: Path) -> None:
    data, node = load_file(path, LEXICON_FILE, RuleError)
    name = data["name"]
    if name in ruleset.lexicons:
        raise RuleError(f"lexicon {name!r} is defined twice (also in "
                        f"{ruleset.lexicons[name].path})", str(path), node_line(node, ["name"]))
    ruleset.lexicons[name] = Lexicon(name, data["terms"], str(path), data.get("description", ""),
                                     data.get("source", ""))


def _add_rule_file(ruleset: RuleSet, path: Path, schema: dict[str, Any]) -> None:
    data, node = load_file(path, schema, RuleError)
    shown = str(path)
    for name, spec in (data.get("define") or {}).items():
        if name in ruleset.defines:
            raise RuleError(f"pattern {name!r} is defined twice", shown,
                            node_line(node, ["define", name]))
        ruleset.defines[name] = (spec, shown, node_line(node, ["define", name]))
    for i, spec in enumerate(data.get("rules") or []):
        line = node_line(node, ["rules", i])
        if ruleset.get(spec["id"]):
            raise RuleError(f"rule id {spec['id']!r} is used twice", shown, line)
        ruleset.rules.append(Rule(spec["id"], spec["category"], spec["severity"], spec["message"],
                                  spec["kind"], spec, shown, line))


def _check_references(ruleset: RuleSet) -> None:
    """Every `ref` names a defined pattern and every `lexicon` an existing lexicon."""
    def check(spec: Any, shown: str, line: int | None) -> None:
        for item in pattern_items(spec):
            if "ref" in item and item["ref"] not in ruleset.defines:
                raise RuleError(f"unknown pattern ref {item['ref']!r}", shown, line)
            if "lexicon" in item:
                names = [item["lexicon"]] if isinstance(item["lexicon"], str) else item["lexicon"]
                for name in names:
                    if name not in ruleset.lexicons:
                        raise RuleError(f"unknown lexicon {name!r}", shown, line)

    for spec, shown, line in ruleset.defines.values():
        check(spec, shown, line)
    for rule in ruleset.rules:
        for key in PATTERN_SLOTS:
            check(rule.spec.get(key), rule.path, rule.line)
        unless = rule.spec.get("unless", [])
        for item in [unless] if isinstance(unless, dict) else unless:
            check(item["pattern"], rule.path, rule.line)
