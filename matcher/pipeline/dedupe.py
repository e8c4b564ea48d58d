"""De-duplication across and within shards.

- **Exact, across all shards** (a global pass before any shard is processed): each shard's
  records are hashed with :func:`matcher.postings.dedupe.text_hash` (title, description and
  location, case-, accent-, punctuation- and space-folded: the key ``matcher postings import``
  uses), keeping 16 bytes per record. The client gathers the keys (16 MB per million postings)
  and marks every record whose key appeared earlier -- in input order: shard by shard, row by
  row -- as a duplicate *of that first posting*. Duplicates are written to the results (status
  ``duplicate``, ``duplicate_of``) but not coded, extracted, embedded or indexed. The decision
  depends only on the inputs, so a resumed run makes the same one.
- **Near, within a shard**: MinHash + LSH (:class:`matcher.postings.dedupe.NearDuplicateIndex`)
  over the shard's remaining postings. A near duplicate is processed like any posting (a
  re-post may change the salary or the date) and joins the first posting's ``cluster_id``, as
  in the database import. Near duplicates in different shards are not merged: a global LSH join
  needs every signature in one place, which is what sharding avoids. Each row keeps its 16 LSH
  band keys (``lsh_bands``) so that such a join can be run over the results afterwards.
  Re-posts usually sit close together in an export (by date or by employer), so most land in
  the same shard.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.pipeline.sources import ShardSpec, read_shard
from matcher.postings import dedupe
from matcher.postings.record import PostingRecord, check_record

KEY_BYTES = 16


def exact_key(rec: PostingRecord) -> bytes:
    return bytes.fromhex(dedupe.text_hash(rec.title, rec.description, rec.location))[:KEY_BYTES]


def posting_id(shard: int, row: int) -> int:
    """Stable id of the ``row``-th record of shard ``shard`` (also the FAISS id)."""
    return (shard << 32) | row


def split_id(pid: int) -> tuple[int, int]:
    return pid >> 32, pid & 0xFFFFFFFF


def shard_keys(spec: ShardSpec, mapping: dict[str, str] | None = None) -> np.ndarray:
    """Structured array (row, key) of the shard's usable records, in read order."""
    result = read_shard(spec, mapping)
    rows, keys = [], []
    for r, (_, rec) in enumerate(result.records):
        if check_record(rec) is None:
            rows.append(r)
            keys.append(exact_key(rec))
    out = np.zeros(len(rows), dtype=[("row", "<i8"), ("key", f"S{KEY_BYTES}")])
    out["row"] = rows
    out["key"] = keys
    return out


def plan_exact_duplicates(keys: Sequence[np.ndarray]) -> list[dict[int, int]]:
    """For each shard: {row: posting id of the first posting with the same key}, duplicates only."""
    sizes = [len(k) for k in keys]
    if not sum(sizes):
        return [{} for _ in keys]
    all_keys = np.concatenate([k["key"] for k in keys])
    shard_of = np.repeat(np.arange(len(keys)), sizes)
    row_of = np.concatenate([k["row"] for k in keys])
    _, first, inverse = np.unique(all_keys, return_index=True, return_inverse=True)
    canonical = first[inverse]  # np.unique's first index is the first occurrence
    out: list[dict[int, int]] = [{} for _ in keys]
    for pos in np.flatnonzero(canonical != np.arange(len(all_keys))):
        c = canonical[pos]
        out[int(shard_of[pos])][int(row_of[pos])] = posting_id(int(shard_of[c]), int(row_of[c]))
    return out
