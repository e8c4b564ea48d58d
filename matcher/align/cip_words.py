"""Shared words between a program and each CIP code: TF-IDF cosine of the program text with a
code's title, definition and examples (``document``), and of the program title with the code's
title (``title``). Sentence embeddings blur the specific nouns that separate sibling codes
("autobody" vs "automobile mechanics"); words keep them. Fitted on the CIP texts alone."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.sources.cip import CipCode


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english", min_df=1)


class CipWords:
    def __init__(self, codes: Sequence[CipCode | None]) -> None:
        titles = [c.title if c else "" for c in codes]
        # The title twice: its words name the field; the definition and examples elaborate.
        docs = [f"{c.title} {c.title} {c.definition} {c.examples}" if c else "" for c in codes]
        self._doc_vec = _vectorizer()
        self._docs = self._doc_vec.fit_transform(docs).T.tocsr()
        self._title_vec = _vectorizer()
        self._titles = self._title_vec.fit_transform(titles).T.tocsr()

    def document(self, text: str) -> np.ndarray:
        return np.asarray((self._doc_vec.transform([text]) @ self._docs).todense(), dtype=np.float32).ravel()

    def title(self, text: str) -> np.ndarray:
        return np.asarray(
            (self._title_vec.transform([text]) @ self._titles).todense(), dtype=np.float32
        ).ravel()
