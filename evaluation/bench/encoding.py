"""Encoder throughput per backend, in tokens/s, against the GEMM roofline.

FLOPs per token of a BERT encoder ≈ 2 × (non-embedding parameters) + attention
(4 × layers × seq_len × hidden): the fraction of the roofline an encoder reaches is
``tokens/s × FLOPs/token ÷ GEMM FLOP/s``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from matcher.encoding.encoder import Encoder


def flops_per_token(seq_len: float, layers: int = 6, hidden: int = 384, ffn: int = 1536) -> float:
    per_layer = 4 * hidden * hidden + 2 * hidden * ffn  # QKV+O projections, FFN in/out
    return 2 * layers * per_layer + 4 * layers * seq_len * hidden


def token_counts(model_dir: Path, texts: list[str]) -> np.ndarray:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=256)
    tok.no_padding()
    return np.array([len(e.ids) for e in tok.encode_batch(texts)])


def measure(
    texts: list[str],
    export_dir: Path,
    backends: tuple[str, ...],
    threads: tuple[int, ...],
    seconds: float = 8.0,
) -> list[dict]:
    rows = []
    for backend in backends:
        for t in threads:
            enc = Encoder("default", backend=backend, threads=t, batch_size=64, export_dir=export_dir)
            enc._encode_raw(texts[:64])  # load, export, warm up
            tokens = token_counts(enc.path, texts)
            done = n_tok = 0
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                batch = texts[done % len(texts) : done % len(texts) + 512] or texts[:512]
                enc._encode_raw(batch)
                n_tok += int(tokens[done % len(texts) : done % len(texts) + len(batch)].sum())
                done += len(batch)
            elapsed = time.perf_counter() - start
            mean_len = float(tokens.mean())
            rows.append(
                {
                    "backend": backend,
                    "threads": t,
                    "sentences_per_s": round(done / elapsed, 1),
                    "tokens_per_s": round(n_tok / elapsed, 0),
                    "mean_tokens": round(mean_len, 1),
                    "gflops": round(n_tok / elapsed * flops_per_token(mean_len) / 1e9, 1),
                }
            )
    return rows
