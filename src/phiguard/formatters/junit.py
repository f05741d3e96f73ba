"""`--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One test suite per checked file with findings or errors; one failing test case per finding,
an erroring one per unreadable file; a single passing case when all is clean.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from typing import IO

from ..runner import Report


def render_junit(report: Report, out: IO[str]) -> None:
    root = ET.Element("testsuites", name="phiguard", tests="0", failures=str(len(report.findings)),
                      errors=str(len(report.errors)))
    total = 0
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(findings)),
                              failures=str(len(findings)), errors="0")
        for f in findings:
            case = ET.SubElement(suite, "testcase", name=f"{f.rule} {f.line}:{f.column}",
                                 classname=path, file=path, line=str(f.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.rule)
            failure.text = (f"{path}:{f.line}:{f.column} {f.rule} [{f.category}, {f.severity}] "
                            f"{f.message}\n{f.excerpt}")
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
