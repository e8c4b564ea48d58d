"""A small LoRA implementation for the encoder's linear layers (no extra dependency).

``W x + (alpha / r) · B A x`` with ``A`` (r × in) and ``B`` (out × r) trainable and ``W`` frozen;
``B`` starts at zero, so training starts from the base model exactly. The adapter is saved as
``adapter_model.safetensors`` (keys ``<module path>.lora_A`` / ``.lora_B``) plus
``adapter_config.json``; loading (:mod:`matcher.encoding.adapter`) merges ``W += scale · B A``
into a plain model, so inference costs nothing extra and every other part of the matcher (ONNX
export, the span tagger's transformer pass) sees an ordinary model folder.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn


class LoraLinear(nn.Module):
    """``nn.Linear`` with a frozen weight and a trainable low-rank update."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float) -> None:
        super().__init__()
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        self.r = r
        self.scale = alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = (self.dropout(x) @ self.lora_A.t()) @ self.lora_B.t()
        return self.base(x) + update * self.scale


def inject(model: nn.Module, targets: Iterable[str], *, r: int, alpha: float, dropout: float) -> list[str]:
    """Wrap every ``nn.Linear`` whose last name part is in ``targets``; freeze everything else."""
    wanted = set(targets)
    for p in model.parameters():
        p.requires_grad_(False)
    names = [
        name
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and name.rsplit(".", 1)[-1] in wanted
    ]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoraLinear(getattr(parent, child), r, alpha, dropout))
    if not names:
        raise ValueError(f"no linear layer named {sorted(wanted)} in the model")
    return names


def lora_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The adapter's tensors, keyed ``<module path>.lora_A`` / ``.lora_B`` (contiguous copies)."""
    out: dict[str, torch.Tensor] = {}
    for name, module in model.named_modules():
        if isinstance(module, LoraLinear):
            out[f"{name}.lora_A"] = module.lora_A.detach().clone().contiguous()
            out[f"{name}.lora_B"] = module.lora_B.detach().clone().contiguous()
    return out


def config_dict(targets: Iterable[str], r: int, alpha: float, dropout: float, **extra: Any) -> dict[str, Any]:
    return {
        "format": "skills-matcher-lora-v1",
        "r": r,
        "lora_alpha": alpha,
        "lora_dropout": dropout,
        "target_modules": sorted(set(targets)),
        **extra,
    }
