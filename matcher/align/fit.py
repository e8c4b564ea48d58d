"""Fit the alignment model and the labelled-program memory on programs with gold labels.

Records are split into folds by a hash of their text (deterministic). For each fold the CIP and
occupation rankers are fitted on the other folds, with memory votes that never see the held-out
fold, and the held-out programs are scored: those out-of-fold scores give the reported metrics
and the Platt calibration. The model fitted on all records is what new programs get; programs
the memory holds are scored by their fold's model (see :mod:`matcher.program_memory`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from matcher.align.aligner import Aligner, Scored, knn_features, score_program, texts_of, vectors_of
from matcher.align.model import CIP_MODEL_FEATURES, OCC_FEATURES, AlignModel, AlignWeights, LinearRanker
from matcher.align.prepared import PreparedProgram, prepare
from matcher.evaluation.records import read_records
from matcher.program import program_from_dict
from matcher.program_memory import MemoryVotes, ProgramMemory, provider_hash
from matcher.progress import NULL_PROGRESS, Progress

log = logging.getLogger(__name__)

N_FOLDS = 5
L2 = 0.01


@dataclass
class Example:
    p: PreparedProgram
    v: dict[str, np.ndarray]
    occ_tax: dict[str, np.ndarray]
    cip_base: dict[str, np.ndarray]
    gold_cip: str
    gold_soc: list[str]


def fold_of(key: str, n_folds: int = N_FOLDS) -> int:
    return int(key, 16) % n_folds


def listwise_fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights maximising the softmax probability mass on the gold items of each list.

    ``x``: (lists, items, features); ``y``: (lists, items) booleans. Lists without gold are
    skipped.
    """
    keep = y.any(axis=1)
    x, y = x[keep], y[keep]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        lse = logsumexp(s, axis=1)
        pos = logsumexp(np.where(y, s, -np.inf), axis=1)
        p = np.exp(s - lse[:, None])
        q = np.where(y, np.exp(s - pos[:, None]), 0.0)
        grad = np.einsum("mo,mof->f", p - q, x) / len(x) + 2 * l2 * w
        return float(np.mean(lse - pos) + l2 * w @ w), grad

    return minimize(loss, np.ones(x.shape[2]), jac=True, method="L-BFGS-B").x


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=100.0, max_iter=1000).fit(logits.reshape(-1, 1), labels)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


