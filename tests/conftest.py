"""Shared fixtures: a slice of the real reference data, the real encoder with a persistent
embedding cache, and indexes built once per test run over the slice.

Tiers: a test that uses the encoder, the slice indexes or a loaded matcher (directly or through
any fixture built on them) is marked ``model`` here, at collection, and so is every test of the
full-data checks (``slow``) and of the browser; ``make test-fast`` runs the rest
(``-m "not model and not slow and not browser"``), ``make test`` runs everything. A test that
loads a model some other way (``Encoder(...)``, the span tagger, training) is skipped in the
fast tier when it tries (see ``_fast_tier_skips_model_loads``), so new tests fall into the right
tier without a marker.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from data_slice import write_slice

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The session encoder and slice indexes are ONNX float32; every process a test starts (CLI,
# server) must use the same backend, or it refuses the indexes (the default "auto" is bf16 on
# CPUs with native bf16).
os.environ.setdefault("MATCHER_BACKEND", "onnx")
# The tests send many requests from one address and one key: raise every rate, budget and
# sign-in limit (matcher/settings.py); the tests of the limits pass their own limit_scale=1.
os.environ.setdefault("MATCHER_LIMIT_SCALE", "1000")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FULL_DATA = Path(os.environ.get("MATCHER_TEST_DATA_DIR", SHARED / "data"))
EVAL_DIR = Path(os.environ.get("MATCHER_TEST_EVAL_DIR", SHARED / "eval"))
# Embeddings are keyed by model identity and text hash, so a cache kept across runs is safe: it
# lives outside the checkout (like pip's and uv's caches), where a clean clone finds what earlier
# runs on the machine encoded (a cold run on a 2-core Zen 3 spends ~8 minutes of CPU encoding
# the full data; MATCHER_TEST_CACHE moves it, an empty folder makes a run cold).
_XDG_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
TEST_CACHE = Path(os.environ.get("MATCHER_TEST_CACHE", _XDG_CACHE / "skills-matcher" / "test-cache"))


# Fixtures that load the embedding model or build indexes (the others build on these).
MODEL_FIXTURES = frozenset({"encoder", "index_store", "matcher"})


def pytest_configure(config: pytest.Config) -> None:
    TEST_CACHE.mkdir(parents=True, exist_ok=True)


# Files that take minutes start first, so that the two workers of `make test` (pytest-xdist,
# one file per worker at a time) do not end with one of them alone on a long file.
FIRST = ("test_full_data.py", "test_fuzz_api.py", "test_pipeline.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST)))  # stable: order kept within
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


def _fast_tier(config: pytest.Config) -> bool:
    return "not model" in (config.getoption("markexpr", "") or "")


@pytest.fixture(scope="session", autouse=True)
def _fast_tier_skips_model_loads(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the fast tier (``-m "not model"``), a test that loads the transformer weights without
    the fixtures above is skipped at that point: it belongs to ``make test``."""
    if not _fast_tier(request.config):
        yield
        return

    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.skip("loads a model: runs in `make test`, not in the fast tier")

    import matcher.encoding.encoder
    import matcher.extract.span_model

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matcher.encoding.encoder, "resolve_model_path", refuse)  # every MiniLM load starts here
        mp.setattr(matcher.extract.span_model.SpanModel, "__init__", refuse)
        yield


