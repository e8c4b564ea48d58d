"""FAISS index choice for corpora: exact for small, IVF+SQ8 with tuned nprobe for large."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matcher.indexes.ann import build_ann, choose_nlist, load_ann, recall_at_k, save_ann
from matcher.indexes.vector_index import faiss


def _data(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(500, 64)).astype(np.float32)
    x = centers[rng.integers(0, 500, n)] + 0.8 * rng.normal(size=(n, 64)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_small_corpora_are_exact() -> None:
    index, info = build_ann(_data(1000))
    assert info.kind == "flat" and isinstance(index, faiss.IndexFlatIP)


def test_large_corpus_reaches_target_recall_and_round_trips(tmp_path: Path) -> None:
    x = _data(60_000)
    index, info = build_ann(x, target_recall=0.95, train_size=20_000)
    assert info.kind == "ivf-sq8" and info.nlist == choose_nlist(60_000)
    assert info.recall_at_10 is not None and info.recall_at_10 >= 0.95
    rng = np.random.default_rng(5)
    q = x[rng.choice(len(x), 100, replace=False)] + 0.05 * rng.normal(size=(100, 64)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    flat = faiss.IndexFlatIP(64)
    flat.add(x)
    _, exact = flat.search(q, 10)
    save_ann(index, info, tmp_path, "corpus")
    loaded, info2 = load_ann(tmp_path, "corpus", mmap=True)
    _, approx = loaded.search(q, 10)
    assert info2.nprobe == info.nprobe and recall_at_k(approx, exact) >= 0.9
    assert faiss.serialize_index(index).nbytes < x.nbytes / 2  # 8-bit codes, not float32


def test_recall_at_k_arithmetic() -> None:
    assert recall_at_k(np.array([[1, 2, 3]]), np.array([[1, 2, 4]]), k=3) == 2 / 3
