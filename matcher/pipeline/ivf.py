"""The postings' FAISS index, built in parallel: IVF with 8-bit scalar quantisation (as
:mod:`matcher.indexes.ann` builds for posting corpora), inner product over L2-normalised vectors.

1. **Train once** (one task): the coarse quantiser (k-means, ``nlist`` ≈ 4·sqrt(n) lists) and
   the scalar quantiser are trained on a sample drawn from every shard's results (a seeded
   share of each, at most ``train_size`` vectors) and saved as an *empty* trained index.
2. **Add in parallel** (one task per shard): each task loads the trained index, adds its
   shard's vectors with their posting ids (``add_with_ids``) and saves a shard index. All
   shard indexes share the same quantiser, so their inverted lists line up.
3. **Merge** (one task): the shard indexes' inverted lists are appended into the trained index
   (``IndexIVF.merge_from``, one shard at a time: peak memory is the merged index plus one
   shard, ~390 bytes per posting), ``nprobe`` is tuned to the smallest power of two whose
   recall@10 against exact search reaches the target (exact search streams over the shards'
   vectors, never holding them all), and the result is written with
   :func:`matcher.indexes.ann.save_ann`: ``index/postings.faiss`` + ``postings.ann.json``, loadable
   memory-mapped with ``matcher.indexes.ann.load_ann(OUT / "index", "postings")``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from matcher.indexes.ann import AnnInfo, choose_nlist, save_ann
from matcher.indexes.vector_index import faiss
from matcher.pipeline.state import RunLayout, atomic_write, read_json, write_json

log = logging.getLogger(__name__)

TRAIN_SIZE = 100_000
N_QUERIES = 200
TARGET_RECALL = 0.95
INDEX_NAME = "postings"


def _sample(paths: Sequence[Path], counts: Sequence[int], size: int, seed: int) -> np.ndarray:
    """About ``size`` vectors drawn evenly (seeded) from the shards' results."""
    from matcher.pipeline.stages import read_vectors

    total = sum(counts)
    rng = np.random.default_rng(seed)
    parts = []
    for path, n in zip(paths, counts, strict=True):
        if not n:
            continue
        take = n if total <= size else max(1, round(size * n / total))
        _, vecs = read_vectors(path)
        idx = np.sort(rng.choice(len(vecs), size=min(take, len(vecs)), replace=False))
        parts.append(vecs[idx])
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def train(out: str, shard_names: Sequence[str], counts: Sequence[int], seed: int = 0) -> dict[str, Any]:
    """Train the empty IVF-SQ8 index on a sample of every shard; skipped when already trained."""
    layout = RunLayout(Path(out))
    if layout.trained.is_file() and layout.trained_info.is_file():
        return read_json(layout.trained_info)
    started = time.monotonic()
    n = int(sum(counts))
    nlist = choose_nlist(n)
    sample = _sample([layout.parquet(s) for s in shard_names], counts, max(TRAIN_SIZE, 39 * nlist), seed)
    d = sample.shape[1]
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.train(sample)
    atomic_write(layout.trained, lambda p: faiss.write_index(index, str(p)))
    info = {
        "n": n,
        "dim": d,
        "nlist": nlist,
        "sample": len(sample),
        "seconds": round(time.monotonic() - started, 2),
    }
    write_json(layout.trained_info, info)
    return info


def add_shard(out: str, shard: str) -> dict[str, Any]:
    """Add one shard's vectors (with posting ids) to a copy of the trained index."""
    from matcher.pipeline.stages import read_vectors

    layout = RunLayout(Path(out))
    done = layout.ivf_done(shard)
    if done.is_file() and layout.ivf_shard(shard).is_file():
        return {**read_json(done), "skipped": True}
    started = time.monotonic()
    index = faiss.read_index(str(layout.trained))
    ids, vecs = read_vectors(layout.parquet(shard))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vecs), ids)
    atomic_write(layout.ivf_shard(shard), lambda p: faiss.write_index(index, str(p)))
    info = {"shard": shard, "vectors": len(ids), "seconds": round(time.monotonic() - started, 3)}
    write_json(done, info)
    return {**info, "skipped": False}


