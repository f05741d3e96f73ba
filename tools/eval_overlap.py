#!/usr/bin/env python3
"""Lines of this repository that repeat a run of words from a labelled evaluation case.

    python tools/eval_overlap.py ../shared/eval [--words 5] [PATH ...]

Rules, lexicons, tests, examples and comments must be written from invented sentences, never
from the cases phiguard is scored on: a copied phrase makes a score say nothing about posts
nobody tuned it to. This prints every line (of src/, rules/, tests/, docs/ and examples/ by
default) that shares a run of ``--words`` words with a case's text, the comment it answers or
its alt text, with the case id; exit 1 when there is one. Generic wording (a standard
disclaimer) can match too: read each line before changing it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

WORD = re.compile(r"[a-z0-9']+")
DEFAULT_PATHS = ["src", "rules", "tests", "docs", "examples"]


def case_texts(case: dict) -> list[str]:
    """The case's text, the comment it answers, its parent post, footer and alt texts."""
    texts = [str(case.get("text") or "")]
    for meta in (case, case.get("metadata") or {}):
        answered = meta.get("in_reply_to")
        if isinstance(answered, dict):
            texts.append(str(answered.get("text") or ""))
        texts += [str(meta.get(k) or "") for k in ("parent_post_text", "footer_text")]
        for media in meta.get("media") or []:
            if isinstance(media, dict):
                texts += [str(media.get(k) or "") for k in ("alt", "caption", "text")]
    return texts


def runs(text: str, size: int) -> list[str]:
    words = WORD.findall(text.lower())
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def case_runs(folder: Path, size: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data.get("cases") if isinstance(data, dict) else None
        for case in cases or []:
            for text in case_texts(case):
                for run in runs(text, size):
                    found.setdefault(run, str(case.get("id")))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_folder", type=Path)
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--words", type=int, default=5)
    args = parser.parse_args()
    known = case_runs(args.eval_folder, args.words)
    hits = 0
    for root in args.paths:
        files = [Path(root)] if Path(root).is_file() else sorted(Path(root).rglob("*"))
        for path in files:
            if not path.is_file():
                continue
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (UnicodeDecodeError, OSError):
                continue
            for number, line in enumerate(lines, 1):
                shared = sorted({(run, known[run]) for run in runs(line, args.words)
                                 if run in known})
                if shared:
                    hits += 1
                    run, case = shared[0]
                    print(f"{path}:{number}: {case}: \"{run}\"")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
