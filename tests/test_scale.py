"""docs/scale.md: the Python API, and its Dask example run on a small export."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from phiguard import api

from .conftest import ROOT

PHI = "Congratulations to Maribel Castellano on finishing chemotherapy this week!"
CLEAN = "Flu shots are available at all of our clinics this month. Walk-ins welcome."
REPLY = "Thanks Dana, we are so glad your root canal went well!"


def dask_example() -> str:
    doc = (ROOT / "docs" / "scale.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    return next(b for b in blocks if "dask" in b)


def export(rows: int) -> pd.DataFrame:
    texts = [PHI, CLEAN, REPLY]
    kinds = ["post", "post", "review_reply"]
    return pd.DataFrame({"id": [f"P{i}" for i in range(rows)],
                         "text": [texts[i % 3] for i in range(rows)],
                         "platform": ["facebook"] * rows,
                         "kind": [kinds[i % 3] for i in range(rows)]})


def run_example(tmp_path: Path, source: str) -> dict[str, set[str]]:
    script = tmp_path / "audit.py"
    script.write_text(dask_example(), "utf-8")
    done = subprocess.run([sys.executable, str(script), source, str(tmp_path / "out-*.csv"), "2"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    found = pd.concat(pd.read_csv(p, dtype=str) for p in sorted(tmp_path.glob("out-*.csv")))
    assert not found["excerpt"].str.contains("Castellano").any()  # masked as in reports
    return {post: set(group["category"]) for post, group in found.groupby("id")}


@pytest.mark.e2e  # the example is a program of its own
def test_the_dask_example_checks_every_row_of_a_parquet_export(tmp_path: Path) -> None:
    export(9).to_parquet(tmp_path / "posts.parquet", row_group_size=3)  # 3 partitions
    by_post = run_example(tmp_path, str(tmp_path / "posts.parquet"))
    assert set(by_post) == {f"P{i}" for i in range(9) if i % 3 != 1}  # clean posts: nothing
    assert all("phi" in by_post[f"P{i}"] for i in (0, 3, 6))
    assert all("review_reply" in by_post[f"P{i}"] for i in (2, 5, 8))


@pytest.mark.e2e
def test_the_dask_example_reads_csv_with_line_breaks_in_cells(tmp_path: Path) -> None:
    posts = export(6)
    posts.loc[1, "text"] = CLEAN + "\n\nSee you there!"
    for part in range(2):
        posts.iloc[part * 3:(part + 1) * 3].to_csv(tmp_path / f"posts-{part}.csv", index=False)
    by_post = run_example(tmp_path, str(tmp_path / "posts-*.csv"))
    assert set(by_post) == {"P0", "P2", "P3", "P5"}


def test_api_check_texts_keeps_order_and_metadata() -> None:
    frozen = gc.get_freeze_count()
    results = api.check_texts([PHI, (CLEAN, {"kind": "post"}), (REPLY, {"kind": "review_reply"})])
    assert len(results) == 3 and results[1] == []
    assert "phi" in {f.category for f in results[0]}
    assert "review_reply" in {f.category for f in results[2]}
    assert api.check_text(REPLY, kind="post") != results[2]  # kind changes what applies
    assert api.session() is api.session()  # built once per process
    # The API lives in someone else's process: it must not freeze their objects.
    assert gc.get_freeze_count() == frozen and gc.isenabled()
