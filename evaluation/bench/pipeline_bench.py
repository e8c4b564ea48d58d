"""Dask pipeline benchmark on SYNTHETIC postings (``evaluation/synthetic_postings.py``).

    # scaling: the same N postings with 1 and then 2 local workers (1 thread each)
    .venv/bin/python -m evaluation.bench.pipeline_bench --scaling 4000
    # acceptance: 100,000 postings end to end with 2 workers (target: under one hour)
    .venv/bin/python -m evaluation.bench.pipeline_bench --postings 100000 --workers 2

Also reachable as ``python -m evaluation.bench --pipeline N [--pipeline-postings M]``.

First the matcher is loaded once in the benchmark's process, which fills the shared embedding
cache (``MATCHER_HOME/cache``) with the taxonomy texts the coder needs (ESCO descriptions and
labels), as any first use does. Then each run gets a fresh output folder and a fresh copy of
that cache, so no run reuses posting text an earlier run encoded and every run starts from the
same state. Figures per run:

- ``postings_per_s``: records / (process + index wall time), workers already warm;
- ``end_to_end_postings_per_s`` and ``end_to_end_seconds``: from starting the cluster to the
  merged index (cluster start, model loading on every worker, hashing, processing, indexing);
- ``stage_seconds``, ``stage_cpu_seconds``: wall and CPU seconds per stage summed over workers
  (where the time goes; CPU seconds hold on a busy machine, wall seconds do not);
- for scaling: ``ratio`` = 2-worker / 1-worker ``postings_per_s`` (target >= 1.6) and the
  scaling efficiency ``ratio / 2``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCALING_TARGET = 1.6
END_TO_END_TARGET_S = 3600.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_input(n: int, folder: Path, *, seed: int = 0, files: int | None = None) -> list[Path]:
    """``n`` synthetic postings in JSON Lines files of at most 10,000 each."""
    from evaluation.synthetic_postings import generate, write_shards
    from matcher.settings import get_settings
    from matcher.sources import DataDir

    records = generate(DataDir(get_settings().data_dir), n, seed)
    return write_shards(records, folder, files or max(1, math.ceil(n / 10_000)))


def copy_cache(src: Path, dst: Path) -> Path:
    """A consistent copy of the SQLite embedding cache (backup API: includes its WAL)."""
    dst.mkdir(parents=True, exist_ok=True)
    target = dst / "embeddings-v2.sqlite"
    if src.is_file():
        with sqlite3.connect(src) as s, sqlite3.connect(target) as d:
            s.backup(d)
    return dst


def prime_cache() -> float:
    """Encode the taxonomy-side texts the coder needs (ESCO descriptions and labels) into the
    shared embedding cache once, as any first use does, so that the timed runs' copies hold
    them; returns the seconds it took (0 when they were there)."""
    import gc

    from matcher.pipeline.worker import RuntimeConfig, load_runtime
    from matcher.settings import get_settings

    started = time.monotonic()
    rt = load_runtime(RuntimeConfig.from_settings(get_settings(), threads=2))
    del rt
    gc.collect()
    return time.monotonic() - started


def run_once(
    inputs: list[Path], workers: int, work: Path, *, shard_size: int, base_cache: Path, threads: int = 1
) -> dict[str, Any]:
    from matcher.pipeline import RuntimeConfig, dask_client, run_pipeline
    from matcher.settings import get_settings

    cache = copy_cache(base_cache, work / f"cache-{workers}w")
    out = work / f"out-{workers}w"
    config = RuntimeConfig.from_settings(get_settings(), threads=threads, embedding_cache=str(cache))
    started = time.monotonic()
    with dask_client(workers=workers) as client:
        summary = run_pipeline(inputs, out, client, config, shard_size=shard_size)
    wall = time.monotonic() - started
    shutil.rmtree(cache, ignore_errors=True)
    return {
        "workers": workers,
        "threads_per_worker": threads,
        "records": summary["rows"],
        "shards": summary["shards"],
        "postings_per_s": summary["postings_per_s"],
        "end_to_end_seconds": round(wall, 1),
        "end_to_end_postings_per_s": round(summary["rows"] / wall, 2),
        "phases_seconds": summary["phases_seconds"],
        "worker_load_seconds": summary["worker_load_seconds"],
        "stage_seconds": summary["stage_seconds"],
        "stage_cpu_seconds": summary["stage_cpu_seconds"],
        "worker_cpu_seconds": summary["worker_cpu_seconds"],
        "stage_postings_per_s": summary["stage_postings_per_s"],
        "counts": summary["counts"],
        "sentences": summary["sentences"],
        "skills": summary["skills"],
        "needs_review": summary["needs_review"],
        "index": {k: summary["index"][k] for k in ("n", "nlist", "nprobe", "recall_at_10")}
        if summary.get("index")
        else None,
        "out": str(out),
    }


def measure(
    n: int = 4000,
    workers: tuple[int, ...] = (1, 2),
    *,
    shard_size: int | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Throughput of the same ``n`` synthetic postings with each worker count, and the ratio."""
    from matcher.settings import get_settings

    base_cache = get_settings().cache_dir / "embeddings-v2.sqlite"
    shard_size = shard_size or max(50, min(2000, n // 16))
    log("pipeline: loading the matcher once to fill the taxonomy side of the embedding cache ...")
    primed = prime_cache()
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-", dir=keep))
    try:
        inputs = write_input(n, work / "input")
        runs = []
        for w in workers:
            log(f"pipeline: {n} synthetic postings, {w} worker(s), shards of {shard_size} ...")
            r = run_once(inputs, w, work, shard_size=shard_size, base_cache=base_cache)
            log(
                f"  {r['postings_per_s']} postings/s (warm), {r['end_to_end_seconds']} s end to end, "
                f"stages {r['stage_seconds']}"
            )
            if keep is None:
                shutil.rmtree(r["out"], ignore_errors=True)
            runs.append(r)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    result: dict[str, Any] = {
        "input": f"{n} SYNTHETIC postings (evaluation/synthetic_postings.py, seed 0)",
        "cpu_count": os.cpu_count(),
        "prime_seconds": round(primed, 1),
        "runs": runs,
    }
    by_w = {r["workers"]: r["postings_per_s"] for r in runs}
    if 1 in by_w and 2 in by_w and by_w[1]:
        ratio = by_w[2] / by_w[1]
        result["ratio_2_vs_1"] = round(ratio, 3)
        result["scaling_efficiency"] = round(ratio / 2, 3)
        result["scaling_target_met"] = ratio >= SCALING_TARGET
    if len(runs) == 1:
        result["end_to_end_target_met"] = runs[0]["end_to_end_seconds"] < END_TO_END_TARGET_S
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scaling", type=int, metavar="N", help="N postings with 1 and with 2 workers.")
    ap.add_argument("--postings", type=int, metavar="N", help="N postings end to end (see --workers).")
    ap.add_argument("--workers", type=int, default=2, help="Workers for --postings (default 2).")
    ap.add_argument("--shard-size", type=int, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="Work under this folder and keep the outputs.")
    args = ap.parse_args()
    if not args.scaling and not args.postings:
        ap.error("give --scaling N and/or --postings N")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    report: dict[str, Any] = {}
    if args.scaling:
        report["scaling"] = measure(args.scaling, (1, 2), shard_size=args.shard_size, keep=args.keep)
    if args.postings:
        report["end_to_end"] = measure(
            args.postings, (args.workers,), shard_size=args.shard_size or 2000, keep=args.keep
        )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
