"""The `skills` benchmark, one idea at a time (the table in RESULTS.md, section Skills).

    .venv/bin/python -m evaluation.ablate_skills [--weights]

Each row adds one part of the ``default`` method to the previous row, on both TechWolf dev
files; ``--weights`` also shows the fusion weights chosen on one file and scored on the other.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from matcher.evaluation.tasks.skills import score
from matcher.extract.types import Method
from matcher.scoring.records import read_records

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FILES = {n: EVAL / f"skills_techwolf_{n}_validation.dev.jsonl" for n in ("house", "tech")}
P, M, E = Method.PATTERN, Method.MODEL, Method.EXACT
# (row, sources, acronyms, pref_share, w_exact, w_prior)
STEPS = [
    ("sentence vs preferred labels (= embedding baseline)", (), False, 1.0, 0.0, 0.0),
    ("+ alternative labels (mean of preferred and best label)", (), False, 0.5, 0.0, 0.0),
    ("+ noun phrases and verb-object phrases (max over spans)", (P,), False, 0.5, 0.0, 0.0),
    ("+ span-tagger spans", (P, M), False, 0.5, 0.0, 0.0),
    ("+ exact label mentions (span and +0.1 bonus)", (P, M, E), False, 0.5, 0.1, 0.0),
    ("+ taxonomy acronyms spelled out", (P, M, E), True, 0.5, 0.1, 0.0),
    ("+ transversal-skill prior (+0.05) = default", (P, M, E), True, 0.5, 0.1, 0.05),
    ("default without patterns (tagger + exact only)", (M, E), True, 0.5, 0.1, 0.05),
    ("default without the span tagger", (P, E), True, 0.5, 0.1, 0.05),
]


def run(ex, records, sources, acronyms, pref_share, w_exact, w_prior, w_span=1.0) -> dict:  # type: ignore[no-untyped-def]
    r = ex.esco_ranker
    saved = (r.w_span, r.w_exact, r.w_prior, r.pref_share)
    r.w_span, r.w_exact, r.w_prior, r.pref_share = w_span, w_exact, w_prior, pref_share
    try:
        labels = {s.uri: s.label for s in ex.catalog.esco_skills.values()}
        ranked = ex.rank_esco(
            [str(x.inputs["text"]) for x in records], k=10, sources=sources, acronyms=acronyms
        )
        return score(records, [[labels[u] for u, _ in row] for row in ranked])
    finally:
        r.w_span, r.w_exact, r.w_prior, r.pref_share = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from matcher.engine import Matcher

    started = time.monotonic()
    ex = Matcher.load().extractor
    recs = {
        n: read_records(f, required_inputs=("text",), gold_fields=("gold_esco_labels",))
        for n, f in FILES.items()
    }
    print("| idea | house rp@5 | rp@10 | mrr | tech rp@5 | rp@10 | mrr |")
    print("|---|---|---|---|---|---|---|")
    for name, *cfg in STEPS:
        cells = []
        for n in FILES:
            m = run(ex, recs[n], *cfg)
            cells += [f"{m['rp@5']:.3f}", f"{m['rp@10']:.3f}", f"{m['mrr']:.3f}"]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    if args.weights:
        grid = [(ws, wp) for ws in (0.7, 1.0, 1.3) for wp in (0.0, 0.05, 0.1)]
        full = ((P, M, E), True, 0.5, 0.1)
        res = {
            n: {g: run(ex, recs[n], *full, w_prior=g[1], w_span=g[0])["rp@5"] for g in grid} for n in FILES
        }
        for a, b in (("house", "tech"), ("tech", "house")):
            best = max(grid, key=lambda g: res[a][g])
            print(
                f"weights chosen on {a}: w_span={best[0]}, w_prior={best[1]} "
                f"-> {a} rp@5 {res[a][best]:.3f}, {b} rp@5 {res[b][best]:.3f} "
                f"(default 1.0/0.05 on {b}: {res[b][(1.0, 0.05)]:.3f})"
            )
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
