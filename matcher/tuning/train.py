"""Fine-tune all-MiniLM-L6-v2 on taxonomy pairs with a LoRA adapter, on CPU.

Recipe (defaults of :class:`TrainConfig`): pairs from :mod:`matcher.tuning.pairs` with one hard
negative each, batches of one source with no shared occupation/skill, sentence-transformers'
MultipleNegativesRankingLoss (in-batch negatives + the hard negatives, scale 20), LoRA rank 16
on every attention and feed-forward linear layer, AdamW, linear warm-up and decay, one epoch,
sequences cut at 64 word pieces, bfloat16 autocast where the CPU has it. Deterministic for a
given seed, data and thread count. Checkpoints (adapter, optimiser, scheduler, RNG) are written
every ``checkpoint_every`` steps; ``resume=True`` continues from the last one.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.sources import DataDir
from matcher.tuning import pairs as P

log = logging.getLogger(__name__)

TARGETS = ("query", "key", "value", "dense")


@dataclass
class TrainConfig:
    seed: int = 13
    batch_size: int = 64
    max_seq_length: int = 64
    lr: float = 2e-4
    warmup: float = 0.05
    weight_decay: float = 0.01
    r: int = 16
    alpha: float = 32.0
    dropout: float = 0.05
    scale: float = 20.0  # MNRL similarity scale
    pair_scale: float = 1.0  # multiplies every source quota
    max_steps: int | None = None  # cut the run short (the schedule still spans all batches)
    threads: int = 2
    bf16: bool | None = None  # None: when the CPU has native bfloat16
    checkpoint_every: int = 50
    quotas: dict[str, int] = field(default_factory=lambda: dict(P.DEFAULT_QUOTAS))

    def scaled_quotas(self) -> dict[str, int]:
        return {k: int(round(v * self.pair_scale)) for k, v in self.quotas.items()}


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def build_training_pairs(
    data: DataDir, cfg: TrainConfig, encode: Callable[[Sequence[str]], np.ndarray]
) -> dict[str, list[P.Pair]]:
    candidates, pools = P.candidate_pairs(data)
    chosen = P.sample_pairs(candidates, cfg.scaled_quotas(), cfg.seed)
    return P.add_hard_negatives(chosen, pools, encode, seed=cfg.seed)


def write_pairs(path: Path, pairs: dict[str, list[P.Pair]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        for name in sorted(pairs):
            for p in pairs[name]:
                row = {"source": p.source, "anchor": p.anchor, "positive": p.positive, "negative": p.negative}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def train(
    data: DataDir,
    out: Path,
    *,
    cfg: TrainConfig,
    work_dir: Path,
    base_model: str = "default",
    resume: bool = False,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Train an adapter into ``out``; returns the training record (also in ``out/training.json``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    import transformers
    from safetensors.torch import load_file, save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    from matcher.encoding.encoder import Encoder, model_identity, resolve_model_path
    from matcher.runtime.cpu import cpu_has_bf16
    from matcher.tuning import lora

    transformers.utils.logging.set_verbosity_error()
    torch.set_num_threads(cfg.threads)
    started = time.time()
    seed_everything(cfg.seed)
    base_path = resolve_model_path(base_model)
    base_identity = model_identity(base_path)

    if encode is None:
        encoder = Encoder(base_model, threads=cfg.threads)
        encode = encoder.encode
    t0 = time.time()
    pairs = build_training_pairs(data, cfg, encode)
    counts = {k: len(v) for k, v in sorted(pairs.items())}
    with_neg = sum(1 for v in pairs.values() for p in v if p.negative)
    write_pairs(work_dir / "pairs.jsonl", pairs)
    plan = P.batches(pairs, cfg.batch_size, cfg.seed)
    pair_seconds = time.time() - t0
    log.info(
        "pairs %s (%d with a hard negative) in %.0fs; %d batches", counts, with_neg, pair_seconds, len(plan)
    )

    seed_everything(cfg.seed)
    model = SentenceTransformer(str(base_path), device="cpu", local_files_only=True)
    model.max_seq_length = cfg.max_seq_length
    hf = model[0].auto_model
    assert isinstance(hf, torch.nn.Module)
    wrapped = lora.inject(hf, TARGETS, r=cfg.r, alpha=cfg.alpha, dropout=cfg.dropout)
    params = [p for p in model.parameters() if p.requires_grad]
    n_params = sum(p.numel() for p in params)
    loss_fn = MultipleNegativesRankingLoss(model, scale=cfg.scale)
    optim = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    total = len(plan)
    warm = max(1, int(cfg.warmup * total))

    def lr_at(step: int) -> float:
        return (step + 1) / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(optim, lr_at)
    bf16 = cpu_has_bf16() if cfg.bf16 is None else cfg.bf16
    tokenize = getattr(model, "preprocess", None) or model.tokenize

    ckpt = work_dir / "checkpoint"
    start_step, history, train_seconds = 0, [], 0.0
    if resume and (ckpt / "state.pt").is_file():
        state = torch.load(ckpt / "state.pt", weights_only=False)
        adapter = load_file(str(ckpt / "adapter_model.safetensors"))
        for name, module in hf.named_modules():
            if isinstance(module, lora.LoraLinear):
                module.lora_A.data.copy_(adapter[f"{name}.lora_A"])
                module.lora_B.data.copy_(adapter[f"{name}.lora_B"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        torch.set_rng_state(state["torch_rng"])
        start_step, history, train_seconds = state["step"], state["history"], state["train_seconds"]
        log.info("resumed at step %d", start_step)

    def save_checkpoint(step: int) -> None:
        ckpt.mkdir(parents=True, exist_ok=True)
        save_file(lora.lora_state(hf), str(ckpt / "adapter_model.safetensors"))
        torch.save(
            {
                "step": step,
                "optim": optim.state_dict(),
                "sched": sched.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "history": history,
                "train_seconds": train_seconds,
            },
            ckpt / "state.pt",
        )

    last = min(total, cfg.max_steps) if cfg.max_steps else total
    model.train()
    window: list[float] = []
    tick = time.time()
    for step in range(start_step, last):
        batch = plan[step]
        feats = [
            tokenize([p.anchor for p in batch]),
            tokenize([p.positive for p in batch]),
            tokenize([p.negative or "" for p in batch]),
        ]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(feats, None)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        window.append(float(loss.detach()))
        if (step + 1) % 20 == 0 or step + 1 == last:
            now = time.time()
            train_seconds += now - tick
            tick = now
            mean = float(np.mean(window))
            history.append({"step": step + 1, "loss": round(mean, 4), "seconds": round(train_seconds, 1)})
            log.info(
                "step %d/%d loss %.4f lr %.2e %.0fs (source %s)",
                step + 1,
                total,
                mean,
                sched.get_last_lr()[0],
                train_seconds,
                batch[0].source,
            )
            window = []
        if (step + 1) % cfg.checkpoint_every == 0 and step + 1 < last:
            save_checkpoint(step + 1)

    out.mkdir(parents=True, exist_ok=True)
    state = lora.lora_state(hf)
    save_file(state, str(out / "adapter_model.safetensors"), metadata={"format": "skills-matcher-lora-v1"})
    record: dict[str, Any] = {
        "base_model": base_identity,
        "data": {**data.versions, "fingerprint": data.fingerprint},
        "config": {k: v for k, v in dataclasses.asdict(cfg).items() if k != "quotas"},
        "quotas": cfg.scaled_quotas(),
        "pairs": counts,
        "pairs_total": sum(counts.values()),
        "pairs_with_hard_negative": with_neg,
        "batches": total,
        "steps": last,
        "trainable_parameters": n_params,
        "wrapped_layers": len(wrapped),
        "bf16": bf16,
        "seconds": {
            "pairs": round(pair_seconds, 1),
            "train": round(train_seconds, 1),
            "total": round(time.time() - started, 1),
        },
        "torch": torch.__version__,
        "history": history,
    }
    config = lora.config_dict(TARGETS, cfg.r, cfg.alpha, cfg.dropout, base_model=base_identity, seed=cfg.seed)
    (out / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")
    (out / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    return record
