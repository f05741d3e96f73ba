"""The pipeline end to end: files -> drafts -> analysis -> rules -> findings.

``Session`` holds everything heavy, built once from the settings and the run's choices and
never changed after. The layers above it use it and it knows none of them: ``runner.py``
schedules a run over files against a Session, ``api.py`` and ``cli.py`` call both.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import assets
from .config import ConfigError, Settings
from .consent import load_registry
from .dates import rules_from
from .models import Draft, Finding, LineIndex, Segment, SourceMap
from .rules.loader import Rule, RuleSet, builtin_rules_dir, load_ruleset
from .suppressions import INVALID, UNUSED, Policy, Screened, rule_matches

# Diagnostics about suppressions themselves; interpreted in suppressions.py, not by the engine.
SUPPRESSION_RULES = (
    (INVALID, "error", "A suppression that names no rule, or an unknown one",
     "Every suppression must say what it silences, so a reviewer can see what was waived."),
    (UNUSED, "warning", "A suppression that silenced nothing",
     "A stale suppression would silently waive a future problem at the same place."),
)


def load_rules(settings: Settings) -> RuleSet:
    ruleset = load_ruleset([builtin_rules_dir(), *settings.rule_paths])
    ruleset.rules.extend(assets.load_rules(builtin_rules_dir()))
    for rule_id, severity, message, why in SUPPRESSION_RULES:
        ruleset.rules.append(Rule(rule_id, "suppression", severity, message, "suppression",
                                  {"description": message, "source": why,
                                   "fix": "Name the rule (id or category), or remove the "
                                          "suppression."},
                                  "phiguard/suppressions.py", None))
    return ruleset


def matching_rule_ids(ruleset: RuleSet, selector: str, settings: Settings, key: str) -> set[str]:
    chosen = {r.id for r in ruleset.rules if rule_matches(selector, r.id, r.category)}
    if not chosen:
        raise ConfigError(f"{key}: {selector!r} names no rule id, id prefix or category",
                          settings.origins.get(key, str(settings.source or "")) or None)
    return chosen


def active_rule_ids(ruleset: RuleSet, settings: Settings) -> set[str]:
    """Rule ids left after `select` and `ignore` (by id, id prefix or category)."""
    active = {r.id for r in ruleset.rules}
    if settings.select:
        active = set().union(*(matching_rule_ids(ruleset, s, settings, "select")
                               for s in settings.select))
    for selector in settings.ignore:
        active -= matching_rule_ids(ruleset, selector, settings, "ignore")
    return active


def check_policy_selectors(ruleset: RuleSet, settings: Settings) -> None:
    """Every per-file ignore and severity override names a known rule (before the model is
    loaded, so a mistake in the configuration is reported at once)."""
    for selectors in settings.per_file_ignores.values():
        for selector in selectors:
            matching_rule_ids(ruleset, selector, settings, "per_file_ignores")
    for selector in settings.severity:
        matching_rule_ids(ruleset, selector, settings, "severity")


def build_policy(ruleset: RuleSet, settings: Settings, active: set[str],
                 limits: dict[str, int] | None = None, baseline: Any = None) -> Policy:
    """The run's policy, complete: per-file ignores and severity overrides (checked against
    the known rules), per-rule ``limits`` (none: every finding) and the ``baseline``."""
    check_policy_selectors(ruleset, settings)
    return Policy({r.id: r.category for r in ruleset.rules}, frozenset(active),
                  {k: list(v) for k, v in settings.per_file_ignores.items()},
                  dict(settings.severity), dict(limits or {}), baseline)


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a session is built.

    Building creates hundreds of thousands of long-lived objects (model, Presidio, compiled
    lexicons), and each collection on the way would scan them all again: a tenth of a cold
    start. ``freeze`` then moves everything alive out of the collector's sight for good, which
    only a program that owns its process should do (the command, not the Python API); forked
    workers then also keep sharing those memory pages.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


class Session:
    """Everything heavy, built once per run from the settings: model, Presidio engine,
    compiled rules, and the policy (with the run's baseline and per-rule limits). Complete
    when the constructor returns and immutable after: every caller passes what it needs here
    instead of adjusting a built session.

    ``baseline``: a loaded baseline (baseline.py) whose findings are dropped, or None.
    ``every_occurrence``: no per-rule limits, each finding kept (what a baseline records).
    """

    def __init__(self, settings: Settings, ruleset: RuleSet, show_matches: bool = False, *,
                 baseline: Any = None, every_occurrence: bool = False) -> None:
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
        self.show_matches = show_matches
        self.every_occurrence = every_occurrence
        active = active_rule_ids(ruleset, settings)
        check_policy_selectors(ruleset, settings)
        self.rules = [r for r in ruleset.rules if r.id in active]
        registry = load_registry(settings.consent_registry, rules_from(settings))
        nlp = load_pipeline(settings.model, str(settings.source) if settings.source else None)
        recognizers = load_pattern_recognizers(ruleset.recognizer_files)
        _add_org_disclaimers(ruleset, settings)
        patterns = CompiledPatterns(nlp, ruleset)
        self.engine = Engine(ruleset, patterns, registry, show_matches, settings.org)
        self.engine.select(active)
        limits = {} if every_occurrence else self.engine.limits()
        self.policy = build_policy(ruleset, settings, active, limits, baseline)
        unknown = sorted(patterns.entities_used - known_entities(recognizers))
        if unknown:
            shown, line = patterns.entity_where[unknown[0]]
            raise RecognizerError(f"unknown entity type(s) {', '.join(unknown)}; no recognizer "
                                  "provides them", shown, line)
        # Identifiers are masked in every excerpt, so all are detected even if no rule asks.
        entities = known_entities(recognizers) - {"ORGANIZATION", "NRP", "URL"}
        presidio = build_analyzer(nlp, entities, recognizers)
        self.analyzer = Analyzer(nlp, presidio, patterns, settings)
        self._built = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_built", False):
            raise AttributeError(f"a Session is immutable once built: pass {name!r} to "
                                 "Session(...) instead of setting it")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Session is immutable: {name!r} cannot be deleted")

    @classmethod
    def from_settings(cls, settings: Settings | None = None, show_matches: bool = False, *,
                      baseline: Any = None, every_occurrence: bool = False) -> Session:
        settings = settings or Settings()
        return cls(settings, load_rules(settings), show_matches, baseline=baseline,
                   every_occurrence=every_occurrence)

    def screen(self, drafts: Iterable[Draft]) -> Iterator[Screened]:
        """Each draft's findings after the NLP pass, the rules and what depends on the draft
        alone (its suppressions, per-file ignores): the part a worker process can do."""
        for analysis in self.analyzer.analyze(assets.derive(drafts, self.settings)):
            yield self.policy.screen(analysis.draft, self._check(analysis))

    def analysed(self, drafts: Iterable[Draft]) -> Iterator[tuple[Any, list[Finding]]]:
        """Each draft's analysis with its settled findings: for callers that need both (redact
        verifies its result on the same detection the rules use)."""
        for analysis in self.analyzer.analyze(assets.derive(drafts, self.settings)):
            screened = self.policy.screen(analysis.draft, self._check(analysis))
            yield analysis, list(self.policy.settle(screened))

    def _check(self, analysis: Any) -> list[Finding]:
        """The rules' findings, and what the draft's assets add to them (assets.py)."""
        found = self.engine.check(analysis) + assets.findings(analysis, self.engine)
        return assets.annotate(analysis.draft, found)

    def check_drafts(self, drafts: Iterable[Draft]) -> Iterator[Finding]:
        """Findings of each draft, after its suppressions, per-file ignores and overrides."""
        for screened in self.screen(drafts):
            yield from self.policy.settle(screened)

    def check_text(self, text: str, **meta: Any) -> list[Finding]:
        """Check one draft given as text; ``meta`` is its metadata (kind, platform, ...)."""
        return self.check_texts([(text, meta)])[0]

    def check_texts(self, texts: Iterable[str | tuple[str, dict[str, Any]]]
                    ) -> list[list[Finding]]:
        """Findings of each draft, in order, from one batched NLP pass. Each item is a text
        or a (text, metadata) pair."""
        drafts = [_text_draft(item, i) for i, item in enumerate(texts)]
        return [self.policy.settle(screened) for screened in self.screen(drafts)]



def run_rule_tests(settings: Settings) -> tuple[list[str], int]:
    """Every rule example, checked against its own rule only: the failures and the count."""
    from .rules.testing import examples, failure

    ruleset = load_rules(settings)
    settings.select, settings.ignore = [], []
    session = Session(settings, ruleset)
    cases = examples(ruleset)
    failures = [f for f in (failure(session, example) for example in cases) if f]
    return failures, len(cases)


def active_rules(settings: Settings) -> list[Rule]:
    """The rules a run with these settings reports on (without loading the model)."""
    ruleset = load_rules(settings)
    active = active_rule_ids(ruleset, settings)
    return [r for r in ruleset.rules if r.id in active]


def _text_draft(item: str | tuple[str, dict[str, Any]], index: int) -> Draft:
    text, meta = (item, {}) if isinstance(item, str) else item
    if not isinstance(text, str):
        raise TypeError(f"draft {index}: the text must be a string, not {type(text).__name__}")
    return Draft("<text>", [Segment("body", text, SourceMap.linear(0), "body")], dict(meta),
                 index, [], LineIndex(text))


def _add_org_disclaimers(ruleset: RuleSet, settings: Settings) -> None:
    """The organization's own disclaimer wording counts as a disclaimer (what --fix adds)."""
    lexicon = ruleset.lexicons.get("disclaimers")
    own = [*settings.disclaimers, str(settings.org.get("disclaimer") or "")]
    if lexicon is not None:
        lexicon.terms = [*lexicon.terms, *(t.strip() for t in own if t.strip())]


def default_config_path(paths: list[str]) -> Path | None:
    from .config import find_config

    start = Path(paths[0]) if paths else Path.cwd()
    return find_config(start if start.exists() else Path.cwd())
