"""Fit the occupation coder's confidence and its abstention threshold on labelled job titles.

    .venv/bin/python -m evaluation.calibrate_coder [--file ../shared/eval/titles_jobbert_esco.dev.jsonl]
        [--precision 0.7] [--write]

Data: the JobBERT dev titles whose ESCO occupation crosswalks to O*NET (``gold_onet``); each
title is coded as a posting with an empty description. The event is "the top code's 6-digit SOC
is one of the gold SOCs". Records with an even line index fit ``sigmoid(a*top + b*margin + c)``
(logistic regression) and pick the threshold: the lowest confidence at which the coded postings
reach the target precision. Records with an odd index report calibration (Brier, expected
calibration error) and the precision/coverage trade-off. ``--write`` stores the result in
``matcher/postings/coder_calibration.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from matcher.engine import Matcher
from matcher.postings.coding import Calibration, OccupationCoder
from matcher.postings.record import PostingRecord

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "eval" / "titles_jobbert_esco.dev.jsonl"
OUT = REPO / "matcher" / "postings" / "coder_calibration.json"


def features(coder: OccupationCoder, titles: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    postings = [PostingRecord(title=t, description="") for t in titles]
    scores = coder.combine(coder.signals(postings))
    codes = coder._codes
    tops, margins, best = [], [], []
    for row in scores:
        order = np.argsort(-row)[:40]
        b = codes[order[0]]
        other = next((row[j] for j in order[1:] if codes[j][:7] != b[:7]), row[order[0]])
        tops.append(row[order[0]])
        margins.append(row[order[0]] - other)
        best.append(b)
    return np.asarray(tops), np.asarray(margins), best


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if sel.any():
            total += sel.mean() * abs(p[sel].mean() - y[sel].mean())
    return float(total)


def tradeoff(p: np.ndarray, y: np.ndarray, thresholds: list[float]) -> list[dict[str, float]]:
    rows = []
    for t in thresholds:
        sel = p >= t
        rows.append(
            {
                "threshold": t,
                "coverage": round(float(sel.mean()), 4),
                "precision": round(float(y[sel].mean()) if sel.any() else float("nan"), 4),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--precision", type=float, default=0.7, help="target precision of coded postings")
    ap.add_argument("--write", action="store_true", help="write matcher/postings/coder_calibration.json")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    recs = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
    recs = [r for r in recs if r.get("gold_onet")]
    coder = OccupationCoder.from_matcher(Matcher.load())
    top, margin, best = features(coder, [r["title"] for r in recs])
    y = np.asarray([b[:7] in {g[:7] for g in r["gold_onet"]} for b, r in zip(best, recs, strict=True)], float)
    X = np.c_[top, margin]
    fit = np.arange(len(recs)) % 2 == 0
    model = LogisticRegression(C=100.0).fit(X[fit], y[fit])
    a, b = (float(v) for v in model.coef_[0])
    c = float(model.intercept_[0])
    cal = Calibration(a, b, c, 0.5)
    p = np.asarray([cal.confidence(t, m) for t, m in zip(top, margin, strict=True)])
    grid = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]
    fit_rows = tradeoff(p[fit], y[fit], grid)
    threshold = next((r["threshold"] for r in fit_rows if r["precision"] >= args.precision), grid[-1])
    held = ~fit
    report = {
        "n_fit": int(fit.sum()),
        "n_held_out": int(held.sum()),
        "top1_accuracy_held_out": round(float(y[held].mean()), 4),
        "a": round(a, 4),
        "b": round(b, 4),
        "c": round(c, 4),
        "threshold": threshold,
        "target_precision": args.precision,
        "brier_held_out": round(float(np.mean((p[held] - y[held]) ** 2)), 4),
        "ece_held_out": round(ece(p[held], y[held]), 4),
        "at_threshold_held_out": tradeoff(p[held], y[held], [threshold])[0],
        "tradeoff_held_out": tradeoff(p[held], y[held], grid),
    }
    print(json.dumps(report, indent=2))
    if args.write:
        OUT.write_text(
            json.dumps(
                {
                    "a": report["a"],
                    "b": report["b"],
                    "c": report["c"],
                    "threshold": threshold,
                    "fitted_on": f"{args.file.name} (even lines, n={report['n_fit']}); "
                    f"target precision {args.precision}; coder {coder.version}",
                },
                indent=2,
            )
            + "\n"
        )
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
