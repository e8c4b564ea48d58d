"""The hand-written int8 candidate search (:mod:`matcher.indexes.int8_candidates`: ONNX Runtime
``MatMulInteger`` over an int8 copy of the rows, then exact float32 re-scoring) against FAISS's
own scalar quantiser with exact re-scoring (``IndexScalarQuantizer`` 8-bit inside
``IndexRefineFlat``), on the same real queries and the same number of candidates per query.

    .venv/bin/python -m evaluation.bench.int8_vs_faiss [--repeat 3] [--only linker search] [--write]

Two workloads, as the product runs them:

- **linker**: the skill linker's batched searches of the ESCO labels (99,074 rows), O*NET
  technology, tools and DWAs, with the query vectors and ``k`` recorded while the extractor ran
  over the 200 real adverts (``postings_adzuna_sample.jsonl``);
- **search**: ``GET /occupations/search`` over the 61,012 O*NET titles, ``k`` 240 (what
  ``top_unique`` fetches for 10 occupations), 1,000 real job titles from the titles dev file as
  queries, one at a time and in batches of 16 (what the search batcher gathers under load).

Accuracy is measured against FAISS's exact flat search: a query counts as differing when its
k float32 scores differ from the flat index's by more than 1e-5 at any rank (rows tied in score
may come in any order). Each method runs ``--repeat`` interleaved rounds on 2 threads; the best
round, the median and the median CPU time (all threads) are reported, since a shared machine
inflates single rounds by up to 10x.
Needs built indexes (``MATCHER_HOME``); the extractor writes new span vectors to the embedding
cache there, so point ``MATCHER_HOME`` at a writable copy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from matcher.indexes.vector_index import INT8_CHUNK, INT8_EXTRA, VectorIndex, faiss

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
THREADS = 2


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def linker_queries(matcher) -> dict[str, list[tuple[np.ndarray, int]]]:  # type: ignore[no-untyped-def]
    """(query batch, k) of every linker search while the extractor runs over the 200 adverts."""
    adverts = [json.loads(x) for x in (EVAL / "postings_adzuna_sample.jsonl").open()]
    texts = [f"{a.get('title', '')}\n{a.get('description', '')}".strip() for a in adverts]
    ex = matcher.extractor
    calls: dict[str, list[tuple[np.ndarray, int]]] = {}
    searched = {id(ix): name for name, ix in ex.linker.indexes.items()}
    original = VectorIndex.search

    def recording(self: VectorIndex, queries: np.ndarray, k: int):  # type: ignore[no-untyped-def]
        if id(self) in searched and len(np.atleast_2d(queries)) > 1:
            calls.setdefault(self.name, []).append((np.array(np.atleast_2d(queries), np.float32), k))
        return original(self, queries, k)

    VectorIndex.search = recording  # type: ignore[method-assign]
    try:
        for b in range(0, len(texts), 50):
            ex.extract_many(texts[b : b + 50], kind="posting")
    finally:
        VectorIndex.search = original  # type: ignore[method-assign]
    return calls


def title_queries(matcher, n: int = 1000) -> np.ndarray:  # type: ignore[no-untyped-def]
    titles = []
    for line in (EVAL / "titles_jobbert_esco.dev.jsonl").open():
        titles.append(json.loads(line)["title"])
        if len(titles) == n:
            break
    return matcher.encoder.encode(titles)


def fetch_for(k: int) -> int:
    """Candidates per query, as :meth:`VectorIndex._int8_top` takes them."""
    return k + max(INT8_EXTRA, k // 2)


class FaissSQRefine:
    """FAISS's 8-bit scalar quantiser (one range per dimension, trained on the rows) inside
    ``IndexRefineFlat``: candidates from the quantised codes, re-scored on the float32 rows."""

    def __init__(self, rows: np.ndarray, qtype: int) -> None:
        self.base = faiss.IndexScalarQuantizer(rows.shape[1], qtype, faiss.METRIC_INNER_PRODUCT)
        self.base.train(rows)
        self.index = faiss.IndexRefineFlat(self.base)
        self.index.add(rows)

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        params = faiss.IndexRefineSearchParameters(k_factor=fetch_for(k) / k)
        out_s = np.empty((len(q), k), np.float32)
        out_r = np.empty((len(q), k), np.int64)
        for a in range(0, len(q), INT8_CHUNK):  # the same chunks as the int8 path
            s, r = self.index.search(q[a : a + INT8_CHUNK], k, params=params)
            out_s[a : a + len(s)], out_r[a : a + len(s)] = s, r
        return out_s, out_r


def differing(scores: np.ndarray, exact: np.ndarray) -> int:
    return int((np.abs(scores - exact) > 1e-5).any(axis=1).sum())


def timed(fn, batches) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall seconds and CPU seconds (all threads of this process) for all batches."""
    t, c = time.perf_counter(), time.process_time()
    for q, k in batches:
        fn(q, k)
    return time.perf_counter() - t, time.process_time() - c