@pytest.fixture(scope="session", autouse=True)
def production_hasher() -> Iterator[object]:
    """argon2id with its smallest cost parameters while testing: the code and the hash format
    are the service's, but the production cost (t=3, m=64 MiB, p=4: 0.1-1 s a hash on 2 cores)
    would only slow the hundreds of passwords and keys the tests create. Yields the production
    hasher, whose parameters ``tests/test_security.py`` checks."""
    from argon2 import PasswordHasher

    from matcher.review import hashing

    production = hashing._HASHER
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(hashing, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        hashing._dummy_hash.cache_clear()
        yield production
    hashing._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def full_data_dir() -> Path:
    if not (FULL_DATA / "onet" / "Occupation Data.txt").is_file():
        pytest.skip(f"reference data not found at {FULL_DATA} (set MATCHER_TEST_DATA_DIR)")
    return FULL_DATA


@pytest.fixture(scope="session")
def data_dir(full_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A slice of the real data: every row about ~30 occupations, verbatim."""
    return write_slice(full_data_dir, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def embedding_cache():  # type: ignore[no-untyped-def]
    from matcher.encoding.cache import EmbeddingCache

    cache = EmbeddingCache(TEST_CACHE / "embeddings-v2.sqlite")
    yield cache
    cache.close()


@pytest.fixture(scope="session")
def encoder(embedding_cache):  # type: ignore[no-untyped-def]
    from matcher.encoding.encoder import Encoder

    # the default backend (ONNX Runtime float32); PyTorch float32 is compared with it in test_onnx_backend
    return Encoder(
        "default",
        backend="onnx",
        threads=2,
        batch_size=64,
        cache=embedding_cache,
        export_dir=TEST_CACHE / "onnx",
    )


@pytest.fixture(scope="session")
def settings(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from matcher.settings import Settings

    home = share_test_cache(tmp_path_factory.mktemp("home"))
    return Settings(data_dir=data_dir, home=home, model="default")


def share_test_cache(home: Path) -> Path:
    """Give a MATCHER_HOME the test run's ONNX export and embedding cache (``TEST_CACHE``), so
    that a ``python -m matcher`` started by a test neither exports the model nor encodes known
    texts again. Everything else under ``home`` stays the test's own."""
    (home / "cache").mkdir(parents=True, exist_ok=True)
    (home / "cache" / "embeddings-v2.sqlite").symlink_to(TEST_CACHE / "embeddings-v2.sqlite")
    (home / "onnx").symlink_to(TEST_CACHE / "onnx", target_is_directory=True)
    return home


@pytest.fixture(scope="session")
def catalog(data_dir: Path):  # type: ignore[no-untyped-def]
    from matcher.sources import DataDir
    from matcher.sources.catalog import Catalog

    return Catalog(DataDir(data_dir))


@pytest.fixture(scope="session")
def index_store(settings, catalog, encoder):  # type: ignore[no-untyped-def]
    from matcher.indexes.build import build_indexes
    from matcher.indexes.store import IndexStore

    store = IndexStore(settings.index_root)
    build_indexes(store, catalog, encoder)
    return store


@pytest.fixture(scope="session")
def matcher(settings, catalog, encoder, index_store):  # type: ignore[no-untyped-def]
    from matcher.engine import Matcher

    indexes = index_store.load(model=encoder.identity, data_fingerprint=catalog.data.fingerprint)
    return Matcher(settings, catalog, encoder, indexes)


@pytest.fixture
def cli(encoder, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``matcher ...`` in this process (``tests/cli_support.py``), the session's encoder standing
    in for the one a command loads from its settings when they name the same model and backend
    (the same identity, hence the same indexes); other settings load their own."""
    from cli_support import run_cli

    import matcher.encoding.encoder
    import matcher.engine

    real = matcher.encoding.encoder.encoder_from_settings

    def shared(settings=None):  # type: ignore[no-untyped-def]
        from matcher.settings import get_settings

        s = settings or get_settings()
        if s.model == "default" and s.backend == encoder.backend:
            return encoder
        return real(s)

    monkeypatch.setattr(matcher.encoding.encoder, "encoder_from_settings", shared)
    monkeypatch.setattr(matcher.engine, "encoder_from_settings", shared)
    return run_cli


def _etpl_records() -> dict[str, dict]:
    path = EVAL_DIR / "programs_nj_etpl.dev.jsonl"
    if not path.is_file():
        pytest.skip(f"ETPL dev file not found at {path}")
    out = {}
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        out[rec["id"]] = rec
    return out


@pytest.fixture(scope="session")
def etpl() -> dict[str, dict]:
    """Real NJ ETPL dev programs by id, gold fields stripped."""
    return {k: {f: v for f, v in r.items() if not f.startswith("gold_")} for k, r in _etpl_records().items()}


# Browser tests (tests/browser): one headless Debian Chromium for the whole run (two Playwright
# instances in one process refuse to start).
CHROMIUM = os.environ.get("MATCHER_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def output_dir() -> Path:
    folder = Path(os.environ.get("MATCHER_TEST_OUTPUT", REPO / "test-output")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} not found: `apt-get install -y chromium` (.ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
