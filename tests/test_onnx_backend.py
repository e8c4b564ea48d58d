"""The ONNX Runtime backends against the sentence-transformers (PyTorch) reference."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TEST_CACHE

from matcher.encoder import Encoder
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
    return Encoder("default").encode(TEXTS)


def test_onnx_float32_matches_pytorch(reference: np.ndarray) -> None:
    enc = Encoder("default", backend="onnx", export_dir=TEST_CACHE / "onnx", threads=1)
    assert enc.identity.endswith("+onnx") and enc.family == Encoder("default").identity
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
