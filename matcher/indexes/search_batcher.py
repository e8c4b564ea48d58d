"""Opportunistic batching of concurrent one-query searches on a large index.

A flat search reads the whole index for each query: 50k occupation titles x 384 floats is 77 MB
per query, ~7 ms on the 2-core AVX2 machine, so single-query searches top out near 140 per
second whatever the number of clients. Queries that arrive while a search runs are gathered
and searched together in one call, which computes the scores as one matrix product that reads
the index once for the whole batch. Nothing waits on purpose: a lone query is searched at
once, and the batch is whatever queued up meanwhile. Results are the same exact top-k (only
the summation order of the dot products differs, by ~1e-7). The batch goes to the index's own
batch search: with :meth:`matcher.indexes.vector_index.VectorIndex.enable_int8_candidates`, one 8-bit
integer matrix product finds the batch's candidates and float32 re-scores them.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field

import numpy as np

log = logging.getLogger(__name__)

MAX_BATCH = 64


@dataclass
class _Request:
    vector: np.ndarray
    k: int
    done: threading.Event = field(default_factory=threading.Event)
    scores: np.ndarray | None = None
    rows: np.ndarray | None = None
    error: BaseException | None = None


class SearchBatcher:
    """Serve ``search(vector, k)`` for many threads through one worker thread that batches.

    ``search_many(queries, k)`` is the underlying batch search, e.g. a FAISS index's ``search``.
    """

    def __init__(self, search_many, *, name: str = "", max_batch: int = MAX_BATCH) -> None:
        self._search_many = search_many
        self.name = name
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._worker = threading.Thread(target=self._run, name=f"search-batcher-{name}", daemon=True)
        self._worker.start()
        self.batches = 0  # counters, for tests and benchmarks
        self.queries = 0

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows) of shape (1, k), as a FAISS search of one query returns them."""
        req = _Request(np.asarray(vector, dtype=np.float32).reshape(-1), k)
        self._queue.put(req)
        req.done.wait()
        if req.error is not None:
            raise req.error
        assert req.scores is not None and req.rows is not None
        return req.scores, req.rows

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                k = max(r.k for r in batch)
                scores, rows = self._search_many(np.stack([r.vector for r in batch]), k)
                for i, r in enumerate(batch):
                    r.scores, r.rows = scores[i : i + 1, : r.k], rows[i : i + 1, : r.k]
            except BaseException as exc:  # handed to every waiting caller, never lost
                log.exception("batched search on %s failed", self.name)
                for r in batch:
                    r.error = exc
            finally:
                self.batches += 1
                self.queries += len(batch)
                for r in batch:
                    r.done.set()
