from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from matcher.encoding.cache import EmbeddingCache
from matcher.encoding.encoder import Encoder
from matcher.errors import DataMissingError, IndexUnavailableError
from matcher.indexes.build import SPECS, build_indexes, is_up_to_date
from matcher.indexes.store import IndexStore


def test_encoder_normalised_float32_and_semantic(encoder: Encoder) -> None:
    v = encoder.encode(["weld steel plates", "join metal with an arc welder", "bake bread"])
    assert v.dtype == np.float32 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_cache_means_unchanged_text_is_never_reencoded(tmp_path: Path) -> None:
    enc = Encoder("default", cache=EmbeddingCache(tmp_path / "c.sqlite"))
    calls: list[int] = []
    raw = enc._encode_raw
    enc._encode_raw = lambda texts: (calls.append(len(texts)), raw(texts))[1]  # type: ignore[method-assign]
    first = enc.encode(["operate a forklift", "drive a truck", "operate a forklift"])
    assert calls == [2]  # duplicates encoded once
    second = enc.encode(["drive a truck", "operate a forklift"])
    assert calls == [2]  # nothing new
    assert np.allclose(second[1], first[0])
    assert enc.cache is not None and enc.cache.count() == 2


def test_search_queries_stay_in_memory_not_on_disk(tmp_path: Path) -> None:
    enc = Encoder("default", cache=EmbeddingCache(tmp_path / "c.sqlite"))
    calls: list[int] = []
    raw = enc._encode_raw
    enc._encode_raw = lambda texts: (calls.append(len(texts)), raw(texts))[1]  # type: ignore[method-assign]
    first = enc.encode_query("forklift operator")
    again = enc.encode_query("forklift operator")
    assert calls == [1] and again is first and not again.flags.writeable
    assert enc.cache is not None and enc.cache.count() == 0  # typed queries never grow the cache
    assert np.allclose(first, enc.encode(["forklift operator"])[0], atol=1e-6)


def test_identity_is_stable_and_local_paths_only(tmp_path: Path) -> None:
    assert Encoder("default").identity == Encoder("default").identity
    assert Encoder("default").identity.startswith("all-MiniLM-L6-v2@")
    with pytest.raises(DataMissingError, match="never downloaded"):
        Encoder("sentence-transformers/all-mpnet-base-v2")
    with pytest.raises(DataMissingError):
        Encoder(str(tmp_path))


def test_identity_of_a_copy_under_a_cache_folder_is_the_same(tmp_path: Path) -> None:
    """Checkouts and virtualenvs kept under ~/.cache: only paths inside the model folder count."""
    from matcher.encoding.encoder import model_identity, resolve_model_path

    model = resolve_model_path("default")
    copy = tmp_path / ".cache" / "skills-matcher-ci" / "site-packages" / model.parent.name / model.name
    shutil.copytree(model, copy)
    (copy / ".cache").mkdir()  # a hub client's cache inside the folder is still left out
    (copy / ".cache" / "scratch.lock").write_text("x")
    assert model_identity(copy) == model_identity(model)
    assert not model_identity(copy).endswith("e3b0c44298fc")  # the digest of nothing
    (copy / "config.json").write_text((copy / "config.json").read_text() + " ")
    assert model_identity(copy) != model_identity(model)  # a changed file does change it


def test_build_manifest_and_reuse(index_store: IndexStore, encoder: Encoder, catalog) -> None:  # type: ignore[no-untyped-def]
    m = index_store.current_manifest()
    assert m is not None and m.model == encoder.identity and m.dim == 384
    assert set(m.indexes) == {s.name for s in SPECS}
    assert m.data_versions["onet"] == "29.3"
    for info in m.indexes.values():
        assert info["count"] > 0 and all(len(d) == 64 for d in info["sha256"].values())
    assert is_up_to_date(index_store, encoder, catalog)


