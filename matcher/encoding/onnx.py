"""ONNX Runtime graphs of the sentence model, exported locally from the packaged model.

:func:`export_graph` traces the transformer (input ids, attention mask, token type ids -> last
hidden state, and for the span tagger the layers' mix) with ``torch.onnx`` and, for ``int8``,
applies ONNX Runtime dynamic quantisation. The files are written atomically under
``MATCHER_HOME/onnx/<model identity>/``. Nothing comes from a model hub. The passes themselves
(tokenising, batching, mean pooling) are :class:`~matcher.encoding.minilm.MiniLM`'s.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

OPSET = 17
DEFAULT_EXPORT_ROOT = Path.home() / ".cache" / "skills-matcher" / "onnx"  # when no export_dir is given
# Dynamic int8 quantisation, per output channel: on CPUs without VNNI (AVX2 only) ONNX Runtime's
# u8s8 kernels saturate with per-tensor weights (cosine with float32 0.959 on advert sentences,
# top-10 neighbour overlap 0.77); per channel gives 0.991 / 0.87 at about the same speed.
INT8_TAG = "int8pc"


def quantize_int8(fp32: Path, target: Path) -> None:
    """Dynamic int8 quantisation of ``fp32`` into ``target`` (atomically)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / target.name
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(out, target)


def _trace(module, args: tuple, inputs: list[str], outputs: list[str], fp32: Path) -> None:
    """``torch.onnx.export`` with dynamic batch and sequence axes, written atomically."""
    import torch

    seq = {0: "batch", 1: "seq"}
    axes = {n: seq for n in inputs + outputs if n != "mix"}
    with tempfile.TemporaryDirectory(dir=fp32.parent) as tmp, warnings.catch_warnings():
        # The tracer warns about Python conditions in transformers' attention-mask code and about
        # index ops with negative indices; neither applies to these graphs (the exported graph
        # gives the same vectors as PyTorch on texts of mixed lengths: tests/test_onnx_backend.py).
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # dynamo=False is deliberate
        out = Path(tmp) / fp32.name
        torch.onnx.export(
            module,
            args,
            str(out),
            input_names=inputs,
            output_names=outputs,
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
        os.replace(out, fp32)


# The graphs of one model folder, by what they give. ONNX Runtime runs every node whatever outputs
# a call asks for, so each use gets the graph with only what it needs: on an AVX2 CPU the tagger
# pass ran 19% faster on "mixed" than on "layers", span encoding 16% faster on "hidden", with the
# same vectors (evaluation/RESULTS.md).
GRAPHS = {
    "hidden": "model.onnx",  # last hidden state (sentence and span vectors)
    "mixed": "model-mixed.onnx",  # + the layers' weighted sum by ``mix`` (the span tagger's input)
    "layers": "model-layers.onnx",  # + every layer side by side (training the tagger's mix)
}


def _graph(model_dir: Path, target: Path, kind: str, quantize: bool) -> Path:
    """Export (once) the graph ``kind`` into ``target``, named as :data:`GRAPHS` says; int8 if asked."""
    base = GRAPHS[kind]
    name = base.replace(".onnx", f"-{INT8_TAG}.onnx") if quantize else base
    if (target / name).is_file():
        return target / name
    target.mkdir(parents=True, exist_ok=True)
    fp32 = target / base
    if not fp32.is_file():
        import torch
        import transformers
        from transformers import AutoModel

        transformers.utils.logging.disable_progress_bar()
        inner = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
        ids = torch.ones((2, 8), dtype=torch.long)
        args: tuple = (ids, torch.ones_like(ids), torch.zeros_like(ids))
        inputs = ["input_ids", "attention_mask", "token_type_ids"]
        module = _modules()[kind]
        if kind == "hidden":
            _trace(module(inner), args, inputs, ["last_hidden_state"], fp32)
        else:
            n_layers = int(inner.config.num_hidden_layers)
            args += (torch.ones(n_layers) / n_layers,)
            outputs = ["last_hidden_state", "mixed"] + (["layers"] if kind == "layers" else [])
            _trace(module(inner), args, [*inputs, "mix"], outputs, fp32)
    if quantize:
        quantize_int8(fp32, target / name)
    return target / name


def _modules():
    import torch

    class Wrapped(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

    class Hidden(Wrapped):
        """input ids, attention mask, token type ids -> last hidden state."""

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    class Mixed(Wrapped):
        """input ids, attention mask, token type ids and ``mix`` (one weight per layer) -> last
        hidden state, the layers' weighted sum."""

        def hidden(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            )

        @staticmethod
        def weighted(hidden, mix):
            """The layers' weighted sum, (batch, seq, dim): no stack, no product over a new axis."""
            return sum(h * mix[i] for i, h in enumerate(hidden))

        def forward(self, input_ids, attention_mask, token_type_ids, mix):
            out = self.hidden(input_ids, attention_mask, token_type_ids)
            return out.last_hidden_state, self.weighted(out.hidden_states[1:], mix)

    class Layers(Mixed):
        """... and also every layer side by side (for training the span tagger's layer mix)."""

        def forward(self, input_ids, attention_mask, token_type_ids, mix):
            out = self.hidden(input_ids, attention_mask, token_type_ids)
            hidden = out.hidden_states[1:]
            return out.last_hidden_state, self.weighted(hidden, mix), torch.cat(hidden, dim=-1)

    return {"hidden": Hidden, "mixed": Mixed, "layers": Layers}


def pad_ids(rows: Sequence[Sequence[int]], width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece id rows padded with 0 to ``width`` (default: the longest): (input ids,
    attention mask), int64."""
    width = max((len(r) for r in rows), default=0) if width is None else width
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return ids, mask


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean pooling over the attention mask, then L2 normalisation."""
    m = mask[:, :, None].astype(np.float32)
    pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def export_graph(model_dir: Path, target: Path, kind: str, *, quantize: bool) -> Path:
    """Write the graph ``kind`` (a key of :data:`GRAPHS`; float32, ``-int8pc`` if ``quantize``)
    into ``target``. Graphs other than ``hidden`` take a fourth input, ``mix`` (one weight per
    layer), and give ``last_hidden_state`` and ``mixed``; ``layers`` also gives ``layers``
    ((batch, seq, layers * dim))."""
    if kind not in GRAPHS:
        raise ValueError(f"unknown graph {kind!r}; choose one of {tuple(GRAPHS)}")
    return _graph(model_dir, target, kind, quantize)


def session(onnx_path: Path, threads: int):
    """An ONNX Runtime CPU session with ``threads`` intra-op threads, full graph optimisation."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
