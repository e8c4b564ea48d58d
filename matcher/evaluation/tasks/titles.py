"""titles: a job title -> ranked ESCO occupations (and O*NET-SOC codes).

Metrics: mrr, recall@1/5/10 over ESCO occupation URIs (``gold_esco`` is one URI or a list);
onet_hit@1/5 over records whose ``gold_onet`` is non-empty; soc_hit@1/5 over records whose
``gold_soc`` (SOC 2018 six-digit codes) is non-empty: the first 1 or 5 *distinct* six-digit SOC
codes of the predicted O*NET-SOC codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matcher.evaluation.baselines import TfidfNearest, embedding_rank
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import Task, register_task
from matcher.scoring.metrics import hit_at, mean, recall_at, reciprocal_rank
from matcher.scoring.records import Record

K = 10


@dataclass
class TitlePrediction:
    esco: list[str]  # ESCO occupation URIs, best first
    onet: list[str]  # O*NET-SOC codes, best first


def _gold_set(value: Any) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)


def score(records: Sequence[Record], preds: Sequence[TitlePrediction]) -> dict[str, float]:
    rr, r1, r5, r10, o1, o5, s1, s5 = [], [], [], [], [], [], [], []
    for rec, p in zip(records, preds, strict=True):
        gold = _gold_set(rec.gold.get("gold_esco"))
        rr.append(reciprocal_rank(p.esco, gold))
        r1.append(recall_at(p.esco, gold, 1))
        r5.append(recall_at(p.esco, gold, 5))
        r10.append(recall_at(p.esco, gold, 10))
        onet = _gold_set(rec.gold.get("gold_onet"))
        if onet:
            o1.append(hit_at(p.onet, onet, 1))
            o5.append(hit_at(p.onet, onet, 5))
        soc = _gold_set(rec.gold.get("gold_soc"))
        if soc:
            socs = list(dict.fromkeys(code[:7] for code in p.onet))
            s1.append(hit_at(socs, soc, 1))
            s5.append(hit_at(socs, soc, 5))
    return {
        "mrr": mean(rr),
        "recall@1": mean(r1),
        "recall@5": mean(r5),
        "recall@10": mean(r10),
        "onet_hit@1": mean(o1),
        "onet_hit@5": mean(o5),
        "onet_n": float(len(o1)),
        **({"soc_hit@1": mean(s1), "soc_hit@5": mean(s5), "soc_n": float(len(s1))} if s1 else {}),
    }


def _onet_from_esco(ctx: EvalContext, esco: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for uri in esco:
        for code, _match in ctx.catalog.esco_to_onet.get(uri, []):
            out.setdefault(code, None)
    return list(out)[:K]


class TfidfMethod:
    """TF-IDF (character n-grams) over ESCO preferred + alternative labels; O*NET via titles."""

    def __init__(self, ctx: EvalContext) -> None:
        c = ctx.catalog
        ids, texts = [], []
        for o in c.esco_occupations.values():
            for label in (o.label, *o.alt_labels):
                ids.append(o.uri)
                texts.append(label)
        self.esco = TfidfNearest(ids, texts, analyzer="char_wb")
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[TitlePrediction]:
        ranked = self.esco.rank([str(r["title"]) for r in inputs], K)
        return [TitlePrediction(e, _onet_from_esco(self.ctx, e)) for e in ranked]


class EmbeddingMethod:
    """Plain nearest neighbour over ESCO preferred labels with the default encoder."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx
        c = ctx.catalog
        self.uris = list(c.esco_occupations)
        self.labels = [c.esco_occupations[u].label for u in self.uris]

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[TitlePrediction]:
        enc = self.ctx.encoder
        matrix = enc.encode(self.labels)
        q = enc.encode([str(r["title"]) for r in inputs])
        ranked = embedding_rank(matrix, self.uris, q, K)
        return [TitlePrediction(e, _onet_from_esco(self.ctx, e)) for e in ranked]


class LabelsMethod:
    """Nearest neighbour over ESCO preferred and alternative labels (the esco_occupations index),
    O*NET codes from the O*NET titles index."""

    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[TitlePrediction]:
        idx = self.ctx.indexes
        q = self.ctx.encoder.encode([str(r["title"]) for r in inputs])
        esco = embedding_rank(idx["esco_occupations"].matrix, idx["esco_occupations"].ids, q, K)
        onet = embedding_rank(idx["occupation_titles"].matrix, idx["occupation_titles"].ids, q, K)
        return [TitlePrediction(e, o) for e, o in zip(esco, onet, strict=True)]


class CoderMethod:
    """The posting coder's titles mode (:meth:`matcher.postings.coding.OccupationCoder.rank_titles`):
    ESCO occupations from ESCO labels, O*NET titles transferred through the crosswalk,
    descriptions, preferred labels, character n-grams and the batch's own occupation mix (no
    labels used); O*NET-SOC codes from the coder's conditional logit (Census/BLS title
    dictionary, nearest coded titles, title classifier, encoder, ESCO route, employment prior)."""

    adapt_prior = True

    def __init__(self, ctx: EvalContext) -> None:
        from matcher.postings.coding import OccupationCoder

        self.coder = OccupationCoder.from_matcher(ctx.matcher)

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[TitlePrediction]:
        ranked = self.coder.rank_titles([str(r["title"]) for r in inputs], K, adapt_prior=self.adapt_prior)
        return [TitlePrediction([u for u, _ in r.esco], [c for c, _ in r.onet]) for r in ranked]


class CoderNoPriorMethod(CoderMethod):
    """The coder's titles mode without the batch prior (each title ranked on its own)."""

    adapt_prior = False


register_task(
    Task(
        name="titles",
        description="job title -> ESCO occupations and O*NET-SOC codes (JobBERT, H-2B employer titles)",
        required_inputs=("title",),
        gold_fields=("gold_esco", "gold_onet"),  # gold_soc is optional (scored where present)
        score=score,
        primary_metric="mrr",
        methods={
            "default": CoderMethod,
            "coder-no-prior": CoderNoPriorMethod,
            "tfidf": TfidfMethod,
            "embedding": EmbeddingMethod,
            "labels": LabelsMethod,
        },
    )
)
