"""Occupation coding: a posting's title (+ the start of its description, + its industry when
known) -> ranked O*NET-SOC codes with a calibrated confidence; below a threshold the posting is
marked "needs review" instead of guessed (as SOCcer routes low-score jobs to human coders).

Signals, each a score for every O*NET-SOC occupation ``c``:

- ``title``: best cosine between the title and any O*NET title, alternate or reported title of c;
- ``esco``: the :class:`~matcher.postings.title_ranker.TitleRanker` score of the best ESCO
  occupation crosswalked to c, times the crosswalk match weight;
- ``text``: TF-IDF (word uni- and bigrams) cosine between the title + description and c's
  title, description and task statements. Lexical on purpose: encoding whole adverts would
  cost more than everything else together (see ``evaluation/RESULTS.md``);
- ``coder``: the first version of this coder, ``esco + 0.5 * title + 0.2 * text / max(text) +
  0.15 * [title >= 0.98]``, kept as one signal;
- ``dict``: log-probability of c in the title dictionary's entry for the title (Census and BLS
  indexes, SOC and O*NET titles, looked up exactly and through normalised keys, with industry
  restrictions; :mod:`matcher.postings.title_dictionary`), 0 for every code when the
  dictionary has no entry;
- ``knn``: log of the votes of the nearest coded titles (:mod:`matcher.postings.title_memory`);
- ``nb``: log-probability from a naive Bayes classifier trained on the coded titles
  (:mod:`matcher.postings.title_classifier`);
- ``prior``: log of c's share of US employment (BLS OEWS, national).

``score = sum_f w_f * signal_f`` and ``P(c) = softmax(score)``: a conditional logit whose
weights are fitted on the H-2B employer titles (``python -m evaluation.calibrate_coder``,
grouped cross-validation; ``coder_calibration.json``). The confidence is the probability of the
best code's 6-digit SOC; below ``threshold`` the posting needs review. A SOC or O*NET-SOC code
stated by the source wins (method ``stated``).

``rank_titles`` is the bare-title mode used by ``matcher eval titles --method default``: ESCO
occupations from the title ranker, O*NET-SOC codes from the scores above.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import numpy as np

from matcher.encoding.encoder import Encoder
from matcher.errors import NotFoundError
from matcher.indexes.store import IndexSet
from matcher.postings.title_classifier import TitleClassifier
from matcher.postings.title_dictionary import DictionaryHit, TitleDictionary
from matcher.postings.title_memory import TitleMemory
from matcher.postings.title_ranker import Grouped, TitleRanker, top_k
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

CODER_NAME = "coder-v2"
TITLE_WEIGHT = 0.5
TEXT_WEIGHT = 0.2  # of the text signal scaled to the posting's best occupation (0..1)
EXACT_TITLE = 0.98  # a title this close to an O*NET title is that title ...
EXACT_TITLE_BONUS = 0.15  # ... and earns this much on top
TEXT_CHARS = 2000  # of the description, for the ``text`` signal
UNTITLED_WORDS = 8  # a posting without a title is coded from the first words of its description
CANDIDATES = 5
FEATURES = ("knn", "coder", "dict", "prior", "title", "esco", "nb")
KNN_FLOOR = 1e-4  # knn votes below this count as this (log scale)
DICT_FLOOR = 1e-3  # a code the dictionary entry does not name
EMPLOYMENT_FLOOR = 1000.0  # jobs added to every occupation's OEWS employment for the prior
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")


class PostingLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def stated_code(self) -> str | None: ...


@dataclass(frozen=True)
class Calibration:
    """The fitted conditional logit: one weight per signal (see the module docstring) and the
    confidence below which a posting needs review."""

    weights: dict[str, float]
    threshold: float
    fitted_on: str = ""

    @classmethod
    def packaged(cls) -> Calibration:
        raw = json.loads(resources.files("matcher.postings").joinpath("coder_calibration.json").read_text())
        return cls(
            {k: float(raw["weights"].get(k, 0.0)) for k in FEATURES},
            raw["threshold"],
            raw.get("fitted_on", ""),
        )


@dataclass
class Coded:
    code: str | None  # None when the posting needs review
    title: str | None
    confidence: float
    needs_review: bool
    method: str  # stated | coder
    candidates: list[dict[str, Any]] = field(default_factory=list)  # [{code, title, score}]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    top: float = 0.0  # probability of the best code's SOC
    margin: float = 0.0  # ... minus that of the next SOC

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "confidence": round(self.confidence, 4),
            "needs_review": self.needs_review,
            "method": self.method,
            "candidates": self.candidates,
            "evidence": self.evidence,
        }


@dataclass
class TitleRanking:
    esco: list[tuple[str, float]]  # ESCO occupation URIs, best first
    onet: list[tuple[str, float]]  # O*NET-SOC codes, best first


@dataclass
class Signals:
    """Every signal's ``(n, len(codes))`` matrix, with what explains them."""

    matrices: dict[str, np.ndarray]
    hits: list[DictionaryHit | None]
    neighbours: tuple[np.ndarray, np.ndarray]  # memory row indexes and cosines, per posting


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

    @functools.cached_property
    def dictionary(self) -> TitleDictionary:
        return TitleDictionary.from_catalog(self.catalog)

    @functools.cached_property
    def memory(self) -> TitleMemory:
        return TitleMemory(self.dictionary, self.indexes, self.encoder, self._codes)

    @functools.cached_property
    def classifier(self) -> TitleClassifier:
        return TitleClassifier(self.dictionary, self._codes)

    @functools.cached_property
    def _prior(self) -> np.ndarray:
        emp = np.asarray([self.dictionary.employment.get(c[:7], 0.0) for c in self._codes], np.float64)
        return np.log((emp + EMPLOYMENT_FLOOR) / (emp.sum() + EMPLOYMENT_FLOOR * len(emp))).astype(np.float32)

    @property
    def data_version(self) -> str:
        titles = getattr(self.catalog.data, "titles", None)
        index = titles.version if titles is not None else "none"
        v = self.catalog.data.versions
        return f"{index}; O*NET {v.get('onet', '?')}; OEWS {v.get('oews', '?')}"

    def warm(self) -> None:
        self.ranker.warm()
        _ = self._codes, self._tfidf, self._prior
        self.memory.warm()
        self.classifier.warm()

    # -- bare titles -> ESCO + O*NET ---------------------------------------------------------
    def rank_titles(
        self, titles: Sequence[str], k: int = 10, *, adapt_prior: bool = True
    ) -> list[TitleRanking]:
        """ESCO occupations and O*NET codes for bare job titles. With ``adapt_prior`` the batch's
        own occupation mix re-weights the ESCO scores (no labels used)."""
        sig = self.signals([_Bare(t) for t in titles])
        scores = sig.matrices["esco_scores"]
        if adapt_prior and len(titles) > 1:
            scores = self.ranker.adapt_prior(scores)
        onet = self.combine(sig)
        return [
            TitleRanking(top_k(scores[i], self.ranker.esco_uris, k), top_k(onet[i], self._codes, k))
            for i in range(len(titles))
        ]

    # -- postings -> O*NET-SOC ---------------------------------------------------------------
    @functools.cached_property
    def _codes(self) -> list[str]:
        """Every O*NET-SOC code any signal can name, in a fixed order."""
        return sorted(c for c in self._titles.keys if c in self.catalog.occupations)

    @functools.cached_property
    def _tfidf(self):
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

    def signals(
        self, postings: Sequence[PostingLike], industries: Sequence[int | None] | None = None
    ) -> Signals:
        """Every signal of the module docstring for each posting (``industries``: each one's 2022
        Census industry code, or None)."""
        codes = self._codes
        pos = {c: i for i, c in enumerate(codes)}
        titles = [coding_title(p.title, p.description) for p in postings]
        tv = self.ranker.encode(titles)
        n = len(postings)
        title_sig = np.zeros((n, len(codes)), np.float32)
        cols = np.asarray([pos.get(c, -1) for c in self._titles.keys])
        keep = cols >= 0
        title_sig[:, cols[keep]] = self._titles.max(tv @ self._titles_matrix.T)[:, keep]
        esco_scores = self.ranker.scores(titles, tv)
        esco_codes, esco_onet = self.ranker.onet_scores(esco_scores)
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
        base = self._first_version(title_sig, esco_sig, text_sig)
        knn, idx, sims = self.memory.scores(tv)
        industries = list(industries) if industries is not None else [None] * n
        hits = [self.dictionary.lookup(t, ind) for t, ind in zip(titles, industries, strict=True)]
        dict_sig = np.zeros((n, len(codes)), np.float32)
        for i, hit in enumerate(hits):
            if hit is not None:
                row = np.full(len(codes), DICT_FLOOR, np.float32)
                for code, share in hit.distribution.items():
                    if code in pos:
                        row[pos[code]] += share
                dict_sig[i] = np.log(row)
        matrices = {
            "title": title_sig,
            "esco": esco_sig,
            "text": text_sig,
            "coder": base,
            "knn": np.log(knn + KNN_FLOOR),
            "dict": dict_sig,
            "nb": self.classifier.scores(titles),
            "prior": np.broadcast_to(self._prior, (n, len(codes))),
            "vectors": tv,
            "esco_scores": esco_scores,  # per ESCO occupation (the ranker's columns)
        }
        return Signals(matrices, hits, (idx, sims))

    def _first_version(self, title: np.ndarray, esco: np.ndarray, text: np.ndarray) -> np.ndarray:
        scaled = text / np.maximum(text.max(axis=1, keepdims=True), 1e-6)
        exact = EXACT_TITLE_BONUS * (title >= EXACT_TITLE)
        return esco + self.title_weight * title + self.text_weight * scaled + exact

    def combine(self, sig: Signals, weights: dict[str, float] | None = None) -> np.ndarray:
        """``sum_f w_f * signal_f``: the conditional logit's scores (log-odds up to a constant)."""
        weights = self.calibration.weights if weights is None else weights
        n, c = sig.matrices["title"].shape
        total = np.zeros((n, c), np.float32)
        for name, w in weights.items():
            if w:
                total += np.float32(w) * sig.matrices[name]
        return total

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        z = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def code(
        self, postings: Sequence[PostingLike], industries: Sequence[int | None] | None = None
    ) -> list[Coded]:
        """Code each posting; see the module docstring."""
        if not postings:
            return []
        sig = self.signals(postings, industries)
        probs = self.probabilities(self.combine(sig))
        out = []
        for i, p in enumerate(postings):
            coded = self._decide(probs[i])
            coded.evidence = self._evidence(sig, i, coded)
            stated = self.resolve_stated(p.stated_code)
            if stated:
                coded.code, coded.method, coded.confidence, coded.needs_review = stated, "stated", 1.0, False
                coded.title = self.catalog.occupations[stated].title
            out.append(coded)
        return out

    def _decide(self, probs: np.ndarray) -> Coded:
        ranked = top_k(probs, self._codes, 40)
        best_code = ranked[0][0]
        by_soc: dict[str, float] = {}
        for code, p in ranked:
            by_soc[code[:7]] = by_soc.get(code[:7], 0.0) + p
        socs = sorted(by_soc.values(), reverse=True)
        conf = by_soc[best_code[:7]]
        margin = conf - (socs[1] if len(socs) > 1 else 0.0)
        needs_review = conf < self.calibration.threshold
        candidates = [
            {"code": code, "title": self.catalog.occupations[code].title, "score": round(score, 4)}
            for code, score in ranked[:CANDIDATES]
        ]
        return Coded(
            code=None if needs_review else best_code,
            title=None if needs_review else self.catalog.occupations[best_code].title,
            confidence=conf,
            needs_review=needs_review,
            method="coder",
            candidates=candidates,
            top=conf,
            margin=margin,
        )

    def _evidence(self, sig: Signals, i: int, coded: Coded) -> list[dict[str, Any]]:
        """Why the best candidate: the dictionary entries and the nearest coded titles behind it."""
        if not coded.candidates:
            return []
        best = coded.candidates[0]["code"]
        out: list[dict[str, Any]] = []
        hit = sig.hits[i]
        if hit is not None and best in hit.distribution:
            out.append(
                {
                    "kind": "dictionary",
                    "match": hit.level,
                    "key": hit.key,
                    "matched": hit.evidence(best),
                    "share": round(hit.distribution[best], 4),
                }
            )
        idx, sims = sig.neighbours
        for nb in self.memory.neighbours(idx[i], sims[i], best):
            out.append(
                {
                    "kind": "similar_title",
                    "matched": nb.title,
                    "source": nb.source,
                    "similarity": nb.similarity,
                }
            )
        out.append({"kind": "data", "matched": self.data_version})
        return out

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


@dataclass(frozen=True)
class _Bare:
    title: str
    description: str = ""
    stated_code: str | None = None


def coding_title(title: str, description: str) -> str:
    """The title, or for an untitled posting the first words of its description."""
    title = " ".join(title.split())
    return title or " ".join(description.split()[:UNTITLED_WORDS])
