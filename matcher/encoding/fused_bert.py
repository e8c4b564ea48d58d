"""BERT encoder layers with oneDNN's fused linear operators, for bfloat16 inference on CPU.

In a Hugging Face ``BertLayer`` each linear layer copies its bias into the output before the
product, GELU and the residual additions are separate passes over memory, and the query, key
and value projections are three calls. :func:`fuse_bert` swaps, in place, each layer's modules
for ones calling ``torch.ops.mkldnn._linear_pointwise`` (the operator PyTorch's own compiler
emits for CPU): one product for query, key and value; bias and GELU inside the intermediate
product; bias and residual addition inside both output products. Attention stays
``scaled_dot_product_attention``; LayerNorm stays PyTorch's.

Measured on the 100 transformer calls of the 200-advert extraction benchmark (AVX-512/AMX Xeon,
2 threads, bfloat16): 4.2-4.9 s -> 3.1-3.4 s (three rounds in one process); sentence vectors
against float32 at cosine >= 0.99984 (unfused bfloat16: >= 0.99983). Inference only: the fused
modules keep no gradients and ignore dropout.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


# Up to this many word pieces, attention runs as two batched products and a float32 softmax
# (:func:`plain_attention`) instead of PyTorch's CPU flash-attention kernel, whose fixed cost
# dominates short rows. AMD Zen 4, 2 threads, bf16, ~1,024 slots a call, 12 heads, ms a layer
# (flash / plain): 5 pieces 4.18 / 0.88; 9: 4.73 / 1.08; 16: 2.47 / 0.86; 24: 2.39 / 0.86;
# 32: 1.86 / 1.05; 48: 2.18 / 1.19; 64: 2.54 / 2.69; 96: 2.95 / 7.80.
PLAIN_ATTENTION_MAX = 48
# Below this width torch.softmax over the last dimension runs a slow scalar loop (9 pieces:
# 1.98 vs 1.08 ms a layer), so the softmax is written out; from it on torch.softmax is faster.
_SOFTMAX_MIN = 16


def plain_attention(q: Any, k: Any, v: Any, mask: Any, scale: float) -> Any:
    """softmax(q k^T * scale + mask) v with the softmax in float32, as the flash kernel does;
    ``mask`` is None, boolean (True: attend) or additive."""
    import torch

    s = torch.matmul(q, k.transpose(-1, -2)).float() * scale
    if mask is not None:
        s = s.masked_fill(~mask, torch.finfo(s.dtype).min) if mask.dtype == torch.bool else s + mask
    if s.shape[-1] >= _SOFTMAX_MIN:
        p = torch.softmax(s, dim=-1)
    else:
        p = (s - s.amax(-1, keepdim=True)).exp_()
        p = p / p.sum(-1, keepdim=True)
    return torch.matmul(p.to(v.dtype), v)


def fusable() -> bool:
    """PyTorch here has oneDNN and its fused linear operators."""
    try:
        import torch

        return bool(torch.backends.mkldnn.is_available()) and hasattr(torch.ops.mkldnn, "_linear_pointwise")
    except Exception:  # noqa: BLE001 - any import or registry problem means "no"
        return False


def _modules():
    """The fused module classes (defined lazily: torch is imported only when fusing)."""
    import torch
    from torch import nn

    pointwise = torch.ops.mkldnn._linear_pointwise

    def packed(weight):
        return torch.ops.mkldnn._reorder_linear_weight(weight.detach())

    class FusedLinear(nn.Module):
        """``post(x @ W.T + b)`` in one oneDNN product (``post``: ``none`` or ``gelu``, exact erf)."""

        def __init__(self, weight: Any, bias: Any, post: str = "none") -> None:
            super().__init__()
            self.weight = packed(weight)
            self.bias = bias.detach()
            self.post = post
            self.algorithm = "none" if post == "gelu" else ""

        def forward(self, x):
            return pointwise(x, self.weight, self.bias, self.post, [], self.algorithm)

    class FusedResidual(nn.Module):
        """``LayerNorm(h @ W.T + b + residual)``: BertSelfOutput and BertOutput at inference."""

        def __init__(self, out: Any) -> None:
            super().__init__()
            self.weight = packed(out.dense.weight)
            self.bias = out.dense.bias.detach()
            self.LayerNorm = out.LayerNorm

        def forward(self, hidden_states, input_tensor):
            y = pointwise.binary(hidden_states, input_tensor, self.weight, self.bias, "add")
            return self.LayerNorm(y)

    class FusedSelfAttention(nn.Module):
        """BertSelfAttention (no cache, no cross-attention) with one query-key-value product."""

        def __init__(self, att: Any) -> None:
            super().__init__()
            w = torch.cat([att.query.weight, att.key.weight, att.value.weight])
            b = torch.cat([att.query.bias, att.key.bias, att.value.bias])
            self.qkv = FusedLinear(w, b)
            self.heads = int(att.num_attention_heads)
            self.size = int(att.attention_head_size)
            self.scaling = float(att.scaling)

        def forward(self, hidden_states, attention_mask=None, **kwargs):
            if kwargs.get("encoder_hidden_states") is not None or kwargs.get("cache") is not None:
                raise ValueError("fused BERT layers encode only (no cross-attention, no cache)")
            b, n, _ = hidden_states.shape
            qkv = self.qkv(hidden_states).view(b, n, 3, self.heads, self.size).permute(2, 0, 3, 1, 4)
            if n <= PLAIN_ATTENTION_MAX:
                out = plain_attention(qkv[0], qkv[1], qkv[2], attention_mask, self.scaling)
            else:
                out = torch.nn.functional.scaled_dot_product_attention(
                    qkv[0], qkv[1], qkv[2], attn_mask=attention_mask, scale=self.scaling
                )
            return out.transpose(1, 2).reshape(b, n, -1), None

    return FusedLinear, FusedResidual, FusedSelfAttention


def fuse_bert(model: Any) -> bool:
    """Swap the layers of a BERT ``model`` (``BertModel`` in eval mode, bfloat16 weights) for
    fused ones, in place, and check them on a probe sentence against the plain layers. Returns
    False, with the model as it was, when this PyTorch or CPU cannot, when the probe disagrees,
    or when the model is not a plain BERT encoder with GELU."""
    if not fusable():
        return False
    layers = getattr(getattr(model, "encoder", None), "layer", None)
    config = getattr(model, "config", None)
    if not layers or getattr(config, "hidden_act", None) != "gelu" or model.training:
        return False
    if getattr(config, "is_decoder", False) or getattr(config, "add_cross_attention", False):
        return False
    linear, residual, self_attention = _modules()
    try:
        built = [
            (
                self_attention(layer.attention.self),
                residual(layer.attention.output),
                linear(layer.intermediate.dense.weight, layer.intermediate.dense.bias, "gelu"),
                residual(layer.output),
            )
            for layer in layers
        ]
    except (AttributeError, RuntimeError) as exc:  # unexpected layout or a oneDNN refusal
        log.info("BERT layers not fused (%s)", exc)
        return False
    import torch

    probe = {"input_ids": torch.tensor([[101, 2000, 3000, 4000, 102, 0]])}
    probe["attention_mask"] = (probe["input_ids"] > 0).long()
    with torch.inference_mode():
        before = model(**probe).last_hidden_state[0, :5].float()
    saved = [
        (layer.attention.self, layer.attention.output, layer.intermediate.dense, layer.output)
        for layer in layers
    ]
    act = layers[0].intermediate.intermediate_act_fn
    for layer, (att, att_out, inter, out) in zip(layers, built, strict=True):
        layer.attention.self = att
        layer.attention.output = att_out
        layer.intermediate.dense = inter
        layer.intermediate.intermediate_act_fn = torch.nn.Identity()
        layer.output = out
    try:  # oneDNN may refuse bfloat16 at run time on CPUs without it: then keep the plain layers
        with torch.inference_mode():
            after = model(**probe).last_hidden_state[0, :5].float()
        agree = float(torch.nn.functional.cosine_similarity(before, after).min())
    except RuntimeError as exc:
        agree, reason = -1.0, str(exc).splitlines()[0]
    else:
        reason = f"probe cosine {agree:.4f}"
    if agree < 0.999:
        for layer, (att, att_out, inter, out) in zip(layers, saved, strict=True):
            layer.attention.self = att
            layer.attention.output = att_out
            layer.intermediate.dense = inter
            layer.intermediate.intermediate_act_fn = act
            layer.output = out
        log.warning("BERT layers not fused: %s", reason)
        return False
    return True