def merge(
    out: str,
    shard_names: Sequence[str],
    counts: Sequence[int],
    *,
    target_recall: float = TARGET_RECALL,
    seed: int = 0,
) -> dict[str, Any]:
    """Merge the shard indexes, tune nprobe, save ``index/postings.faiss`` (+ .ann.json)."""
    layout = RunLayout(Path(out))
    info_path = layout.index_dir / f"{INDEX_NAME}.ann.json"
    if info_path.is_file() and (layout.index_dir / f"{INDEX_NAME}.faiss").is_file():
        return {**read_json(info_path), "skipped": True}
    started = time.monotonic()
    index = cast(faiss.IndexIVF, faiss.read_index(str(layout.trained)))  # an IndexIVFScalarQuantizer
    for shard in shard_names:
        part = faiss.read_index(str(layout.ivf_shard(shard)))
        index.merge_from(part, 0)  # 0: keep the posting ids given at add time
        del part
    paths = [layout.parquet(s) for s in shard_names]
    nprobe, recall = tune_nprobe(index, paths, counts, target_recall, seed)
    index.nprobe = nprobe
    info = AnnInfo(
        "ivf-sq8",
        int(index.ntotal),
        int(index.d),
        int(index.nlist),
        nprobe,
        None if recall is None else round(recall, 4),
        round(time.monotonic() - started, 2),
    )
    save_ann(index, info, layout.index_dir, INDEX_NAME)
    return {**info.__dict__, "skipped": False}


def tune_nprobe(
    index: Any,
    paths: Sequence[Path],
    sizes: Sequence[int],
    target: float,
    seed: int = 0,
    n_queries: int = N_QUERIES,
) -> tuple[int, float | None]:
    """Smallest power-of-two nprobe whose recall@10 (self-matches left out) reaches ``target``.

    Queries are postings drawn from the shards; the exact neighbours come from a flat search
    over each shard in turn, merged, so memory stays at one shard's vectors."""
    from matcher.pipeline.stages import read_vectors

    if index.ntotal <= 1:
        return 1, None
    rng = np.random.default_rng(seed)
    total = sum(sizes)
    picks = np.sort(rng.choice(total, size=min(n_queries, total), replace=False))
    qids, queries = [], []
    offset = 0
    for path, n in zip(paths, sizes, strict=True):
        local = picks[(picks >= offset) & (picks < offset + n)] - offset
        if len(local):
            ids, vecs = read_vectors(path)
            qids.append(ids[local])
            queries.append(vecs[local])
        offset += n
    q_ids = np.concatenate(qids)
    q = np.ascontiguousarray(np.concatenate(queries), dtype=np.float32)
    k = min(11, int(index.ntotal))
    best_s = np.full((len(q), k), -np.inf, dtype=np.float32)
    best_i = np.full((len(q), k), -1, dtype=np.int64)
    for path in paths:
        ids, vecs = read_vectors(path)
        if not len(ids):
            continue
        flat = faiss.IndexFlatIP(vecs.shape[1])
        flat.add(np.ascontiguousarray(vecs))
        s, i = flat.search(q, min(k, len(ids)))
        s_all = np.concatenate([best_s, s], axis=1)
        i_all = np.concatenate([best_i, np.where(i >= 0, ids[np.clip(i, 0, None)], -1)], axis=1)
        order = np.argsort(-s_all, axis=1, kind="stable")[:, :k]
        best_s = np.take_along_axis(s_all, order, axis=1)
        best_i = np.take_along_axis(i_all, order, axis=1)
    exact = _drop_self(best_i, q_ids)
    recall, nprobe = 0.0, 1
    while nprobe <= index.nlist:
        index.nprobe = nprobe
        _, approx = index.search(q, k)
        recall = _recall(_drop_self(approx, q_ids), exact)
        if recall >= target:
            break
        nprobe *= 2
    return min(nprobe, int(index.nlist)), recall


def _drop_self(rows: np.ndarray, ids: np.ndarray) -> list[list[int]]:
    return [[int(r) for r in row if r != i and r >= 0][:10] for row, i in zip(rows, ids, strict=True)]


def _recall(approx: list[list[int]], exact: list[list[int]]) -> float:
    total = sum(len(e) for e in exact)
    hits = sum(len(set(a) & set(e)) for a, e in zip(approx, exact, strict=True))
    return hits / total if total else 1.0
