"""Skills and vectors of postings, one distinct sentence at a time.

Postings repeat themselves: benefits and EEO boilerplate, "Duties:" headers, the same
requirement lines across an employer's adverts. The skill extractor works sentence by sentence
(sentences are split, boilerplate is dropped and every candidate is linked within its sentence),
so a sentence's skills do not depend on the rest of the posting. :class:`SentenceSkills`
therefore extracts each *distinct* content sentence once, keeps its skills (offsets relative to
the sentence) and its embedding in a bounded memo shared by the tasks of one worker, and maps
them back onto each posting with the sentence's offset. The result equals
``extractor.extract_many(texts, kind="posting")`` (the pipeline test checks it).

The posting's **vector** is the L2-normalised mean of its content sentences' embeddings (the
title is the first sentence; boilerplate sentences are left out), taken from the pass the span
tagger already makes over every sentence -- embedding the posting costs no extra model pass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.extract.types import ExtractedSkill, Kind
from matcher.pipeline.sentence_store import SentenceStore
from matcher.pipeline.timing import StageTimer
from matcher.runtime.memo import BoundedMemo

CHUNK = 1024  # distinct sentences per extractor call (the encoder's memo keeps their vectors)


@dataclass
class SentenceStats:
    sentences: int = 0  # content sentences seen
    boilerplate: int = 0  # sentences dropped as boilerplate
    distinct: int = 0  # distinct content sentences in the batches
    stored: int = 0  # found in the machine's sentence store (another worker or run did them)
    extracted: int = 0  # sentences run through the extractor (misses of both)
    timer: StageTimer = field(default_factory=lambda: StageTimer(("extract", "embed")))

    def add(self, other: SentenceStats) -> None:
        for name in ("sentences", "boilerplate", "distinct", "stored", "extracted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.timer.add(other.timer)

    def counts(self) -> dict[str, int]:
        return {
            "content": self.sentences,
            "boilerplate": self.boilerplate,
            "distinct_in_batches": self.distinct,
            "from_store": self.stored,
            "extracted": self.extracted,
        }


@dataclass
class _Entry:
    skills: list[ExtractedSkill]
    vector: np.ndarray


@dataclass
class PostingSkills:
    skills: list[list[ExtractedSkill]]
    vectors: np.ndarray  # (n, dim) float32, L2-normalised
    stats: SentenceStats = field(default_factory=SentenceStats)


class SentenceSkills:
    """Per-sentence extraction with two cache levels: this worker's memo (``memo_size``
    sentences, in memory) and, when given, the machine's :class:`SentenceStore` on disk."""

    def __init__(
        self, extractor: Any, *, memo_size: int = 50_000, store: SentenceStore | None = None
    ) -> None:
        self.extractor = extractor
        self.memo_size = memo_size
        self.store = store
        self._memo: BoundedMemo[str, _Entry] = BoundedMemo(memo_size)

    @property
    def identity(self) -> str:
        """The encoder the vectors come from (e.g. ``all-MiniLM-L6-v2@…+bf16``)."""
        return str(self.extractor.encoder.identity)

    @property
    def dim(self) -> int:
        return int(self.extractor.encoder.base.dim)

    def clear(self) -> None:
        self._memo.clear()

    def process(self, texts: Sequence[str]) -> PostingSkills:
        """Skills (offsets into each text) and one vector per text."""
        stats = SentenceStats()
        with stats.timer.stage("extract"):
            sents = self.extractor.analyzer.sentences(list(texts), [Kind.POSTING] * len(texts))
        content = [s for s in sents if not s.is_boilerplate]
        stats.sentences = len(content)
        stats.boilerplate = len(sents) - len(content)
        distinct = list(dict.fromkeys(s.text for s in content))
        stats.distinct = len(distinct)
        found: dict[str, _Entry] = self._memo.get_many(distinct)
        todo = [t for t in distinct if t not in found]
        if todo and self.store is not None:
            with stats.timer.stage("extract"):
                stored = self.store.get_many(todo, self.dim)
            found.update({t: _Entry(sk, v) for t, (sk, v) in stored.items()})
            stats.stored = len(stored)
            self._memo.put_many({t: found[t] for t in stored})
            todo = [t for t in todo if t not in stored]
        stats.extracted = len(todo)
        for i in range(0, len(todo), CHUNK):
            chunk = todo[i : i + CHUNK]
            with stats.timer.stage("extract"):
                skills = self.extractor.extract_many(chunk, kind=Kind.POSTING.value)
            with stats.timer.stage("embed"):
                # the span tagger's pass embedded each sentence: these come from the encoder's memo
                vectors = self.extractor.encoder.encode(chunk)
            for t, sk, v in zip(chunk, skills, vectors, strict=True):
                found[t] = _Entry(sk, np.asarray(v, dtype=np.float32))
            if self.store is not None:
                with stats.timer.stage("extract"):
                    self.store.put_many({t: (found[t].skills, found[t].vector) for t in chunk})
        self._memo.put_many({t: found[t] for t in todo})
        with stats.timer.stage("embed"):
            skills_of, vectors_of = self._assemble(texts, content, found)
        return PostingSkills(skills_of, vectors_of, stats)

    def _assemble(
        self, texts: Sequence[str], content: list[Any], found: dict[str, _Entry]
    ) -> tuple[list[list[ExtractedSkill]], np.ndarray]:
        """Each posting's skills (offsets shifted into the posting) and its mean vector."""
        out: list[list[ExtractedSkill]] = [[] for _ in texts]
        sums = np.zeros((len(texts), self.dim), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.int64)
        for s in content:
            e = found[s.text]
            sums[s.text_index] += e.vector
            counts[s.text_index] += 1
            out[s.text_index] += [
                dataclasses.replace(sk, start=sk.start + s.start, end=sk.end + s.start) for sk in e.skills
            ]
        empty = np.flatnonzero(counts == 0)
        if len(empty):  # nothing but boilerplate: embed the whole text
            sums[empty] = self.extractor.encoder.encode([texts[i] or "-" for i in empty.tolist()])
        sums /= np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)
        for skills in out:
            skills.sort(key=lambda x: (x.start, x.end, x.taxonomy, -x.score))
        return out, sums
