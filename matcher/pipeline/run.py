"""The driver: plan the shards, then let the cluster do the work in phases.

1. **plan** (client): expand the inputs, cut them into shards, write or check ``run.json``;
2. **warm** (one task per worker): each worker loads the matcher once and keeps it;
3. **hash** (one task per shard): exact-duplicate keys, gathered by the client, which decides
   the duplicates across all shards (:mod:`matcher.pipeline.dedupe`);
4. **process** (one task per unfinished shard): clean, near-dedupe, code, extract, embed, write
   Parquet (:mod:`matcher.pipeline.stages`);
5. **index** (train once, add per shard in parallel, merge once; :mod:`matcher.pipeline.ivf`).

Every task reads and writes the shared output folder itself; only keys, duplicate maps and
manifests travel through the scheduler. Finished shards (and hash files, shard indexes, the
trained and merged index) are found on disk and never redone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.errors import BadInputError
from matcher.pipeline import ivf
from matcher.pipeline.dedupe import plan_exact_duplicates, shard_keys
from matcher.pipeline.sources import (
    DEFAULT_SHARD_SIZE,
    InputFile,
    ShardSpec,
    expand_inputs,
    plan_digest,
    plan_shards,
)
from matcher.pipeline.stages import process_shard, summarise
from matcher.pipeline.state import RunLayout, atomic_write, write_json
from matcher.pipeline.worker import RuntimeConfig, warm_worker
from matcher.runtime.progress import NULL_PROGRESS, Progress

log = logging.getLogger(__name__)


def hash_shard(spec: ShardSpec, out: str, mapping: dict[str, str] | None) -> np.ndarray:
    """The shard's exact-duplicate keys, from ``hashes/`` when already computed."""
    layout = RunLayout(Path(out))
    path = layout.hashes(spec.name)
    if path.is_file():
        return np.load(path)
    keys = shard_keys(spec, mapping)

    def _save(p: Path) -> None:
        with p.open("wb") as fh:
            np.save(fh, keys)

    atomic_write(path, _save)
    return keys


