"""The :class:`SkillExtractor`: skills in any text (course descriptions, learning outcomes,
credential descriptions, job postings), each with the matched text, offsets, sentence, score
and method.

Steps: sentences (boilerplate dropped, curriculum framing cut off) -> spaCy Docs -> candidates:
exact taxonomy mentions (``exact``), spans of the SkillSpan model (``model``), noun chunks and
verb-object phrases (``pattern``), and the sentence itself (``semantic``) -> FAISS linking with
thresholds per taxonomy and method -> one result per skill and sentence, best evidence first.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matcher.encoding.encoder import Encoder
from matcher.encoding.span_encoder import SpanEncoder
from matcher.errors import BadInputError, TooLargeError
from matcher.extract.acronyms import expand, taxonomy_acronyms
from matcher.extract.analysis import Analysis, Analyzer
from matcher.extract.boilerplate import detect_kind
from matcher.extract.linking import Linker, Thresholds
from matcher.extract.nlp import TextPipeline
from matcher.extract.phrases import PhraseTable
from matcher.extract.ranking import EscoRanker
from matcher.extract.span_model import SpanModel
from matcher.extract.types import ExtractedSkill, Kind, Method, Taxonomy
from matcher.indexes.store import IndexSet
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000  # documented limit per text (CLI: exit 2; API: 413)
SEMANTIC_MIN_CHARS = 12
SEMANTIC_MAX_CHARS = 300  # longer "sentences" (run-on adverts) say too many things at once
_METHOD_RANK = {Method.EXACT: 0, Method.MODEL: 1, Method.PATTERN: 2, Method.SEMANTIC: 3}


def parse_kind(kind: str | Kind) -> Kind:
    try:
        return Kind(str(kind).lower())
    except ValueError:
        raise BadInputError(
            f"unknown kind {kind!r}; choose one of: {', '.join(k.value for k in Kind)}"
        ) from None


def resolve_kind(text: str, kind: str | Kind) -> Kind:
    """The kind used for ``text``: as given, or guessed from cue words when ``auto``."""
    k = parse_kind(kind)
    return detect_kind(text) if k is Kind.AUTO else k


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise BadInputError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise TooLargeError(
            f"the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}",
            details={"chars": len(text), "limit": MAX_TEXT_CHARS},
        )
    return text


class SkillExtractor:
    """Extract skills with evidence; link them to ESCO and O*NET (technology, tools, DWAs)."""

    def __init__(
        self,
        catalog: Catalog,
        encoder: Encoder,
        indexes: IndexSet,
        *,
        cache_dir: Path | None = None,
        span_model: Path | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.cache_dir = cache_dir
        self.linker = Linker(catalog, indexes, thresholds)
        self.encoder = SpanEncoder(encoder)
        self._span_model_path = span_model

    @classmethod
    def from_matcher(cls, matcher: Any) -> SkillExtractor:
        """Reuse a loaded :class:`~matcher.engine.Matcher`'s catalog, encoder and indexes."""
        return cls(
            matcher.catalog,
            matcher.encoder,
            matcher.indexes,
            cache_dir=matcher.settings.cache_dir,
            span_model=matcher.settings.span_model_dir,
        )

    # -- lazily loaded parts -------------------------------------------------------------------
    @functools.cached_property
    def pipeline(self) -> TextPipeline:
        return TextPipeline()

    @functools.cached_property
    def phrases(self) -> PhraseTable:
        return PhraseTable.load_or_compile(self.catalog, self.pipeline, self.cache_dir)

    @functools.cached_property
    def span_model(self) -> SpanModel | None:
        if self.encoder.minilm is None:
            log.warning("the span tagger needs the mean-pooling MiniLM encoder; running without it")
            return None
        return SpanModel.load_default(self.encoder.minilm, self._span_model_path)

    @functools.cached_property
    def acronyms(self) -> dict[str, str]:
        return taxonomy_acronyms(self.catalog)

    def _variants(self, text: str) -> list[str]:
        """The text, and the text with taxonomy acronyms spelled out when it has any."""
        expanded = expand(text, self.acronyms)
        return [text, expanded] if expanded else [text]

    @functools.cached_property
    def analyzer(self) -> Analyzer:
        return Analyzer(self.pipeline, self.phrases, self.span_model)

    def warm(self) -> None:
        """Load the spaCy pipeline, the phrase table, the span model and the encoder now."""
        self.extract("Warm-up: operate a forklift and use Microsoft Excel.", kind="curriculum")

    @property
    def versions(self) -> dict[str, Any]:
        return {
            "span_model": self.span_model.version if self.span_model else None,
            "spacy_model": "{name}-{version}".format(**self.pipeline.nlp.meta),
            "query_encoder": self.encoder.identity,
            "transformer_runtime": self.encoder.minilm.label if self.encoder.minilm else None,
            "thresholds": self.linker.thresholds.info.get("version", ""),
        }

    # -- extraction ----------------------------------------------------------------------------
    def extract(self, text: str, *, kind: str = "auto") -> list[ExtractedSkill]:
        """Skills in ``text`` (empty text -> []); ``kind``: curriculum, posting or auto."""
        return self.extract_many([text], kind=kind)[0]

    def extract_many(self, texts: Sequence[str], *, kind: str = "auto") -> list[list[ExtractedSkill]]:
        """:meth:`extract` over many texts at once (batched spaCy, encoding and search)."""
        k = parse_kind(kind)
        texts = [check_text(t) for t in texts]
        kinds = [detect_kind(t) if k is Kind.AUTO else k for t in texts]
        results: list[list[ExtractedSkill]] = [[] for _ in texts]
        live = [i for i, t in enumerate(texts) if t.strip()]
        if not live:
            return results
        analysis = self.analyzer.analyse([texts[i] for i in live], [kinds[i] for i in live])
        for j, skills in enumerate(self._link(analysis, len(live))):
            results[live[j]] = skills
        return results

    # -- ranking (the skills benchmark) --------------------------------------------------------
    @functools.cached_property
    def esco_ranker(self) -> EscoRanker:
        return EscoRanker(self.catalog, self.indexes)

    def rank_esco(
        self,
        texts: Sequence[str],
        *,
        k: int = 10,
        sources: Sequence[Method] = (Method.MODEL, Method.PATTERN, Method.EXACT),
        acronyms: bool = True,
    ) -> list[list[tuple[str, float]]]:
        """The ``k`` best ESCO skills (URI, score) for each text, every skill scored (no
        thresholds): the text and its candidate spans, fused (:mod:`~matcher.extract.ranking`).
        ``sources`` and ``acronyms`` switch parts off, for ablations."""
        texts = [check_text(t) for t in texts]
        ranker = self.esco_ranker
        a = self.analyzer.analyse(
            texts, [Kind.POSTING] * len(texts), patterns=tuple(Kind), drop_boilerplate=False
        )
        spans: list[list[str]] = [[] for _ in texts]
        exact: list[set[str]] = [set() for _ in texts]
        for k_, s in enumerate(a.sentences):
            for c in a.candidates[k_]:
                if c.method in sources:
                    spans[s.text_index] += self._variants(c.query_text) if acronyms else [c.query_text]
            if Method.EXACT not in sources:
                continue
            doc = a.docs[k_]
            for h in a.exact[k_]:
                spans[s.text_index].append(doc[h.start : h.end].text)
                if h.taxonomy == Taxonomy.ESCO:
                    exact[s.text_index].add(h.id)
        queries = [" ".join(t.split()) or "-" for t in texts]
        flat = list(dict.fromkeys(x for xs in spans for x in xs))
        vecs = self.encoder.encode(queries + flat)
        qv, sv = vecs[: len(queries)], vecs[len(queries) :]
        where = {t: i for i, t in enumerate(flat)}
        out = []
        for i in range(len(texts)):
            rows = [where[x] for x in dict.fromkeys(spans[i])]
            scores = ranker.scores(qv[i], sv[rows], exact[i])
            out.append(ranker.top(scores, k))
        return out

    def _link(self, a: Analysis, n_texts: int, *, dedupe: bool = True) -> list[list[ExtractedSkill]]:
        """Exact hits plus thresholded links of every candidate and sentence, per input text.
        ``dedupe=False`` keeps every method's link (for calibration)."""
        found: list[list[ExtractedSkill]] = [[] for _ in range(n_texts)]
        for k, (s, doc) in enumerate(zip(a.sentences, a.docs, strict=True)):
            for h in a.exact[k]:
                span = doc[h.start : h.end]
                start, end = s.start + span.start_char, s.start + span.end_char
                found[s.text_index].append(
                    ExtractedSkill(
                        h.taxonomy, h.id, h.label, span.text, start, end, s.text, 1.0, Method.EXACT.value
                    )
                )
        # (sentence, start, end, text, method, route, query) of every span and sentence to link
        # (the query text differs from the span text when acronyms are spelled out)
        queries: list[tuple[int, int, int, str, Method, str, str]] = []
        for k, cands in enumerate(a.candidates):
            for c in cands:
                for q in self._variants(c.query_text):
                    queries.append((k, c.start, c.end, c.text, c.method, c.kind, q))
        if a.vectors is not None:  # the span tagger's pass already embedded each sentence
            self.encoder.remember([s.text for s in a.sentences], a.vectors)
        for k, s in enumerate(a.sentences):
            content = s.text[s.content :].strip()
            if SEMANTIC_MIN_CHARS <= len(content) <= SEMANTIC_MAX_CHARS and not s.blocked:
                start = s.start + s.content + (len(s.text[s.content :]) - len(s.text[s.content :].lstrip()))
                queries.append(
                    (k, start, start + len(content), content, Method.SEMANTIC, "sentence", content)
                )
        if queries:
            # the same text, route and method is searched once (adverts repeat their phrases)
            keys = list(dict.fromkeys((q[6], q[5], q[4]) for q in queries))
            vectors = self.encoder.encode([key[0] for key in keys])
            found_links = self.linker.link(vectors, [key[1] for key in keys], [key[2] for key in keys])
            by_key = dict(zip(keys, found_links, strict=True))
            links = [by_key[(q[6], q[5], q[4])] for q in queries]
            # a span linked through several query variants keeps its best link per taxonomy
            best: dict[tuple[int, int, int, str, str], tuple[str, Any]] = {}
            for (k, start, end, text, method, _, _), lks in zip(queries, links, strict=True):
                for lk in lks:
                    key = (k, start, end, method.value, lk.taxonomy)
                    if key not in best or lk.score > best[key][1].score:
                        best[key] = (text, lk)
            for (k, start, end, method_name, _), (text, lk) in best.items():
                s = a.sentences[k]
                found[s.text_index].append(
                    ExtractedSkill(
                        lk.taxonomy, lk.id, lk.label, text, start, end, s.text, lk.score, method_name
                    )
                )
        if not dedupe:
            return found
        return [_best_per_sentence(f) for f in found]


def _best_per_sentence(skills: list[ExtractedSkill]) -> list[ExtractedSkill]:
    """One result per (sentence, taxonomy, id): exact before model/pattern before semantic,
    then the higher score; ordered by position."""
    best: dict[tuple[str, str, str], ExtractedSkill] = {}
    for sk in skills:
        key = (sk.sentence, sk.taxonomy, sk.id)
        cur = best.get(key)
        if cur is None or (_METHOD_RANK[Method(sk.method)], -sk.score) < (
            _METHOD_RANK[Method(cur.method)],
            -cur.score,
        ):
            best[key] = sk
    return sorted(best.values(), key=lambda x: (x.start, x.end, x.taxonomy, -x.score))
