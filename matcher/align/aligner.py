"""The aligner: taxonomy signals + labelled-program memory + the fitted model -> ranked
occupations with calibrated scores and evidence."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.align.entry import after_direct_entry, program_length
from matcher.align.evidence import build_evidence
from matcher.align.model import AlignModel, AlignWeights
from matcher.align.prepared import PreparedProgram, prepare
from matcher.align.program_memory import MemoryVotes, ProgramMemory
from matcher.align.results import AlignedOccupation, Alignment, CipPrediction
from matcher.align.signals import NO_MATCH_CODE, NO_MATCH_TITLE, TaxonomySignals
from matcher.align.stated import StatedCode
from matcher.align.stated import apply as apply_stated
from matcher.encoding.encoder import Encoder
from matcher.indexes.store import IndexSet
from matcher.program import Program
from matcher.runtime.progress import NULL_PROGRESS, Progress
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)


# Added to no logit: subtracted from a teaching occupation's logit, and from a teacher
# preparation CIP code's score (family 13), when the program is not about teaching, so they
# rank after every other occupation or CIP code (logits span about 20).
TEACHING_GATE = 100.0
FIRST_PLACE_CANDIDATES = 5  # a supervisor first gives way to one of the next four (practice_first)


@dataclass
class Scored:
    occ: dict[str, np.ndarray]  # occupation features, one value per occupation row
    logits: np.ndarray  # the ranking as the user sees it (teaching gate, named occupations applied)
    probs: np.ndarray  # calibrated chance the program prepares for each occupation
    cip_scores: np.ndarray
    cip_probs: np.ndarray
    votes: MemoryVotes | None
    stated: list[StatedCode] = field(default_factory=list)  # stated codes and the primary credential


def texts_of(p: PreparedProgram) -> list[str]:
    return [p.title, p.doc] + [s.text for s in p.sentences] + p.credentials


def vectors_of(p: PreparedProgram, vecs: np.ndarray) -> dict[str, np.ndarray]:
    ns = len(p.sentences)
    return {"title": vecs[0], "doc": vecs[1], "sentences": vecs[2 : 2 + ns], "credentials": vecs[2 + ns :]}


def knn_features(sig: TaxonomySignals, votes: MemoryVotes | None) -> tuple[np.ndarray, np.ndarray]:
    """Memory votes as one value per CIP code and one per occupation row."""
    knn_cip = np.zeros(len(sig.cip_ids))
    knn_occ = np.zeros(len(sig.codes))
    if votes is not None:
        for cip, w in votes.cip.items():
            j = sig.cip_pos.get(cip)
            if j is not None:
                knn_cip[j] += w
        for soc, w in votes.soc.items():
            rows = sig.soc_rows.get(soc)
            if rows is not None and len(rows):
                knn_occ[rows] = np.maximum(knn_occ[rows], w)
    return knn_cip, knn_occ


def score_program(
    sig: TaxonomySignals,
    model: AlignModel,
    p: PreparedProgram,
    occ_tax: dict[str, np.ndarray],
    cip_base: dict[str, np.ndarray],
    votes: MemoryVotes | None,
) -> Scored:
    """Combine precomputed taxonomy features and memory votes with one model (also used by
    the fitting code, so training and inference compute identical features)."""
    knn_cip, knn_occ = knn_features(sig, votes)
    cip_scores = model.cip.scores({**cip_base, "knn": knn_cip})
    if not p.about_teaching:  # an ESL class for learners is no TESOL teacher preparation
        cip_scores = cip_scores - TEACHING_GATE * sig.teacher_preparation
    cip_probs = model.cip_probabilities(cip_scores)
    stated_cip = p.program.cip and sig.catalog.cip(p.program.cip)
    if stated_cip and stated_cip.code in sig.cip_pos:
        j = sig.cip_pos[stated_cip.code]
        cip_probs = 0.5 * cip_probs
        cip_probs[j] += 0.5
        cip_scores = cip_scores.copy()
        cip_scores[j] = cip_scores.max() + 1.0
    no_match = np.zeros(len(sig.codes))
    no_match[sig.pos[NO_MATCH_CODE]] = 1.0
    occ = {**occ_tax, "cip": sig.occupations_for_cips(cip_probs), "knn": knn_occ, "no_match": no_match}
    logits = model.occupation.scores(occ)
    if not p.about_teaching:
        logits = logits - TEACHING_GATE * sig.teaching
    if program_length(p.program) is not None:
        logits = after_direct_entry(logits, sig.experienced)
    if not p.about_leading:
        logits = practice_first(sig, logits, int(np.argmax(cip_scores)))
    logits, named = apply_stated(sig, p, logits)
    return Scored(occ, logits, model.calibrated(logits), cip_scores, cip_probs, votes, named)


def practice_first(sig: TaxonomySignals, logits: np.ndarray, top_cip: int) -> np.ndarray:
    """A first-line supervisor or manager ranked first for a program that does not speak of
    leading people gives first place to the best of the next four occupations that leads no one
    and that the program's top CIP code leads to (:func:`matcher.align.practice.is_leading`):
    their logits swap. Measured on the NJ dev programs (provider folds): 34 of 714 programs
    change, practice hit@1 unchanged (0.681), the crosswalk labels counting supervisors too."""
    order = np.argsort(-logits, kind="stable")[:FIRST_PLACE_CANDIDATES]
    top = int(order[0])
    if not sig.leading[top]:
        return logits
    allowed = set(sig.cip_occ[top_cip].tolist())
    for r in order[1:]:
        r = int(r)
        if not sig.leading[r] and r != sig.pos[NO_MATCH_CODE] and r in allowed:
            logits = logits.copy()
            logits[top], logits[r] = logits[r], logits[top]
            break
    return logits


class Aligner:
    """Scores every O*NET occupation (and "no occupational match") for a program."""

    def __init__(
        self,
        catalog: Catalog,
        indexes: IndexSet,
        encoder: Encoder,
        *,
        memory: ProgramMemory | None = None,
        weights: AlignWeights | None = None,
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.encoder = encoder
        self.signals = TaxonomySignals(catalog, indexes, encoder)
        # Backends of one model (torch, bf16, ONNX) give near-identical vectors: compatible.
        if memory is not None and memory.encoder.split("+")[0] != encoder.family:
            log.warning(
                "program memory built with encoder %s, current encoder %s: memory disabled",
                memory.encoder,
                encoder.identity,
            )
            memory = None
        self.memory = memory
        self.weights = weights or AlignWeights.load()

    @property
    def codes(self) -> list[str]:
        return self.signals.codes

    def _encode_many(self, prepared: list[PreparedProgram], progress: Progress) -> dict[str, np.ndarray]:
        texts = list(dict.fromkeys(t for p in prepared for t in texts_of(p)))
        vecs = self.encoder.encode(texts, progress=progress, description="encoding programs")
        return dict(zip(texts, vecs, strict=True))

    def score_votes(self, program: Program) -> MemoryVotes:
        """The memory's votes for a program (empty without a memory); for inspection."""
        p = prepare(program)
        v = vectors_of(p, self.encoder.encode(texts_of(p)))
        if self.memory is None:
            return MemoryVotes({}, {})
        return self.memory.votes(v["doc"], v["title"], p.provider, self.memory.exclusion(p.key))

    def score(self, p: PreparedProgram, v: dict[str, np.ndarray]) -> Scored:
        votes, fold = None, None
        if self.memory is not None:
            fold = self.memory.fold_for(p.key)
            votes = self.memory.votes(v["doc"], v["title"], p.provider, self.memory.exclusion(p.key))
        model = self.weights.for_fold(fold)
        occ_tax = self.signals.occupation_signals(p, v)
        cip_base = self.signals.cip_signals(p, v, occ_tax)
        return score_program(self.signals, model, p, occ_tax, cip_base, votes)

    def align(
        self, program: Program, *, top_k: int = 10, cip_k: int = 5, method: str = "default"
    ) -> Alignment:
        p = prepare(program)
        return self.align_prepared(
            p, self.encoder.encode(texts_of(p)), top_k=top_k, cip_k=cip_k, method=method
        )

    def align_prepared(
        self,
        p: PreparedProgram,
        vecs: np.ndarray,
        *,
        top_k: int = 10,
        cip_k: int = 5,
        method: str = "default",
    ) -> Alignment:
        """:meth:`align` of a prepared program whose texts (:func:`texts_of`) are encoded."""
        program = p.program
        v = vectors_of(p, vecs)
        s = self.score(p, v)
        order = np.argsort(-s.logits, kind="stable")[:top_k]
        source = self.memory.source if self.memory is not None else ""
        by_row = {c.row: c for c in s.stated if c.accepted}
        occs = []
        for i in order:
            code = self.codes[int(i)]
            title = NO_MATCH_TITLE if code == NO_MATCH_CODE else self.catalog.occupations[code].title
            evidence = build_evidence(
                self.signals, p, v, code, s.cip_probs, s.votes, source, by_row.get(int(i))
            )
            occs.append(
                AlignedOccupation(
                    code=code,
                    title=title,
                    score=float(s.probs[i]),
                    signals={k: float(val[i]) for k, val in s.occ.items() if k != "no_match"},
                    evidence=evidence,
                    job_zone=self.catalog.job_zones.get(code),
                )
            )
        cips = self._cips(s, p, cip_k)
        notes = [c.note() for c in s.stated if not c.accepted]
        return Alignment(program.title, occs, cips, method, self.versions, notes)

    def rank_many(
        self, programs: list[Program], *, k: int = 20, progress: Progress = NULL_PROGRESS
    ) -> list[tuple[list[str], list[str]]]:
        """Ranked occupation codes and CIP codes for many programs, without evidence."""
        prepared = [prepare(p) for p in programs]
        lookup = self._encode_many(prepared, progress)
        out = []
        for p in prepared:
            s = self.score(p, vectors_of(p, np.stack([lookup[t] for t in texts_of(p)])))
            codes = [self.codes[int(i)] for i in np.argsort(-s.logits, kind="stable")[:k]]
            cips = [self.signals.cip_ids[int(j)] for j in np.argsort(-s.cip_scores)[:k]]
            out.append((codes, cips))
        return out

    def _cips(self, s: Scored, p: PreparedProgram, k: int) -> list[CipPrediction]:
        stated = p.program.cip and self.catalog.cip(p.program.cip)
        out = []
        for j in np.argsort(-s.cip_scores)[:k]:
            code = self.signals.cip_ids[int(j)]
            cc = self.catalog.cip(code)
            out.append(
                CipPrediction(
                    code, cc.title if cc else "", float(s.cip_probs[j]), bool(stated and stated.code == code)
                )
            )
        return out

    @functools.cached_property
    def versions(self) -> dict[str, Any]:
        memory = f"{self.memory.source} ({len(self.memory)} programs)" if self.memory is not None else "none"
        return {
            **self.indexes.versions,
            "weights": self.weights.fitted or "unfitted",
            "program_memory": memory,
        }
