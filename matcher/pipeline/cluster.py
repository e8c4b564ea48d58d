"""A Dask client: a :class:`~distributed.LocalCluster` of N worker processes x 1 thread by
default, or any running cluster given its scheduler address (``tcp://host:8786``)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from matcher.errors import BadInputError

log = logging.getLogger(__name__)

# Set in every worker process before it imports numpy/torch (the nanny spawns them with it).
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_WAIT_POLICY": "PASSIVE",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


@contextmanager
def dask_client(
    workers: int = 2,
    scheduler: str | None = None,
    *,
    processes: bool = True,
    threads_per_worker: int = 1,
    memory_limit: str | None = None,
) -> Iterator[Any]:
    """Yield a connected ``distributed.Client``; a local cluster is closed on exit."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a dependency of the package
        raise BadInputError("the pipeline needs dask.distributed (pip install 'dask[distributed]')") from None
    import dask

    # Dask logs every worker start and stop (and slow shutdowns): only shown with -v.
    root = logging.getLogger().getEffectiveLevel()
    logging.getLogger("distributed").setLevel(root if root <= logging.INFO else logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise BadInputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        try:
            n = len(client.scheduler_info().get("workers", {}))
            log.info("connected to %s (%d workers)", scheduler, n)
            yield client
        finally:
            client.close()
        return
    if workers < 1:
        raise BadInputError("--workers must be at least 1")
    env = {**WORKER_ENV, **{k: v for k, v in os.environ.items() if k.startswith("MATCHER_")}}
    pre_spawn = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    with dask.config.set(
        {
            "distributed.nanny.pre-spawn-environ": {**pre_spawn, **env},
            # a worker loading the model holds the GIL for seconds: do not declare it dead
            "distributed.comm.timeouts.connect": "60s",
            "distributed.scheduler.worker-ttl": "15 minutes",
            "distributed.admin.tick.limit": "30s",
        }
    ):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=None,
            memory_limit=memory_limit or "auto",
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def worker_addresses(client: Any) -> list[str]:
    return sorted(client.scheduler_info().get("workers", {}))
