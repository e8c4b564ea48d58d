"""One shard, start to finish, on one worker: read -> clean -> de-duplicate -> code occupations
-> extract skills -> embed -> write Parquet (then the shard's manifest, last).

Every stage is timed; the manifest (``shards/<shard>.done.json``) carries the counts and the
seconds per stage, which the run summary adds up.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.pipeline import schema
from matcher.pipeline.dedupe import exact_key, posting_id
from matcher.pipeline.sentences import SentenceStats
from matcher.pipeline.sources import ShardSpec, read_shard
from matcher.pipeline.state import RunLayout, atomic_write, write_json
from matcher.pipeline.timing import StageTimer
from matcher.pipeline.worker import RuntimeConfig, get_runtime
from matcher.postings import dedupe
from matcher.postings.record import PostingRecord, check_record
from matcher.postings.store import posting_text

log = logging.getLogger(__name__)

STAGES = ("read", "clean", "dedupe", "code", "extract", "embed", "write")
CODE_BATCH = 512
EXTRACT_BATCH = 256


@dataclass
class _Row:
    row: int
    line: int | None
    rec: PostingRecord | None
    status: str  # ok | near_duplicate | duplicate | error
    error: str | None = None
    duplicate_of: int | None = None
    cluster_id: int | None = None
    key: bytes | None = None
    bands: list[int] | None = None
    coded: Any = None
    skills: list[Any] = field(default_factory=list)
    vector: np.ndarray | None = None


def process_shard(
    spec: ShardSpec,
    duplicates: dict[int, int],
    config: RuntimeConfig,
    out: str,
    digest: str,
    mapping: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Process one shard and write its results; a shard already finished is not redone."""
    layout = RunLayout(Path(out))
    done = layout.shard_done(spec.name, digest)
    if done is not None:
        return {**done, "skipped": True}
    rt = get_runtime(config)
    timer = StageTimer(STAGES)

    with timer.stage("read"):
        result = read_shard(spec, mapping)

    with timer.stage("clean"):
        rows: list[_Row] = []
        for r, (line, rec) in enumerate(result.records):
            problem = check_record(rec)
            rows.append(_Row(r, line, rec, "error" if problem else "ok", error=problem))
        n_records = len(rows)
        for k, e in enumerate(result.errors):
            rows.append(_Row(n_records + k, e.line, None, "error", error=e.message))

    with timer.stage("dedupe"):
        _dedupe(spec, rows, duplicates)
    live = [row for row in rows if row.status in ("ok", "near_duplicate")]

    with timer.stage("code"):
        for i in range(0, len(live), CODE_BATCH):
            batch = live[i : i + CODE_BATCH]
            for row, coded in zip(batch, rt.coder.code([r.rec for r in batch]), strict=True):
                row.coded = coded

    stats = SentenceStats()
    for i in range(0, len(live), EXTRACT_BATCH):
        batch = live[i : i + EXTRACT_BATCH]
        texts = [posting_text(r.rec.title, r.rec.description, r.rec.stated_skills) for r in batch]  # type: ignore[union-attr]  # live rows have a record
        found = rt.sentences.process(texts)
        stats.add(found.stats)
        for j, row in enumerate(batch):
            row.skills = found.skills[j]
            row.vector = found.vectors[j]
    timer.add(stats.timer)

    path = layout.parquet(spec.name)
    with timer.stage("write"):
        table = schema.to_table(spec, rows, rt.sentences.dim)
        atomic_write(path, lambda p: schema.write(table, p))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    coded = [r.coded for r in live]
    manifest = {
        "shard": spec.name,
        "plan": digest,
        "spec": spec.to_dict(),
        "rows": len(rows),
        "postings": n_records,
        "counts": counts,
        "embedded": len(live),
        "needs_review": sum(1 for c in coded if c.needs_review),
        "skills": sum(len(r.skills) for r in live),
        "sentences": stats.counts(),
        "errors": [{"line": r.line, "message": r.error} for r in rows if r.status == "error"][:50],
        "seconds": {k: round(v, 3) for k, v in timer.wall.items()},
        "cpu_seconds": {k: round(v, 3) for k, v in timer.cpu.items()},
        "worker_pid": os.getpid(),
        "parquet_bytes": path.stat().st_size,
        "versions": rt.versions,
        "finished": time.time(),
    }
    write_json(layout.done(spec.name), manifest)
    log.info("%s: %d rows in %.1f s", spec.name, len(rows), sum(timer.wall.values()))
    return {**manifest, "skipped": False}


def _dedupe(spec: ShardSpec, rows: list[_Row], duplicates: dict[int, int]) -> None:
    """Mark exact duplicates (from the global plan) and near duplicates (within the shard)."""
    near = dedupe.NearDuplicateIndex()
    for row in rows:
        if row.status != "ok":
            continue
        assert row.rec is not None
        pid = posting_id(spec.index, row.row)
        row.key = exact_key(row.rec)
        sig = dedupe.signature(f"{row.rec.title}\n{row.rec.description}")
        row.bands = dedupe.bands(sig)
        if row.row in duplicates:
            row.status, row.duplicate_of = "duplicate", duplicates[row.row]
            continue
        cluster = near.query(sig, row.rec.location, row.bands)
        if cluster is not None:
            row.status = "near_duplicate"
        row.cluster_id = cluster if cluster is not None else pid
        near.add(row.cluster_id, sig, row.rec.location, row.bands)


def read_vectors(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(posting ids, float32 vectors) of the embedded rows of a results file."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["posting_id", "embedding"])
    table = table.filter(pc.is_valid(table["embedding"]))
    ids = table["posting_id"].to_numpy().astype(np.int64)
    if not len(ids):
        return ids, np.zeros((0, 0), dtype=np.float32)
    emb = table["embedding"].combine_chunks()
    dim = emb.type.list_size
    vecs = emb.flatten().to_numpy(zero_copy_only=False).astype(np.float32).reshape(-1, dim)
    return ids, vecs


def summarise(manifests: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts and seconds per stage added up over shards."""
    total: dict[str, Any] = {"shards": len(manifests), "rows": 0, "embedded": 0, "skills": 0}
    counts: dict[str, int] = {}
    seconds = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    sentences: dict[str, int] = {}
    for m in manifests:
        total["rows"] += m["rows"]
        total["embedded"] += m["embedded"]
        total["skills"] += m["skills"]
        for k, v in m["counts"].items():
            counts[k] = counts.get(k, 0) + v
        for k, v in m["seconds"].items():
            seconds[k] = seconds.get(k, 0.0) + v
        for k, v in m.get("cpu_seconds", {}).items():
            cpu[k] = cpu.get(k, 0.0) + v
        for k, v in m.get("sentences", {}).items():
            sentences[k] = sentences.get(k, 0) + v
    total["counts"] = counts
    total["needs_review"] = sum(m["needs_review"] for m in manifests)
    total["sentences"] = sentences
    total["stage_seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    total["stage_cpu_seconds"] = {k: round(v, 2) for k, v in cpu.items()}
    worker_s = sum(seconds.values())
    total["stage_postings_per_s"] = {
        k: round(total["rows"] / v, 1) for k, v in seconds.items() if v > 0 and total["rows"]
    }
    total["worker_seconds"] = round(worker_s, 2)
    total["worker_cpu_seconds"] = round(sum(cpu.values()), 2)
    return json.loads(json.dumps(total))
