"""A FAISS inner-product index over L2-normalised vectors, with the ids and texts of its rows."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from matcher.runtime.cpu import cpu_has_avx512


def _configure_openblas() -> None:
    # faiss-cpu bundles an OpenBLAS that does not recognise recent Xeons and falls back to a
    # slow kernel; SkylakeX is right for any AVX-512 CPU (measured 99 -> 343 GFLOP/s).
    if "OPENBLAS_CORETYPE" not in os.environ and cpu_has_avx512():
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"


_configure_openblas()
import faiss  # noqa: E402

if TYPE_CHECKING:
    from matcher.indexes.int8_candidates import Int8Candidates
    from matcher.indexes.search_batcher import SearchBatcher

# Indexes with an int8 copy (:meth:`VectorIndex.enable_int8_candidates`) take candidates from an
# int8 matrix product, then re-score the best ``k + max(INT8_EXTRA, k // 2)`` rows in float32.
INT8_EXTRA = 16  # at least this many candidates beyond k (8 was enough on real linker queries)
INT8_CHUNK = 512  # queries per product (a 512 x 99k block of int32 scores is 200 MB)


class _StorageOwner:
    """Exposes a FAISS index's storage to numpy and keeps the index alive with it (the array
    made from this object holds it as its ``base``)."""

    def __init__(self, view: np.ndarray, index: faiss.Index) -> None:
        self.__array_interface__ = view.__array_interface__
        self._view = view
        self._index = index


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
        self._batcher: SearchBatcher | None = None
        self._int8: Int8Candidates | None = (
            None  # int8 copy of the rows for candidate search (Int8Candidates)
        )
        self._sq8: faiss.IndexRefine | None = None  # FAISS SQ8 codes, re-scored on self.index
        self._sq8_codes: faiss.Index | None = None

    def enable_batching(self) -> None:
        """Batch concurrent one-query searches from many threads (a service's search routes):
        see :mod:`matcher.indexes.search_batcher`."""
        if self._batcher is None:
            from matcher.indexes.search_batcher import SearchBatcher

            self._batcher = SearchBatcher(self._search_many, name=self.name)

    def enable_int8_candidates(self, threads: int = 0) -> None:
        """Take candidates from an 8-bit integer matrix product
        (:class:`~matcher.indexes.int8_candidates.Int8Candidates`, ONNX Runtime), then score the best
        ``k + max(INT8_EXTRA, k // 2)`` of them exactly in float32: for the skill linker's large
        query batches and for the search routes' single queries and small batches alike.

        A flat search is bound by memory bandwidth: it reads every row for every query. On the
        61k occupation titles (AVX2-only Zen 3, 2 threads) one query took 12.6 ms through FAISS's
        flat search and 7.6 ms through the float16 candidate scan used before; the int8 copy
        reads a quarter of the float32 bytes: 1.6 ms, and 8.0 ms for 16 queries at once (the
        float32 matrix product: 28.5 ms).

        99k ESCO labels x 4,640 span queries: FAISS's float32 flat search 1.60 s, a bfloat16
        product 0.89 s, this 0.50 s (AMD Zen 5). The scores returned are the float32 ones;
        against FAISS on those 4,640 real queries (k 24) 48 result lists differed, all among
        rows whose scores agree to 5e-7 (duplicate labels; FAISS's own order of such ties is
        arbitrary): 40 the same rows in another order, 8 a row tied at the k-th place. Exact ties
        go to the higher row first (FAISS's flat search did so on those duplicate labels). The
        int8 copy costs a quarter of the index's float32 size in memory."""
        if self._int8 is None and len(self):
            from matcher.indexes.int8_candidates import Int8Candidates

            self._int8 = Int8Candidates(self.matrix, threads=threads)

    def enable_sq8_candidates(self) -> None:
        """Take the candidates of a lone query from FAISS's 8-bit scalar quantiser (one range
        for all dimensions) and re-score the best ``k + max(INT8_EXTRA, k // 2)`` exactly on
        this flat index (``IndexRefine``); two or more queries at once keep the int8 product.

        ``python -m evaluation.bench.int8_vs_faiss`` (1,000 real job titles over the 61,012
        O*NET titles, k 240, AMD Zen 5, 2 threads, a busy host): one query at a time, the same
        CPU time (1.18 against 1.24 ms a query) and a lower best wall time (2.3 against 4.8 ms);
        in batches of 4 the int8 product takes 0.65 against 1.13 ms of CPU a query. Results
        equal the flat search's on every query. The codes take a quarter of the float32 size."""
        if self._sq8 is None and len(self):
            codes = faiss.IndexScalarQuantizer(
                self.dim, faiss.ScalarQuantizer.QT_8bit_uniform, faiss.METRIC_INNER_PRODUCT
            )
            rows = np.ascontiguousarray(self.matrix)
            codes.train(rows)
            codes.add(rows)
            self._sq8_codes = codes  # IndexRefine does not own it: keep it alive here
            self._sq8 = faiss.IndexRefine(codes, self.index)

    def _sq8_top(self, sq8: faiss.IndexRefine, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self))
        fetch = min(k + max(INT8_EXTRA, k // 2), len(self))
        params = faiss.IndexRefineSearchParameters()
        params.k_factor = fetch / k
        scores, rows = sq8.search(q, k, params=params)
        order = np.lexsort((-rows, -scores), axis=1)  # ties to the higher row, as _int8_top
        return np.take_along_axis(scores, order, axis=1), np.take_along_axis(rows, order, axis=1)

    def _int8_top(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        int8 = self._int8
        assert int8 is not None, "enable_int8_candidates() first"
        k = min(k, len(self))
        scores = np.empty((len(q), k), dtype=np.float32)
        rows = np.empty((len(q), k), dtype=np.int64)
        for a in range(0, len(q), INT8_CHUNK):
            qq = q[a : a + INT8_CHUNK]
            cand = int8.top(qq, k + max(INT8_EXTRA, k // 2))
            exact = np.matmul(self.matrix[cand], qq[:, :, None])[:, :, 0]
            order = np.lexsort((-cand, -exact), axis=1)[:, :k]
            scores[a : a + len(qq)] = np.take_along_axis(exact, order, axis=1)
            rows[a : a + len(qq)] = np.take_along_axis(cand, order, axis=1)
        return scores, rows

    def _search_many(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self._sq8 is not None and len(q) == 1:
            return self._sq8_top(self._sq8, q, k)
        if self._int8 is not None:
            return self._int8_top(q, k)
        return self.index.search(q, k)

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
        """All row vectors (n, d), read-only; for scoring every row at once. For a flat index
        this is a view of the index's own storage (no copy: the 99k ESCO labels are 152 MB),
        which keeps the index alive as long as the view lives."""
        if len(self) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if isinstance(self.index, faiss.IndexFlat):
            size = len(self) * self.dim
            view = faiss.rev_swig_ptr(self.index.get_xb(), size).reshape(len(self), self.dim)
            rows = np.asarray(_StorageOwner(view, self.index))
        else:
            rows = self.index.reconstruct_n(0, len(self))
        rows.flags.writeable = False
        return rows

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
        return self._search_many(q, k)

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
