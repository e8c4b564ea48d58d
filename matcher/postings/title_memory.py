"""Nearest coded titles: a job title's occupation read off the titles most like it that someone
has already coded.

The memory holds every title of the :class:`~matcher.postings.title_dictionary.TitleDictionary`
from the Census and BLS indexes (each with its distribution over O*NET-SOC codes) and every
O*NET title, alternate and reported title of the ``occupation_titles`` index. A title's
``K`` nearest memory titles (cosine of the encoder's vectors) vote for their codes with weight
``exp((cos - best cos) / T)``; the votes, normalised, are the ``knn`` signal of the coder.

The Census/BLS titles are encoded on first use (about 36,000 short texts) and kept in the
embedding cache, so later loads read them back.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matcher.encoding.encoder import Encoder
from matcher.indexes.store import IndexSet
from matcher.postings.title_dictionary import TitleDictionary

log = logging.getLogger(__name__)

K = 30
TEMPERATURE = 0.05
BATCH = 512


@dataclass(frozen=True)
class Neighbour:
    title: str
    source: str  # census/bls or "onet"
    similarity: float


class TitleMemory:
    """See the module docstring. ``codes``: the coder's O*NET-SOC codes (columns)."""

    def __init__(
        self,
        dictionary: TitleDictionary,
        indexes: IndexSet,
        encoder: Encoder,
        codes: Sequence[str],
        *,
        k: int = K,
        temperature: float = TEMPERATURE,
    ) -> None:
        self.dictionary = dictionary
        self.indexes = indexes
        self.encoder = encoder
        self.codes = list(codes)
        self.k = k
        self.temperature = temperature

    @functools.cached_property
    def _memory(self) -> tuple[np.ndarray, sparse.csr_matrix, list[str], list[str]]:
        """(vectors, row -> code distribution, texts, sources)."""
        pos = {c: i for i, c in enumerate(self.codes)}
        by_title: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(self.dictionary.entries):
            if e.source in ("census", "bls"):
                by_title[e.title].append(i)
        texts = sorted(by_title)
        rows, cols, vals = [], [], []
        sources = []
        for r, text in enumerate(texts):
            ids = by_title[text]
            dist = self.dictionary.distribution(self.dictionary.weigh(ids, None))
            sources.append("/".join(sorted({self.dictionary.entries[i].source for i in ids})))
            for code, share in dist.items():
                if code in pos:
                    rows.append(r)
                    cols.append(pos[code])
                    vals.append(share)
        vectors = (
            self.encoder.encode(texts, description="encoding index titles")
            if texts
            else np.zeros((0, self.encoder.dim), np.float32)
        )
        onet = self.indexes["occupation_titles"]
        base = len(texts)
        for r, code in enumerate(onet.ids):
            if code in pos:
                rows.append(base + r)
                cols.append(pos[code])
                vals.append(1.0)
        matrix = np.ascontiguousarray(np.vstack([vectors, np.asarray(onet.matrix, np.float32)]))
        n = matrix.shape[0]
        dist_matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(self.codes)), dtype=np.float32)
        log.info("title memory: %d coded titles (%d from the Census/BLS indexes)", n, base)
        return matrix, dist_matrix, texts + list(onet.texts), sources + ["onet"] * len(onet.ids)

    def warm(self) -> None:
        _ = self._memory

    def search(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(indexes, cosines) of each vector's ``k`` nearest memory titles, best first."""
        matrix = self._memory[0]
        k = min(self.k, matrix.shape[0])
        idx = np.zeros((len(vectors), k), np.int64)
        sims = np.zeros((len(vectors), k), np.float32)
        if k == 0:
            return idx, sims
        for s in range(0, len(vectors), BATCH):
            block = vectors[s : s + BATCH] @ matrix.T
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            vals = np.take_along_axis(block, top, axis=1)
            order = np.argsort(-vals, axis=1, kind="stable")
            idx[s : s + BATCH] = np.take_along_axis(top, order, axis=1)
            sims[s : s + BATCH] = np.take_along_axis(vals, order, axis=1)
        return idx, sims

    def scores(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(len(vectors), len(codes))`` vote shares, and the neighbours behind them."""
        _, dist, _, _ = self._memory
        idx, sims = self.search(vectors)
        n = len(vectors)
        out = np.zeros((n, len(self.codes)), np.float32)
        if idx.shape[1] == 0:
            return out, idx, sims
        weights = np.exp((sims - sims[:, :1]) / self.temperature)
        rows = np.repeat(np.arange(n), idx.shape[1])
        votes = sparse.csr_matrix((weights.ravel(), (rows, idx.ravel())), shape=(n, dist.shape[0]))
        out = np.asarray((votes @ dist).todense(), dtype=np.float32)
        out /= np.maximum(out.sum(axis=1, keepdims=True), 1e-12)
        return out, idx, sims

    def neighbours(self, idx: np.ndarray, sims: np.ndarray, code: str, limit: int = 3) -> list[Neighbour]:
        """The nearest memory titles (of one query's ``idx``/``sims``) that vote for ``code``."""
        _, dist, texts, sources = self._memory
        j = self.codes.index(code) if code in self.codes else -1
        out: list[Neighbour] = []
        for i, s in zip(idx, sims, strict=True):
            if j >= 0 and dist[int(i), j] > 0:
                out.append(Neighbour(texts[int(i)], sources[int(i)], round(float(s), 4)))
                if len(out) == limit:
                    break
        return out
