"""Scoring ranked occupations and CIP codes of programs against their gold labels: what fitting
(:mod:`matcher.align.fit`, out-of-fold metrics) and the evaluation task ``programs``
(:mod:`matcher.evaluation.tasks.programs`, whose docstring names the metrics) share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matcher.align.practice import is_teaching, practice_socs
from matcher.scoring.metrics import hit_at, mean, reciprocal_rank
from matcher.scoring.records import Record


@dataclass
class ProgramPrediction:
    soc: list[str]  # O*NET-SOC or SOC codes, best first
    cip: list[str]  # six-digit CIP codes, best first


def score(records: Sequence[Record], preds: Sequence[ProgramPrediction]) -> dict[str, float]:
    soc7 = lambda c: c[:7]  # noqa: E731
    rows: dict[str, list[float]] = {}
    cip_rows: dict[str, list[float]] = {k: [] for k in ("cip_top1", "cip_top5", "cip4_top1")}
    teaching: list[float] = []
    for rec, p in zip(records, preds, strict=True):
        gold_cip = str(rec.gold.get("gold_cip") or "")
        crosswalk = [g[:7] for g in rec.gold.get("gold_soc") or []]
        practice = set(practice_socs(crosswalk, gold_cip))
        for name, gold in (("soc", set(crosswalk)), ("soc_practice", practice)):
            for k in (1, 5, 10):
                rows.setdefault(f"{name}_hit@{k}", []).append(hit_at(p.soc, gold, k, soc7))
            rows.setdefault(f"{name}_mrr", []).append(reciprocal_rank(p.soc, gold, soc7))
        if not any(is_teaching(g) for g in practice):
            teaching.append(float(any(is_teaching(c) for c in p.soc[:5])))
        cip_rows["cip_top1"].append(float(bool(p.cip) and p.cip[0] == gold_cip))
        cip_rows["cip_top5"].append(float(gold_cip in p.cip[:5]))
        cip_rows["cip4_top1"].append(float(bool(p.cip) and p.cip[0][:5] == gold_cip[:5]))
    return {k: mean(v) for k, v in {**rows, **cip_rows, "teaching_in_top5": teaching}.items()}
