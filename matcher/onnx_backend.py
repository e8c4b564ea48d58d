"""ONNX Runtime backend for the sentence encoder: exported locally from the packaged model.

``export_onnx`` traces the transformer (input ids, attention mask, token type ids -> last
hidden state) with ``torch.onnx`` and, for ``int8``, applies ONNX Runtime dynamic quantisation.
The files are written atomically under ``MATCHER_HOME/onnx/<model identity>/``. Nothing comes
from a model hub. :class:`OnnxRuntimeEncoder` reproduces sentence-transformers' mean pooling
and L2 normalisation with the model's own tokenizer and maximum sequence length.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

OPSET = 17


def max_seq_length(model_dir: Path) -> int:
    cfg = model_dir / "sentence_bert_config.json"
    if cfg.is_file():
        return int(json.loads(cfg.read_text()).get("max_seq_length", 256))
    return 256


def export_onnx(model_dir: Path, target: Path, *, quantize: bool) -> Path:
    """Write ``model.onnx`` (float32) and, if ``quantize``, ``model-int8.onnx`` into ``target``."""
    name = "model-int8.onnx" if quantize else "model.onnx"
    if (target / name).is_file():
        return target / name
    target.mkdir(parents=True, exist_ok=True)
    fp32 = target / "model.onnx"
    if not fp32.is_file():
        import torch
        from transformers import AutoModel

        class _Hidden(torch.nn.Module):
            def __init__(self, inner: torch.nn.Module) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
                out = self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                )
                return out.last_hidden_state

        model = _Hidden(AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval())
        ids = torch.ones((2, 8), dtype=torch.long)
        args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
        with tempfile.TemporaryDirectory(dir=target) as tmp:
            out = Path(tmp) / "model.onnx"
            torch.onnx.export(
                model,
                args,
                str(out),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "seq"},
                    "attention_mask": {0: "batch", 1: "seq"},
                    "token_type_ids": {0: "batch", 1: "seq"},
                    "last_hidden_state": {0: "batch", 1: "seq"},
                },
                opset_version=OPSET,
                dynamo=False,
            )
            os.replace(out, fp32)
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        with tempfile.TemporaryDirectory(dir=target) as tmp:
            out = Path(tmp) / name
            quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
            os.replace(out, target / name)
    return target / name


class OnnxRuntimeEncoder:
    """Encode with ONNX Runtime: tokenize, run, mean-pool over the attention mask, normalise."""

    def __init__(self, model_dir: Path, onnx_path: Path, *, threads: int = 2, batch_size: int = 64) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The packaged tokenizer.json pads/truncates to 128; sentence-transformers uses 256.
        self.tokenizer.enable_truncation(max_length=max_seq_length(model_dir))
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        out: np.ndarray | None = None
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            with self._lock:
                hidden = self.session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if out is None:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[idx] = pooled
        assert out is not None
        return out


def clear_exports(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
