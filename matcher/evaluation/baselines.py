"""Naive baselines shared by tasks: TF-IDF and plain embedding nearest neighbours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class TfidfNearest:
    """Cosine nearest neighbours over TF-IDF vectors (word uni+bigrams, sublinear tf)."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str], *, analyzer: str = "word") -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        ngram = (1, 2) if analyzer == "word" else (3, 5)
        self.ids = list(ids)
        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=ngram,
            analyzer=analyzer,
            min_df=1,
            stop_words="english" if analyzer == "word" else None,
        )
        self.matrix = self.vectorizer.fit_transform(texts)

    def rank(self, queries: Sequence[str], k: int) -> list[list[str]]:
        q = self.vectorizer.transform(queries)
        sims = (q @ self.matrix.T).toarray()
        out = []
        for row in sims:
            top = np.argsort(-row, kind="stable")[: k * 8]
            seen: list[str] = []
            for j in top:
                if self.ids[j] not in seen:
                    seen.append(self.ids[j])
                    if len(seen) == k:
                        break
            out.append(seen)
        return out


def unique_ranked(ids: Sequence[str], order: Sequence[int] | np.ndarray, k: int) -> list[str]:
    """The first ``k`` distinct ids following ``order``."""
    seen: dict[str, None] = {}
    for j in order:
        seen.setdefault(ids[j], None)
        if len(seen) == k:
            break
    return list(seen)


def embedding_rank(matrix: np.ndarray, ids: Sequence[str], queries: np.ndarray, k: int) -> list[list[str]]:
    sims = queries @ matrix.T
    fetch = min(sims.shape[1], k * 20)
    out = []
    for row in sims:
        top = np.argpartition(-row, fetch - 1)[:fetch] if fetch < len(row) else np.arange(len(row))
        top = top[np.argsort(-row[top], kind="stable")]
        out.append(unique_ranked(ids, top, k))
    return out
