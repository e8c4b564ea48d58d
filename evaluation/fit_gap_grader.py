"""Fit the gap grader (two logistic models over the features of :mod:`matcher.gaps.grading`) on
hand-labelled curricula, and report program-grouped cross-validated metrics.

    python -m evaluation.fit_gap_grader --file ../shared/eval/gaps_nj_etpl.dev.jsonl \
        --file datasets/fixtures/syllabi/labels.jsonl [--write]

Every figure printed is out-of-fold: the programs of all ``--file``s together are split into
``--folds`` groups; each group is graded by models (and thresholds) fitted on the others only,
and the figures are given for all labels and for each file. ``--write`` then fits on every label
and stores the models with those cross-validated figures in ``matcher/resources/gap_grader.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from matcher.evaluation.context import EvalContext
from matcher.evaluation.tasks.gaps import record_program, requirement_objects, score_grades, split_gold
from matcher.gaps.grading import GradeModel
from matcher.scoring.records import read_records

RESOURCE = Path(__file__).resolve().parent.parent / "matcher" / "resources" / "gap_grader.json"
C = 0.5  # inverse L2 strength (features are standardised)
log = logging.getLogger("fit_gap_grader")


def featurize(file: Path, cache: Path | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        tag = hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:8]
        cache = cache / f"{file.stem}-{tag}.npz"
        if cache.is_file() and cache.stat().st_mtime >= file.stat().st_mtime:
            z = np.load(cache, allow_pickle=True)
            return z["X"], z["y"], z["groups"], list(z["keys"])
    ctx = EvalContext()
    analyzer = ctx.matcher.gap_analyzer
    records = read_records(file, required_inputs=("occupation", "requirements"), gold_fields=())
    X, y, groups, keys = [], [], [], []
    for n, r in enumerate(records, 1):
        inputs, gold = split_gold(r.inputs)
        program = record_program(inputs, file.parent)
        code = ctx.catalog.occupation(inputs["occupation"]["code"]).code
        reqs = requirement_objects(ctx.catalog, inputs)
        ev = analyzer.read(program)
        for req, f in zip(reqs, analyzer.featurize(ev, code, reqs), strict=True):
            if f is None:
                continue
            X.append(f[0].features)
            y.append(gold["labels"][(req.taxonomy, req.id)])
            groups.append(f"{file.parent.name}/{file.stem}/{inputs.get('id', n)}")
            keys.append((req.taxonomy, req.id))
        log.info("%d/%d %s", n, len(records), inputs.get("id"))
    out = np.stack(X), np.array(y), np.array(groups), keys
    if cache:
        np.savez(cache, X=out[0], y=out[1], groups=out[2], keys=np.array(keys, dtype=object))
    return out


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    keep = y != 1
    p, g = pred[keep], y[keep]
    tp, fp, fn = ((p) & (g == 2)).sum(), ((p) & (g == 0)).sum(), ((~p) & (g == 2)).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def fit(X: np.ndarray, y: np.ndarray, meta: dict) -> GradeModel:
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    partly = LogisticRegression(C=C, max_iter=5000).fit(Z, y >= 1)
    keep = y != 1
    taught = LogisticRegression(C=C, max_iter=5000).fit(Z[keep], y[keep] >= 2)
    model = GradeModel(
        mean,
        scale,
        partly.coef_[0],
        float(partly.intercept_[0]),
        taught.coef_[0],
        float(taught.intercept_[0]),
        0.5,
        0.5,
        meta,
    )
    p_partly, p_taught = model.probabilities(X)
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    t_partly = max(grid, key=lambda t: _f1(p_partly >= t, y))
    covered = p_partly >= t_partly

    def accuracy(t: float) -> float:
        grade = np.where(covered & (p_taught >= t), 2, np.where(covered, 1, 0))
        return float((grade == y).mean())

    t_taught = max(grid, key=accuracy)
    return GradeModel(
        model.mean,
        model.scale,
        model.coef_partly,
        model.intercept_partly,
        model.coef_taught,
        model.intercept_taught,
        float(t_partly),
        float(t_taught),
        meta,
    )


def out_of_fold(X: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> np.ndarray:
    """Each label's grade from models fitted on the other folds (folds grouped by program)."""
    pred = np.zeros(len(y), dtype=int)
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(X, y, groups):
        grades, _, _ = fit(X[train], y[train], {}).grades(X[test])
        pred[test] = [int(g) for g in grades]
    return pred


def figures(y: np.ndarray, pred: np.ndarray, groups: np.ndarray, keys: list) -> dict[str, float]:
    golds, preds = [], []
    for g in dict.fromkeys(groups):
        sel = np.flatnonzero(groups == g)
        golds.append({tuple(keys[i]): int(y[i]) for i in sel})
        preds.append({tuple(keys[i]): int(pred[i]) for i in sel})
    return {k: round(v, 4) for k, v in score_grades(golds, preds).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, action="append", required=True, help="a labelled file (repeatable)")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--cache", type=Path, help="keep each file's features in this folder between runs")
    ap.add_argument("--write", action="store_true", help=f"store the fitted models in {RESOURCE.name}")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parts = [featurize(f, args.cache) for f in args.file]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    groups = np.concatenate([p[2] for p in parts])
    keys = [k for p in parts for k in p[3]]
    names = [f"{f.parent.name}/{f.name}" for f in args.file]
    source = np.concatenate([np.full(len(p[1]), n) for n, p in zip(names, parts, strict=True)])
    pred = out_of_fold(X, y, groups, args.folds)
    cv = figures(y, pred, groups, keys)
    per_file = {}
    if len(args.file) > 1:
        for name in names:
            sel = np.flatnonzero(source == name)
            per_file[name] = figures(y[sel], pred[sel], groups[sel], [keys[i] for i in sel])
    print(
        json.dumps(
            {"cross_validated": cv, "per_file": per_file, "labels": len(y), "programs": len(set(groups))},
            indent=2,
        )
    )
    if args.write:
        fitted_on = ", ".join(
            f"{n} ({len(set(p[2]))} programs, {len(p[1])} labels)" for n, p in zip(names, parts, strict=True)
        )
        meta = {
            "name": "gap-grader-lr-v2",
            "fitted_on": fitted_on,
            "cross_validated": {"folds": args.folds, "grouped_by": "program", **cv, "per_file": per_file},
            "date": datetime.now(UTC).date().isoformat(),
        }
        model = fit(X, y, meta)
        RESOURCE.write_text(json.dumps(model.to_dict(), indent=1) + "\n")
        print(
            f"wrote {RESOURCE} (thresholds partly {model.threshold_partly}, taught {model.threshold_taught})"
        )


if __name__ == "__main__":
    main()
