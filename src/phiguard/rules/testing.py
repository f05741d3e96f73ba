"""Running the `tests:` examples that rules carry (like `semgrep --test`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import Draft, LineIndex, Segment, SourceMap
from .loader import Rule, RuleSet


def _draft(case: Any, rule_spec: dict[str, Any]) -> Draft:
    text = case if isinstance(case, str) else case["text"]
    meta = {} if isinstance(case, str) else dict(case.get("meta", {}))
    if "kind" not in meta and rule_spec.get("kinds"):
        meta["kind"] = rule_spec["kinds"][0]
    if "platform" not in meta and rule_spec.get("platforms"):
        meta["platform"] = rule_spec["platforms"][0]
    segments = [Segment("body", text, SourceMap.linear(0), "body")] if text.strip() else []
    media = meta.get("media") or []
    media = [media] if isinstance(media, dict) else media
    for item in media:
        if isinstance(item, dict) and item.get("alt"):
            segments.append(Segment("alt", str(item["alt"]), SourceMap.linear(0), "alt"))
    return Draft("<test>", segments, meta, 0, [m for m in media if isinstance(m, dict)],
                 LineIndex(text))


@dataclass(frozen=True)
class Example:
    """One `tests:` example of a rule: the draft and whether the rule should fire on it."""

    rule: Rule
    expect: str  # "fire" | "quiet"
    case: Any

    @property
    def text(self) -> str:
        return self.case if isinstance(self.case, str) else self.case["text"]

    @property
    def name(self) -> str:
        """A stable id: the rule, what it should do, and the example's place in its list."""
        cases = self.rule.spec.get("tests", {}).get(self.expect, [])
        return f"{self.rule.id}-{self.expect}-{cases.index(self.case) + 1}"


def examples(ruleset: RuleSet) -> list[Example]:
    """Every example every rule carries, in file order."""
    return [Example(rule, expect, case) for rule in ruleset.rules
            for expect in ("fire", "quiet")
            for case in rule.spec.get("tests", {}).get(expect, [])]


def failure(session: Any, example: Example) -> str | None:
    """Why ``example`` fails against its own rule alone (None when it passes). ``session`` is
    the pipeline's Session, given by the caller: this layer runs below the pipeline."""
    analysis = next(session.analyzer.analyze([_draft(example.case, example.rule.spec)]))
    fired = bool(session.engine.check(analysis, only=example.rule.id))
    if fired == (example.expect == "fire"):
        return None
    rule = example.rule
    should = "fire" if example.expect == "fire" else "stay quiet"
    return f"{rule.path}:{rule.line}: {rule.id} should {should} on: {example.text[:90]!r}"
