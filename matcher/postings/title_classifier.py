"""A bag-of-words classifier of job titles trained on the coded titles of the
:class:`~matcher.postings.title_dictionary.TitleDictionary` (Census, BLS, SOC and O*NET titles):
multinomial naive Bayes over TF-IDF word uni- and bigrams and character 3-5-grams of the
normalised title words (:func:`~matcher.postings.title_keys.words`).

It learns what single words say ("deckhand", "groundskeeping", "helper") across the ~130,000
coded titles, so a title that no dictionary entry matches, misspelt ("Houseekper") or in words
no coded title uses together, still gets a distribution over 6-digit SOC codes. Grouped codes
train each detailed occupation with its employment share (below 5 % left out).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence

import numpy as np

from matcher.postings.title_dictionary import SOURCE_WEIGHT, TitleDictionary
from matcher.postings.title_keys import words

log = logging.getLogger(__name__)

ALPHA = 0.01
MIN_SHARE = 0.05
FLOOR = -30.0  # log-probability floor, relative to the best SOC


class TitleClassifier:
    def __init__(self, dictionary: TitleDictionary, codes: Sequence[str]) -> None:
        self.dictionary = dictionary
        self.codes = list(codes)

    @functools.cached_property
    def _model(self):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.naive_bayes import MultinomialNB

        started = time.monotonic()
        texts, labels, weights = [], [], []
        for e in self.dictionary.entries:
            w = SOURCE_WEIGHT.get(e.source, 1.0)
            if e.restriction.kind in ("only", "except"):
                w *= 0.35
            text = " ".join(words(e.title))
            if not text:
                continue
            for code, share in self.dictionary.expand(e.code):
                if share >= MIN_SHARE:
                    texts.append(text)
                    labels.append(code[:7])
                    weights.append(w * share)
        word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        x = sparse.hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        model = MultinomialNB(alpha=ALPHA).fit(x, labels, sample_weight=weights)
        classes = {c: i for i, c in enumerate(model.classes_)}
        columns = np.asarray([classes.get(code[:7], -1) for code in self.codes])
        log.info(
            "title classifier: %d titles, %d SOC codes, %.1f s",
            len(texts),
            len(classes),
            time.monotonic() - started,
        )
        return word, char, model, columns

    def warm(self) -> None:
        _ = self._model

    def scores(self, titles: Sequence[str]) -> np.ndarray:
        """``(len(titles), len(codes))`` log-probabilities of each code's SOC, the best at 0,
        floored at ``FLOOR``."""
        from scipy import sparse

        word, char, model, columns = self._model
        texts = [" ".join(words(t)) for t in titles]
        x = sparse.hstack([word.transform(texts), char.transform(texts)]).tocsr()
        logp = model.predict_log_proba(x).astype(np.float32)
        out = np.full((len(titles), len(self.codes)), FLOOR, np.float32)
        known = columns >= 0
        out[:, known] = logp[:, columns[known]]
        out -= out.max(axis=1, keepdims=True)
        return np.maximum(out, FLOOR)
