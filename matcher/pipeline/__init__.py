"""Distributed batch pipeline over job postings, on Dask.

Sharded JSON Lines / CSV / Parquet postings -> clean -> de-duplicate -> code occupations ->
extract skills -> embed -> Parquet results per shard and one FAISS IVF index, on a local
cluster or any Dask cluster; resumable (a finished shard is never redone).

>>> from matcher.pipeline import RuntimeConfig, dask_client, run_pipeline   # doctest: +SKIP
>>> with dask_client(workers=2) as client:                                   # doctest: +SKIP
...     summary = run_pipeline(["postings/"], "out/", client, RuntimeConfig.from_settings(settings))

See ``docs/pipeline.md``.
"""

from matcher.pipeline.cluster import dask_client
from matcher.pipeline.dedupe import posting_id, split_id
from matcher.pipeline.ivf import INDEX_NAME
from matcher.pipeline.run import run_pipeline
from matcher.pipeline.sources import DEFAULT_SHARD_SIZE, ShardSpec, expand_inputs, plan_shards
from matcher.pipeline.stages import read_vectors
from matcher.pipeline.worker import RuntimeConfig, get_runtime, install_runtime

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "INDEX_NAME",
    "RuntimeConfig",
    "ShardSpec",
    "dask_client",
    "expand_inputs",
    "get_runtime",
    "install_runtime",
    "plan_shards",
    "posting_id",
    "read_vectors",
    "run_pipeline",
    "split_id",
]
