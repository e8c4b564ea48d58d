"""Screening from files on disk (the command line): read them, pick where alignment runs (this
process, or the Dask pipeline when workers or a scheduler are given), screen, write outputs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matcher.db import Database
from matcher.errors import BadInputError, TooLargeError
from matcher.readers import MAX_FILE_BYTES
from matcher.review.actor import Actor
from matcher.runtime.progress import NULL_PROGRESS, Progress
from matcher.screening.reader import Export, read_exports
from matcher.screening.run import Outcome, align_dask, align_local, screen
from matcher.settings import Settings

MATCHER_VERSION_KEYS = ("model", "data", "data_fingerprint", "built_at")


def read_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    out = []
    for p in paths:
        if not p.is_file():
            raise BadInputError(f"no such file: {p}")
        if p.stat().st_size > MAX_FILE_BYTES:
            raise TooLargeError(f"{p} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split the export")
        out.append((p.name, p.read_bytes()))
    return out


@contextmanager
def _aligner(
    settings: Settings, workers: int | None, scheduler: str | None
) -> Iterator[tuple[Any, Any, Any]]:
    """(aligner, versions, catalog) in this process, or on a Dask cluster."""
    if workers is None and scheduler is None:
        from matcher.engine import Matcher

        matcher = Matcher.load(settings)
        yield align_local(matcher), matcher.versions, matcher.catalog
        return
    from matcher.pipeline import RuntimeConfig, dask_client
    from matcher.pipeline.worker import warm_worker
    from matcher.sources import DataDir
    from matcher.sources.catalog import Catalog

    config = RuntimeConfig.from_settings(settings)
    with dask_client(workers=workers or 2, scheduler=scheduler, threads_per_worker=1) as client:
        warm = client.submit(warm_worker, config, pure=False).result()
        versions = {k: warm["versions"][k] for k in MATCHER_VERSION_KEYS if k in warm["versions"]}
        yield align_dask(client, config), versions, Catalog(DataDir(settings.data_dir))


def screen_files(
    db: Database,
    actor: Actor,
    paths: list[Path],
    state: str,
    settings: Settings,
    *,
    refresh: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress = NULL_PROGRESS,
) -> tuple[Outcome, Export | None]:
    from matcher.evidence.labour import labour_data

    files = read_files(paths)
    labour = labour_data(settings.data_dir)
    with _aligner(settings, workers, scheduler) as (aligner, versions, catalog):
        export = read_exports(files, lambda code: catalog.cip(code) is not None) if files else None
        outcome = screen(
            db,
            actor,
            export,
            state,
            versions=versions,
            aligner=aligner,
            settings=settings,
            labour=labour,
            refresh=refresh,
            source=", ".join(str(p) for p in paths),
            progress=progress,
        )
    return outcome, export
