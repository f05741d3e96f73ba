"""Every registered output format, byte for byte, on one fixed report built here (no model).

`tests/golden/<format>.<ext>` holds what each format prints for REPORT. A change to a format
shows here as a diff; when the change is meant, write the files again and review them:

    PHIGUARD_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_formatters.py

Two things vary by where and when the tests run and are written as placeholders: phiguard's
version and the repository root's URI (SARIF's %SRCROOT%).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from phiguard import __version__, formatters
from phiguard.formatters import paths
from phiguard.models import FileError, Finding, Report
from phiguard.rules.spec import RuleSpec

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PHIGUARD_UPDATE_GOLDEN") == "1"
EXTENSION = {"json": "json", "sarif": "sarif", "gitlab": "json", "junit": "xml"}
VERSION, ROOT_URI = "{version}", "file:///repository/"
# Variables that change what the formats print (colour, CI, the job summary file).
ENVIRONMENT = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "FORCE_COLOR",
               "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "TERM", "CI")


def rule(rule_id: str, category: str, severity: str, message: str, **spec: str) -> RuleSpec:
    return RuleSpec(rule_id, category, severity, message, "match", dict(spec),
                    f"rules/{category}.yaml", 3)


RULES = [
    rule("PHI001", "phi", "error", "Medical record number in a draft",
         description="A medical record number\n  identifies a patient.",
         fix="Remove the number.", source="HIPAA Safe Harbor (45 CFR 164.514(b)(2))."),
    rule("RR001", "review_reply", "warning", "Reply confirms the reviewer is a patient",
         description="Confirming care in public discloses PHI."),
    rule("DIS001", "disclaimer", "info", "Health tip without a disclaimer"),
    rule("CIT001", "citation", "warning", "Statistic without a source"),  # fires nowhere
]

FINDINGS = [
    Finding("drafts/reply.md", 5, 32, 5, 44, "PHI001", "phi", "error",
            "Medical record number in a draft", "…J****** our records show your MRN ######## "
            "and the crown…"),
    Finding("drafts/reply.md", 5, 1, 5, 8, "RR001", "review_reply", "warning",
            "Reply confirms the reviewer is a patient", "J******, our records show…"),
    # the same rule and words twice in one file: fingerprints must still differ
    Finding("drafts/reply.md", 9, 1, 10, 12, "PHI001", "phi", "error",
            "Medical record number in a draft", "…your MRN ######## and the crown…"),
    # characters formats escape: % : , & < > " [markup] and a line break; text beyond ASCII
    Finding("drafts/tip, 100% \"real\".txt", 2, 1, 2, 27, "DIS001", "disclaimer", "info",
            "Health tip without a disclaimer: <drink> & [bold]rest[/],\nthen call",
            "Fièvre? 🌡️ Rest…"),
    Finding("drafts/ward post.md", 7, 1, 7, 22, "PHI001", "phi", "error",
            "Medical record number in a draft (in the image's text)", "MRN ########",
            scope="image_text", asset="../images/ward 1.png"),
]

ERRORS = [FileError("drafts/broken.csv", "line 2: unterminated quoted field"),
          FileError("drafts/empty", "folder holds no draft phiguard reads")]
# as the runner gives it: findings in file and line order
REPORT = Report(sorted(FINDINGS, key=Finding.sort_key), ERRORS, files=4, drafts=5, suppressed=2,
                baselined=1, rules=RULES, fail_on="warning")


def golden_file(name: str) -> Path:
    return GOLDEN / f"{name}.{EXTENSION.get(name, 'txt')}"


@pytest.fixture
def fixed_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository of its own as the working folder, and no variable that changes output."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    paths.repository_root.cache_clear()
    yield tmp_path
    paths.repository_root.cache_clear()


def rendered(name: str, root: Path) -> str:
    stream = io.StringIO()
    formatters.formatter(name)(REPORT, stream)
    text = stream.getvalue().replace(root.resolve().as_uri() + "/", ROOT_URI)
    return text.replace(__version__, VERSION)


@pytest.mark.parametrize("name", [entry.name for entry in formatters.REGISTRY])
def test_format_matches_its_golden_file(name: str, fixed_place: Path) -> None:
    text = rendered(name, fixed_place)
    path = golden_file(name)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"no golden file for {name}: run with PHIGUARD_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


def test_every_registered_format_has_a_golden_file_and_no_other_has() -> None:
    expected = {golden_file(entry.name).name for entry in formatters.REGISTRY}
    present = {path.name for path in GOLDEN.iterdir()}
    assert present == expected

