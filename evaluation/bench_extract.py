"""Throughput of skill extraction on the 200 real adverts of ``postings_adzuna_sample.jsonl``.

    .venv/bin/python -m evaluation.bench_extract [--file PATH] [--batch 50] [--repeat 3] [--json]

Warm means: the matcher, spaCy, the span tagger, the phrase table and the encoder are loaded and
have run once on other text, and the loaded objects are frozen out of the garbage collector's
full collections, as the service does at start-up. Each timed run starts with an empty span memo, so no advert
benefits from an earlier run (repeated phrases *within* a run are served from the memo, as in
production). Adverts are extracted with ``kind="posting"`` in batches of ``--batch``, title and
description together. Reports adverts/s (median of the runs), skills per advert, adverts with
no skill, and what was extracted by method and taxonomy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "postings_adzuna_sample.jsonl"
WARM_UP = [
    "We are looking for a forklift driver with a valid licence and good communication skills.",
    "Students learn MIG and TIG welding, blueprint reading and shop safety.",
    "Experience with Python, SQL and Microsoft Excel is essential; Agile a plus.",
]


def measure(argv: list[str] | None = None) -> dict:
    """Run the benchmark (``argv``: this module's options; none = defaults) and return the report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args([] if argv is None else argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from matcher.engine import Matcher
    from matcher.runtime.gc_freeze import freeze_loaded_objects

    adverts = [json.loads(x) for x in args.file.open()]
    texts = [f"{a.get('title', '')}\n{a.get('description', '')}".strip() for a in adverts]
    t0 = time.monotonic()
    matcher = Matcher.load()
    ex = matcher.extractor
    ex.warm()
    ex.extract_many(WARM_UP, kind="posting")
    freeze_loaded_objects()  # as the service does after start-up
    load_s = time.monotonic() - t0
    runs, results = [], []
    for n in range(args.repeat):
        ex.encoder.clear()
        start = time.perf_counter()
        results = []
        for b in range(0, len(texts), args.batch):
            results += ex.extract_many(texts[b : b + args.batch], kind="posting")
        seconds = time.perf_counter() - start
        runs.append({"seconds": round(seconds, 2), "adverts_per_s": round(len(texts) / seconds, 1)})
        print(f"run {n + 1}: {len(texts)} adverts in {seconds:.2f} s = {len(texts) / seconds:.1f} adverts/s")
    per = [len(r) for r in results]
    by_method: dict[str, int] = {}
    by_tax: dict[str, int] = {}
    for r in results:
        for s in r:
            by_method[s.method] = by_method.get(s.method, 0) + 1
            by_tax[s.taxonomy] = by_tax.get(s.taxonomy, 0) + 1
    report = {
        "adverts": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "batch": args.batch,
        "runs": runs,
        "adverts_per_s_median": statistics.median(r["adverts_per_s"] for r in runs),
        "skills_per_advert": round(sum(per) / len(per), 1),
        "adverts_without_skill": sum(1 for p in per if p == 0),
        "by_method": by_method,
        "by_taxonomy": by_tax,
        "texts_encoded_last_run": ex.encoder.encoded,
        "torch_threads": torch.get_num_threads(),
        "load_and_warm_seconds": round(load_s, 1),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "versions": ex.versions,
    }
    return report


def main() -> None:
    report = measure(sys.argv[1:])
    full = "--json" in sys.argv[1:]
    print(json.dumps(report, indent=2) if full else json.dumps({k: report[k] for k in list(report)[:9]}))


if __name__ == "__main__":
    main()
