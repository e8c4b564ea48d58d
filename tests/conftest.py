"""Shared fixtures: a slice of the real reference data, the real encoder with a persistent
embedding cache, and indexes built once per session over the slice."""

from __future__ import annotations

import json
import os
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
# Embeddings are keyed by model identity and text hash, so a cache kept across runs is safe.
TEST_CACHE = Path(os.environ.get("MATCHER_TEST_CACHE", REPO / "var" / "test-cache"))


def pytest_configure(config: pytest.Config) -> None:
    TEST_CACHE.mkdir(parents=True, exist_ok=True)


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
    from matcher.embed_cache import EmbeddingCache

    cache = EmbeddingCache(TEST_CACHE / "embeddings-v2.sqlite")
    yield cache
    cache.close()


@pytest.fixture(scope="session")
def encoder(embedding_cache):  # type: ignore[no-untyped-def]
    from matcher.encoder import Encoder

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

    home = tmp_path_factory.mktemp("home")
    return Settings(data_dir=data_dir, home=home, model="default")


@pytest.fixture(scope="session")
def catalog(data_dir: Path):  # type: ignore[no-untyped-def]
    from matcher.catalog import Catalog
    from matcher.sources import DataDir

    return Catalog(DataDir(data_dir))


@pytest.fixture(scope="session")
def index_store(settings, catalog, encoder):  # type: ignore[no-untyped-def]
    from matcher.build import build_indexes
    from matcher.index_store import IndexStore

    store = IndexStore(settings.index_root)
    build_indexes(store, catalog, encoder)
    return store


@pytest.fixture(scope="session")
def matcher(settings, catalog, encoder, index_store):  # type: ignore[no-untyped-def]
    from matcher.engine import Matcher

    indexes = index_store.load(model=encoder.identity, data_fingerprint=catalog.data.fingerprint)
    return Matcher(settings, catalog, encoder, indexes)


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
