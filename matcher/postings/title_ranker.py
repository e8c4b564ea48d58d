"""Job title -> a score for every ESCO occupation (and, through the crosswalk, every O*NET-SOC
occupation).

Signals, each an ``(n_titles, n_esco_occupations)`` matrix:

``labels``
    Best cosine between the title and any ESCO preferred or alternative label.
``onet``
    Best cosine with an O*NET title, alternate or reported title *transferred* to one ESCO
    occupation: each O*NET title goes to the crosswalked ESCO occupation (of its O*NET code)
    whose labels it is closest to, so "Java Developer" (15-1252.00) becomes a label of
    *software developer* rather than of all 20 ESCO occupations linked to 15-1252.00. Combined
    as ``max(labels, ONET_DISCOUNT * onet)``.
``description``
    Cosine between the title and the ESCO occupation's description.
``preferred``
    Cosine between the title and the preferred label alone (alternative labels include rare
    variants; the preferred label names the common job).
``tfidf``
    Best TF-IDF cosine over character 3-5-grams with any ESCO label (spelling variants).

Titles are read without a complement naming whom the job serves ("PA to Managing Director"
is ranked as "PA"; :func:`drop_principal`), and a title with an abbreviation the encoder reads
poorly ("PA", "HR") gets the mean of its vector and its expansion's (:func:`expand_abbreviations`),
so every cosine signal is the mean of the two titles' cosines.

``score = max(labels, 0.85 * onet) + 0.3 * description + 0.2 * preferred + 0.2 * tfidf``
(weights chosen on the JobBERT dev set; every idea's measured effect is in
``evaluation/RESULTS.md``). :meth:`TitleRanker.adapt_prior` optionally re-weights a *batch* of
titles by the occupation mix the batch itself implies (EM under label shift, Saerens et al.
2002): no labels are used, only the titles being ranked.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.encoding.encoder import Encoder
from matcher.indexes.store import IndexSet
from matcher.postings.title_text import drop_principal, expand_abbreviations
from matcher.sources.catalog import Catalog
from matcher.text.normalise import fold

log = logging.getLogger(__name__)

BATCH = 512
ONET_DISCOUNT = 0.85
WEIGHTS: dict[str, float] = {"description": 0.3, "preferred": 0.2, "tfidf": 0.2}
PRIOR_TEMPERATURE = 0.03
PRIOR_STRENGTH = 0.5
PRIOR_ITERATIONS = 10
MATCH_WEIGHT = {"exactMatch": 1.0, "closeMatch": 0.95, "narrowMatch": 0.85, "broadMatch": 0.8}


@dataclass(frozen=True)
class Grouped:
    """Rows grouped by the occupation they belong to, for a per-occupation max."""

    order: np.ndarray  # row permutation that makes each occupation's rows contiguous
    starts: np.ndarray  # first (permuted) row of each occupation
    keys: list[str]  # occupation id of each group

    @classmethod
    def of(cls, ids: Sequence[str]) -> Grouped:
        order = np.argsort(np.asarray(ids, dtype=object), kind="stable")
        sorted_ids = [ids[i] for i in order]
        starts = [0] + [i for i in range(1, len(sorted_ids)) if sorted_ids[i] != sorted_ids[i - 1]]
        return cls(order, np.asarray(starts, dtype=np.int64), [sorted_ids[s] for s in starts])

    def max(self, sims: np.ndarray) -> np.ndarray:
        """Per-group max of ``sims`` whose columns are in permuted order."""
        return np.maximum.reduceat(sims, self.starts, axis=1)


class TitleRanker:
    """Scores job titles against ESCO occupations; see the module docstring."""

    def __init__(
        self,
        catalog: Catalog,
        indexes: IndexSet,
        encoder: Encoder,
        *,
        weights: dict[str, float] | None = None,
        onet_discount: float = ONET_DISCOUNT,
    ) -> None:
        self.catalog = catalog
        self.encoder = encoder
        self.weights = dict(WEIGHTS if weights is None else weights)
        self.onet_discount = onet_discount
        esco = indexes["esco_occupations"]
        self._esco = Grouped.of(esco.ids)
        self._esco_matrix = np.ascontiguousarray(esco.matrix[self._esco.order])
        self._esco_texts = [esco.texts[i] for i in self._esco.order]
        self.esco_uris: list[str] = self._esco.keys
        self.esco_pos = {u: i for i, u in enumerate(self.esco_uris)}
        self._titles = indexes["occupation_titles"]

    # -- static per-occupation data ----------------------------------------------------------
    @functools.cached_property
    def _transfer(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """O*NET title rows that found an ESCO occupation: (matrix, group starts, ESCO positions)."""
        candidates: dict[str, list[int]] = defaultdict(list)
        for uri, links in self.catalog.esco_to_onet.items():
            if uri in self.esco_pos:
                for code, _match in links:
                    candidates[code].append(self.esco_pos[uri])
        rows_of_group = np.split(np.arange(len(self._esco_texts)), self._esco.starts[1:])
        by_code: dict[str, list[int]] = defaultdict(list)
        for row, code in enumerate(self._titles.ids):
            by_code[code].append(row)
        matrix = self._titles.matrix
        assigned_rows: list[int] = []
        assigned_to: list[int] = []
        for code, rows in by_code.items():
            groups = sorted(set(candidates.get(code, [])))
            if not groups:
                continue
            label_rows = np.concatenate([rows_of_group[g] for g in groups])
            owner = np.concatenate([np.full(len(rows_of_group[g]), g) for g in groups])
            sims = matrix[rows] @ self._esco_matrix[label_rows].T
            assigned_rows += rows
            assigned_to += owner[np.argmax(sims, axis=1)].tolist()
        if not assigned_rows:
            return np.zeros((0, matrix.shape[1]), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64)
        to = np.asarray(assigned_to)
        order = np.argsort(to, kind="stable")
        rows_sorted = np.asarray(assigned_rows)[order]
        to_sorted = to[order]
        starts = np.flatnonzero(np.r_[True, to_sorted[1:] != to_sorted[:-1]])
        return np.ascontiguousarray(matrix[rows_sorted]), starts, to_sorted[starts]

    @functools.cached_property
    def _descriptions(self) -> np.ndarray:
        occ = self.catalog.esco_occupations
        texts = [(occ[u].description or occ[u].label)[:1000] if u in occ else u for u in self.esco_uris]
        return self.encoder.encode(texts)

    @functools.cached_property
    def _preferred(self) -> np.ndarray:
        occ = self.catalog.esco_occupations
        return self.encoder.encode([occ[u].label if u in occ else u for u in self.esco_uris])

    @functools.cached_property
    def _tfidf(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        matrix = vec.fit_transform([fold(t) for t in self._esco_texts])
        return vec, matrix.T.tocsr()

    def warm(self) -> None:
        _ = self._transfer, self._descriptions, self._preferred, self._tfidf

    # -- scoring -----------------------------------------------------------------------------
    def encode(self, titles: Sequence[str]) -> np.ndarray:
        """Title vectors (see the module docstring): the mean of each title's vector and its
        abbreviations-expanded form's (not re-normalised, so a cosine with it is the mean of the
        two cosines)."""
        core = [drop_principal(t) for t in titles]
        vectors = self.encoder.encode(core)
        variants = [(i, v) for i, t in enumerate(core) if (v := expand_abbreviations(t))]
        if variants:
            rows = [i for i, _ in variants]
            extra = self.encoder.encode([v for _, v in variants])
            vectors = np.array(vectors, dtype=np.float32, copy=True)
            vectors[rows] = (vectors[rows] + extra) / 2.0
        return vectors

    def components(self, titles: Sequence[str], vectors: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Each signal's ``(len(titles), len(esco_uris))`` matrix."""
        queries = [drop_principal(t) for t in titles]
        if vectors is None:
            vectors = self.encode(titles)
        n, u = len(queries), len(self.esco_uris)
        out = {name: np.zeros((n, u), dtype=np.float32) for name in ("labels", "onet", *self.weights)}
        t_matrix, t_starts, t_keys = self._transfer
        for s in range(0, n, BATCH):
            q = vectors[s : s + BATCH]
            out["labels"][s : s + BATCH] = self._esco.max(q @ self._esco_matrix.T)
            if len(t_keys):
                out["onet"][s : s + BATCH, t_keys] = np.maximum.reduceat(q @ t_matrix.T, t_starts, axis=1)
            if "description" in out:
                out["description"][s : s + BATCH] = q @ self._descriptions.T
            if "preferred" in out:
                out["preferred"][s : s + BATCH] = q @ self._preferred.T
            if "tfidf" in out:
                vec, matrix = self._tfidf
                sims = (vec.transform([fold(x) for x in queries[s : s + BATCH]]) @ matrix).toarray()
                out["tfidf"][s : s + BATCH] = self._esco.max(sims)
        return out

    def combine(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        total = np.maximum(parts["labels"], self.onet_discount * parts["onet"])
        for name, w in self.weights.items():
            if w:
                total += w * parts[name]
        return total / (1.0 + sum(w for w in self.weights.values() if w > 0))

    def scores(self, titles: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Combined ``(len(titles), len(esco_uris))`` scores, roughly on the cosine scale."""
        return self.combine(self.components(titles, vectors))

    @staticmethod
    def adapt_prior(
        scores: np.ndarray,
        *,
        temperature: float = PRIOR_TEMPERATURE,
        strength: float = PRIOR_STRENGTH,
        iterations: int = PRIOR_ITERATIONS,
    ) -> np.ndarray:
        """Scores re-weighted by the occupation mix of this batch (EM; see the module docstring).

        Returns log-scores: ``scores / temperature + strength * log(prior)``.
        """
        logp = scores / temperature
        prior = np.full(scores.shape[1], 1.0 / scores.shape[1])
        for _ in range(iterations):
            z = logp + np.log(prior)
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            prior = p.mean(axis=0) + 1e-4 / len(prior)
            prior /= prior.sum()
        return logp + strength * np.log(prior)

    def onet_scores(
        self, esco_scores: np.ndarray, *, log_space: bool = False
    ) -> tuple[list[str], np.ndarray]:
        """O*NET codes and their scores: the best crosswalked ESCO occupation's score times the
        crosswalk match weight (exact 1.0 ... broad 0.8; added as a log for log-scores)."""
        codes = sorted({c for u in self.esco_uris for c, _ in self.catalog.esco_to_onet.get(u, [])})
        pos = {c: i for i, c in enumerate(codes)}
        out = np.full((esco_scores.shape[0], len(codes)), -np.inf, dtype=np.float32)
        for u, i in self.esco_pos.items():
            for code, match in self.catalog.esco_to_onet.get(u, []):
                j = pos[code]
                w = MATCH_WEIGHT.get(match, 0.7)
                col = esco_scores[:, i] + np.log(w) if log_space else esco_scores[:, i] * w
                np.maximum(out[:, j], col, out=out[:, j])
        return codes, out


def top_k(row: np.ndarray, ids: Sequence[str], k: int) -> list[tuple[str, float]]:
    """The ``k`` best (id, score) of one row, best first."""
    k = min(k, len(row))
    if k <= 0:
        return []
    idx = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
    idx = idx[np.argsort(-row[idx], kind="stable")]
    return [(ids[j], float(row[j])) for j in idx]
