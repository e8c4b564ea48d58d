"""FAISS for posting-corpus sizes: build time, index memory, recall@10 and latency at 100k and
1M vectors. The corpus is made from the real taxonomy embeddings in the built indexes plus
normalised mixtures of random pairs of them (labelled synthetic); queries are real program and
posting sentence embeddings that are not in the corpus."""

from __future__ import annotations

import time

import numpy as np

from matcher.indexes.ann import build_ann, recall_at_k
from matcher.indexes.vector_index import faiss


def corpus(real: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if n <= len(real):
        return real[rng.choice(len(real), n, replace=False)]
    extra = n - len(real)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    out[: len(real)] = real
    for start in range(0, extra, 100_000):
        m = min(100_000, extra - start)
        a = real[rng.integers(0, len(real), m)]
        b = real[rng.integers(0, len(real), m)]
        w = rng.uniform(0.55, 0.95, size=(m, 1)).astype(np.float32)
        mix = w * a + (1 - w) * b
        out[len(real) + start : len(real) + start + m] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    return out


def measure(
    real: np.ndarray, queries: np.ndarray, sizes: tuple[int, ...] = (100_000, 1_000_000)
) -> list[dict]:
    rows = []
    for n in sizes:
        x = corpus(real, n)
        t = time.perf_counter()
        index, info = build_ann(x, queries=queries[:200])
        build = time.perf_counter() - t
        flat = faiss.IndexFlatIP(x.shape[1])
        flat.add(x)
        q = np.ascontiguousarray(queries[200:700] if len(queries) > 700 else queries)
        t = time.perf_counter()
        _, exact = flat.search(q, 10)
        flat_ms = (time.perf_counter() - t) / len(q) * 1000
        t = time.perf_counter()
        for row in q:  # one query at a time, as a service would
            index.search(row[None, :], 10)
        ann_ms = (time.perf_counter() - t) / len(q) * 1000
        _, approx = index.search(q, 10)
        rows.append(
            {
                "n": n,
                "kind": info.kind,
                "nlist": info.nlist,
                "nprobe": info.nprobe,
                "recall_at_10": round(recall_at_k(approx, exact), 4),
                "ms_per_query": round(ann_ms, 3),
                "flat_ms_per_query_batched": round(flat_ms, 3),
                "index_mb": round(faiss.serialize_index(index).nbytes / 1e6, 1),
                "float32_mb": round(x.nbytes / 1e6, 1),
                "build_seconds": round(build, 1),
            }
        )
        del flat, index, x
    return rows
