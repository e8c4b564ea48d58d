"""Batched one-query searches: same exact results as searching alone, from many threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from matcher.indexes.search_batcher import SearchBatcher
from matcher.indexes.vector_index import VectorIndex


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


def test_int8_candidates_find_the_exact_top_k_on_real_titles(matcher, encoder) -> None:  # type: ignore[no-untyped-def]
    """The int8 candidate product + float32 rescoring returns the flat index's top k and its
    exact scores (ties may come in another order), on real titles and real queries, one query
    at a time (the search routes) and many at once (a batch, the linker)."""
    titles = matcher.indexes["occupation_titles"]
    vectors = titles.matrix.copy()
    idx = VectorIndex.from_vectors("int8", list(titles.ids), list(titles.texts), vectors)
    idx.enable_int8_candidates()
    queries = encoder.encode(["welder", "truck driver", "registered nurse", "forklift", "cook", "python"])
    for k in (1, 10, 60, 240):
        want_s, want_r = titles.index.search(queries, k)
        for i, q in enumerate(queries):
            got_s, got_r = idx.search(q, k)
            assert np.allclose(got_s[0], want_s[i], atol=2e-6)
            strictly_above = want_s[i] > want_s[i][-1] + 2e-6  # rows not tied with the k-th
            assert set(want_r[i][strictly_above]) <= set(got_r[0])
    many = np.repeat(queries, 4, axis=0)
    for k in (10, 240):
        s, r = idx.search(many, k)
        want_s, want_r = titles.index.search(many, k)
        assert s.shape == r.shape == (len(many), k) and np.allclose(s, want_s, atol=2e-6)
        for i in range(len(many)):
            assert list(s[i]) == sorted(s[i], reverse=True)
            strictly_above = want_s[i] > want_s[i][-1] + 2e-6
            assert set(want_r[i][strictly_above]) <= set(r[i])


def test_sq8_candidates_give_lone_queries_the_exact_top_k_on_real_titles(matcher, encoder) -> None:  # type: ignore[no-untyped-def]
    """A lone query takes its candidates from FAISS's 8-bit scalar quantiser and gets the flat
    index's top k with exact scores; two or more queries at once take the int8 product."""
    titles = matcher.indexes["occupation_titles"]
    idx = VectorIndex.from_vectors("sq8", list(titles.ids), list(titles.texts), titles.matrix.copy())
    idx.enable_int8_candidates()
    idx.enable_sq8_candidates()
    int8_top = idx._int8_top
    used: list[int] = []
    idx._int8_top = lambda q, k: used.append(len(q)) or int8_top(q, k)  # type: ignore[method-assign]
    queries = encoder.encode(["welder", "truck driver", "registered nurse", "forklift", "cook", "python"])
    for k in (1, 10, 60, 240):
        want_s, want_r = titles.index.search(queries, k)
        for i, q in enumerate(queries):
            got_s, got_r = idx.search(q, k)
            assert np.allclose(got_s[0], want_s[i], atol=2e-6)
            strictly_above = want_s[i] > want_s[i][-1] + 2e-6
            assert set(want_r[i][strictly_above]) <= set(got_r[0])
            ties = got_s[0][:-1] == got_s[0][1:]
            assert np.all(got_r[0][:-1][ties] > got_r[0][1:][ties])  # ties: the higher row first
    assert used == []
    s, _ = idx.search(queries[:2], 10)
    assert used == [2] and np.allclose(s, titles.index.search(queries[:2], 10)[0], atol=2e-6)


