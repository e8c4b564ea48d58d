"""gaps: does a program teach each of an occupation's requirements? (taught / partly / not)

Records (``gaps_nj_etpl.dev.jsonl``): ``program`` (ETPL fields) or ``file`` (a curriculum
document, path relative to the JSON Lines file), ``occupation`` (``code``), and
``requirements`` (``taxonomy`` onet-dwa or esco, ``id``) whose ``label`` (2 taught, 1 partly,
0 not taught) and ``quote`` are gold: they are split off before the predictor sees a record.

Metrics, over labels 2 vs 0 (partly left out), with "covered" = graded taught or partly:
``covered_precision``, ``covered_recall``, ``covered_f1`` and ``missing_precision`` (the share of
not-covered decisions that are truly not taught); the same with "covered" = graded taught
(``taught_*``); per taxonomy (``dwa_*``, ``esco_*``); and on all three labels ``grade_accuracy``
and the quadratic-weighted ``grade_kappa``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.errors import BadInputError
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import Task, register_task
from matcher.program import Program, program_from_dict
from matcher.scoring.records import Record

GOLD_KEYS = ("label", "quote")
Key = tuple[str, str]


def split_gold(rec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Inputs keep each requirement's taxonomy and id; its label and quote are gold."""
    reqs = rec.get("requirements")
    if not isinstance(reqs, list):
        raise BadInputError("a gaps record needs a 'requirements' list")
    inputs = dict(rec)
    inputs["requirements"] = [{k: v for k, v in q.items() if k not in GOLD_KEYS} for q in reqs]
    gold = {"labels": {(q["taxonomy"], q["id"]): int(q["label"]) for q in reqs}}
    return inputs, gold


def record_program(rec: dict[str, Any], base: Path | None) -> Program:
    """The record's program: its ETPL fields, or the curriculum document it names."""
    if rec.get("file"):
        from matcher.readers import read_program

        path = Path(rec["file"])
        if not path.is_absolute() and base is not None:
            path = base / path
        return read_program(path)
    return program_from_dict(rec.get("program") or {})


def _prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    keep = gold != 1
    p, g = pred[keep], gold[keep]
    tp = float(((p) & (g == 2)).sum())
    fp = float(((p) & (g == 0)).sum())
    fn = float(((~p) & (g == 2)).sum())
    tn = float(((~p) & (g == 0)).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "missing_precision": tn / (tn + fn) if tn + fn else 0.0,
    }


def quadratic_kappa(pred: np.ndarray, gold: np.ndarray, k: int = 3) -> float:
    o = np.zeros((k, k))
    for a, b in zip(gold, pred, strict=True):
        o[a, b] += 1
    w = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)]) / (k - 1) ** 2
    e = np.outer(o.sum(1), o.sum(0)) / max(1.0, o.sum())
    return float(1 - (w * o).sum() / (w * e).sum()) if (w * e).sum() else 0.0


def score_grades(golds: Sequence[dict[Key, int]], preds: Sequence[dict[Key, int]]) -> dict[str, float]:
    rows = [
        (key[0], g, int(p.get(key, 0)))
        for gold, p in zip(golds, preds, strict=True)
        for key, g in gold.items()
    ]
    tax = np.array([r[0] for r in rows])
    gold = np.array([r[1] for r in rows])
    pred = np.array([r[2] for r in rows])
    out: dict[str, float] = {}
    for name, cut in (("covered", 1), ("taught", 2)):
        m = _prf(pred >= cut, gold)
        out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = (
            m["precision"],
            m["recall"],
            m["f1"],
        )
        if name == "covered":
            out["missing_precision"] = m["missing_precision"]
    for t, short in (("onet-dwa", "dwa"), ("esco", "esco")):
        sel = tax == t
        if sel.any():
            m = _prf(pred[sel] >= 1, gold[sel])
            out[f"{short}_covered_precision"], out[f"{short}_covered_recall"] = m["precision"], m["recall"]
            out[f"{short}_covered_f1"], out[f"{short}_missing_precision"] = m["f1"], m["missing_precision"]
    out["grade_accuracy"] = float((pred == gold).mean())
    out["grade_kappa"] = quadratic_kappa(pred, gold)
    return out


