"""skills: a job-posting sentence -> ranked ESCO skills.

Metrics: rp@5, rp@10 (R-precision at k: hits in the top k / min(k, number of gold labels)) and
mrr, over ESCO preferred labels matched case- and whitespace-insensitively.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.evaluation.baselines import TfidfNearest, embedding_rank
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import Task, register_task
from matcher.scoring.metrics import mean, r_precision_at, reciprocal_rank
from matcher.scoring.records import Record
from matcher.text.normalise import fold

K = 10


def score(records: Sequence[Record], preds: Sequence[list[str]]) -> dict[str, float]:
    rp5, rp10, rr = [], [], []
    for rec, labels in zip(records, preds, strict=True):
        gold = {fold(g) for g in rec.gold.get("gold_esco_labels") or []}
        ranked = [fold(x) for x in labels]
        rp5.append(r_precision_at(ranked, gold, 5))
        rp10.append(r_precision_at(ranked, gold, 10))
        rr.append(reciprocal_rank(ranked, gold))
    return {"rp@5": mean(rp5), "rp@10": mean(rp10), "mrr": mean(rr)}


class TfidfMethod:
    """TF-IDF over ESCO skill preferred labels and descriptions."""

    def __init__(self, ctx: EvalContext) -> None:
        skills = list(ctx.catalog.esco_skills.values())
        self.labels = [s.label for s in skills]
        self.tfidf = TfidfNearest(self.labels, [f"{s.label}. {s.description}" for s in skills])

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[list[str]]:
        return self.tfidf.rank([str(r["text"]) for r in inputs], K)


class EmbeddingMethod:
    """Plain nearest neighbour: the sentence vs ESCO skill preferred labels (the esco_skills index)."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[list[str]]:
        idx = self.ctx.indexes["esco_skills"]
        labels = {s.uri: s.label for s in self.ctx.catalog.esco_skills.values()}
        q = self.ctx.encoder.encode([str(r["text"]) for r in inputs])
        return [[labels.get(u, u) for u in ranked] for ranked in embedding_rank(idx.matrix, idx.ids, q, K)]


class DefaultMethod:
    """The product's pipeline (:meth:`matcher.extract.SkillExtractor.rank_esco`): the sentence
    and its candidate spans (SkillSpan model, noun chunks, verb-object phrases, exact label
    mentions) scored against ESCO preferred and alternative labels, fused."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[list[str]]:
        extractor = self.ctx.matcher.extractor
        labels = {s.uri: s.label for s in self.ctx.catalog.esco_skills.values()}
        ranked = extractor.rank_esco([str(r["text"]) for r in inputs], k=K)
        return [[labels.get(u, u) for u, _ in row] for row in ranked]


register_task(
    Task(
        name="skills",
        description="posting sentence -> ESCO skills (TechWolf skill-extraction benchmark)",
        required_inputs=("text",),
        gold_fields=("gold_esco_labels",),
        score=score,
        primary_metric="rp@5",
        methods={"default": DefaultMethod, "tfidf": TfidfMethod, "embedding": EmbeddingMethod},
    )
)
