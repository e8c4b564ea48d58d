"""Fitting the score calibration and measuring it: an isotonic map from an occupation's
log-softmax share to the chance the program prepares for it (see
:class:`matcher.align.model.Calibration`), and a reliability table with its expected
calibration error (ECE), cross-validated over the same folds as the rankers."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression

from matcher.align.model import Calibration, log_softmax

TOP = 10  # calibrated on each program's top ten, the occupations a user reads
BINS = 10


def top_items(logits: list[np.ndarray], labels: np.ndarray, k: int = TOP) -> tuple[np.ndarray, np.ndarray]:
    """(log-softmax shares, labels) of each program's ``k`` best-ranked occupations: (n, k)."""
    s, y = [], []
    for lg, lab in zip(logits, labels, strict=True):
        order = np.argsort(-lg, kind="stable")[:k]
        s.append(log_softmax(lg)[order])
        y.append(lab[order])
    return np.array(s), np.array(y, dtype=np.float64)


def fit_calibration(shares: np.ndarray, labels: np.ndarray) -> Calibration:
    """Isotonic regression, then one knot per block at its mean share with the block's rate
    smoothed by one pseudo-count each way ((hits + 1) / (n + 2)): strictly increasing, never 0
    or 1."""
    x, y = shares.ravel(), labels.ravel()
    fitted = IsotonicRegression(out_of_bounds="clip").fit(x, y).predict(x)
    xs, ys = [], []
    for v in np.unique(fitted):
        block = fitted == v
        xs.append(float(x[block].mean()))
        ys.append((float(y[block].sum()) + 1.0) / (float(block.sum()) + 2.0))
    order = np.argsort(xs)
    xs_a, ys_a = np.array(xs)[order], np.maximum.accumulate(np.array(ys)[order])
    keep = np.concatenate([[True], np.diff(ys_a) > 0])  # strictly increasing
    return Calibration(xs_a[keep], ys_a[keep])


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = BINS) -> dict[str, Any]:
    """Reliability table (equal-width bins of the score) and expected calibration error."""
    p, y = probs.ravel(), labels.ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows, ece = [], 0.0
    for j in range(bins):
        lo, hi = edges[j], edges[j + 1]
        m = (p >= lo) & ((p < hi) if j < bins - 1 else (p <= hi))
        if not m.any():
            continue
        mean_p, rate = float(p[m].mean()), float(y[m].mean())
        ece += m.sum() / len(p) * abs(mean_p - rate)
        row = {"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "mean_score": round(mean_p, 4)}
        rows.append(row | {"observed": round(rate, 4)})
    return {"ece": round(float(ece), 4), "n": int(len(p)), "table": rows}


def cross_validated(shares: np.ndarray, labels: np.ndarray, folds: np.ndarray) -> dict[str, Any]:
    """Each fold's scores from a calibration fitted on the other folds; ECE over the top ten and
    over the first-ranked occupation."""
    probs = np.zeros_like(labels)
    for f in np.unique(folds):
        test = folds == f
        cal = fit_calibration(shares[~test], labels[~test])
        probs[test] = np.interp(shares[test], cal.x, cal.y)
    top = reliability(probs, labels)
    first = reliability(probs[:, :1], labels[:, :1])
    return {"top10": top, "top1": first}
