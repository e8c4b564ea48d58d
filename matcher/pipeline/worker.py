"""What every worker needs, loaded once per worker process and kept: the :class:`Matcher` (data,
encoder, indexes), its occupation coder and skill extractor, and the sentence memo.

Tasks call :func:`get_runtime` with the run's :class:`RuntimeConfig`; the first call in a process
loads everything (tens of seconds), later calls return the same object. The config carries the
settings explicitly (data folder, home, model, backend, threads) rather than relying on the
worker's environment, so that workers started by hand on other machines use what the client
asked for -- provided the same paths exist there (see ``docs/pipeline.md``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_RUNTIMES: dict[str, Runtime] = {}


@dataclass(frozen=True)
class RuntimeConfig:
    data_dir: str
    home: str
    model: str = "default"
    backend: str = "torch"
    threads: int = 1  # per worker: N workers x 1 thread uses N cores without oversubscription
    batch_size: int = 64
    embedding_cache: str | None = None  # None: MATCHER_HOME/cache; "off"; or a folder
    sentence_memo: int = 50_000  # sentences whose skills and vector each worker keeps
    sentence_cache: bool = True  # share sentence results on disk, next to the embedding cache

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> RuntimeConfig:
        base = {
            "data_dir": str(settings.data_dir),
            "home": str(settings.home),
            "model": settings.model,
            "backend": settings.backend,
            "batch_size": settings.batch_size,
        }
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**base)

    @property
    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


class Runtime:
    """A loaded matcher and the parts of it the pipeline stages use."""

    def __init__(self, config: RuntimeConfig, matcher: Any) -> None:
        from matcher.pipeline.sentences import SentenceSkills

        self.config = config
        self.matcher = matcher
        self.coder = matcher.coder
        self.extractor = matcher.extractor
        store = self._sentence_store() if config.sentence_cache else None
        self.sentences = SentenceSkills(self.extractor, memo_size=config.sentence_memo, store=store)
        self.load_seconds = 0.0

    def _sentence_store(self):
        from matcher.pipeline.sentence_store import FILE_NAME, SentenceStore

        cache = self.config.embedding_cache
        folder = Path(cache) if cache and cache != "off" else Path(self.matcher.settings.cache_dir)
        namespace = json.dumps(
            {
                "extractor": self.extractor.versions,
                "data": self.matcher.catalog.data.fingerprint,
                "kind": "posting",
            },
            sort_keys=True,
        )
        return SentenceStore(folder / FILE_NAME, namespace)

    @property
    def versions(self) -> dict[str, Any]:
        return {
            "coder": self.coder.version,
            "extractor": self.extractor.versions,
            "embedding": self.sentences.identity,
            **self.matcher.versions,
        }


def _settings(config: RuntimeConfig):
    from matcher.settings import Settings

    return Settings(
        data_dir=Path(config.data_dir),
        home=Path(config.home),
        model=config.model,
        backend=config.backend,
        threads=config.threads,
        batch_size=config.batch_size,
    )


def load_runtime(config: RuntimeConfig) -> Runtime:
    """Load a runtime now (no caching): the matcher, coder and extractor, all warmed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from threadpoolctl import threadpool_limits

    from matcher.encoding.cache import EmbeddingCache
    from matcher.encoding.encoder import encoder_from_settings
    from matcher.engine import Matcher

    started = time.monotonic()
    # BLAS pools sized to the worker's share of the machine (numpy in the coder, FAISS).
    threadpool_limits(config.threads)
    settings = _settings(config)
    encoder = encoder_from_settings(settings)
    if config.embedding_cache == "off":
        encoder.cache = None
    elif config.embedding_cache:
        encoder.cache = EmbeddingCache(Path(config.embedding_cache) / "embeddings-v2.sqlite")
    matcher = Matcher.load(settings, encoder=encoder)
    runtime = Runtime(config, matcher)
    runtime.coder.warm()
    runtime.extractor.warm()
    runtime.load_seconds = time.monotonic() - started
    log.info("pipeline runtime loaded in %.1f s (pid %d)", runtime.load_seconds, os.getpid())
    return runtime


def get_runtime(config: RuntimeConfig) -> Runtime:
    """The process's runtime for ``config``, loaded on first use."""
    key = config.key
    rt = _RUNTIMES.get(key)
    if rt is not None:
        return rt
    with _LOCK:
        rt = _RUNTIMES.get(key)
        if rt is None:
            rt = _RUNTIMES[key] = load_runtime(config)
        return rt


def install_runtime(config: RuntimeConfig, matcher: Any) -> Runtime:
    """Use an already loaded matcher for ``config`` in this process (in-process clusters, tests)."""
    with _LOCK:
        rt = _RUNTIMES[config.key] = Runtime(config, matcher)
        return rt


def warm_worker(config: RuntimeConfig) -> dict[str, Any]:
    """Task run once per worker before the shards: load the runtime and say how long it took."""
    rt = get_runtime(config)
    return {"pid": os.getpid(), "load_seconds": round(rt.load_seconds, 2), "versions": rt.versions}
