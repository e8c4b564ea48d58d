"""Batched one-query searches: same exact results as searching alone, from many threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from matcher.search_batcher import SearchBatcher
from matcher.vector_index import VectorIndex


def _index(n: int = 5000, d: int = 64) -> VectorIndex:
    v = np.random.default_rng(3).standard_normal((n, d)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return VectorIndex.from_vectors(
        "t", [f"id{i // 2}" for i in range(n)], [f"text {i}" for i in range(n)], v
    )


def test_batched_search_matches_direct_search_under_concurrency() -> None:
    plain, batched = _index(), _index()
    batched.enable_batching()
    queries = np.random.default_rng(4).standard_normal((200, 64)).astype(np.float32)
    want = [plain.top_unique(q, 5) for q in queries]
    with ThreadPoolExecutor(16) as pool:
        got = list(pool.map(lambda q: batched.top_unique(q, 5), queries))
    for w, g in zip(want, got, strict=True):
        assert [h.id for h in w] == [h.id for h in g]
        assert np.allclose([h.score for h in w], [h.score for h in g], atol=1e-5)
    b = batched._batcher
    assert b is not None and b.queries == 200 and 1 <= b.batches <= 200
    # several rows at once bypass the batcher and answer as before
    s, r = batched.search(queries[:3], 4)
    assert s.shape == r.shape == (3, 4) and b.queries == 200


def test_a_failing_search_reaches_every_waiting_caller() -> None:
    def broken(q: np.ndarray, k: int):  # type: ignore[no-untyped-def]
        raise RuntimeError("index gone")

    batcher = SearchBatcher(broken, name="broken")
    with pytest.raises(RuntimeError, match="index gone"):
        batcher.search(np.zeros(8, dtype=np.float32), 3)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(batcher.search, np.zeros(8, dtype=np.float32), 3) for _ in range(8)]
    assert all(isinstance(f.exception(), RuntimeError) for f in futures)