def compare(name: str, rows: np.ndarray, batches: list[tuple[np.ndarray, int]], repeat: int) -> dict:
    """Time and check the int8 path, FAISS SQ8 + refine (per-dimension and uniform ranges) and
    the flat index on the same (queries, k) batches."""
    flat = VectorIndex.from_vectors(name, [""] * len(rows), [""] * len(rows), rows)
    int8 = VectorIndex.from_vectors(name, [""] * len(rows), [""] * len(rows), rows)
    t = time.perf_counter()
    int8.enable_int8_candidates()
    setups = {"int8 (ONNX Runtime MatMulInteger)": time.perf_counter() - t}
    methods = {"int8 (ONNX Runtime MatMulInteger)": int8.search}
    for label, qtype in (
        ("FAISS SQ8 + RefineFlat", faiss.ScalarQuantizer.QT_8bit),
        ("FAISS SQ8 uniform + RefineFlat", faiss.ScalarQuantizer.QT_8bit_uniform),
    ):
        t = time.perf_counter()
        index = FaissSQRefine(rows, qtype)
        setups[label] = time.perf_counter() - t
        methods[label] = index.search
    methods["FAISS flat (exact)"] = flat.index.search
    setups["FAISS flat (exact)"] = 0.0
    exact = [flat.index.search(q, k)[0] for q, k in batches]
    runs: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
    for _ in range(repeat):
        for m, fn in methods.items():
            runs[m].append(timed(fn, batches))
    n_queries = sum(len(q) for q, _ in batches)
    out = []
    for m, fn in methods.items():
        diff = sum(differing(fn(q, k)[0], e) for (q, k), e in zip(batches, exact, strict=True))
        wall = [w for w, _ in runs[m]]
        cpu = [c for _, c in runs[m]]
        out.append(
            {
                "method": m,
                "best_seconds": round(min(wall), 4),
                "median_seconds": round(statistics.median(wall), 4),
                "cpu_seconds_median": round(statistics.median(cpu), 4),
                "runs": [round(w, 4) for w in wall],
                "best_ms_per_query": round(min(wall) / n_queries * 1000, 4),
                "queries_differing_from_flat": diff,
                "setup_seconds": round(setups[m], 2),
            }
        )
    return {"index": name, "rows": len(rows), "queries": n_queries, "calls": len(batches), "methods": out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", choices=("linker", "search"), default=["linker", "search"])
    ap.add_argument("--batches", nargs="*", type=int, default=[1, 4, 16], help="Search batch sizes.")
    ap.add_argument(
        "--write", action="store_true", help="Write evaluation/bench/results/<date>-<sha>-int8-vs-faiss.json."
    )
    args = ap.parse_args()
    from evaluation.bench.__main__ import cpu_description
    from evaluation.run_all import git_sha
    from matcher.engine import Matcher

    faiss.omp_set_num_threads(THREADS)
    matcher = Matcher.load()
    calls = {}
    if "linker" in args.only:
        log("recording the linker's searches over the 200 adverts ...")
        calls = linker_queries(matcher)
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_sha(),
        "cpu": cpu_description(),
        "threads": THREADS,
        "workloads": [],
    }
    for name, batches in sorted(calls.items(), key=lambda kv: -len(matcher.indexes[kv[0]])):
        log(f"linker: {name} ({len(batches)} calls, {sum(len(q) for q, _ in batches)} queries) ...")
        row = compare(name, np.array(matcher.indexes[name].matrix), batches, args.repeat)
        report["workloads"].append({"workload": "linker", **row})
        log(f"  {row}")
    if "search" in args.only:
        q = title_queries(matcher)
        rows = np.array(matcher.indexes["occupation_titles"].matrix)
        for batch in args.batches:  # one query alone; what the search batcher gathers under load
            log(f"search: 1,000 job titles in batches of {batch} over occupation_titles, k 240 ...")
            row = compare(
                "occupation_titles",
                rows,
                [(q[i : i + batch], 240) for i in range(0, len(q), batch)],
                args.repeat,
            )
            report["workloads"].append({"workload": f"search, batches of {batch}", **row})
            log(f"  {row}")
    text = json.dumps(report, indent=2)
    if args.write:
        out = (
            ROOT
            / "evaluation"
            / "bench"
            / "results"
            / f"{datetime.now(UTC):%Y-%m-%d}-{report['commit']}-int8-vs-faiss.json"
        )
        out.write_text(text + "\n")
        log(f"wrote {out.relative_to(ROOT)}")
    print(text)


if __name__ == "__main__":
    main()
