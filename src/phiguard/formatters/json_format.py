"""`--format json`: the contract in ../shared/spec/OUTPUT.md."""

from __future__ import annotations

import json
from typing import IO

from .. import __version__
from ..models import Report


def render_json(report: Report, out: IO[str]) -> None:
    document = {
        "version": 1,
        "tool": {"name": "phiguard", "version": __version__},
        "findings": [f.as_dict() for f in report.findings],
        "errors": [e.as_dict() for e in report.errors],
        "summary": {
            "files": report.files,
            "drafts": report.drafts,
            "findings": len(report.findings),
            "errors": len(report.errors),
        },
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
