"""Query-side encoding for extraction: many short spans, fast.

Spans and sentences are encoded with the same model as the indexes. When the model is a
mean-pooling sentence-transformer (all-MiniLM-L6-v2 is), the extractor runs the transformer
itself (:class:`~matcher.encoding.minilm.MiniLM`) and the same pass feeds the span tagger. With
the PyTorch float32 index encoder it runs in bfloat16 on CPUs with native bf16 (2.5x faster,
cosine agreement with float32 0.99999) and on ONNX Runtime float32 elsewhere (the same numbers
as PyTorch float32, faster: see :func:`minilm_runtime`); with an ONNX index encoder it uses the
same graph precision as the index. Otherwise the index encoder is used as is.

A bounded in-memory memo serves repeated spans ("communication skills") without re-encoding;
nothing is written to the on-disk embedding cache, which stays reserved for taxonomy texts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import numpy as np

from matcher.encoding.encoder import Encoder, mean_pooling_model
from matcher.encoding.minilm import MiniLM, cpu_has_bf16
from matcher.runtime.memo import BoundedMemo

log = logging.getLogger(__name__)

MEMO_SIZE = 30_000  # vectors (384 float32 = 1.5 kB each: ~46 MB at most)


def minilm_runtime(backend: str, fast: bool) -> tuple[str, bool] | None:
    """(MiniLM runtime, bf16) for an index encoder backend; None when MiniLM can't stand in.

    ``fast=False`` keeps PyTorch float32 (the reference)."""
    if backend in ("torch", "onnx"):  # float32 either way: the same vectors
        if not fast:
            return backend, False
        return ("torch", True) if cpu_has_bf16() else ("onnx", False)
    if backend == "torch-bf16":
        return "torch", True
    if backend == "onnx-int8":
        return backend, False
    return None


class SpanEncoder:
    """Encode spans with the index model, memoising recent texts."""

    def __init__(self, encoder: Encoder, *, fast: bool = True, memo_size: int = MEMO_SIZE) -> None:
        self.base = encoder
        self.minilm: MiniLM | None = None
        runtime = minilm_runtime(getattr(encoder, "backend", "torch"), fast)
        if runtime == ("torch", True) and getattr(encoder, "fused_bf16", False):
            self.minilm = encoder.minilm  # the index encoder's own bfloat16 pass, shared
        elif runtime is not None and mean_pooling_model(encoder.path):
            self.minilm = MiniLM(
                encoder.path,
                runtime=runtime[0],
                bf16=runtime[1],
                threads=encoder.threads,
                export_dir=getattr(encoder, "export_dir", None),
                family=getattr(encoder, "family", None),
            )
        self._memo: BoundedMemo[str, np.ndarray] = BoundedMemo(memo_size)
        self._lock = threading.Lock()  # guards the counter
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    @property
    def identity(self) -> str:
        if self.minilm is not None:
            bf16 = self.minilm.bf16 and "bf16" not in self.base.identity
            return self.base.identity + ("+bf16" if bf16 else "")
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
