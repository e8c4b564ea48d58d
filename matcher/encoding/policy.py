"""The one runtime policy and the one batching rule of every MiniLM pass.

Runtime: ``Settings.backend`` (``MATCHER_BACKEND``) names it for the sentence encoder, the span
encoder and the span tagger alike; ``auto`` is resolved here and nowhere else.

Batching: inputs sorted by word-piece count (sorting by characters or words padded 53% more
slots on advert sentences and cost 1.7x the time), cut into batches of at most
:data:`BATCH_ROWS` rows and :data:`BATCH_PIECES` padded slots.
"""

from __future__ import annotations

from collections.abc import Sequence

BACKENDS = ("auto", "torch", "torch-bf16", "onnx", "onnx-int8")

# Rows per transformer call: the slot budget below binds for sentences (~30 pieces); the row cap
# binds for short spans (~7 pieces), where 32 rows made many small calls (AMX machine, 200
# adverts, 4 interleaved rounds: 32 rows 13.3-16.7 s, 128 rows 10.8-13.9 s; 1 of 2,527 skills
# differs, a near tie between two DWAs).
BATCH_ROWS = 128
# Padded word-piece slots per call, for every backend. Long texts batch by this: 64 occupation
# descriptions of ~150 pieces per call ran 1.4x slower than batches kept under 2,048 (ONNX Runtime
# float32); for bfloat16 PyTorch 2,048 and 4,096 were slower than 1,024. ONNX Runtime float32
# had its own budget of 512 until 2026-12-06; 1,024 was no slower (Zen 5, 2 threads, machine
# shared with other jobs, 3 interleaved rounds: 1,500 O*NET tasks 33.4-40.0 s at 512, 28.6-38.0 s
# at 1,024; 300 occupation descriptions 15.2-17.7 s, 13.2-18.2 s; the same vectors, cosine 1.0).
BATCH_PIECES = 1024


def resolve_backend(backend: str) -> str:
    """``auto``: the fastest backend that passed the quality gate on this CPU: bfloat16 weights
    (``torch-bf16``) where the CPU has native bf16, else ONNX Runtime float32 (``onnx``)."""
    if backend != "auto":
        return backend
    from matcher.runtime.cpu import cpu_has_bf16

    return "torch-bf16" if cpu_has_bf16() else "onnx"


def piece_batches(sorted_lengths: Sequence[int], max_rows: int, max_pieces: int) -> list[slice]:
    """Consecutive batches of length-sorted inputs: at most ``max_rows`` rows and, past the
    first row, at most ``max_pieces`` padded slots (rows times the longest row)."""
    out, start, n = [], 0, len(sorted_lengths)
    while start < n:
        end = start + 1
        while end < n and end - start < max_rows and (end - start + 1) * sorted_lengths[end] <= max_pieces:
            end += 1
        out.append(slice(start, end))
        start = end
    return out
