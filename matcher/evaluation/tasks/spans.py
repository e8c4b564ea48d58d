"""spans: skill and knowledge spans in a job-posting sentence (SkillSpan format).

Records are ``tokens`` with BIO tags ``tags_skill`` and ``tags_knowledge`` (the gold fields,
stripped before prediction). A method predicts (start, end, label) token spans; metrics are
exact-match span precision, recall and F1 for skill spans, knowledge spans and both together
(micro-averaged over typed spans): ``precision``, ``recall``, ``f1``, ``skill_precision``,
``skill_recall``, ``skill_f1``, ``knowledge_precision``, ``knowledge_recall``, ``knowledge_f1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import Task, register_task
from matcher.scoring.records import Record

Spans = list[tuple[int, int, str]]  # token start, end (exclusive), "skill" | "knowledge"
LABELS = ("skill", "knowledge")


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int]]:
    """Token spans of a BIO sequence; an I without a B opens a span."""
    out, start = [], None
    for i, t in enumerate([*tags, "O"]):
        t = (t or "O")[:1].upper()
        if t != "I" and start is not None:
            out.append((start, i))
            start = None
        if t == "B" or (t == "I" and start is None):
            start = i
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(records: Sequence[Record], preds: Sequence[Spans]) -> dict[str, float]:
    counts = {lab: [0, 0, 0] for lab in LABELS}
    for rec, pred in zip(records, preds, strict=True):
        for lab in LABELS:
            gold = set(bio_spans(rec.gold[f"tags_{lab}"]))
            got = {(s, e) for s, e, lb in pred if lb == lab}
            counts[lab][0] += len(got & gold)
            counts[lab][1] += len(got - gold)
            counts[lab][2] += len(gold - got)
    out: dict[str, float] = {}
    for lab in LABELS:
        p, r, f = _prf(*counts[lab])
        out |= {f"{lab}_precision": p, f"{lab}_recall": r, f"{lab}_f1": f}
    p, r, f = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return {"precision": p, "recall": r, "f1": f, **out}


def _tokens(inputs: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [[str(t) for t in r["tokens"]] for r in inputs]


class ModelMethod:
    """The product's span model (``models/skillspan-tagger``), as used by the extractor."""

    def __init__(self, ctx: EvalContext) -> None:
        from matcher.encoding.encoder import Encoder
        from matcher.errors import DataMissingError
        from matcher.extract.nlp import TextPipeline
        from matcher.extract.span_model import SpanModel

        self.pipeline = TextPipeline()
        # the MiniLM passes the extractor runs for this encoder setting (model and backend)
        encoder = Encoder(
            ctx.settings.model,
            backend=ctx.settings.backend,
            threads=ctx.settings.threads,
            export_dir=ctx.settings.home / "onnx",
        )
        minilm = encoder.minilm
        model = SpanModel.load_default(minilm, ctx.settings.span_model_dir) if minilm is not None else None
        if model is None:
            raise DataMissingError(f"no span model in {ctx.settings.span_model_dir}; train it first")
        self.model = model

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[Spans]:
        docs = self.pipeline.docs_from_words(_tokens(inputs))
        return [[(s, e, lab) for s, e, lab in spans] for spans in self.model.predict(docs)]


class PatternMethod:
    """Baseline: parser noun phrases as knowledge, verb-object phrases as skills."""

    def __init__(self, ctx: EvalContext) -> None:
        from matcher.extract.nlp import TextPipeline

        self.pipeline = TextPipeline()

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[Spans]:
        from matcher.extract.patterns import pattern_spans

        docs = self.pipeline.docs_from_words(_tokens(inputs))
        self.pipeline.parse(docs)
        out = []
        for doc in docs:
            spans = {
                (p.span.start, p.span.end, "skill" if p.kind == "verb_object" else "knowledge")
                for p in pattern_spans(doc)
                if not p.query
            }
            out.append(sorted(spans))
        return out


class PhraseMethod:
    """Baseline: exact taxonomy mentions; ESCO skills/competences and DWAs as skills, the rest
    (ESCO knowledge, technology, tools) as knowledge."""

    def __init__(self, ctx: EvalContext) -> None:
        from matcher.extract.nlp import TextPipeline
        from matcher.extract.phrases import PhraseTable

        self.pipeline = TextPipeline()
        self.catalog = ctx.catalog
        self.table = PhraseTable.load_or_compile(ctx.catalog, self.pipeline, ctx.settings.cache_dir)

    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[Spans]:
        docs = self.pipeline.docs_from_words(_tokens(inputs))
        out = []
        for doc in docs:
            spans = set()
            for h in self.table.match(doc):
                skill = self.catalog.esco_skills.get(h.id)
                is_skill = skill is not None and skill.skill_type.startswith("skill")
                spans.add((h.start, h.end, "skill" if is_skill else "knowledge"))
            out.append(sorted(spans))
        return out


register_task(
    Task(
        name="spans",
        description="skill and knowledge spans in posting sentences (SkillSpan)",
        required_inputs=("tokens",),
        gold_fields=("tags_skill", "tags_knowledge"),
        score=score,
        primary_metric="f1",
        methods={"default": ModelMethod, "patterns": PatternMethod, "phrases": PhraseMethod},
    )
)
