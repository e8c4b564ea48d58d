"""Every backend of the MiniLM passes against the plain references: sentence-transformers for
sentence vectors, PyTorch float32 MiniLM for the passes and the span tagger's features."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TEST_CACHE

from matcher.encoding.encoder import Encoder
from matcher.errors import BadInputError

TEXTS = [
    "Weld components in flat, vertical, or overhead positions.",
    "Drive a tractor-trailer combination to transport goods.",
    "Record patients' medical history, vital statistics, or information such as test results.",
    "Python",
    "Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon steel and aluminum. " * 8,
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """sentence-transformers' own vectors: the implementation every backend must reproduce."""
    from sentence_transformers import SentenceTransformer

    from matcher.encoding.encoder import resolve_model_path

    model = SentenceTransformer(str(resolve_model_path("default")), device="cpu", local_files_only=True)
    return np.asarray(model.encode(TEXTS, normalize_embeddings=True), dtype=np.float32)


def test_torch_float32_is_sentence_transformers(reference: np.ndarray) -> None:
    enc = Encoder("default", backend="torch", threads=1)
    assert enc.uses_minilm and enc.minilm.label == "torch" and enc.identity == enc.family
    v = enc.encode(TEXTS)
    assert float((v * reference).sum(axis=1).min()) > 0.99999  # incl. a text past 128 tokens


def test_onnx_float32_matches_pytorch(reference: np.ndarray) -> None:
    enc = Encoder("default", backend="onnx", export_dir=TEST_CACHE / "onnx", threads=1)
    assert enc.identity.endswith("+onnx") and enc.family == Encoder("default").identity
    assert enc.minilm.label == "onnx"
    v = enc.encode(TEXTS)
    assert v.shape == reference.shape and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float((v * reference).sum(axis=1).min()) > 0.9999  # incl. a text past 128 tokens


def test_onnx_int8_is_close(reference: np.ndarray) -> None:
    v = Encoder("default", backend="onnx-int8", export_dir=TEST_CACHE / "onnx", threads=1).encode(TEXTS)
    cos = (v * reference).sum(axis=1)
    assert float(cos.min()) > 0.9


def test_unknown_backend() -> None:
    with pytest.raises(BadInputError, match="backend"):
        Encoder("default", backend="cuda")


def test_minilm_onnx_passes_match_pytorch() -> None:
    """The extractor's MiniLM passes on ONNX Runtime float32: the same sentence vectors and
    span-tagger features as PyTorch float32, word by word."""
    from matcher.encoding.encoder import resolve_model_path
    from matcher.encoding.minilm import MiniLM

    path = resolve_model_path("default")
    words = [t.split() for t in TEXTS] + [[]]
    mix = np.linspace(0.05, 0.3, 6).astype(np.float32)
    ref = MiniLM(path, backend="torch", threads=1)
    fast = MiniLM(path, backend="onnx", threads=1, export_dir=TEST_CACHE / "onnx")
    assert fast.label == "onnx" and ref.label == "torch"
    (f0, v0), (f1, v1) = ref.words(words, mix=mix), fast.words(words, mix=mix)
    assert float((v0[:-1] * v1[:-1]).sum(axis=1).min()) > 0.9999
    for a, b, ws in zip(f0, f1, words, strict=True):
        assert a.shape == b.shape == (len(ws), 384)
        assert np.allclose(a, b, atol=1e-3)
    (g0, _), (g1, _) = ref.words(words[:2]), fast.words(words[:2])  # every layer side by side
    assert g1[0].shape == (len(words[0]), 6 * 384) and np.allclose(g0[0], g1[0], atol=1e-3)
    assert float((ref.encode(TEXTS) * fast.encode(TEXTS)).sum(axis=1).min()) > 0.9999
    # one graph per use: sentence/span vectors, the tagger's mixed features, every layer
    assert set(fast._sessions) == {"hidden", "mixed", "layers"}
    assert {p.name for p in fast._folder.glob("*.onnx")} >= {
        "model.onnx",
        "model-mixed.onnx",
        "model-layers.onnx",
    }


def test_onnx_graph_kinds_are_checked() -> None:
    from matcher.encoding.encoder import resolve_model_path
    from matcher.encoding.onnx import export_graph

    with pytest.raises(ValueError, match="unknown graph"):
        export_graph(resolve_model_path("default"), TEST_CACHE / "onnx" / "x", "everything", quantize=False)


def test_span_encoder_runs_on_the_settings_backend() -> None:
    """One runtime policy: spans and the tagger's features run on the index encoder's own pass,
    whatever the CPU (no second choice of runtime in extraction)."""
    from matcher.encoding.span_encoder import SpanEncoder

    enc = Encoder("default", backend="onnx", export_dir=TEST_CACHE / "onnx", threads=1)
    spans = SpanEncoder(enc)
    assert spans.minilm is enc.minilm and spans.minilm.label == "onnx"
    assert spans.identity == enc.identity
    with pytest.raises(ValueError, match="backend"):
        from matcher.encoding.minilm import MiniLM

        MiniLM(enc.path, backend="cuda")


def test_piece_batches_bound_rows_and_padded_slots() -> None:
    from matcher.encoding.policy import piece_batches

    cuts = piece_batches([2, 2, 3, 10, 10, 300], max_rows=3, max_pieces=20)
    assert cuts == [slice(0, 3), slice(3, 5), slice(5, 6)]  # a row longer than the budget goes alone
    assert piece_batches([], max_rows=3, max_pieces=20) == []


