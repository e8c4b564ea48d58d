"""Ranking every ESCO skill for a piece of text (the ``skills`` benchmark's ``default`` method).

The score of a skill fuses:

- ``sentence``: the text's similarity to the skill, the mean of its similarity to the preferred
  label and its best similarity to any label (preferred or alternative);
- ``span``: the same, for the best of the text's candidate spans (span-model spans, noun chunks,
  verb-object phrases, exact mentions), so that a sentence naming several skills ranks each;
- ``exact``: a bonus when a label of the skill occurs verbatim (lemma-insensitive);
- ``prior``: a small bonus for transversal skills ("communication", "work in teams"), which
  annotators link often and the encoder under-ranks against look-alike specific skills.

``score = sentence + W_SPAN * span + W_EXACT * exact + W_PRIOR * transversal``. The weights were
chosen on one TechWolf dev set and checked on the other (``evaluation/RESULTS.md``).
"""

from __future__ import annotations

import numpy as np

from matcher.indexes.store import IndexSet
from matcher.sources.catalog import Catalog

W_SPAN = 1.0
W_EXACT = 0.1
W_PRIOR = 0.05
PREF_SHARE = 0.5  # sentence/span similarity = PREF_SHARE * preferred + (1 - PREF_SHARE) * best label


class EscoRanker:
    """Dense scores over all ESCO skills (rows of the ``esco_skills`` index)."""

    def __init__(self, catalog: Catalog, indexes: IndexSet) -> None:
        self.w_span, self.w_exact, self.w_prior, self.pref_share = W_SPAN, W_EXACT, W_PRIOR, PREF_SHARE
        pref = indexes["esco_skills"]
        self.ids: list[str] = list(pref.ids)
        self.pos = {u: i for i, u in enumerate(self.ids)}
        self.labels = [catalog.esco_skills[u].label if u in catalog.esco_skills else u for u in self.ids]
        self.pref = pref.matrix
        self.alt = None
        if "esco_skill_labels" in indexes:
            idx = indexes["esco_skill_labels"]
            owner = np.array([self.pos.get(u, -1) for u in idx.ids])
            keep = owner >= 0
            self.alt = idx.matrix[keep] if not keep.all() else idx.matrix
            owner = owner[keep]
            change = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            self._seg_start = change
            self._seg_owner = owner[change]
            self._contiguous = len(np.unique(self._seg_owner)) == len(self._seg_owner)
            self._owner = owner
        reuse = [catalog.esco_skills[u].reuse_level if u in catalog.esco_skills else "" for u in self.ids]
        self.transversal = np.array([r == "transversal" for r in reuse], dtype=np.float32)

    def _label_max(self, sims: np.ndarray) -> np.ndarray:
        """Per-skill max over label rows, for a (q, rows) similarity matrix -> (q, skills)."""
        out = np.full((sims.shape[0], len(self.ids)), -1.0, dtype=np.float32)
        if self._contiguous:
            out[:, self._seg_owner] = np.maximum.reduceat(sims, self._seg_start, axis=1)
        else:  # pragma: no cover - builds write a skill's labels together
            for q in range(sims.shape[0]):
                np.maximum.at(out[q], self._owner, sims[q])
        return out

    def similarity(self, vectors: np.ndarray) -> np.ndarray:
        """(q, skills): PREF_SHARE * preferred-label cosine + rest * best-label cosine."""
        p = vectors @ self.pref.T
        if self.alt is None:
            return p
        best = np.maximum(self._label_max(vectors @ self.alt.T), p)
        return self.pref_share * p + (1.0 - self.pref_share) * best

    def scores(self, text_vec: np.ndarray, span_vecs: np.ndarray, exact: set[str]) -> np.ndarray:
        s = self.similarity(text_vec[None, :])[0]
        if len(span_vecs):
            s = s + self.w_span * self.similarity(span_vecs).max(axis=0)
        if exact:
            rows = [self.pos[u] for u in exact if u in self.pos]
            s[rows] += self.w_exact
        return s + self.w_prior * self.transversal

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        k = min(k, len(scores))
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in order]
