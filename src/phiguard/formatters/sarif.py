"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

URIs are relative to the repository root (``%SRCROOT%``). ``partialFingerprints`` hash the
rule, the file and the redacted excerpt, so they survive unrelated line moves and, like the
excerpt, carry no identifier in clear.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections import Counter
from typing import IO, Any
from urllib.parse import quote

from .. import __version__
from ..models import Finding, Report
from ..rules.loader import Rule
from .paths import relative_to_root, repository_root

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/phiguard/phiguard"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "phiguardFindingHash/v1"


def render_sarif(report: Report, out: IO[str]) -> None:
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    seen: Counter[str] = Counter()
    results = [_result(f, index, seen) for f in report.findings]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "phiguard", "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": repository_root().as_uri() + "/"}},
        "results": results,
        "invocations": [_invocation(report)],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _rules(report: Report) -> list[dict[str, Any]]:
    return [_rule(r) for r in report.rules or []]


def _rule(rule: Rule) -> dict[str, Any]:
    spec = rule.spec
    description = " ".join(str(spec.get("description") or rule.message).split())
    help_parts = [description]
    if spec.get("fix"):
        help_parts.append("How to fix: " + " ".join(str(spec["fix"]).split()))
    if spec.get("source"):
        help_parts.append("Why: " + " ".join(str(spec["source"]).split()))
    help_text = "\n\n".join(help_parts)
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"category": rule.category, "tags": ["phiguard", rule.category]},
    }


def _result(finding: Finding, index: dict[str, int], seen: Counter[str]) -> dict[str, Any]:
    uri = quote(relative_to_root(finding.path))
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column,
              "endLine": finding.end_line, "endColumn": max(finding.end_column, finding.column)}
    if finding.excerpt:
        region["snippet"] = {"text": finding.excerpt}
    words = " ".join(finding.excerpt.strip("…").split())  # not the "…" of a cut-off
    base = hashlib.sha256(f"{finding.rule}\0{uri}\0{words}".encode()).hexdigest()
    seen[base] += 1
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: f"{base}:{seen[base]}"},
        "properties": {"category": finding.category},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.asset:  # the image the finding is about, beside the line that references it
        image = posixpath.normpath(posixpath.join(posixpath.dirname(
            relative_to_root(finding.path)), finding.asset.replace("\\", "/")))
        result["relatedLocations"] = [{
            "id": 1, "message": {"text": "the image"},
            "physicalLocation": {"artifactLocation": {"uri": quote(image),
                                                      "uriBaseId": "%SRCROOT%"}}}]
    return result


def _invocation(report: Report) -> dict[str, Any]:
    notifications = [{"level": "error", "message": {"text": e.message},
                      "locations": [{"physicalLocation": {"artifactLocation": {
                          "uri": quote(relative_to_root(e.path)), "uriBaseId": "%SRCROOT%"}}}]}
                     for e in report.errors]
    return {"executionSuccessful": not report.errors,
            "toolExecutionNotifications": notifications}