def test_the_service_batches_and_int8_scans_only_large_search_indexes(matcher, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from matcher import engine
    from matcher.engine import SEARCH_INDEXES

    # the data slice is small: draw the line between its titles and its occupations
    threshold = len(matcher.indexes["occupation_titles"])
    assert len(matcher.indexes["occupations"]) < threshold
    monkeypatch.setattr(engine, "SEARCH_SCAN_ROWS", threshold)
    before = matcher.search_occupations("welder", k=5)
    # the skill linker keeps int8 copies of its own indexes (some are search indexes too)
    had_int8 = {name: matcher.indexes[name]._int8 for name in SEARCH_INDEXES if name in matcher.indexes}
    try:
        matcher.enable_search_batching()
        assert matcher.indexes["occupation_titles"]._int8 is not None
        for name in SEARCH_INDEXES:
            if name in matcher.indexes:
                large = len(matcher.indexes[name]) >= threshold
                if large:
                    assert matcher.indexes[name]._int8 is not None
                else:  # small ones are left as they were
                    assert matcher.indexes[name]._int8 is had_int8[name]
                assert (matcher.indexes[name]._batcher is not None) is large
                assert (matcher.indexes[name]._sq8 is not None) is large
        after = matcher.search_occupations("welder", k=5)

        def by_score(results: list[dict]) -> dict[float, set[str]]:  # ties may come in either order
            out: dict[float, set[str]] = {}
            for e in results:
                if e["score"] > results[-1]["score"]:  # groups cut by the k-th place may differ
                    out.setdefault(e["score"], set()).add(e["code"])
            return out

        assert [e["score"] for e in after] == [e["score"] for e in before]
        assert by_score(after) == by_score(before)
    finally:
        for name, int8 in had_int8.items():
            matcher.indexes[name]._int8 = int8
            matcher.indexes[name]._sq8 = matcher.indexes[name]._sq8_codes = None
            matcher.indexes[name]._batcher = None


def test_int8_candidates_give_the_flat_top_k_on_real_skill_labels(matcher, encoder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Query batches with int8 candidates return the flat index's top k with its float32
    scores (ties may come in another order), in chunks as in one product, and so does a
    single query."""
    from matcher.indexes import vector_index

    labels = matcher.indexes["esco_skill_labels"]
    idx = VectorIndex.from_vectors("int8", list(labels.ids), list(labels.texts), labels.matrix.copy())
    idx.enable_int8_candidates()
    assert idx._int8 is not None
    words = "welding forklift nursing python accounting cooking driving teaching sales safety".split()
    phrases = [f"{a} and {b}" for a in words for b in words[:5]]  # 50 queries
    queries = encoder.encode(phrases)
    for k in (1, 6, 24):
        want_s, want_r = labels.index.search(queries, k)
        got_s, got_r = idx.search(queries, k)
        assert got_s.shape == (len(queries), k)
        np.testing.assert_allclose(got_s, want_s, atol=2e-6)
        for i in range(len(queries)):
            assert list(got_s[i]) == sorted(got_s[i], reverse=True)
            strictly_above = want_s[i] > want_s[i][-1] + 2e-6  # rows not tied with the k-th
            assert set(want_r[i][strictly_above]) <= set(got_r[i])
    monkeypatch.setattr(vector_index, "INT8_CHUNK", 7)  # chunks join up
    assert np.allclose(idx.search(queries, 6)[0], labels.index.search(queries, 6)[0], atol=2e-6)
    for q in queries[:3]:
        got_s, got_r = idx.search(q, 5)
        want_s, want_r = labels.index.search(q[None, :], 5)
        np.testing.assert_allclose(got_s, want_s, atol=2e-6)
        assert set(got_r[0]) == set(want_r[0])


def test_int8_candidates_are_the_best_rows_of_the_integer_product() -> None:
    """The quantised product ranks like the float one on vectors of known order (the
    arithmetic is the point: random unit vectors), and asks for no more rows than exist."""
    from matcher.indexes.int8_candidates import Int8Candidates

    rng = np.random.default_rng(3)
    rows = rng.normal(size=(500, 32)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    queries = rows[:40] + 0.01 * rng.normal(size=(40, 32)).astype(np.float32)
    cand = Int8Candidates(rows).top(queries, 5)
    assert cand.shape == (40, 5)
    assert all(i in cand[i] for i in range(40))  # each query's own row is among its candidates
    assert Int8Candidates(rows[:3]).top(queries, 10).shape == (40, 3)


def test_block_maxima_top_k_equals_a_full_top_k() -> None:
    """The arithmetic is the point: the block-maximum top-k returns the same scores as one
    ``torch.topk`` over the whole row, with a partial last block, ties and k near the block
    count (where it falls back to the plain top-k)."""
    import torch

    from matcher.indexes.int8_candidates import BLOCK, top_columns

    rng = np.random.default_rng(5)
    cases = ((99_074, 24, 2_000_000), (10_000, 40, 50), (BLOCK * 100 + 7, 25, 10**6), (300, 5, 9))
    for m, k, spread in cases:
        scores = torch.from_numpy(rng.integers(-spread, spread, size=(64, m)).astype(np.int32))
        got = top_columns(scores, k)
        want = torch.topk(scores, k, dim=1, sorted=False).indices
        assert got.shape == (64, k)
        assert all(len(set(row.tolist())) == k for row in got)  # no column twice
        top = torch.gather(scores, 1, got).sort(dim=1).values
        assert torch.equal(top, torch.gather(scores, 1, want).sort(dim=1).values)
