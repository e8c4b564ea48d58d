"""Fit the alignment model and the labelled-program memory on programs with gold labels.

Labels are *practice* occupations (:func:`matcher.align.practice.practice_socs`: the CIP ->
SOC crosswalk set without teaching codes unless the program is teacher preparation), for the
occupation ranker and for the memory's votes alike. Records are split into folds by provider
(default; :mod:`matcher.align.folds`) or by text hash. For each fold the CIP and occupation
rankers are fitted on the other folds, with memory votes that never see the held-out fold, and
the held-out programs are scored: those out-of-fold rankings give the reported metrics, and
their top ten per program fit the score calibration (whose own reliability is measured with the
same folds). The model fitted on all records is what new programs get; programs the memory
holds are scored by their fold's model (see :mod:`matcher.align.program_memory`).
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

from matcher.align import calibrate
from matcher.align.aligner import Aligner, Scored, knn_features, score_program, texts_of, vectors_of
from matcher.align.folds import N_FOLDS, FoldScheme, novel, provider_folds, provider_groups, text_folds
from matcher.align.model import CIP_MODEL_FEATURES, OCC_FEATURES, AlignModel, AlignWeights, LinearRanker
from matcher.align.practice import practice_socs
from matcher.align.prepared import PreparedProgram, prepare
from matcher.align.program_memory import MemoryVotes, ProgramMemory, provider_hash
from matcher.align.scores import ProgramPrediction, score
from matcher.program import program_from_dict
from matcher.runtime.progress import NULL_PROGRESS, Progress
from matcher.scoring.records import Record, read_records

log = logging.getLogger(__name__)

L2 = 0.01


@dataclass
class Example:
    p: PreparedProgram
    v: dict[str, np.ndarray]
    occ_tax: dict[str, np.ndarray]
    cip_base: dict[str, np.ndarray]
    gold_cip: str
    gold_soc: list[str]  # the crosswalk set, as labelled
    practice: list[str]  # the practice occupations among them: the fitting labels


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


class Fitter:
    def __init__(
        self,
        aligner: Aligner,
        path: Path,
        *,
        folds: FoldScheme = "provider",
        progress: Progress = NULL_PROGRESS,
    ) -> None:
        self.aligner = aligner
        self.sig = aligner.signals
        self.path = Path(path)
        self.scheme = folds
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
                gold_cip = str(r.gold["gold_cip"])
                gold_soc = [str(s) for s in r.gold["gold_soc"]]
                self.examples.append(
                    Example(
                        p,
                        v,
                        occ_tax,
                        self.sig.cip_signals(p, v, occ_tax),
                        gold_cip,
                        gold_soc,
                        practice_socs(gold_soc, gold_cip),
                    )
                )
                stage.advance()
        self.n = len(self.examples)
        keys = [e.p.key for e in self.examples]
        providers = [e.p.provider for e in self.examples]
        descriptions = [e.p.program.description for e in self.examples]
        self.groups = provider_groups(providers, descriptions)
        if folds == "provider":
            self.folds = provider_folds(providers, descriptions, keys)
        else:
            self.folds = text_folds(keys)
        soc7 = np.array([c[:7] for c in self.sig.codes])
        self.y_occ = np.array([np.isin(soc7, e.practice) for e in self.examples])
        self.y_cip = np.array([[c == e.gold_cip for c in self.sig.cip_ids] for e in self.examples])

    def memory(self, source: str) -> ProgramMemory:
        ex = self.examples
        return ProgramMemory(
            encoder=self.aligner.encoder.family,
            doc=np.stack([e.v["doc"] for e in ex]),
            title=np.stack([e.v["title"] for e in ex]),
            cips=[e.gold_cip for e in ex],
            socs=[e.practice for e in ex],
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
        scored = [s for s in oof if s is not None]
        shares, labels = calibrate.top_items([s.logits for s in scored], self.y_occ)
        calibration = calibrate.fit_calibration(shares, labels)
        for m in [*folds, all_model]:
            m.calibration = calibration
        metrics = self.metrics(scored)
        metrics["calibration"] = calibrate.cross_validated(shares, labels, self.folds)
        fitted = (
            f"{description}; listwise linear rankers fitted on {self.n} programs of {self.path.name} "
            f"(practice-occupation labels), {N_FOLDS}-fold CV by {self.scheme}; {datetime.now(UTC):%Y-%m-%d}"
        )
        log.info("fitted %s in %.0f s: %s", description, time.monotonic() - started, metrics)
        return AlignWeights(all_model, folds, fitted, metrics)

    def metrics(self, oof: list[Scored]) -> dict[str, Any]:
        """Out-of-fold metrics of the ranking as the user sees it: all programs, and the
        programs scored without any program of their provider in the memory."""
        recs, preds = [], []
        for e, s in zip(self.examples, oof, strict=True):
            recs.append(Record(0, {}, {"gold_cip": e.gold_cip, "gold_soc": e.gold_soc}))
            codes = [self.sig.codes[int(i)] for i in np.argsort(-s.logits, kind="stable")[:20]]
            cips = [self.sig.cip_ids[int(j)] for j in np.argsort(-s.cip_scores)[:20]]
            preds.append(ProgramPrediction(codes, cips))
        out: dict[str, Any] = {k: round(v, 4) for k, v in score(recs, preds).items()}
        out |= {"n": self.n, "cv_folds": N_FOLDS, "folds": self.scheme}
        new = novel(self.groups, self.folds)
        for name, mask in (("novel_provider", new), ("repeat_provider", ~new)):
            idx = np.nonzero(mask)[0]
            if len(idx):
                sub = score([recs[i] for i in idx], [preds[i] for i in idx])
                out[name] = {k: round(v, 4) for k, v in sub.items()} | {"n": len(idx)}
        return out