def test_minilm_batches_by_pieces_keep_every_text_in_its_place() -> None:
    """Many texts of mixed lengths (several batches, sorted by word pieces internally) get the
    same vectors and word features as each text alone."""
    from matcher.encoding.encoder import resolve_model_path
    from matcher.encoding.minilm import MiniLM

    fast = MiniLM(resolve_model_path("default"), backend="onnx", threads=1, export_dir=TEST_CACHE / "onnx")
    texts = [f"{TEXTS[i % 4]} {' '.join(['safely'] * (i % 7))}".strip() for i in range(70)] + [TEXTS[4]]
    together = fast.encode(texts)
    alone = np.stack([fast.encode([t])[0] for t in texts[::10]])
    assert float((together[::10] * alone).sum(axis=1).min()) > 0.9999
    words = [t.split() for t in texts]
    feats, vecs = fast.words(words, mix=np.full(6, 1 / 6, dtype=np.float32))
    f1, v1 = fast.words([words[-1]], mix=np.full(6, 1 / 6, dtype=np.float32))
    assert feats[-1].shape == (len(words[-1]), 384) and np.allclose(feats[-1], f1[0], atol=1e-4)
    assert float(vecs[-1] @ v1[0]) > 0.9999 and float(vecs[-1] @ together[-1]) > 0.99


def test_bucket_shapes_come_from_a_small_set() -> None:
    from matcher.encoding.minilm import MAX_PIECES, bucket_shape, bucket_width
    from matcher.encoding.policy import BATCH_PIECES, BATCH_ROWS

    assert [bucket_width(n) for n in (1, 8, 9, 31, 256, 300)] == [8, 8, 16, 32, 256, MAX_PIECES]
    assert bucket_shape(1, 5) == (1, 8)
    assert bucket_shape(5, 30) == (8, 32)  # rows up to a power of two
    assert bucket_shape(25, 40) == (25, 40)  # ...or the most the slot budget allows at that width
    assert bucket_shape(100, 3) == (min(BATCH_ROWS, BATCH_PIECES // 8), 8)
    rows, pieces = range(1, BATCH_ROWS + 1), range(1, MAX_PIECES + 1)
    shapes = {bucket_shape(r, p) for p in pieces for r in rows if r * p <= BATCH_PIECES}
    assert len({r * w for r, w in shapes}) < 200  # distinct products, each one oneDNN kernel


def test_minilm_torch_padding_buckets_keep_every_vector() -> None:
    """Passes padded to bucketed shapes (extra rows and columns, as bfloat16 PyTorch runs them)
    give every text the vector and word features it gets alone (float32: exact up to rounding)."""
    from matcher.encoding.encoder import resolve_model_path
    from matcher.encoding.minilm import MiniLM

    ref = MiniLM(resolve_model_path("default"), backend="torch", threads=1)
    ref.bucket = True
    texts = [f"{TEXTS[i % 4]} {' '.join(['safely'] * (i % 5))}".strip() for i in range(19)]
    together = ref.encode(texts)
    alone = np.stack([ref.encode([t])[0] for t in texts])
    assert together.shape == (19, 384) and np.allclose(together, alone, atol=2e-5)
    words = [t.split() for t in texts[:3]]
    feats, vecs = ref.words(words, mix=np.full(6, 1 / 6, dtype=np.float32))
    assert [f.shape for f in feats] == [(len(w), 384) for w in words]
    assert np.allclose(vecs, alone[:3], atol=2e-5)


def test_fused_bert_layers_match_the_plain_ones() -> None:
    """oneDNN-fused bfloat16 layers (bias, GELU, residual inside the products; one QKV product)
    give the plain bfloat16 layers' hidden states, on real sentences with padding."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from matcher.encoding.encoder import resolve_model_path
    from matcher.encoding.fused_bert import fusable, fuse_bert

    if not fusable():
        pytest.skip("this PyTorch has no oneDNN fused linear operators")
    path = str(resolve_model_path("default"))
    plain = AutoModel.from_pretrained(path, local_files_only=True).eval().to(torch.bfloat16)
    fused = AutoModel.from_pretrained(path, local_files_only=True).eval().to(torch.bfloat16)
    if not fuse_bert(fused):
        pytest.skip("oneDNN refused bfloat16 products on this CPU (the plain layers were kept)")
    assert type(fused.encoder.layer[0].attention.self).__name__ == "FusedSelfAttention"
    enc = AutoTokenizer.from_pretrained(path)(TEXTS, padding=True, return_tensors="pt")
    with torch.inference_mode():
        a = plain(**enc, output_hidden_states=True)
        b = fused(**enc, output_hidden_states=True)
    mask = enc["attention_mask"].bool()
    for ha, hb in zip(a.hidden_states, b.hidden_states, strict=True):
        cos = torch.nn.functional.cosine_similarity(ha[mask].float(), hb[mask].float(), dim=-1)
        assert float(cos.min()) > 0.995
    assert not fuse_bert(fused.train())  # training mode is never fused


@pytest.mark.parametrize("width", [5, 9, 16, 40])
def test_plain_attention_equals_the_flash_kernel(width: int) -> None:
    """Short rows skip PyTorch's CPU flash-attention kernel (its fixed cost dominates them):
    the written-out attention gives its result, with and without a padding mask, on both
    softmax paths (below and from _SOFTMAX_MIN)."""
    import torch

    from matcher.encoding.fused_bert import plain_attention

    g = torch.Generator().manual_seed(width)
    q, k, v = (torch.randn(3, 12, width, 32, generator=g) for _ in range(3))
    mask = torch.ones(3, 1, width, width, dtype=torch.bool)
    mask[1, :, :, -2:] = False  # the second row has two padding pieces
    for m in (None, mask):
        want = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.17)
        got = plain_attention(q, k, v, m, 0.17)
        assert torch.allclose(got, want, atol=1e-5)
