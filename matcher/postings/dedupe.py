"""Duplicate postings: exact (hash of the normalised text) and near (MinHash + LSH).

- **Exact**: sha256 of title, description and location, case- and accent-folded, punctuation
  and whitespace removed. The same advert imported twice (or posted on two boards verbatim) is
  stored once; the import reports it as a duplicate.
- **Near**: 128 MinHash permutations over word 5-gram shingles of title + description; LSH with
  16 bands of 8 rows finds candidates (a pair with Jaccard 0.8 becomes a candidate with
  probability 0.95, one with 0.5 with probability 0.06); a candidate whose estimated Jaccard is
  at least :data:`NEAR_THRESHOLD` and whose location is the same (or missing on one side) is a
  near duplicate. Near duplicates are stored (a re-post may differ in salary or date) but join
  the first posting's cluster, and demand counts each cluster once.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from matcher.text.normalise import fold

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
NEAR_THRESHOLD = 0.8
_PRIME = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20261128)  # fixed: signatures must be stable across runs
_A = _rng.integers(1, int(_PRIME), NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, int(_PRIME), NUM_PERM, dtype=np.uint64)
_WORDS = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def text_hash(title: str, description: str, location: str | None = None) -> str:
    """sha256 hex of the normalised title, description and location."""
    key = "\x1f".join(" ".join(words(part or "")) for part in (title, description, location or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    w = words(text)
    if len(w) < k:
        return {zlib.crc32(" ".join(w).encode())} if w else set()
    return {zlib.crc32(" ".join(w[i : i + k]).encode()) for i in range(len(w) - k + 1)}


def signature(text: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of ``text``'s shingles."""
    sh = shingles(text)
    if not sh:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    x = np.fromiter(sh, dtype=np.uint64, count=len(sh)) % _PRIME
    hashed = (np.outer(x, _A) + _B) % _PRIME  # a < 2^31, x < 2^31: no overflow in uint64
    return hashed.min(axis=0).astype(np.uint32)


def bands(sig: np.ndarray) -> list[int]:
    """One signed 64-bit bucket per band (fits a BIGINT column)."""
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def same_place(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return " ".join(words(a)) == " ".join(words(b))


class NearDuplicateIndex:
    """In-memory LSH over signatures, for the postings of one batch."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._items: dict[int, tuple[np.ndarray, str | None]] = {}

    def add(self, key: int, sig: np.ndarray, place: str | None, buckets: Iterable[int] | None = None) -> None:
        self._items[key] = (sig, place)
        for band, bucket in enumerate(buckets if buckets is not None else bands(sig)):
            self._buckets[(band, bucket)].append(key)

    def query(self, sig: np.ndarray, place: str | None, buckets: Iterable[int] | None = None) -> int | None:
        """The most similar indexed key at or above the threshold, or None."""
        seen: set[int] = set()
        best, best_sim = None, NEAR_THRESHOLD
        for band, bucket in enumerate(buckets if buckets is not None else bands(sig)):
            for key in self._buckets.get((band, bucket), ()):
                if key in seen:
                    continue
                seen.add(key)
                other, other_place = self._items[key]
                sim = similarity(sig, other)
                if sim >= best_sim and same_place(place, other_place):
                    best, best_sim = key, sim
        return best
