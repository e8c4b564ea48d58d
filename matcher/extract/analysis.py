"""From texts to candidate spans: sentences (with boilerplate and framing marked), spaCy Docs,
exact taxonomy mentions, span-model spans and linguistic patterns, all with character offsets
into the input texts. Linking happens elsewhere (:mod:`matcher.extract.linking`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc

from matcher.extract.boilerplate import blocked_regions, framing_end, is_generic, lead_end
from matcher.extract.nlp import TextPipeline
from matcher.extract.patterns import pattern_spans
from matcher.extract.phrases import PhraseHit, PhraseTable
from matcher.extract.span_model import SpanModel
from matcher.extract.types import Candidate, Kind, Method
from matcher.text.normalise import split_sentences

MAX_SPAN_CHARS = 120
_STRIP = " \t\n.,;:!?()[]{}\"'*•-–/|"


@dataclass
class Sentence:
    text_index: int  # which input text
    start: int  # offsets of the sentence in its input text
    end: int
    text: str
    kind: Kind
    content: int = 0  # offset (in the sentence) where content starts, after framing
    blocked: list[tuple[int, int, str]] = field(default_factory=list)  # sentence offsets

    @property
    def is_boilerplate(self) -> bool:
        return bool(self.blocked) and self.blocked[0][:2] == (0, len(self.text))

    def allowed(self, start: int, end: int) -> bool:
        """Whether sentence offsets [start, end) lie in content (not framing, not boilerplate)."""
        if start < self.content:
            return False
        return not any(start < e and end > s for s, e, _ in self.blocked)


@dataclass
class Analysis:
    sentences: list[Sentence]
    docs: list[Doc]
    exact: list[list[PhraseHit]]  # per sentence
    candidates: list[list[Candidate]]  # per sentence: model and pattern spans (offsets in texts)
    vectors: np.ndarray | None = None  # sentence embeddings, when the span model computed them


class Analyzer:
    def __init__(self, pipeline: TextPipeline, phrases: PhraseTable, span_model: SpanModel | None) -> None:
        self.pipeline = pipeline
        self.phrases = phrases
        self.span_model = span_model

    def sentences(self, texts: Sequence[str], kinds: Sequence[Kind]) -> list[Sentence]:
        out = []
        for i, (text, kind) in enumerate(zip(texts, kinds, strict=True)):
            for sp in split_sentences(text):
                s = Sentence(i, sp.start, sp.end, sp.text, kind)
                s.blocked = blocked_regions(sp.text, kind)
                if not s.is_boilerplate:
                    s.content = framing_end(sp.text)
                out.append(s)
        return out

    def analyse(
        self,
        texts: Sequence[str],
        kinds: Sequence[Kind],
        *,
        model: bool = True,
        patterns: Sequence[Kind] = (Kind.CURRICULUM,),
        drop_boilerplate: bool = True,
    ) -> Analysis:
        """Sentences, Docs and candidates. ``patterns`` lists the kinds of text that get the
        parser's noun chunks and verb-object phrases (the parser is the slowest step).
        ``drop_boilerplate=False`` keeps every sentence whole (for ranking a given sentence)."""
        sents = self.sentences(texts, kinds)
        if drop_boilerplate:
            sents = [s for s in sents if not s.is_boilerplate]
        else:
            for s in sents:
                s.blocked = []
        docs = self.pipeline.make_docs([s.text for s in sents])
        exact = [self._exact(s, d) for s, d in zip(sents, docs, strict=True)]
        cands: list[list[Candidate]] = [[] for _ in sents]
        vectors = None
        if model and self.span_model is not None:
            predicted, vectors = self.span_model.predict_docs(docs)
            for k, (s, d, spans) in enumerate(zip(sents, docs, predicted, strict=True)):
                for start, end, label in spans:
                    span = d[start:end]
                    self._add(cands[k], k, s, span.start_char, span.end_char, Method.MODEL, label)
        parse = [k for k, s in enumerate(sents) if s.kind in patterns]
        if parse:
            self.pipeline.parse([docs[k] for k in parse])
            for k in parse:
                for p in pattern_spans(docs[k]):
                    self._add(
                        cands[k],
                        k,
                        sents[k],
                        p.span.start_char,
                        p.span.end_char,
                        Method.PATTERN,
                        p.kind,
                        p.query,
                    )
        cands = [_drop_nested_words(cs) for cs in cands]
        return Analysis(sents, docs, exact, cands, vectors)

    def _exact(self, s: Sentence, doc: Doc) -> list[PhraseHit]:
        out = []
        for h in self.phrases.match(doc):
            span = doc[h.start : h.end]
            if s.allowed(span.start_char, span.end_char):
                out.append(h)
        return out

    @staticmethod
    def _add(
        out: list[Candidate],
        k: int,
        s: Sentence,
        start: int,
        end: int,
        method: Method,
        label: str,
        query: str = "",
    ) -> None:
        text = s.text[start:end]
        cut = lead_end(text)  # "strong knowledge of SQL" -> "SQL"
        start += cut
        text = text[cut:]
        left = len(text) - len(text.lstrip(_STRIP))
        start += left
        text = text.strip(_STRIP)
        end = start + len(text)
        if not text or len(text) > MAX_SPAN_CHARS or is_generic(text) or not s.allowed(start, end):
            return
        if any(c.start == s.start + start and c.end == s.start + end and c.query == query for c in out):
            return  # the same span from the model and a pattern: keep the first (model)
        out.append(Candidate(k, s.start + start, s.start + end, text, method, label, query))


def _drop_nested_words(cands: list[Candidate]) -> list[Candidate]:
    """Drop one-word pattern candidates inside a longer candidate ("plasma" in "oxy-fuel and
    plasma cutting"): on their own they link to look-alikes ("plasma televisions")."""
    out = []
    for c in cands:
        if c.method is Method.PATTERN and not c.query and " " not in c.text:
            if any(
                o is not c and o.start <= c.start and c.end <= o.end and o.end - o.start > c.end - c.start
                for o in cands
            ):
                continue
        out.append(c)
    return out