class _Stages:
    """Records the stages a build reports (a real Progress implementation, no output)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, int]] = []

    @contextmanager
    def stage(self, description: str, total: int | None):  # type: ignore[no-untyped-def]
        done = [0]

        class _S:
            def advance(self, n: int = 1) -> None:
                done[0] += n

        yield _S()
        self.stages.append((description, total, done[0]))


def test_build_encodes_each_distinct_text_once_and_reports_each_index(
    encoder: Encoder, catalog, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from matcher.indexes.build import esco_skill_labels, esco_skills

    specs = tuple(s for s in SPECS if s.name in ("esco_skills", "esco_skill_labels", "occupation_titles"))
    asked: list[str] = []
    counting = Encoder("default", backend="onnx", export_dir=encoder.export_dir, cache=None)
    counting.dim = encoder.dim
    counting._encode_raw = lambda texts: (asked.extend(texts), encoder.encode(list(texts)))[1]  # type: ignore[method-assign]
    stream = counting.minilm.encode_stream  # many texts at once: the side-by-side bulk pass
    counting.minilm.encode_stream = lambda texts: (asked.extend(texts), stream(texts))[1]  # type: ignore[method-assign]
    progress = _Stages()
    store = IndexStore(tmp_path / "idx")
    counts = build_indexes(store, catalog, counting, progress=progress, specs=specs)
    distinct = {t for s in specs for _, t in s.rows(catalog)}
    assert len(asked) == len(set(asked)) == len(distinct)  # preferred labels are also label rows: once
    assert {t for _, t in esco_skills(catalog)} <= {t for _, t in esco_skill_labels(catalog)}
    names = [d for d, total, _ in progress.stages if d.startswith("index ")]
    assert names == ["index 1/3 occupation_titles", "index 2/3 esco_skills", "index 3/3 esco_skill_labels"]
    for description, total, done in progress.stages:
        assert total is None or done == total, description
    loaded = store.load(model=counting.identity, data_fingerprint=catalog.data.fingerprint)
    for spec in specs:
        index = loaded[spec.name]
        assert len(index) == counts[spec.name]
        assert np.allclose(index.matrix, encoder.encode(index.texts), atol=1e-6)


def test_auto_backend_is_bf16_only_where_the_cpu_has_it() -> None:
    from matcher.encoding.policy import resolve_backend
    from matcher.runtime.cpu import cpu_has_bf16

    assert resolve_backend("auto") == ("torch-bf16" if cpu_has_bf16() else "onnx")
    assert resolve_backend("onnx") == "onnx"


def test_load_refuses_other_model_or_data(index_store: IndexStore, encoder: Encoder, catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IndexUnavailableError, match="built with model"):
        index_store.load(model="other-model@123", data_fingerprint=catalog.data.fingerprint)
    with pytest.raises(IndexUnavailableError, match="built from data"):
        index_store.load(model=encoder.identity, data_fingerprint="0" * 16)


def _copy_store(src: IndexStore, dst: Path) -> IndexStore:
    import shutil

    shutil.copytree(src.root, dst)
    return IndexStore(dst)


def test_corrupt_index_is_detected(
    index_store: IndexStore, encoder: Encoder, catalog, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = _copy_store(index_store, tmp_path / "idx")
    folder = store.current_folder()
    assert folder is not None
    target = folder / "tasks.faiss"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailableError, match="corrupt"):
        store.load(model=encoder.identity, data_fingerprint=catalog.data.fingerprint)


def test_failed_build_keeps_previous_index(
    index_store: IndexStore, encoder: Encoder, catalog, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = _copy_store(index_store, tmp_path / "idx")
    before = store.current_folder()

    class Boom(Exception):
        pass

    def broken(c):  # type: ignore[no-untyped-def]
        raise Boom

    from matcher.indexes.build import IndexSpec

    specs = (SPECS[0], IndexSpec("broken", broken, "fails"))
    with pytest.raises(Boom):
        build_indexes(store, catalog, encoder, specs=specs)
    assert store.current_folder() == before
    assert not list(store.root.glob(".tmp-*"))
    loaded = store.load(model=encoder.identity, data_fingerprint=catalog.data.fingerprint)
    assert len(loaded["tasks"]) > 0


def test_missing_index_message(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailableError, match="matcher build"):
        IndexStore(tmp_path).load(model="m", data_fingerprint="f")


@pytest.mark.parametrize("mmap", [False, True])
def test_matrix_is_a_read_only_view_that_outlives_its_index(
    encoder: Encoder, tmp_path: Path, mmap: bool
) -> None:
    """``VectorIndex.matrix`` shares the flat index's storage (no second copy of big indexes),
    cannot be written through, and stays valid after the VectorIndex is dropped."""
    import gc

    from matcher.indexes.vector_index import VectorIndex

    texts = ["welder", "forklift operator", "registered nurse", "line cook", "python developer"]
    vecs = encoder.encode(texts)
    VectorIndex.from_vectors("t", texts, texts, vecs).save(tmp_path)
    idx = VectorIndex.load(tmp_path, "t", mmap=mmap)
    rows = idx.matrix
    assert np.array_equal(rows, vecs) and not rows.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        rows[0, 0] = 1.0
    del idx
    gc.collect()
    _ = [np.full(vecs.shape, 7.0, dtype=np.float32) for _ in range(100)]  # reuse freed memory
    assert np.array_equal(rows, vecs)


def test_bf16_backend_is_close_to_float32_and_shared_with_the_span_encoder(encoder: Encoder) -> None:
    from matcher.encoding.span_encoder import SpanEncoder

    bf16 = Encoder("default", backend="torch-bf16", threads=2)
    assert bf16.identity == f"{encoder.family}+bf16" and bf16.fused_bf16
    texts = ["weld steel plates", "Operate forklifts to move pallets in a warehouse.", "SQL"]
    v = bf16.encode(texts)
    assert v.dtype == np.float32 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert ((v * encoder.encode(texts)).sum(axis=1) > 0.999).all()
    assert SpanEncoder(bf16).minilm is bf16.minilm  # one copy of the model in memory


def test_cache_keeps_what_was_encoded_when_encoding_stops(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matcher.encoding.encoder as encoder_module

    monkeypatch.setattr(encoder_module, "_CHUNK", 2)
    enc = Encoder("default", backend="onnx", cache=EmbeddingCache(tmp_path / "c.sqlite"), export_dir=tmp_path)
    stream = enc.minilm.encode_stream
    assert enc.dim == 384

    def fails_second(texts):  # type: ignore[no-untyped-def]
        idx, vecs = next(stream(texts))
        yield idx[:2], vecs[:2]
        raise KeyboardInterrupt

    monkeypatch.setattr(enc.minilm, "encode_stream", fails_second)
    with pytest.raises(KeyboardInterrupt):
        enc.encode(["a b", "c d", "e f", "g h", "i j"])
    assert enc.cache is not None and enc.cache.count() == 2  # the first batch survived


def test_onnx_build_path_runs_batches_side_by_side_with_the_query_paths_vectors(
    tmp_path: Path, catalog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """ONNX Runtime with two threads encodes an index's texts on two single-thread sessions,
    whole batches each, in exact word-piece batches: every text gets the vector a lone query
    gets, in the right row, and all of it reaches the cache."""
    import matcher.encoding.encoder as encoder_module
    from matcher.encoding.minilm import BULK_ROWS
    from matcher.indexes.build import esco_skill_labels, tasks

    monkeypatch.setattr(encoder_module, "_CHUNK", 16)
    texts = [t for _, t in esco_skill_labels(catalog)[:300]] + [t for _, t in tasks(catalog)[:60]]
    texts = list(dict.fromkeys([*texts, "Welding", "welding"]))
    enc = Encoder(
        "default", backend="onnx", threads=2, cache=EmbeddingCache(tmp_path / "c.sqlite"), export_dir=tmp_path
    )
    batches = list(enc.minilm.encode_stream(texts))
    assert len(batches) > 2 and max(len(i) for i, _ in batches) <= BULK_ROWS + 1  # + a case twin
    v = enc.encode(texts)
    assert len(enc.minilm._bulk) == 2  # the side-by-side sessions did the work
    w = texts.index("Welding")
    assert np.array_equal(v[w], v[w + 1])
    lone = enc.minilm.encode(texts[::7])  # the two-thread session of queries
    assert np.allclose(v[::7], lone, atol=1e-5)
    assert enc.cache is not None and enc.cache.count() == len(texts)


def _bf16_sample_size(labels: int, tasks: int) -> tuple[int, int]:
    """How many ESCO labels and task statements a bf16 test encodes: half as many where the CPU
    only emulates bfloat16 (10x slower: 34 s for one test on a Zen 3), still several batches."""
    from matcher.runtime.cpu import cpu_has_bf16

    return (labels, tasks) if cpu_has_bf16() else (labels // 2, tasks // 2)


def test_bf16_build_path_batches_exact_pieces_and_agrees_with_the_query_path(
    tmp_path: Path, catalog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Many texts at once (an index build) take exact word-piece batches: every text gets its
    vector (the same, up to bf16 rounding, as a lone query's), case variants share one pass,
    the token ids match the tokenizer wrapper's, and all of it reaches the cache."""
    import matcher.encoding.encoder as encoder_module
    from matcher.indexes.build import esco_skill_labels, tasks

    monkeypatch.setattr(encoder_module, "_CHUNK", 16)
    monkeypatch.setattr(encoder_module, "_CACHE_BATCH", 64)
    n_labels, n_tasks = _bf16_sample_size(200, 40)
    texts = [t for _, t in esco_skill_labels(catalog)[:n_labels]] + [t for _, t in tasks(catalog)[:n_tasks]]
    texts = list(dict.fromkeys([*texts, "Welding", "welding", "WELDING"]))
    enc = Encoder("default", backend="torch-bf16", cache=EmbeddingCache(tmp_path / "c.sqlite"))
    assert enc.minilm._bulk_ids(texts) == enc.minilm._pieces(texts, split=False)[0]
    passes: list[int] = []
    pass_ = enc.minilm._pass
    monkeypatch.setattr(enc.minilm, "_pass", lambda e, *a: passes.append(len(e["input_ids"])) or pass_(e, *a))
    v = enc.encode(texts)
    assert sum(passes) == len(texts) - 2  # no padding rows; the three weldings passed once
    assert len(passes) > 1 and max(passes) <= 128
    w = texts.index("Welding")
    assert np.array_equal(v[w], v[w + 1]) and np.array_equal(v[w], v[w + 2])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    lone = enc.minilm.encode(texts[::10])  # the bucketed pass of queries and extraction
    assert ((v[::10] * lone).sum(axis=1) > 0.9999).all()
    assert enc.cache is not None and enc.cache.count() == len(texts)


