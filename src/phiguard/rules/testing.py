"""Running the `tests:` examples that rules carry (like `semgrep --test`)."""

from __future__ import annotations

from typing import Any

from ..models import Draft, LineIndex, Segment, SourceMap


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


def run_rule_tests(settings: Any) -> tuple[list[str], int]:
    """Every rule example, checked against its own rule only. Returns failures and a count."""
    from ..pipeline import Checker, load_rules

    ruleset = load_rules(settings)
    settings.select, settings.ignore = [], []
    checker = Checker(settings, ruleset)
    failures: list[str] = []
    total = 0
    for rule in ruleset.rules:
        tests = rule.spec.get("tests", {})
        for expect, cases in (("fire", tests.get("fire", [])), ("quiet", tests.get("quiet", []))):
            for case in cases:
                total += 1
                draft = _draft(case, rule.spec)
                analysis = next(checker.analyzer.analyze([draft]))
                fired = bool(checker.engine.check(analysis, only=rule.id))
                if fired != (expect == "fire"):
                    text = case if isinstance(case, str) else case["text"]
                    failures.append(f"{rule.path}:{rule.line}: {rule.id} should "
                                    f"{'fire' if expect == 'fire' else 'stay quiet'} on: "
                                    f"{text[:90]!r}")
    return failures, total
