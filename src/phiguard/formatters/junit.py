"""`--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One test suite per checked file with findings or errors; an erroring test case per unreadable
file; a single passing case when all is clean. A finding at or above the run's failing level
(`--fail-on`, default error) is a failing test case, so the report fails exactly when the exit
code does. A finding below it is a skipped test case whose message names its severity: GitLab,
Jenkins and Azure DevOps list skipped cases with their message and count them apart, without
turning the pipeline red, whereas the output of a passing case is hidden in the passed list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from typing import IO

from ..models import SEVERITIES, Finding, Report


def render_junit(report: Report, out: IO[str]) -> None:
    floor = SEVERITIES.index(report.fail_on)
    failing = sum(SEVERITIES.index(f.severity) >= floor for f in report.findings)
    root = ET.Element("testsuites", name="phiguard", tests="0", failures=str(failing),
                      errors=str(len(report.errors)),
                      skipped=str(len(report.findings) - failing))
    total = 0
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        fails = [SEVERITIES.index(f.severity) >= floor for f in findings]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(findings)),
                              failures=str(sum(fails)), errors="0",
                              skipped=str(len(findings) - sum(fails)))
        for f, fails_run in zip(findings, fails, strict=True):
            _finding_case(suite, path, f, fails_run, report.fail_on)
        total += len(findings)
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="files not checked",
                              tests=str(len(report.errors)), failures="0",
                              errors=str(len(report.errors)))
        for e in report.errors:
            case = ET.SubElement(suite, "testcase", name=e.path, classname="phiguard", file=e.path)
            ET.SubElement(case, "error", message=e.message, type="input").text = e.message
        total += len(report.errors)
    if total == 0:
        suite = ET.SubElement(root, "testsuite", name="phiguard", tests="1", failures="0",
                              errors="0")
        ET.SubElement(suite, "testcase", name=f"{report.drafts} drafts checked",
                      classname="phiguard")
        total = 1
    root.set("tests", str(total))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def _finding_case(suite: ET.Element, path: str, f: Finding, fails_run: bool,
                  fail_on: str) -> None:
    case = ET.SubElement(suite, "testcase", name=f"{f.rule} {f.line}:{f.column}",
                         classname=path, file=path, line=str(f.line))
    detail = (f"{path}:{f.line}:{f.column} {f.rule} [{f.category}, {f.severity}] "
              f"{f.message}\n{f.excerpt}")
    if fails_run:
        ET.SubElement(case, "failure", message=f.message, type=f.rule).text = detail
    else:  # reported, not failing: the severity is below --fail-on
        ET.SubElement(case, "skipped", message=f"{f.severity} (below --fail-on {fail_on}): "
                      f"{f.message}").text = detail
