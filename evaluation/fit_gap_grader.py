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


def featurize(
    file: Path, cache: Path | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list, np.ndarray, np.ndarray]:
    """Each label's features, gold grade, program, key, document kind and the highest grade the
    program's text allows (:meth:`GapAnalyzer.held_by`, applied after the grader)."""
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        tag = hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:8]
        cache = cache / f"{file.stem}-{tag}.npz"
        if cache.is_file() and cache.stat().st_mtime >= file.stat().st_mtime:
            z = np.load(cache, allow_pickle=True)
            if "caps" in z:
                return z["X"], z["y"], z["groups"], list(z["keys"]), z["structured"], z["caps"]
    ctx = EvalContext()
    analyzer = ctx.matcher.gap_analyzer
    records = read_records(file, required_inputs=("occupation", "requirements"), gold_fields=())
    X, y, groups, keys, structured, caps = [], [], [], [], [], []
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
            caps.append(int(analyzer.held_by(ev, req, analyzer.evidence(ev, req, f[1]), code, f[0].sim)[0]))
            y.append(gold["labels"][(req.taxonomy, req.id)])
            groups.append(f"{file.parent.name}/{file.stem}/{inputs.get('id', n)}")
            keys.append((req.taxonomy, req.id))
            structured.append(ev.structured)
        log.info("%d/%d %s", n, len(records), inputs.get("id"))
    out = np.stack(X), np.array(y), np.array(groups), keys, np.array(structured, dtype=bool), np.array(caps)
    if cache:
        np.savez(
            cache,
            X=out[0],
            y=out[1],
            groups=out[2],
            keys=np.array(keys, dtype=object),
            structured=out[4],
            caps=out[5],
        )
    return out


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    keep = y != 1
    p, g = pred[keep], y[keep]
    tp, fp, fn = ((p) & (g == 2)).sum(), ((p) & (g == 0)).sum(), ((~p) & (g == 2)).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def _cuts(p_partly: np.ndarray, p_taught: np.ndarray, y: np.ndarray, cap: np.ndarray) -> tuple[float, float]:
    """The partly cut with the best covered F1, then the taught cut with the best accuracy (each
    grade held to the highest the text allows, ``cap``)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    t_partly = max(grid, key=lambda t: _f1((p_partly >= t) & (cap >= 1), y))
    covered = (p_partly >= t_partly) & (cap >= 1)

    def accuracy(t: float) -> float:
        grade = np.where(covered & (p_taught >= t) & (cap >= 2), 2, np.where(covered, 1, 0))
        return float((grade == y).mean())

    return float(t_partly), float(max(grid, key=accuracy))


def fit(
    X: np.ndarray,
    y: np.ndarray,
    meta: dict,
    structured: np.ndarray | None = None,
    caps: np.ndarray | None = None,
) -> GradeModel:
    """Both logistic models on every label; thresholds chosen on the prose programs' labels and,
    when ``structured`` marks syllabi among them, separately on the syllabi's."""
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    partly = LogisticRegression(C=C, max_iter=5000).fit(Z, y >= 1)
    keep = y != 1
    taught = LogisticRegression(C=C, max_iter=5000).fit(Z[keep], y[keep] >= 2)
    coefs = (partly.coef_[0], float(partly.intercept_[0]), taught.coef_[0], float(taught.intercept_[0]))
    p_partly, p_taught = GradeModel(mean, scale, *coefs, 0.5, 0.5, meta).probabilities(X)
    syllabus = np.zeros(len(y), dtype=bool) if structured is None else structured.astype(bool)
    both = syllabus.any() and (~syllabus).any()
    prose = ~syllabus if both else np.ones(len(y), dtype=bool)
    cap = np.full(len(y), 2) if caps is None else caps
    cut_partly, cut_taught = _cuts(p_partly[prose], p_taught[prose], y[prose], cap[prose])
    cuts = _cuts(p_partly[syllabus], p_taught[syllabus], y[syllabus], cap[syllabus]) if both else None
    return GradeModel(mean, scale, *coefs, cut_partly, cut_taught, meta, cuts)


def out_of_fold(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int, structured: np.ndarray, caps: np.ndarray
) -> np.ndarray:
    """Each label's grade from models fitted on the other folds (folds grouped by program), held
    to the highest grade its program's text allows."""
    pred = np.zeros(len(y), dtype=int)
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(X, y, groups):
        model = fit(X[train], y[train], {}, structured[train], caps[train])
        grades, _, _ = model.grades(X[test], structured[test])
        pred[test] = np.minimum([int(g) for g in grades], caps[test])
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
    structured = np.concatenate([p[4] for p in parts])
    caps = np.concatenate([p[5] for p in parts])
    names = [f"{f.parent.name}/{f.name}" for f in args.file]
    source = np.concatenate([np.full(len(p[1]), n) for n, p in zip(names, parts, strict=True)])
    pred = out_of_fold(X, y, groups, args.folds, structured, caps)
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
            "name": "gap-grader-lr-v5",
            "fitted_on": fitted_on,
            "cross_validated": {"folds": args.folds, "grouped_by": "program", **cv, "per_file": per_file},
            "date": datetime.now(UTC).date().isoformat(),
        }
        model = fit(X, y, meta, structured, caps)
        RESOURCE.write_text(json.dumps(model.to_dict(), indent=1) + "\n")
        print(
            f"wrote {RESOURCE} (thresholds partly {model.threshold_partly}, taught {model.threshold_taught}; "
            f"syllabi {model.structured_thresholds})"
        )


if __name__ == "__main__":
    main()
