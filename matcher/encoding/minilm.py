"""The one forward pass of the sentence model's transformer (all-MiniLM-L6-v2), used two ways:

- ``encode(texts)``: sentence-transformers' embedding (mean of the last layer over word pieces,
  L2-normalised): the sentence encoder's vectors (:class:`~matcher.encoding.encoder.Encoder`)
  and the extractor's span vectors;
- ``words(docs)``: per-word features for the span tagger (the word's word pieces averaged, for
  each of the transformer's layers), with the sentence embedding of the same pass.

It runs on the backend ``Settings.backend`` names (:mod:`matcher.encoding.policy`): PyTorch
float32 (``torch``, the plain reference), bfloat16 weights with fused layers (``torch-bf16``),
ONNX Runtime float32 (``onnx``) or int8 (``onnx-int8``). The weights are frozen: nothing here
trains the encoder. With ``torch-bf16`` the weights are converted to bfloat16 once (pooling
stays float32): ~2.5x faster than float32 on CPUs with native bf16, and less CPU than bf16
autocast, which re-casts every weight on every call. Sentence embeddings agree with
the autocast ones at cosine >= 0.9999 (600 advert sentences); dev metrics moved by at most
0.005 (skills tech rp@5 0.7727 -> 0.7682; spans F1 0.5651 -> 0.5656; skills house unchanged).
The bfloat16 layers are then fused (:mod:`matcher.encoding.fused_bert`) where oneDNN allows.
"""

from __future__ import annotations

import collections
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.encoding.fused_bert import fuse_bert
from matcher.encoding.onnx import mean_pool, pad_ids
from matcher.encoding.policy import BACKENDS, BATCH_PIECES, BATCH_ROWS, piece_batches, resolve_backend

log = logging.getLogger(__name__)

MAX_PIECES = 256  # sentence-transformers' max_seq_length for this model
# Bulk encoding with ONNX Runtime (an index build): one single-thread session per thread, each
# taking whole batches of at most these rows and padded word-piece slots. Against one two-thread
# session on the shared batches (128 rows, 1,024 slots), AVX2-only Zen 3, 2 cores, idle, two
# rounds: 8,000 ESCO labels 8.97/9.06 s -> 7.78/7.56 s, 2,000 O*NET tasks 7.48/9.41 s ->
# 6.18/6.43 s; the same vectors. Side by side, 128/1,024 batches were slower (8.6/8.3 s, 6.9/7.9 s).
BULK_ROWS = 64
BULK_PIECES = 512


