"""On-disk cache of sentence results (skills and embedding), shared by the workers of a machine
and kept across runs, next to the embedding cache (``MATCHER_HOME/cache/sentences-v1.sqlite``).

Each worker keeps its own in-memory memo (:mod:`matcher.pipeline.sentences`); without a shared
level, N workers would each extract the sentences the others already did, and adding workers
would add work. Rows are keyed by a 63-bit hash of a *namespace* -- the extractor's versions
(span model, spaCy model, encoder identity, thresholds) and the reference data fingerprint --
and the sentence, so results of another model or other data are never reused. SQLite in WAL
mode lets several processes read and write it; keep it on a local disk (not NFS).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.extract.types import ExtractedSkill

FILE_NAME = "sentences-v1.sqlite"
_CHUNK = 900


def sentence_key(namespace: str, text: str) -> int:
    digest = hashlib.blake2b(f"{namespace}\0{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _encode_skills(text: str, skills: Sequence[ExtractedSkill]) -> str:
    return json.dumps(
        [
            [s.taxonomy, s.id, s.label, s.text, int(s.start), int(s.end), float(s.score), s.method]
            + ([s.sentence] if s.sentence != text else [])
            for s in skills
        ],
        ensure_ascii=False,
    )


def _decode_skills(text: str, raw: str) -> list[ExtractedSkill]:
    out = []
    for item in json.loads(raw):
        tax, id_, label, matched, start, end, score, method = item[:8]
        sentence = item[8] if len(item) > 8 else text
        out.append(ExtractedSkill(tax, id_, label, matched, start, end, sentence, score, method))
    return out


class SentenceStore:
    def __init__(self, path: Path, namespace: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.namespace = namespace
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=120, check_same_thread=False)
        self._conn.execute("PRAGMA page_size=16384")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS sent "
            "(id INTEGER PRIMARY KEY, vec BLOB NOT NULL, skills TEXT NOT NULL)"
        )
        self._conn.commit()

    def get_many(self, texts: Sequence[str], dim: int) -> dict[str, tuple[list[ExtractedSkill], np.ndarray]]:
        keys = {sentence_key(self.namespace, t): t for t in texts}
        found: dict[str, tuple[list[ExtractedSkill], np.ndarray]] = {}
        ids = list(keys)
        with self._lock:
            rows = []
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows += self._conn.execute(
                    f"SELECT id, vec, skills FROM sent WHERE id IN ({marks})", chunk
                ).fetchall()
        for key, vec, skills in rows:
            v = np.frombuffer(vec, dtype=np.float32)
            if v.shape[0] == dim:
                text = keys[key]
                found[text] = (_decode_skills(text, skills), v)
        return found

    def put_many(self, entries: dict[str, tuple[Sequence[ExtractedSkill], np.ndarray]]) -> None:
        rows = [
            (
                sentence_key(self.namespace, t),
                np.ascontiguousarray(v, dtype=np.float32).tobytes(),
                _encode_skills(t, sk),
            )
            for t, (sk, v) in entries.items()
        ]
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO sent VALUES (?, ?, ?)", rows)
            self._conn.commit()

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM sent").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