def score(records: Sequence[Record], preds: Sequence[dict[Key, int]]) -> dict[str, float]:
    return score_grades([r.gold["labels"] for r in records], preds)


def requirement_objects(ctx_catalog: Any, rec: dict[str, Any]) -> list[Any]:
    """The record's requirements as :class:`~matcher.gaps.Requirement` objects (labels from the
    catalog: DWA titles, ESCO preferred labels)."""
    from matcher.gaps import Requirement

    out = []
    for q in rec["requirements"]:
        tax, rid = q["taxonomy"], q["id"]
        if tax == "onet-dwa":
            d = ctx_catalog.dwas.get(rid)
            label = d.title if d else rid
            out.append(Requirement(tax, rid, label, 0.5, "", "dwas", [rid]))
        elif tax == "esco":
            s = ctx_catalog.esco_skills.get(rid)
            label = s.label if s else rid
            out.append(Requirement(tax, rid, label, 0.5, "", "esco_skills", [rid]))
        else:
            raise BadInputError(f"unknown requirement taxonomy {tax!r} (onet-dwa or esco)")
    return out


class DefaultMethod:
    """The product's grader (:class:`matcher.gaps.GapAnalyzer`), each requirement graded on its own."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[dict[Key, int]]:
        analyzer = self.ctx.matcher.gap_analyzer
        base = self.ctx.base_dir
        out = []
        for rec in inputs:
            program = record_program(rec, base)
            code = self.ctx.catalog.occupation(rec["occupation"]["code"]).code
            reqs = requirement_objects(self.ctx.catalog, rec)
            ev = analyzer.read(program)
            out.append(
                {
                    (a.requirement.taxonomy, a.requirement.id): int(a.grade)
                    for a in analyzer.assess(ev, code, reqs)
                }
            )
        return out


class ThresholdMethod:
    """Baseline: covered when the best program sentence or clause is within a fixed similarity of
    the requirement's label (no grading model, no competition between items)."""

    threshold = 0.6

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def similarities(self, program: Program, labels: list[str]) -> np.ndarray:
        from matcher.gaps.evidence import analyse_units, curriculum_units, evidence_spans

        units = curriculum_units(program)
        spans = evidence_spans(units, analyse_units(self.ctx.matcher.extractor.analyzer, units))
        if not spans:
            return np.zeros(len(labels))
        enc = self.ctx.encoder
        return (enc.encode(labels) @ enc.encode([s.text for s in spans]).T).max(axis=1)

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[dict[Key, int]]:
        out = []
        for rec in inputs:
            reqs = requirement_objects(self.ctx.catalog, rec)
            sims = self.similarities(record_program(rec, self.ctx.base_dir), [r.label for r in reqs])
            out.append(
                {(r.taxonomy, r.id): 2 if s >= self.threshold else 0 for r, s in zip(reqs, sims, strict=True)}
            )
        return out


class TfidfMethod:
    """Baseline: TF-IDF cosine between the requirement's label and the program's sentences
    (fitted on the program's own sentences and the labels), covered at a fixed 0.3."""

    threshold = 0.3

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[dict[Key, int]]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from matcher.text.normalise import split_sentences

        out = []
        for rec in inputs:
            reqs = requirement_objects(self.ctx.catalog, rec)
            program = record_program(rec, self.ctx.base_dir)
            sents = [s.text for u in program.iter_units() for s in split_sentences(u.text)] or [program.title]
            labels = [r.label for r in reqs]
            vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(sents + labels)
            sims = (vec.transform(labels) @ vec.transform(sents).T).toarray().max(axis=1)
            out.append(
                {(r.taxonomy, r.id): 2 if s >= self.threshold else 0 for r, s in zip(reqs, sims, strict=True)}
            )
        return out


register_task(
    Task(
        name="gaps",
        description="program x occupation requirement -> taught / partly / not taught (hand-labelled)",
        required_inputs=("occupation", "requirements"),
        gold_fields=(),
        score=score,
        primary_metric="covered_f1",
        methods={"default": DefaultMethod, "embedding": ThresholdMethod, "tfidf": TfidfMethod},
        split_gold=split_gold,
    )
)