def test_bf16_build_path_runs_batches_side_by_side_with_the_same_vectors(catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With two threads, bfloat16 PyTorch passes whole batches on two single-thread workers;
    the vectors are exactly those of one pass at a time, and the process keeps its thread count."""
    import threading

    import torch

    from matcher.indexes.build import esco_skill_labels, tasks

    n_labels, n_tasks = _bf16_sample_size(400, 60)
    texts = [t for _, t in esco_skill_labels(catalog)[:n_labels]] + [t for _, t in tasks(catalog)[:n_tasks]]
    m = Encoder("default", backend="torch-bf16", threads=2).minilm
    seen: set[tuple[str, int]] = set()
    pass_ = m._pass

    def watched(e, *a):  # type: ignore[no-untyped-def]
        seen.add((threading.current_thread().name, torch.get_num_threads()))
        return pass_(e, *a)

    def collect() -> np.ndarray:
        out = np.zeros((len(texts), m.dim), np.float32)
        for idx, vecs in m.encode_stream(texts):
            out[idx] = vecs
        return out

    monkeypatch.setattr(m, "_pass", watched)
    side = collect()
    assert len({name for name, _ in seen}) == 2
    assert all(name.startswith("minilm-bulk") and n == 1 for name, n in seen)
    assert torch.get_num_threads() == 2
    seen.clear()
    monkeypatch.setattr(m, "_threads", 1)
    alone = collect()
    assert {name for name, _ in seen} == {threading.current_thread().name}
    assert np.array_equal(side, alone)
