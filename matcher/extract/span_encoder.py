"""Query-side encoding for extraction: many short spans, fast.

Spans and sentences are encoded with the same model as the indexes. When the index encoder runs
PyTorch float32 on a CPU with native bfloat16 (AVX512-BF16 or AMX), queries are encoded by a
sibling encoder under bfloat16 autocast: 2.5x faster measured here, cosine agreement with
float32 0.99996 (PERFORMANCE-NOTES.md), and the skills dev metrics are unchanged (RESULTS.md).
A bounded in-memory memo serves repeated spans ("communication skills") without re-encoding.
The bfloat16 sibling writes nothing to the on-disk embedding cache, which stays reserved for
taxonomy texts; without bfloat16 the index encoder itself (and its cache) is used.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from matcher.encoder import Encoder

log = logging.getLogger(__name__)

MEMO_SIZE = 30_000  # vectors (384 float32 = 1.5 kB each: ~46 MB at most)


@functools.cache
def cpu_has_bf16() -> bool:
    try:
        with open("/proc/cpuinfo") as fh:
            flags = fh.read(400_000)
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


class SpanEncoder:
    """Encode spans with the index model (bfloat16 when native), memoising recent texts."""

    def __init__(self, encoder: Encoder, *, fast: bool = True, memo_size: int = MEMO_SIZE) -> None:
        self.base = encoder
        self.encoder = encoder
        if fast and getattr(encoder, "backend", "torch") == "torch" and cpu_has_bf16():
            self.encoder = Encoder(
                encoder.model_name,
                backend="torch-bf16",
                threads=encoder.threads,
                batch_size=encoder.batch_size,
                cache=None,
            )
        self.memo_size = memo_size
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    @property
    def identity(self) -> str:
        return self.encoder.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.base.dim), dtype=np.float32)
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for t in texts:
                v = self._memo.get(t)
                if v is not None:
                    self._memo.move_to_end(t)
                    out[t] = v
        todo = list(dict.fromkeys(t for t in texts if t not in out))
        if todo:
            vecs = self.encoder.encode(todo)
            with self._lock:
                for t, v in zip(todo, vecs, strict=True):
                    out[t] = v
                    self._memo[t] = v
                while len(self._memo) > self.memo_size:
                    self._memo.popitem(last=False)
                self.encoded += len(todo)
        return np.stack([out[t] for t in texts]).astype(np.float32, copy=False)

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()
            self.encoded = 0