def run_pipeline(
    inputs: Sequence[str | Path],
    out: str | Path,
    client: Any,
    config: RuntimeConfig,
    *,
    shard_size: int = DEFAULT_SHARD_SIZE,
    mapping: dict[str, str] | None = None,
    build_index: bool = True,
    target_recall: float = ivf.TARGET_RECALL,
    progress: Progress = NULL_PROGRESS,
) -> dict[str, Any]:
    """Run (or resume) the pipeline over ``inputs`` into ``out``; return the summary."""
    started = time.monotonic()
    layout = RunLayout(Path(out).resolve())
    out_s = str(layout.root)
    files = expand_inputs(inputs)
    specs = plan_shards(files, shard_size)
    meta = [InputFile.of(f) for f in files]
    settings = {"model": config.model, "backend": config.backend, "data_dir": config.data_dir}
    digest = plan_digest(meta, shard_size, mapping, settings)
    plan = {
        "digest": digest,
        "inputs": [m.__dict__ for m in meta],
        "shard_size": shard_size,
        "mapping": mapping or {},
        "settings": settings,
        "shards": [s.to_dict() for s in specs],
    }
    resumed = layout.check_or_start(plan)
    phases: dict[str, float] = {}
    manifests: dict[str, dict[str, Any]] = {}
    todo = []
    for spec in specs:
        done = layout.shard_done(spec.name, digest)
        if done is not None:
            manifests[spec.name] = done
        else:
            todo.append(spec)
    log.info("%d shards, %d finished before, %d to process", len(specs), len(manifests), len(todo))
    phases["plan"] = time.monotonic() - started

    warm: list[dict[str, Any]] = []
    if todo:
        t = time.monotonic()
        from matcher.pipeline.cluster import worker_addresses

        addresses = worker_addresses(client)
        if not addresses:
            raise BadInputError("the Dask cluster has no workers: start some (`dask worker ADDRESS`)")
        with progress.stage("loading the matcher on every worker", len(addresses)) as stage:
            futures = [
                client.submit(warm_worker, config, workers=[a], allow_other_workers=False, pure=False)
                for a in addresses
            ]
            for f in _as_completed(futures):
                warm.append(f.result())
                stage.advance()
        phases["warm"] = time.monotonic() - t

    processed: list[str] = []
    if todo:
        duplicates = _plan_duplicates(client, specs, out_s, mapping, progress, phases)
        t = time.monotonic()
        planned = sum(max(s.rows, 0) for s in todo) or None
        with progress.stage("processing postings", planned) as stage:
            futures = [
                client.submit(
                    process_shard,
                    spec,
                    duplicates[spec.index],
                    config,
                    out_s,
                    digest,
                    mapping,
                    pure=False,
                    priority=len(todo) - k,
                )
                for k, spec in enumerate(todo)
            ]
            for f in _as_completed(futures):
                m = f.result()
                manifests[m["shard"]] = m
                processed.append(m["shard"])
                stage.advance(m["rows"])
        phases["process"] = time.monotonic() - t

    names = [s.name for s in specs]
    ordered = [manifests[n] for n in names]
    index_info: dict[str, Any] | None = None
    if build_index:
        t = time.monotonic()
        counts = [m["embedded"] for m in ordered]
        if sum(counts):
            index_info = _build_index(client, out_s, names, counts, target_recall, progress)
        phases["index"] = time.monotonic() - t

    wall = time.monotonic() - started
    summary = summarise(ordered)
    rows = sum(manifests[n]["rows"] for n in processed)  # this run's work, not earlier runs'
    work = phases.get("process", 0.0) + phases.get("index", 0.0)
    summary.update(
        {
            "out": out_s,
            "plan": digest,
            "resumed": resumed,
            "processed_shards": len(processed),
            "skipped_shards": len(specs) - len(processed),
            "workers": len(warm) or None,
            "worker_load_seconds": [w["load_seconds"] for w in warm],
            "versions": warm[0]["versions"] if warm else ordered[0].get("versions") if ordered else None,
            "phases_seconds": {k: round(v, 2) for k, v in phases.items()},
            "wall_seconds": round(wall, 2),
            "processed_rows": rows,
            "postings_per_s": round(rows / work, 2) if work > 0 and rows else None,
            "end_to_end_postings_per_s": round(rows / wall, 2) if wall > 0 and rows else None,
            "index": index_info,
        }
    )
    write_json(layout.summary_file, summary)
    return summary


def _plan_duplicates(
    client: Any,
    specs: list[ShardSpec],
    out: str,
    mapping: dict[str, str] | None,
    progress: Progress,
    phases: dict[str, float],
) -> list[dict[int, int]]:
    """Hash every shard on the cluster (or reuse its hash file) and decide exact duplicates."""
    t = time.monotonic()
    with progress.stage("hashing shards (exact duplicates across shards)", len(specs)) as stage:
        futures = [client.submit(hash_shard, s, out, mapping, pure=False) for s in specs]
        by_key = {f.key: i for i, f in enumerate(futures)}
        keys: list[np.ndarray] = [np.zeros(0)] * len(specs)
        for f in _as_completed(futures):
            keys[by_key[f.key]] = f.result()
            stage.advance()
    duplicates = plan_exact_duplicates(keys)
    phases["hash"] = time.monotonic() - t
    return duplicates


def _build_index(
    client: Any,
    out: str,
    names: list[str],
    counts: list[int],
    target_recall: float,
    progress: Progress,
) -> dict[str, Any]:
    with progress.stage("indexing: train, add shards, merge", len(names) + 2) as stage:
        trained = client.submit(ivf.train, out, names, counts, pure=False).result()
        stage.advance()
        adds = [client.submit(ivf.add_shard, out, n, pure=False) for n in names]
        for f in _as_completed(adds):
            f.result()
            stage.advance()
        merged = client.submit(
            ivf.merge, out, names, counts, target_recall=target_recall, pure=False
        ).result()
        stage.advance()
    return {"trained": trained, **merged}


def _as_completed(futures: list[Any]) -> Any:
    """Futures as they finish; on the first failure the others are cancelled and it is raised."""
    from distributed import as_completed

    try:
        for f in as_completed(futures):
            if f.status == "error":
                f.result()  # raises the task's exception here
            yield f
    except BaseException:
        for f in futures:
            f.cancel()
        raise
