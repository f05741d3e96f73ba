"""Degenerate drafts just under max_draft_chars: each must finish in seconds (issue 14).

Run: PYTHONPATH=src python benchmarks/degenerate.py [chars]
Prints, per draft, the seconds `phiguard check` spends on it in this process (the model is
loaded once, first) and what came of it (findings, or the one-line error).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from phiguard import runner
from phiguard.config import Settings
from phiguard.pipeline import Checker

DRAFTS = {
    "emoji, no spaces": "\U0001F600",
    "emoji and spaces": "\U0001F600 ",
    "1-1-1-...": "1-",
    "digits and spaces": "1 ",
    "dots": ".",
    "1-1-... in 999s": "1-" * 499 + "1 ",  # just under the longest run allowed
    "emoji in 999s": "\U0001F600" * 999 + " ",
    "prose": "Our clinic opens at nine on Tuesday and the flu shots are free. ",
}


def main() -> None:
    chars = int(sys.argv[1]) if len(sys.argv) > 1 else 99_000
    checker = Checker.from_settings(Settings())
    with tempfile.TemporaryDirectory() as folder:
        for name, unit in DRAFTS.items():
            path = Path(folder) / "draft.txt"
            path.write_text((unit * (chars // len(unit) + 1))[:chars], encoding="utf-8")
            start = time.perf_counter()
            report = runner.check([str(path)], checker.settings, lambda: checker, 1)
            seconds = time.perf_counter() - start
            outcome = (report.errors[0].message[:90] if report.errors
                       else f"{len(report.findings)} finding(s)")
            print(f"{name:<20} {seconds:7.2f} s  {outcome}", flush=True)


if __name__ == "__main__":
    main()
