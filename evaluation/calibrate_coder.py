"""Fit the occupation coder's signal weights, check its confidence and pick its abstention
threshold on job titles labelled with SOC codes.

    .venv/bin/python -m evaluation.calibrate_coder [--file ../shared/eval/titles_h2b_us_employers.dev.jsonl]
        [--precision 0.8] [--folds 5] [--write] [--report evaluation/results/coder-calibration.json]

Data: titles with ``gold_soc`` (the H-2B employer titles by default), each coded as a posting with
an empty description. The model is the conditional logit of :mod:`matcher.postings.coding`:
``P(c) = softmax(sum_f w_f * signal_f(c))``, fitted by maximum likelihood of the gold 6-digit SOC
(the probability of all O*NET-SOC codes under a gold SOC) with a small L2 penalty.

Everything reported is cross-validated: the titles are split into ``--folds`` folds *grouped by
their gold SOC* (all titles of one occupation in the same fold, so a fold is scored with weights
fitted on other occupations only), and each fold is scored with the weights fitted on the
others. Reported: SOC hit@1/@5, the reliability table of the confidence (the probability of the
best code's SOC) in ten bins with the expected calibration error, the abstention curve (accuracy
of the coded share when the least confident 10/20/30 % are left for review), and the threshold:
the lowest confidence at which the out-of-fold coded titles reach ``--precision``. ``--write``
stores the weights fitted on all titles and that threshold in
``matcher/postings/coder_calibration.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "eval" / "titles_h2b_us_employers.dev.jsonl"
OUT = REPO / "matcher" / "postings" / "coder_calibration.json"
L2 = 1e-3
SEED = 13


def fit_weights(features: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Conditional-logit weights: ``features`` (n, codes, f), ``gold`` (n, codes) booleans."""
    keep = gold.any(axis=1)
    x, g = features[keep], gold[keep]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        z = e.sum(axis=1)
        eg = e * g
        zg = eg.sum(axis=1) + 1e-300
        nll = -(np.log(zg) - np.log(z)).mean() + L2 * w @ w
        p_all = e / z[:, None]
        p_gold = eg / zg[:, None]
        grad = -np.einsum("nc,ncf->f", p_gold - p_all, x) / len(x) + 2 * L2 * w
        return float(nll), grad

    w0 = np.full(features.shape[2], 0.3)
    return minimize(loss, w0, jac=True, method="L-BFGS-B").x


def softmax(scores: np.ndarray) -> np.ndarray:
    z = np.exp(scores - scores.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def soc_outcomes(probs: np.ndarray, codes: list[str], gold: list[set[str]]) -> dict[str, np.ndarray]:
    """Per title: confidence (probability of the best code's SOC), hit@1, hit@5 (distinct SOCs)."""
    socs = np.asarray([c[:7] for c in codes])
    conf, h1, h5 = [], [], []
    for i, row in enumerate(probs):
        order = np.argsort(-row)[:60]
        seen: list[str] = []
        for j in order:
            if socs[j] not in seen:
                seen.append(str(socs[j]))
            if len(seen) == 5:
                break
        conf.append(float(row[socs == seen[0]].sum()))
        h1.append(seen[0] in gold[i])
        h5.append(bool(set(seen) & gold[i]))
    return {"confidence": np.asarray(conf), "hit1": np.asarray(h1, float), "hit5": np.asarray(h5, float)}


def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[list[dict], float]:
    edges = np.linspace(0, 1, bins + 1)
    rows, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if not sel.any():
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": 0})
            continue
        gap = abs(conf[sel].mean() - correct[sel].mean())
        ece += sel.mean() * gap
        rows.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": int(sel.sum()),
                "confidence": round(float(conf[sel].mean()), 4),
                "accuracy": round(float(correct[sel].mean()), 4),
            }
        )
    return rows, round(float(ece), 4)


def abstention(conf: np.ndarray, correct: np.ndarray, shares: tuple[float, ...]) -> list[dict]:
    order = np.argsort(conf, kind="stable")
    rows = []
    for share in shares:
        k = int(round(share * len(conf)))
        kept = order[k:]
        rows.append(
            {
                "abstained": share,
                "coded": len(kept),
                "accuracy_of_coded": round(float(correct[kept].mean()), 4),
                "confidence_at_cut": round(float(conf[order[k]]), 4) if k < len(conf) else None,
            }
        )
    return rows


