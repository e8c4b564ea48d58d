"""On-disk embedding cache keyed by model identity and text hash.

A rebuild never re-encodes unchanged text. Stored in SQLite (WAL) so several processes can read
and write it safely. Each row is ``(id, vec)`` where ``id`` is a 63-bit hash of the model
identity and the text and ``vec`` the float32 bytes: a rowid table with 16 KiB pages keeps
vectors in the leaves (no overflow pages), about 1.6 KB per 384-d vector.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_CHUNK = 900  # below SQLite's default host-parameter limit


def text_key(model: str, text: str) -> int:
    digest = hashlib.blake2b(f"{model}\0{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # fits SQLite's signed 64-bit INTEGER


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._conn.execute("PRAGMA page_size=16384")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS emb (id INTEGER PRIMARY KEY, vec BLOB NOT NULL)")
        self._conn.commit()

    def get_many(self, model: str, texts: Sequence[str], dim: int) -> list[np.ndarray | None]:
        keys = [text_key(model, t) for t in texts]
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), _CHUNK):
                chunk = list(set(keys[i : i + _CHUNK]))
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(f"SELECT id, vec FROM emb WHERE id IN ({marks})", chunk).fetchall()
                for key, vec in rows:
                    arr = np.frombuffer(vec, dtype=np.float32)
                    if arr.shape[0] == dim:
                        found[key] = arr
        return [found.get(k) for k in keys]

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = sorted(
            (text_key(model, t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        )  # in key order: neighbouring rows share pages
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)", rows)
            self._conn.commit()

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM emb").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
