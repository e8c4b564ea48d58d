"""Approximate nearest-neighbour indexes for large corpora (postings), chosen by size.

Taxonomies (≤ ~100k rows) use exact ``IndexFlatIP`` (:mod:`matcher.indexes.vector_index`). For posting
corpora this module builds an IVF index with 8-bit scalar quantisation (``IVF{nlist},SQ8``,
inner product): about 1/4 of the float32 memory, loadable memory-mapped. After training it tunes
``nprobe`` on held-out queries to the smallest value whose recall@10 against exact search
reaches the target (default 0.95) and stores that choice with the index.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from matcher.indexes.vector_index import faiss  # configured (OPENBLAS_CORETYPE) before it loads

EXACT_MAX = 50_000


@dataclass
class AnnInfo:
    kind: str  # "flat" | "ivf-sq8"
    n: int
    dim: int
    nlist: int
    nprobe: int
    recall_at_10: float | None
    build_seconds: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def choose_nlist(n: int) -> int:
    """About 4·sqrt(n) lists, at least 39 training points per list (FAISS' rule of thumb)."""
    return int(max(1, min(4 * math.sqrt(n), n // 39)))


def recall_at_k(approx: np.ndarray, exact: np.ndarray, k: int = 10) -> float:
    hits = sum(len(set(a[:k]) & set(e[:k])) for a, e in zip(approx, exact, strict=True))
    return hits / (k * len(exact))


def build_ann(
    vectors: np.ndarray,
    *,
    target_recall: float = 0.95,
    train_size: int = 100_000,
    n_queries: int = 200,
    seed: int = 0,
    queries: np.ndarray | None = None,
) -> tuple[faiss.Index, AnnInfo]:
    """Build an index for ``vectors`` (L2-normalised float32) sized to the corpus."""
    started = time.monotonic()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    n, d = x.shape
    if n <= EXACT_MAX:
        flat = faiss.IndexFlatIP(d)
        flat.add(x)
        return flat, AnnInfo("flat", n, d, 0, 0, 1.0, round(time.monotonic() - started, 2))
    nlist = choose_nlist(n)
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(n, size=min(n, max(train_size, 39 * nlist)), replace=False)]
    index.train(sample)
    for start in range(0, n, 100_000):
        index.add(x[start : start + 100_000])
    nprobe, recall = tune_nprobe(index, x, target_recall, n_queries, rng, queries)
    index.nprobe = nprobe
    return index, AnnInfo("ivf-sq8", n, d, nlist, nprobe, recall, round(time.monotonic() - started, 2))


def tune_nprobe(
    index: faiss.IndexIVF,
    x: np.ndarray,
    target: float,
    n_queries: int,
    rng: np.random.Generator,
    queries: np.ndarray | None = None,
) -> tuple[int, float]:
    """Smallest power-of-two nprobe reaching ``target`` recall@10 against exact search.

    Queries are ``queries`` or corpus rows; a corpus row's own id is left out of both lists, so
    the trivially found self-match does not inflate the recall.
    """
    if queries is None:
        ids = rng.choice(len(x), size=min(n_queries, len(x)), replace=False)
        q = x[ids]
    else:
        ids = np.full(len(queries), -1)
        q = np.ascontiguousarray(queries, dtype=np.float32)
    flat = faiss.IndexFlatIP(x.shape[1])
    flat.add(x)
    _, exact = flat.search(q, 11)
    exact = _drop_self(exact, ids)
    recall, nprobe = 0.0, 1
    while nprobe <= index.nlist:
        index.nprobe = nprobe
        _, approx = index.search(q, 11)
        recall = recall_at_k(_drop_self(approx, ids), exact)
        if recall >= target:
            break
        nprobe *= 2
    return min(nprobe, index.nlist), recall


def _drop_self(rows: np.ndarray, ids: np.ndarray) -> np.ndarray:
    return np.array([[r for r in row if r != i][:10] for row, i in zip(rows, ids, strict=True)])


def save_ann(index: faiss.Index, info: AnnInfo, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.faiss.tmp"
    faiss.write_index(index, str(tmp))
    tmp.replace(folder / f"{name}.faiss")
    (folder / f"{name}.ann.json").write_text(info.to_json())


def load_ann(folder: Path, name: str, *, mmap: bool = True) -> tuple[faiss.Index, AnnInfo]:
    info = AnnInfo(**json.loads((folder / f"{name}.ann.json").read_text()))
    flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap and info.kind != "flat" else 0
    index = faiss.read_index(str(folder / f"{name}.faiss"), flags)
    if info.kind != "flat":
        faiss.extract_index_ivf(index).nprobe = info.nprobe
    return index, info
