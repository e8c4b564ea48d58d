"""A FAISS inner-product index over L2-normalised vectors, with the ids and texts of its rows."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _configure_openblas() -> None:
    # faiss-cpu bundles an OpenBLAS that does not recognise recent Xeons and falls back to a
    # slow kernel; SkylakeX is right for any AVX-512 CPU (measured 99 -> 343 GFLOP/s).
    if "OPENBLAS_CORETYPE" in os.environ:
        return
    try:
        with open("/proc/cpuinfo") as fh:
            if " avx512f" in fh.read(200_000):
                os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    except OSError:
        pass


_configure_openblas()
import faiss  # noqa: E402


@dataclass
class Hit:
    row: int
    id: str
    text: str
    score: float


class VectorIndex:
    """Rows of (id, text, vector); exact cosine search with ``IndexFlatIP``."""

    def __init__(self, name: str, ids: list[str], texts: list[str], index: faiss.Index) -> None:
        if len(ids) != index.ntotal or len(texts) != index.ntotal:
            raise ValueError(f"index {name}: {len(ids)} ids for {index.ntotal} vectors")
        self.name = name
        self.ids = ids
        self.texts = texts
        self.index = index
        self._batcher = None

    def enable_batching(self) -> None:
        """Batch concurrent one-query searches from many threads (a service's search routes):
        see :mod:`matcher.search_batcher`."""
        if self._batcher is None:
            from matcher.search_batcher import SearchBatcher

            self._batcher = SearchBatcher(self.index.search, name=self.name)

    @classmethod
    def from_vectors(cls, name: str, ids: list[str], texts: list[str], vectors: np.ndarray) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(vectors)
        return cls(name, ids, texts, index)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    @functools.cached_property
    def matrix(self) -> np.ndarray:
        """All row vectors (n, d); for scoring every row at once."""
        if len(self) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_n(0, len(self))

    @functools.cached_property
    def rows_by_id(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, id_ in enumerate(self.ids):
            out.setdefault(id_, []).append(i)
        return out

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, len(self)))
        if self._batcher is not None and len(q) == 1:
            return self._batcher.search(q[0], k)
        return self.index.search(q, k)

    def top(self, query: np.ndarray, k: int) -> list[Hit]:
        if len(self) == 0:
            return []
        scores, rows = self.search(query, k)
        return [
            Hit(int(r), self.ids[r], self.texts[r], float(s))
            for s, r in zip(scores[0], rows[0], strict=True)
            if r >= 0
        ]

    def top_unique(self, query: np.ndarray, k: int, *, fetch: int | None = None) -> list[Hit]:
        """Best hit per distinct id (rows may repeat an id, e.g. alternate labels)."""
        hits = self.top(query, fetch or k * 8)
        seen: set[str] = set()
        out = []
        for h in hits:
            if h.id not in seen:
                seen.add(h.id)
                out.append(h)
                if len(out) == k:
                    break
        return out

    # -- persistence -------------------------------------------------------------------------
    def save(self, folder: Path) -> list[Path]:
        """Write ``<name>.faiss`` and ``<name>.rows.json`` into ``folder``; return the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        vec_path = folder / f"{self.name}.faiss"
        rows_path = folder / f"{self.name}.rows.json"
        faiss.write_index(self.index, str(vec_path))
        rows_path.write_text(json.dumps({"ids": self.ids, "texts": self.texts}, ensure_ascii=False))
        return [vec_path, rows_path]

    @classmethod
    def load(cls, folder: Path, name: str, *, mmap: bool = False) -> VectorIndex:
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(folder / f"{name}.faiss"), flags)
        rows = json.loads((folder / f"{name}.rows.json").read_text())
        return cls(name, rows["ids"], rows["texts"], index)