class MiniLM:
    """The frozen transformer of a local sentence-transformers folder (mean pooling).

    ``backend`` (one of :data:`~matcher.encoding.policy.BACKENDS`): ``torch`` (PyTorch float32),
    ``torch-bf16`` (bfloat16 weights, then fused oneDNN layers unless ``fuse=False``),
    ``onnx`` (ONNX Runtime float32, numerically the same as PyTorch float32: 1.6-2x faster on
    CPUs without native bf16) or ``onnx-int8`` (dynamic int8 quantisation); ``auto`` as
    :func:`~matcher.encoding.policy.resolve_backend` says. ONNX graphs are
    exported locally into ``export_dir/<family>`` the first time (``family``: the model's
    identity, computed from its files when not given), one graph per use so that no call pays
    for outputs it does not read (see :data:`matcher.encoding.onnx.GRAPHS`)."""

    def __init__(
        self,
        path: Path,
        *,
        backend: str,
        fuse: bool = True,
        threads: int | None = None,
        export_dir: Path | None = None,
        family: str | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import transformers
        from transformers import AutoConfig, AutoTokenizer

        if backend not in BACKENDS:
            raise ValueError(f"unknown MiniLM backend {backend!r}; choose one of {BACKENDS}")
        backend = resolve_backend(backend)
        runtime = "torch" if backend.startswith("torch") else backend
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self.path = Path(path)
        self.runtime = runtime
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        config = AutoConfig.from_pretrained(str(self.path), local_files_only=True)
        self.layers = int(config.num_hidden_layers)
        self.dim = int(config.hidden_size)
        self._lock = threading.Lock()
        self.bf16 = False
        self.fused = False
        self.bucket = False  # pad batches to a small set of shapes (see _batches)
        self._bulk_tokenizer: Any = None  # see _bulk_ids
        if runtime == "torch":
            import torch
            from transformers import AutoModel

            if threads:
                torch.set_num_threads(threads)
            self._threads = threads or torch.get_num_threads()
            self._torch = torch
            self.model = AutoModel.from_pretrained(str(self.path), local_files_only=True).eval()
            self.bf16 = backend == "torch-bf16"
            if self.bf16:  # weights converted once (autocast re-casts every weight on every call)
                self.model = self.model.to(torch.bfloat16)
                self.bucket = True  # products run on oneDNN: see _batches
                if fuse:  # oneDNN products with bias, GELU and residual inside: ~1.35x
                    self.fused = fuse_bert(self.model)
        else:
            from matcher.encoding.encoder import model_identity
            from matcher.encoding.onnx import DEFAULT_EXPORT_ROOT

            self._folder = (export_dir or DEFAULT_EXPORT_ROOT) / (family or model_identity(self.path))
            self._threads = threads or 2
            self._sessions: dict[str, Any] = {}
            self._bulk: list[Any] = []  # see _bulk_sessions
            self._session("hidden")  # exported now, so a missing or broken export fails here
        log.info("MiniLM passes from %s (runtime=%s)", self.path, self.label)

    def _session(self, graph: str):
        """The ONNX Runtime session of one of the model's graphs (exported on first use)."""
        if graph not in self._sessions:
            from matcher.encoding.onnx import export_graph, session

            path = export_graph(self.path, self._folder, graph, quantize=self.runtime == "onnx-int8")
            self._sessions[graph] = session(path, self._threads)
        return self._sessions[graph]

    @property
    def label(self) -> str:
        """How the passes run, for versions: ``torch``, ``torch-bf16``, ``torch-bf16-fused``, ``onnx``..."""
        if self.bf16:
            return "torch-bf16-fused" if self.fused else "torch-bf16"
        return self.runtime

    def _pieces(self, inputs: Sequence, *, split: bool) -> tuple[list[list[int]], list[list[int | None]]]:
        """Word-piece ids of every input (truncated, unpadded) and, for pre-tokenised inputs,
        the word each piece belongs to."""
        enc = self.tokenizer(
            [list(x) for x in inputs] if split else list(inputs),
            truncation=True,
            max_length=MAX_PIECES,
            is_split_into_words=split,
        )
        ids = enc["input_ids"]
        words = [enc.word_ids(j) for j in range(len(ids))] if split else []
        return ids, words

    def _batches(self, ids: Sequence[Sequence[int]], live: Sequence[int]):
        """(input indices, padded encoding) batches, by word-piece count so that a batch pads
        little (sorting by characters or words padded 53% more slots on advert sentences and
        cost 1.7x the time), at most BATCH_ROWS rows and BATCH_PIECES padded slots each
        (:mod:`matcher.encoding.policy`).

        With bfloat16 PyTorch (``self.bucket``), batch shapes come from a small fixed set
        (:func:`bucket_shape`; callers drop the extra rows), because oneDNN builds a kernel for
        every new shape of a product (~3 ms each, against ~0.5 ms to run one) and keeps 1,024:
        unbucketed, rows x width took thousands of values, so new text kept building kernels
        (the 200 benchmark adverts, first pass after warm-up, fused layers: 260 kernels built in
        1.07 s; bucketed: 70 in 0.19 s, from a bounded set).
        """
        order = sorted(live, key=lambda i: len(ids[i]))
        bucket = self.bucket
        lengths = [bucket_width(len(ids[i])) if bucket else len(ids[i]) for i in order]
        for cut in piece_batches(lengths, BATCH_ROWS, BATCH_PIECES):
            idx = order[cut]
            rows = [ids[i] for i in idx]
            if bucket:
                n, width = bucket_shape(len(rows), max(len(r) for r in rows))
                rows = rows + [[0]] * (n - len(rows))
                arr, mask = pad_ids(rows, width)
            else:
                arr, mask = pad_ids(rows)
            yield idx, self._feeds(arr, mask)

    def _feeds(self, arr: np.ndarray, mask: np.ndarray) -> dict[str, Any]:
        """A padded batch as the transformer's inputs (torch tensors for the torch runtime)."""
        enc: dict[str, Any] = {"input_ids": arr, "attention_mask": mask, "token_type_ids": np.zeros_like(arr)}
        if self.runtime == "torch":
            enc = {k: self._torch.from_numpy(v) for k, v in enc.items()}
        return enc

    def _pass(self, enc, features: str | None, mix: np.ndarray | None):
        """(pooled sentence vectors, per-piece features or None) as float32 numpy arrays.

        ``features``: None, ``"mixed"`` (the layers weighted by ``mix``) or ``"layers"``."""
        if self.runtime != "torch":
            feeds = {
                "input_ids": enc["input_ids"].astype(np.int64),
                "attention_mask": enc["attention_mask"].astype(np.int64),
                "token_type_ids": np.zeros_like(enc["input_ids"], dtype=np.int64),
            }
            if features:
                feeds["mix"] = (mix if mix is not None else np.zeros(self.layers)).astype(np.float32)
            names = ["last_hidden_state"] + ([features] if features else [])
            outs = self._session(features or "hidden").run(names, feeds)
            return mean_pool(outs[0], enc["attention_mask"]), (outs[1] if features else None)
        torch = self._torch
        with torch.inference_mode():
            o = self.model(**enc, output_hidden_states=features is not None)
            vecs = self._pool(o.last_hidden_state, enc["attention_mask"])
            if features is None:
                return vecs, None
            layers = o.hidden_states[1:]
            if features == "mixed":
                weights = torch.tensor(mix, dtype=torch.float32)
                return vecs, sum(w * h.float() for w, h in zip(weights, layers, strict=True)).numpy()
            return vecs, torch.cat(list(layers), dim=-1).float().numpy()

    @staticmethod
    def _pool(last, mask):
        last = last.float()  # sums in float32 (bf16 would round a 256-token sum)
        m = mask.unsqueeze(-1).to(last.dtype)
        v = ((last * m).sum(1) / m.sum(1).clamp(min=1e-9)).numpy()
        return v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised sentence embeddings, one row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids, _ = self._pieces(texts, split=False)
        with self._lock:
            for idx, enc in self._batches(ids, range(len(texts))):
                out[idx] = self._pass(enc, None, None)[0][: len(idx)]
        return out

    def encode_stream(self, texts: Sequence[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(input indices, their L2-normalised embeddings) batch by batch, for many texts at once
        (an index build): all texts tokenised in one call, then batched by exact word-piece
        count, so that a batch pads nothing but its last rows. Bucketed shapes (:meth:`encode`)
        padded the build's 232k texts to 1.35x their word pieces (titles of 5 pieces to 8); here
        the few hundred shapes a build meets cost well under a second of oneDNN kernels. Texts
        with the same word pieces (the tokenizer lowercases: "Welding" and "welding") are
        passed once: 2% of the build's texts."""
        if not texts:
            return
        same: dict[tuple[int, ...], list[int]] = {}  # texts with the same word pieces (case)
        for i, piece_ids in enumerate(self._bulk_ids(texts)):
            same.setdefault(tuple(piece_ids), []).append(i)
        ids = sorted(same, key=len)
        small = self._parallel and self.runtime != "torch"
        rows, pieces = (BULK_ROWS, BULK_PIECES) if small else (BATCH_ROWS, BATCH_PIECES)
        cuts = piece_batches([len(x) for x in ids], rows, pieces)
        for cut, vecs in zip(cuts, self._bulk_passes(ids, cuts), strict=True):
            groups = [same[x] for x in ids[cut]]
            idx = np.fromiter((i for g in groups for i in g), dtype=np.int64)
            yield idx, np.repeat(vecs[: len(groups)], [len(g) for g in groups], axis=0)

    def _bulk_passes(self, ids: Sequence[tuple[int, ...]], cuts: Sequence[slice]) -> Iterator[np.ndarray]:
        """The pooled vectors of each batch ``ids[cut]``, in order.

        With two or more threads, whole batches run side by side, one single-thread pass per
        thread (both runtimes release the GIL inside their products), instead of one pass at a
        time splitting every product across the threads, whose short products leave a core
        idle between synchronisations. ONNX Runtime: one single-thread session per thread, on
        smaller batches (:data:`BULK_ROWS`, :data:`BULK_PIECES`) that stay in one core's cache.
        PyTorch: the shared (stateless, inference-only) model, each worker thread set to one
        intra-op thread, on the usual batches, so the vectors are the same as one pass at a
        time (oneDNN's bfloat16 products do not depend on the thread count)."""
        if not self._parallel:
            for cut in cuts:
                enc = self._feeds(*pad_ids(ids[cut]))
                with self._lock:
                    yield self._pass(enc, None, None)[0]
            return
        from concurrent.futures import Future, ThreadPoolExecutor

        init: Callable[[], None] | None = None
        if self.runtime == "torch":
            torch = self._torch

            def init() -> None:
                torch.set_num_threads(1)  # this worker's products run on its own thread

            def one(cut: slice) -> np.ndarray:
                return self._pass(self._feeds(*pad_ids(ids[cut])), None, None)[0]

        else:
            sessions = self._bulk_sessions()
            free: queue.SimpleQueue[Any] = queue.SimpleQueue()
            for s in sessions:
                free.put(s)

            def one(cut: slice) -> np.ndarray:
                enc = self._feeds(*pad_ids(ids[cut]))
                s = free.get()
                try:
                    return mean_pool(s.run(["last_hidden_state"], enc)[0], enc["attention_mask"])
                finally:
                    free.put(s)

        workers = self._threads
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="minilm-bulk", initializer=init) as pool:
                pending: collections.deque[Future[np.ndarray]] = collections.deque()
                for cut in cuts:
                    pending.append(pool.submit(one, cut))
                    if len(pending) > 2 * workers:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
        finally:
            if self.runtime == "torch":  # torch's thread count is process-wide: give it back
                self._torch.set_num_threads(workers)

    @property
    def _parallel(self) -> bool:
        """Whether bulk encoding runs whole batches side by side (2+ threads)."""
        return self._threads >= 2

    def _bulk_sessions(self) -> list[Any]:
        """Single-thread sessions of the ``hidden`` graph, one per thread (made on first use)."""
        with self._lock:
            if not self._bulk:
                from matcher.encoding.onnx import export_graph, session

                path = export_graph(self.path, self._folder, "hidden", quantize=self.runtime == "onnx-int8")
                self._bulk = [session(path, 1) for _ in range(self._threads)]
            return self._bulk

    def _bulk_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of many texts (truncated, unpadded), the same as :meth:`_pieces`, from
        the Rust tokenizer without the Python wrapper's per-text objects (half the CPU time)."""
        fast = getattr(self.tokenizer, "backend_tokenizer", None)
        if fast is None or not hasattr(fast, "encode_batch_fast"):
            return self._pieces(texts, split=False)[0]
        if self._bulk_tokenizer is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_str(fast.to_str())
            tok.no_padding()
            tok.enable_truncation(max_length=MAX_PIECES)
            self._bulk_tokenizer = tok
        return [e.ids for e in self._bulk_tokenizer.encode_batch_fast(list(texts))]

    def words(
        self, sentences: Sequence[Sequence[str]], mix: np.ndarray | None = None
    ) -> tuple[list[np.ndarray], np.ndarray]:
        """Per-word features of each pre-tokenised sentence (the word's word pieces averaged)
        and the sentences' embeddings from the same pass. Features are all layers side by side
        (n_words, layers * dim), or, given ``mix`` (one weight per layer), their weighted sum
        (n_words, dim), computed before leaving torch."""
        width = self.dim if mix is not None else self.layers * self.dim
        feats: list[np.ndarray] = [np.zeros((0, width), np.float32)] * len(sentences)
        vecs = np.zeros((len(sentences), self.dim), dtype=np.float32)
        live = [i for i, ws in enumerate(sentences) if len(ws)]
        if not live:
            return feats, vecs
        ids, word_ids = self._pieces(sentences, split=True)
        with self._lock:
            for idx, enc in self._batches(ids, live):
                pooled, hs = self._pass(enc, "mixed" if mix is not None else "layers", mix)
                vecs[idx] = pooled[: len(idx)]
                for j, i in enumerate(idx):
                    feats[i] = _word_means(word_ids[i], hs[j], len(sentences[i]))
        return feats, vecs


def bucket_width(pieces: int) -> int:
    """Padded width for a row of ``pieces`` word pieces: the next multiple of 8."""
    return min(MAX_PIECES, -(-pieces // 8) * 8)


def bucket_shape(rows: int, pieces: int) -> tuple[int, int]:
    """(rows, width) of a padded batch: width by :func:`bucket_width`; rows the next power of
    two, or the most rows the slot budget allows at that width. Some 300 shapes in all."""
    width = bucket_width(pieces)
    cap = max(1, min(BATCH_ROWS, BATCH_PIECES // width))
    return max(rows, min(cap, 1 << (rows - 1).bit_length())), width


def _word_means(word_ids: Sequence[int | None], pieces: np.ndarray, n_words: int) -> np.ndarray:
    """Each word's word-piece vectors averaged (zeros for words cut off by truncation).

    A word's pieces are contiguous, so this is a segment sum (``np.add.reduceat``): no BLAS
    call per sentence (a tiny pooling matmul cost ~4 ms each under thread contention)."""
    wid = np.fromiter((-1 if w is None else w for w in word_ids), dtype=np.int64, count=len(word_ids))
    pos = np.flatnonzero(wid >= 0)
    out = np.zeros((n_words, pieces.shape[-1]), dtype=np.float32)
    if len(pos) == 0:
        return out
    w = wid[pos]
    starts = np.flatnonzero(np.r_[True, w[1:] != w[:-1]])
    sums = np.add.reduceat(pieces[pos], starts, axis=0)
    counts = np.diff(np.r_[starts, len(w)]).astype(np.float32)
    out[w[starts]] = sums / counts[:, None]
    return out
