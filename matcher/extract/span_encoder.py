"""Query-side encoding for extraction: many short spans, fast.

Spans and sentences are encoded with the same model as the indexes. When the index encoder runs
PyTorch float32 and the model is a mean-pooling sentence-transformer (all-MiniLM-L6-v2 is), the
extractor runs the transformer itself (:class:`~matcher.extract.minilm.MiniLM`), in bfloat16 on
CPUs with native bf16: 2.5x faster measured here, cosine agreement with float32 0.99999, and
the same pass feeds the span tagger. Otherwise the index encoder is used as is.

A bounded in-memory memo serves repeated spans ("communication skills") without re-encoding;
nothing is written to the on-disk embedding cache, which stays reserved for taxonomy texts.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.encoder import Encoder
from matcher.extract.minilm import MiniLM

log = logging.getLogger(__name__)

MEMO_SIZE = 30_000  # vectors (384 float32 = 1.5 kB each: ~46 MB at most)


def mean_pooling_model(path: Path) -> bool:
    """Whether a sentence-transformers folder is Transformer + mean Pooling + Normalize."""
    try:
        modules = json.loads((path / "modules.json").read_text())
        types = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        cfg = json.loads((path / pooling / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    only_mean = cfg.get("pooling_mode_mean_tokens") and not any(
        v for k, v in cfg.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    return types == ["Transformer", "Pooling", "Normalize"] and bool(only_mean)


class SpanEncoder:
    """Encode spans with the index model, memoising recent texts."""

    def __init__(self, encoder: Encoder, *, fast: bool = True, memo_size: int = MEMO_SIZE) -> None:
        self.base = encoder
        self.minilm: MiniLM | None = None
        if getattr(encoder, "backend", "torch") == "torch" and mean_pooling_model(encoder.path):
            self.minilm = MiniLM(encoder.path, bf16=None if fast else False, threads=encoder.threads)
        self.memo_size = memo_size
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    @property
    def identity(self) -> str:
        if self.minilm is not None:
            return self.base.identity + ("+bf16" if self.minilm.bf16 else "")
        return self.base.identity

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
            vecs = self.minilm.encode(todo) if self.minilm is not None else self.base.encode(todo)
            self.remember(todo, vecs)
            out.update(zip(todo, vecs, strict=True))
        return np.stack([out[t] for t in texts]).astype(np.float32, copy=False)

    def remember(self, texts: Sequence[str], vecs: np.ndarray) -> None:
        """Keep vectors computed elsewhere (e.g. by the span tagger's pass)."""
        with self._lock:
            for t, v in zip(texts, vecs, strict=True):
                self._memo[t] = v
            while len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)
            self.encoded += len(texts)

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()
            self.encoded = 0
