"""programs: a training program -> ranked O*NET-SOC occupations and ranked CIP codes.

Metrics: soc_hit@1/5/10 and soc_mrr (a predicted code counts when its first 7 characters are in
``gold_soc``, the CIP -> SOC crosswalk set), cip_top1/cip_top5 (6-digit) and cip4_top1
(``XX.XX``). ``soc_practice_*`` score the same ranking against the occupations the program
prepares people to practise (:func:`matcher.align.practice.practice_socs`: the crosswalk set
without teaching codes unless they are all it has or the CIP is teacher preparation, 13.xxxx),
so a teaching code ranked first for a CDL course is a miss. ``teaching_in_top5``: the share of
programs whose practice set has no teaching code yet whose top five hold one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.align.scores import ProgramPrediction, score
from matcher.evaluation.baselines import TfidfNearest, embedding_rank
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import Task, register_task
from matcher.program import program_from_dict

K = 20
# The metrics tables show, in this order (evaluation/run_all.py, `matcher train-alignment`).
SHOWN = (
    "soc_hit@1",
    "soc_hit@5",
    "soc_hit@10",
    "soc_mrr",
    "soc_practice_hit@1",
    "soc_practice_hit@5",
    "soc_practice_mrr",
    "teaching_in_top5",
    "cip_top1",
    "cip_top5",
    "cip4_top1",
)


def _query_text(rec: dict[str, Any]) -> str:
    return ". ".join(str(rec.get(f) or "") for f in ("title", "description") if rec.get(f))


class TfidfMethod:
    """TF-IDF nearest neighbour: program text vs O*NET title+description+tasks, and vs CIP."""

    def __init__(self, ctx: EvalContext) -> None:
        c = ctx.catalog
        occ_text = [
            f"{o.title}. {o.description} " + " ".join(t.text for t in c.tasks_by_code.get(o.code, []))
            for o in c.occupations.values()
        ]
        self.occ = TfidfNearest(list(c.occupations), occ_text)
        self.cip = TfidfNearest(
            list(c.cip_codes), [f"{x.title}. {x.definition}" for x in c.cip_codes.values()]
        )

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[ProgramPrediction]:
        q = [_query_text(r) for r in inputs]
        return [
            ProgramPrediction(s, c) for s, c in zip(self.occ.rank(q, K), self.cip.rank(q, K), strict=True)
        ]


class EmbeddingMethod:
    """Plain nearest neighbour with the default encoder: program vs occupation profiles and CIP."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[ProgramPrediction]:
        idx = self.ctx.indexes
        vecs = self.ctx.encoder.encode([_query_text(r) for r in inputs])
        occ, cip = idx["occupations"], idx["cip"]
        socs = embedding_rank(occ.matrix, occ.ids, vecs, K)
        cips = embedding_rank(cip.matrix, cip.ids, vecs, K)
        return [ProgramPrediction(s, c) for s, c in zip(socs, cips, strict=True)]


class EmbeddingViaCipMethod(EmbeddingMethod):
    """Nearest CIP codes by embedding, then their SOC codes through the official crosswalk."""

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[ProgramPrediction]:
        base = super().predict(inputs)
        c = self.ctx.catalog
        out = []
        for p in base:
            socs: dict[str, None] = {}
            for cip in p.cip:
                for soc in c.socs_for_cip(cip):
                    socs.setdefault(soc, None)
            out.append(ProgramPrediction(list(socs)[:K], p.cip))
        return out


class DefaultMethod:
    """The product's aligner (matcher.align), ranked codes only."""

    def __init__(self, ctx: EvalContext) -> None:
        self.aligner = ctx.matcher.aligner

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[ProgramPrediction]:
        programs = [program_from_dict(dict(r)) for r in inputs]
        ranked = self.aligner.rank_many(programs, k=K)
        return [ProgramPrediction(soc, cip) for soc, cip in ranked]


register_task(
    Task(
        name="programs",
        description="program -> O*NET-SOC occupations and CIP codes (NJ ETPL format)",
        required_inputs=("title",),
        gold_fields=("gold_cip", "gold_soc"),
        score=score,
        primary_metric="soc_mrr",
        methods={
            "default": DefaultMethod,
            "tfidf": TfidfMethod,
            "embedding": EmbeddingMethod,
            "embedding-cip": EmbeddingViaCipMethod,
        },
    )
)