def threshold_for(conf: np.ndarray, correct: np.ndarray, precision: float) -> float:
    """The lowest confidence (on a 0.05 grid) at which the coded titles reach ``precision``."""
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        sel = conf >= t
        if sel.any() and correct[sel].mean() >= precision:
            return float(t)
    return 0.95


def folds_by_group(groups: list[str], k: int) -> np.ndarray:
    unique = sorted(set(groups))
    rng = np.random.default_rng(SEED)
    rng.shuffle(unique)
    # largest groups first onto the currently smallest fold, so folds are of similar size
    sizes = {g: groups.count(g) for g in unique}
    load = [0] * k
    fold_of: dict[str, int] = {}
    for g in sorted(unique, key=lambda g: -sizes[g]):
        f = int(np.argmin(load))
        fold_of[g] = f
        load[f] += sizes[g]
    return np.asarray([fold_of[g] for g in groups])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--precision", type=float, default=0.8, help="target precision of coded titles")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="write matcher/postings/coder_calibration.json")
    ap.add_argument("--report", type=Path, default=None, help="also write the report to this JSON file")
    args = ap.parse_args()

    from matcher.engine import Matcher
    from matcher.postings.coding import FEATURES, OccupationCoder
    from matcher.postings.record import PostingRecord

    recs = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
    recs = [r for r in recs if r.get("gold_soc")]
    gold = [set(r["gold_soc"]) for r in recs]
    coder = OccupationCoder.from_matcher(Matcher.load())
    sig = coder.signals([PostingRecord(title=r["title"], description="") for r in recs])
    codes = coder._codes
    features = np.stack([np.asarray(sig.matrices[f], np.float64) for f in FEATURES], axis=-1)
    socs = np.asarray([c[:7] for c in codes])
    gold_mask = np.stack([np.isin(socs, sorted(g)) for g in gold])

    groups = [sorted(g)[0] for g in gold]
    fold = folds_by_group(groups, args.folds)
    oof = np.zeros(gold_mask.shape)
    fold_weights = []
    for k in range(args.folds):
        train, test = fold != k, fold == k
        w = fit_weights(features[train], gold_mask[train])
        fold_weights.append([round(float(v), 4) for v in w])
        oof[test] = softmax(features[test] @ w)
    cv = soc_outcomes(oof, codes, gold)
    table, ece = reliability(cv["confidence"], cv["hit1"])
    threshold = threshold_for(cv["confidence"], cv["hit1"], args.precision)
    coded = cv["confidence"] >= threshold
    weights = fit_weights(features, gold_mask)
    full = soc_outcomes(softmax(features @ weights), codes, gold)
    report = {
        "file": args.file.name,
        "n": len(recs),
        "coder": coder.version,
        "folds": args.folds,
        "grouped_by": "gold SOC (first code)",
        "cv": {
            "soc_hit@1": round(float(cv["hit1"].mean()), 4),
            "soc_hit@5": round(float(cv["hit5"].mean()), 4),
            "ece": ece,
            "brier": round(float(np.mean((cv["confidence"] - cv["hit1"]) ** 2)), 4),
            "reliability": table,
            "abstention": abstention(cv["confidence"], cv["hit1"], (0.0, 0.1, 0.2, 0.3)),
            "at_threshold": {
                "threshold": threshold,
                "target_precision": args.precision,
                "coded_share": round(float(coded.mean()), 4),
                "precision": round(float(cv["hit1"][coded].mean()), 4) if coded.any() else None,
            },
            "fold_weights": fold_weights,
        },
        "in_sample": {
            "soc_hit@1": round(float(full["hit1"].mean()), 4),
            "soc_hit@5": round(float(full["hit5"].mean()), 4),
        },
        "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, weights, strict=True)},
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text + "\n")
    if args.write:
        payload = {
            "weights": report["weights"],
            "threshold": threshold,
            "fitted_on": f"{args.file.name} (n={len(recs)}); threshold: out-of-fold precision "
            f"{args.precision} ({args.folds} folds grouped by gold SOC); coder {coder.version}",
        }
        OUT.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
