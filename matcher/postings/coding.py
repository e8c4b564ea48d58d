"""Occupation coding: a posting's title (+ the start of its description) -> ranked O*NET-SOC codes
with a calibrated confidence; below a threshold the posting is marked "needs review" instead of
guessed (as SOCcer routes low-score jobs to human coders).

Score of an O*NET-SOC occupation ``c`` for a posting:

- ``title``: best cosine between the title and any O*NET title, alternate or reported title of c;
- ``esco``: the :class:`~matcher.postings.title_ranker.TitleRanker` score of the best ESCO
  occupation crosswalked to c (ESCO labels, O*NET titles transferred to ESCO, descriptions,
  character n-grams), times the crosswalk match weight;
- ``text``: TF-IDF (word uni- and bigrams) cosine between the title + description and c's
  title, description and task statements. Lexical on purpose: encoding whole adverts would
  cost more than everything else together (see ``evaluation/RESULTS.md``).

``score = esco + 0.5 * title + 0.2 * text / max(text) + 0.15 * [title >= 0.98]`` (an exact O*NET
title earns a bonus: the crosswalk sometimes links the ESCO occupation of the same name more
closely to a neighbour, e.g. ESCO *welder* is a close match of 51-4122 and a broad one of 51-4121).
Weights were chosen on JobBERT dev titles (labels reached through the ESCO crosswalk, so they
favour the ``esco`` route) and NJ ETPL programs (SOC from the CIP crosswalk, with long
descriptions); see ``evaluation/RESULTS.md``.
The confidence is ``sigmoid(a * top + b * margin + c)`` with ``margin`` the gap to the next
occupation of another 6-digit SOC; a, b, c and the abstention threshold are fitted on the JobBERT dev titles
(``python -m evaluation.calibrate_coder``; ``coder_calibration.json``) and documented in
``evaluation/RESULTS.md``. A SOC or O*NET-SOC code stated by the source wins (method ``stated``).

``rank_titles`` is the bare-title mode used by ``matcher eval titles --method default``.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import numpy as np

from matcher.catalog import Catalog
from matcher.encoder import Encoder
from matcher.errors import NotFoundError
from matcher.index_store import IndexSet
from matcher.postings.title_ranker import Grouped, TitleRanker, top_k

log = logging.getLogger(__name__)

CODER_NAME = "coder-v1"
TITLE_WEIGHT = 0.5
TEXT_WEIGHT = 0.2  # of the text signal scaled to the posting's best occupation (0..1)
EXACT_TITLE = 0.98  # a title this close to an O*NET title is that title ...
EXACT_TITLE_BONUS = 0.15  # ... and earns this much on top
TEXT_CHARS = 2000  # of the description, for the ``text`` signal
UNTITLED_WORDS = 8  # a posting without a title is coded from the first words of its description
CANDIDATES = 5
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")


class PostingLike(Protocol):
    title: str
    description: str
    stated_code: str | None


@dataclass(frozen=True)
class Calibration:
    a: float  # weight of the top score
    b: float  # weight of the margin
    c: float  # intercept
    threshold: float  # confidence below which a posting needs review
    fitted_on: str = ""

    @classmethod
    def packaged(cls) -> Calibration:
        raw = json.loads(resources.files("matcher.postings").joinpath("coder_calibration.json").read_text())
        return cls(raw["a"], raw["b"], raw["c"], raw["threshold"], raw.get("fitted_on", ""))

    def confidence(self, top: float, margin: float) -> float:
        z = self.a * top + self.b * margin + self.c
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass
class Coded:
    code: str | None  # None when the posting needs review
    title: str | None
    confidence: float
    needs_review: bool
    method: str  # stated | coder
    candidates: list[dict[str, Any]] = field(default_factory=list)  # [{code, title, score}]
    top: float = 0.0
    margin: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "confidence": round(self.confidence, 4),
            "needs_review": self.needs_review,
            "method": self.method,
            "candidates": self.candidates,
        }


@dataclass
class TitleRanking:
    esco: list[tuple[str, float]]  # ESCO occupation URIs, best first
    onet: list[tuple[str, float]]  # O*NET-SOC codes, best first


class OccupationCoder:
    def __init__(
        self,
        catalog: Catalog,
        indexes: IndexSet,
        encoder: Encoder,
        *,
        calibration: Calibration | None = None,
        title_weight: float = TITLE_WEIGHT,
        text_weight: float = TEXT_WEIGHT,
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.encoder = encoder
        self.ranker = TitleRanker(catalog, indexes, encoder)
        self.calibration = calibration or Calibration.packaged()
        self.title_weight = title_weight
        self.text_weight = text_weight
        titles = indexes["occupation_titles"]
        self._titles = Grouped.of(titles.ids)
        self._titles_matrix = np.ascontiguousarray(titles.matrix[self._titles.order])

    @classmethod
    def from_matcher(cls, matcher: Any) -> OccupationCoder:
        return cls(matcher.catalog, matcher.indexes, matcher.encoder)

    @property
    def version(self) -> str:
        return f"{CODER_NAME}+{self.encoder.identity}"

    def warm(self) -> None:
        self.ranker.warm()
        _ = self._codes, self._tfidf

    # -- bare titles -> ESCO + O*NET ---------------------------------------------------------
    def rank_titles(
        self, titles: Sequence[str], k: int = 10, *, adapt_prior: bool = True
    ) -> list[TitleRanking]:
        """ESCO occupations (and O*NET codes) for bare job titles. With ``adapt_prior`` the
        batch's own occupation mix re-weights the scores (no labels used)."""
        scores = self.ranker.scores(titles)
        if adapt_prior and len(titles) > 1:
            scores = self.ranker.adapt_prior(scores)
        codes, onet = self.ranker.onet_scores(scores, log_space=adapt_prior and len(titles) > 1)
        return [
            TitleRanking(top_k(scores[i], self.ranker.esco_uris, k), top_k(onet[i], codes, k))
            for i in range(len(titles))
        ]

    # -- postings -> O*NET-SOC ---------------------------------------------------------------
    @functools.cached_property
    def _codes(self) -> list[str]:
        """Every O*NET-SOC code any signal can name, in a fixed order."""
        return sorted(c for c in self._titles.keys if c in self.catalog.occupations)

    @functools.cached_property
    def _tfidf(self):  # type: ignore[no-untyped-def]
        from sklearn.feature_extraction.text import TfidfVectorizer

        c = self.catalog
        docs = []
        for code in self._codes:
            o = c.occupations[code]
            tasks = " ".join(t.text for t in c.tasks_by_code.get(code, []))
            docs.append(f"{o.title}. {o.title}. {o.description} {tasks}")
        vec = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=(1, 2),
            stop_words="english",
            min_df=1,
            max_df=0.5,
            dtype=np.float32,
        )
        return vec, vec.fit_transform(docs).T.tocsr()

    def signals(self, postings: Sequence[PostingLike]) -> dict[str, np.ndarray]:
        """``title``, ``esco`` and ``text`` scores, each ``(len(postings), len(codes))``."""
        codes = self._codes
        pos = {c: i for i, c in enumerate(codes)}
        titles = [coding_title(p.title, p.description) for p in postings]
        tv = self.ranker.encode(titles)
        n = len(postings)
        title_sig = np.zeros((n, len(codes)), np.float32)
        cols = np.asarray([pos.get(c, -1) for c in self._titles.keys])
        keep = cols >= 0
        title_sig[:, cols[keep]] = self._titles.max(tv @ self._titles_matrix.T)[:, keep]
        esco_codes, esco_onet = self.ranker.onet_scores(self.ranker.scores(titles, tv))
        esco_sig = np.zeros((n, len(codes)), np.float32)
        ecols = np.asarray([pos.get(c, -1) for c in esco_codes])
        ekeep = ecols >= 0
        esco_sig[:, ecols[ekeep]] = np.maximum(esco_onet[:, ekeep], 0.0)
        vec, matrix = self._tfidf
        docs = [
            f"{t}. {' '.join(p.description.split())[:TEXT_CHARS]}"
            for t, p in zip(titles, postings, strict=True)
        ]
        text_sig = (vec.transform(docs) @ matrix).toarray().astype(np.float32)
        return {"title": title_sig, "esco": esco_sig, "text": text_sig}

    def combine(self, sig: dict[str, np.ndarray]) -> np.ndarray:
        text = sig["text"] / np.maximum(sig["text"].max(axis=1, keepdims=True), 1e-6)
        exact = EXACT_TITLE_BONUS * (sig["title"] >= EXACT_TITLE)
        return sig["esco"] + self.title_weight * sig["title"] + self.text_weight * text + exact

    def code(self, postings: Sequence[PostingLike]) -> list[Coded]:
        """Code each posting; see the module docstring."""
        if not postings:
            return []
        scores = self.combine(self.signals(postings))
        out = []
        for i, p in enumerate(postings):
            ranked = top_k(scores[i], self._codes, 40)
            coded = self._decide(ranked)
            stated = self.resolve_stated(p.stated_code)
            if stated:
                coded.code, coded.method, coded.confidence, coded.needs_review = stated, "stated", 1.0, False
                coded.title = self.catalog.occupations[stated].title
            out.append(coded)
        return out

    def _decide(self, ranked: list[tuple[str, float]]) -> Coded:
        best_code, best = ranked[0]
        other = next((s for c, s in ranked[1:] if c[:7] != best_code[:7]), best)
        margin = best - other
        conf = self.calibration.confidence(best, margin)
        needs_review = conf < self.calibration.threshold
        candidates, seen = [], set()
        for code, score in ranked:
            if code in seen:
                continue
            seen.add(code)
            candidates.append(
                {"code": code, "title": self.catalog.occupations[code].title, "score": round(score, 4)}
            )
            if len(candidates) == CANDIDATES:
                break
        return Coded(
            code=None if needs_review else best_code,
            title=None if needs_review else self.catalog.occupations[best_code].title,
            confidence=conf,
            needs_review=needs_review,
            method="coder",
            candidates=candidates,
            top=best,
            margin=margin,
        )

    def resolve_stated(self, code: str | None) -> str | None:
        """A stated SOC (``51-4121``) or O*NET-SOC code as a known O*NET-SOC code, else None."""
        if not code:
            return None
        code = code.strip()
        if not _CODE.match(code):
            return None
        try:
            return self.catalog.occupation(code).code
        except NotFoundError:
            return None


def coding_title(title: str, description: str) -> str:
    """The title, or for an untitled posting the first words of its description."""
    title = " ".join(title.split())
    return title or " ".join(description.split()[:UNTITLED_WORDS])
