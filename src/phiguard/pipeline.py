"""The pipeline end to end: files -> drafts -> analysis -> rules -> findings.

Also the small Python API: ``Checker.from_settings(settings).check_text("...")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ConfigError, Settings
from .consent import load_registry
from .models import SEVERITIES, Draft, FileError, Finding, LineIndex, ReadError, Segment, SourceMap
from .readers import read_drafts
from .rules.loader import RuleSet, builtin_rules_dir, load_ruleset
from .walk import collect


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    drafts: int = 0

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        floor = SEVERITIES.index(fail_on)
        return 1 if any(SEVERITIES.index(f.severity) >= floor for f in self.findings) else 0


def load_rules(settings: Settings) -> RuleSet:
    return load_ruleset([builtin_rules_dir(), *settings.rule_paths])


def active_rule_ids(ruleset: RuleSet, settings: Settings) -> set[str]:
    """Rule ids left after `select` and `ignore` (by id, id prefix or category)."""
    def matches(selector: str) -> set[str]:
        chosen = {r.id for r in ruleset.rules
                  if r.id == selector or r.id.startswith(selector) or r.category == selector}
        if not chosen:
            raise ConfigError(f"select/ignore: {selector!r} names no rule id, id prefix or "
                              "category",
                              str(settings.source) if settings.source else None)
        return chosen

    active = {r.id for r in ruleset.rules}
    if settings.select:
        active = set().union(*(matches(s) for s in settings.select))
    for selector in settings.ignore:
        active -= matches(selector)
    return active


class Checker:
    """Everything heavy, built once per run: model, Presidio engine, compiled rules."""

    def __init__(self, settings: Settings, ruleset: RuleSet, show_matches: bool = False) -> None:
        from .analysis.core import Analyzer
        from .analysis.nlp import load_pipeline
        from .analysis.recognizers import (
            RecognizerError,
            build_analyzer,
            known_entities,
            load_pattern_recognizers,
        )
        from .rules.engine import Engine
        from .rules.patterns import CompiledPatterns

        self.settings = settings
        self.ruleset = ruleset
        active = active_rule_ids(ruleset, settings)
        registry = load_registry(settings.consent_registry)
        nlp = load_pipeline(settings.model, str(settings.source) if settings.source else None)
        recognizers = load_pattern_recognizers(ruleset.recognizer_files)
        patterns = CompiledPatterns(nlp, ruleset)
        self.engine = Engine(ruleset, patterns, registry, show_matches)
        self.engine.select(active)
        unknown = sorted(patterns.entities_used - known_entities(recognizers))
        if unknown:
            shown, line = patterns.entity_where[unknown[0]]
            raise RecognizerError(f"unknown entity type(s) {', '.join(unknown)}; no recognizer "
                                  "provides them", shown, line)
        # Identifiers are masked in every excerpt, so all are detected even if no rule asks.
        entities = known_entities(recognizers) - {"ORGANIZATION", "NRP", "URL"}
        presidio = build_analyzer(nlp, entities, recognizers)
        self.analyzer = Analyzer(nlp, presidio, patterns, settings)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, show_matches: bool = False) -> Checker:
        settings = settings or Settings()
        return cls(settings, load_rules(settings), show_matches)

    def check_drafts(self, drafts: Iterable[Draft]) -> Iterator[Finding]:
        for analysis in self.analyzer.analyze(drafts):
            yield from self.engine.check(analysis)

    def check_text(self, text: str, **meta: Any) -> list[Finding]:
        """Check one draft given as text (the API for notebooks and worker processes)."""
        draft = Draft("<text>", [Segment("body", text, SourceMap.linear(0), "body")], dict(meta),
                      0, [], LineIndex(text))
        return list(self.check_drafts([draft]))

    def check_paths(self, paths: list[str]) -> Report:
        report = Report()
        targets, report.errors = collect(paths, self.settings.exclude,
                                         self.settings.files_to_skip())
        drafts: list[Draft] = []
        for target in targets:
            try:
                found = read_drafts(target.path, target.shown, self.settings)
            except ReadError as exc:
                report.errors.append(FileError(target.shown, _one_line(exc)))
                continue
            report.files += 1
            drafts.extend(found)
        report.drafts = len(drafts)
        report.findings = sorted(self.check_drafts(drafts), key=Finding.sort_key)
        return report


def _one_line(exc: ReadError) -> str:
    return f"line {exc.line}: {exc.message}" if exc.line else exc.message


def default_config_path(paths: list[str]) -> Path | None:
    from .config import find_config

    start = Path(paths[0]) if paths else Path.cwd()
    return find_config(start if start.exists() else Path.cwd())
