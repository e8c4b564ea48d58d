"""Query-side encoding for extraction: many short spans, fast.

Spans and sentences are encoded with the same model and the same backend as the indexes: the
index encoder's own transformer pass (:attr:`Encoder.minilm <matcher.encoding.encoder.Encoder.minilm>`,
on ``Settings.backend``), which also feeds the span tagger. A model without plain mean pooling
on PyTorch has no such pass; its spans go through the index encoder as is.

A bounded in-memory memo serves repeated spans ("communication skills") without re-encoding;
nothing is written to the on-disk embedding cache, which stays reserved for taxonomy texts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import numpy as np

from matcher.encoding.encoder import Encoder
from matcher.encoding.minilm import MiniLM
from matcher.runtime.memo import BoundedMemo

log = logging.getLogger(__name__)

MEMO_SIZE = 30_000  # vectors (384 float32 = 1.5 kB each: ~46 MB at most)


class SpanEncoder:
    """Encode spans with the index model, memoising recent texts."""

    def __init__(self, encoder: Encoder, *, memo_size: int = MEMO_SIZE) -> None:
        self.base = encoder
        self.minilm: MiniLM | None = encoder.minilm  # one copy of the model in memory
        self._memo: BoundedMemo[str, np.ndarray] = BoundedMemo(memo_size)
        self._lock = threading.Lock()  # guards the counter
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    @property
    def identity(self) -> str:
        return self.base.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.base.dim), dtype=np.float32)
        out = self._memo.get_many(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in out))
        if todo:
            vecs = self.minilm.encode(todo) if self.minilm is not None else self.base.encode(todo)
            self.remember(todo, vecs)
            out.update(zip(todo, vecs, strict=True))
        return np.stack([out[t] for t in texts]).astype(np.float32, copy=False)

    def remember(self, texts: Sequence[str], vecs: np.ndarray) -> None:
        """Keep vectors computed elsewhere (e.g. by the span tagger's pass)."""
        self._memo.put_many(dict(zip(texts, vecs, strict=True)))
        with self._lock:
            self.encoded += len(texts)

    def clear(self) -> None:
        self._memo.clear()
        with self._lock:
            self.encoded = 0