class Fitter:
    def __init__(self, aligner: Aligner, path: Path, *, progress: Progress = NULL_PROGRESS) -> None:
        self.aligner = aligner
        self.sig = aligner.signals
        self.path = Path(path)
        records = read_records(self.path, required_inputs=("title",), gold_fields=("gold_cip", "gold_soc"))
        programs = [program_from_dict(dict(r.inputs)) for r in records]
        prepared = [prepare(p) for p in programs]
        texts = list(dict.fromkeys(t for p in prepared for t in texts_of(p)))
        lookup = dict(zip(texts, aligner.encoder.encode(texts, progress=progress), strict=True))
        self.examples: list[Example] = []
        with progress.stage("taxonomy signals", len(prepared)) as stage:
            for p, r in zip(prepared, records, strict=True):
                v = vectors_of(p, np.stack([lookup[t] for t in texts_of(p)]))
                occ_tax = self.sig.occupation_signals(p, v)
                self.examples.append(
                    Example(
                        p,
                        v,
                        occ_tax,
                        self.sig.cip_signals(p, v, occ_tax),
                        str(r.gold["gold_cip"]),
                        [str(s) for s in r.gold["gold_soc"]],
                    )
                )
                stage.advance()
        self.n = len(self.examples)
        self.folds = np.array([fold_of(e.p.key) for e in self.examples])
        soc7 = np.array([c[:7] for c in self.sig.codes])
        self.y_occ = np.array([np.isin(soc7, e.gold_soc) for e in self.examples])
        self.y_cip = np.array([[c == e.gold_cip for c in self.sig.cip_ids] for e in self.examples])

    def memory(self, source: str) -> ProgramMemory:
        ex = self.examples
        return ProgramMemory(
            encoder=self.aligner.encoder.family,
            doc=np.stack([e.v["doc"] for e in ex]),
            title=np.stack([e.v["title"] for e in ex]),
            cips=[e.gold_cip for e in ex],
            socs=[e.gold_soc for e in ex],
            providers=[provider_hash(e.p.provider) for e in ex],
            keys=[e.p.key for e in ex],
            folds=self.folds,
            source=source,
        )

    def _votes(self, memory: ProgramMemory | None, held_out: int | None) -> list[MemoryVotes | None]:
        if memory is None:
            return [None] * self.n
        return [
            memory.votes(e.v["doc"], e.v["title"], e.p.provider, memory.exclusion(e.p.key, held_out))
            for e in self.examples
        ]

    def _fit_model(self, rows: np.ndarray, votes: list[MemoryVotes | None]) -> AlignModel:
        cip_x = []
        for i in rows:
            feats = {**self.examples[i].cip_base, "knn": knn_features(self.sig, votes[i])[0]}
            cip_x.append(np.stack([feats[f] for f in CIP_MODEL_FEATURES], axis=1))
        cip_w = listwise_fit(np.stack(cip_x), self.y_cip[rows])
        cip_ranker = LinearRanker(CIP_MODEL_FEATURES, cip_w)
        stage1 = AlignModel(cip_ranker, LinearRanker(OCC_FEATURES, np.zeros(len(OCC_FEATURES))))
        occ_x = []
        for i in rows:
            s = score_program(
                self.sig,
                stage1,
                self.examples[i].p,
                self.examples[i].occ_tax,
                self.examples[i].cip_base,
                votes[i],
            )
            occ_x.append(np.stack([s.occ[f] for f in OCC_FEATURES], axis=1))
        occ_w = listwise_fit(np.stack(occ_x), self.y_occ[rows])
        return AlignModel(cip_ranker, LinearRanker(OCC_FEATURES, occ_w))

    def _score(self, model: AlignModel, i: int, votes: MemoryVotes | None) -> Scored:
        e = self.examples[i]
        return score_program(self.sig, model, e.p, e.occ_tax, e.cip_base, votes)

    def fit(
        self, memory: ProgramMemory | None, description: str, progress: Progress = NULL_PROGRESS
    ) -> AlignWeights:
        started = time.monotonic()
        folds: list[AlignModel] = []
        oof: list[Scored | None] = [None] * self.n
        with progress.stage(f"fitting {description}", N_FOLDS + 1) as stage:
            for f in range(N_FOLDS):
                train = np.nonzero(self.folds != f)[0]
                test = np.nonzero(self.folds == f)[0]
                model = self._fit_model(train, self._votes(memory, held_out=f))
                test_votes = self._votes(memory, held_out=None)
                for i in test:
                    oof[i] = self._score(model, int(i), test_votes[i])
                folds.append(model)
                stage.advance()
            all_model = self._fit_model(np.arange(self.n), self._votes(memory, held_out=None))
            stage.advance()
        logits = np.concatenate([s.logits for s in oof if s is not None])
        labels = self.y_occ.reshape(-1)
        a, b = platt(logits, labels)
        for m in [*folds, all_model]:
            m.calib_a, m.calib_b = a, b
        metrics = self.metrics(oof)
        fitted = (
            f"{description}; listwise linear rankers fitted on {self.n} programs of {self.path.name}, "
            f"{N_FOLDS}-fold CV by text hash; {datetime.now(UTC):%Y-%m-%d}"
        )
        log.info("fitted %s in %.0f s: %s", description, time.monotonic() - started, metrics)
        return AlignWeights(all_model, folds, fitted, metrics)

    def metrics(self, oof: list[Scored | None]) -> dict[str, Any]:
        from matcher.evaluation.records import Record
        from matcher.evaluation.tasks.programs import ProgramPrediction, score

        recs, preds = [], []
        for e, s in zip(self.examples, oof, strict=True):
            assert s is not None
            recs.append(Record(0, {}, {"gold_cip": e.gold_cip, "gold_soc": e.gold_soc}))
            codes = [self.sig.codes[int(i)] for i in np.argsort(-s.logits)[:20]]
            cips = [self.sig.cip_ids[int(j)] for j in np.argsort(-s.cip_scores)[:20]]
            preds.append(ProgramPrediction(codes, cips))
        return {k: round(v, 4) for k, v in score(recs, preds).items()} | {"n": self.n, "cv_folds": N_FOLDS}
