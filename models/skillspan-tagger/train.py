"""Recipe: train the SkillSpan span tagger (models/skillspan-tagger).

    .venv/bin/python models/skillspan-tagger/train.py [--epochs 16] [--seed 0]

Reads ../shared/eval/skillspan/train.json for training. dev.json is only used to score each
epoch and keep the best one (selection, reported in metrics.json). The MiniLM encoder is frozen:
its per-word features are computed once (bfloat16 autocast when the CPU has it) and only the
small tagger on top is trained. Writes weights.pt, config.json and metrics.json next to this
script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from matcher.encoding.encoder import resolve_model_path
from matcher.encoding.minilm import MiniLM
from matcher.evaluation.tasks.spans import bio_spans as gold_spans
from matcher.extract.span_model import LABELS, B, I, O, batch_tensors, build_module, viterbi, word_shape
from matcher.extract.span_model import bio_spans as tag_spans

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "shared" / "eval" / "skillspan"
TAG = {"O": O, "B": B, "I": I}


def load(name: str) -> list[dict]:
    return [json.loads(x) for x in (DATA / f"{name}.json").open()]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def features(minilm: MiniLM, recs: list[dict]) -> list[np.ndarray]:
    feats, _ = minilm.words([r["tokens"] for r in recs])
    return [f.astype(np.float16) for f in feats]


def score(module, feats, shapes, recs) -> dict[str, float]:  # type: ignore[no-untyped-def]
    crfs = [
        ((c.trans + c.bad).detach().numpy(), (c.start + c.sbad).detach().numpy(), c.end.detach().numpy())
        for c in module.crf
    ]
    counts = {lab: [0, 0, 0] for lab in LABELS}
    module.eval()
    with torch.inference_mode():
        for b in range(0, len(recs), 128):
            idx = list(range(b, min(b + 128, len(recs))))
            x, s, _, lens = batch_tensors([feats[i] for i in idx], [shapes[i] for i in idx])
            em = module.emissions(x, s, lens).numpy()
            for j, i in enumerate(idx):
                n = len(recs[i]["tokens"])
                for k, lab in enumerate(LABELS):
                    pred = set(tag_spans(viterbi(em[j, :n, k], *crfs[k])))
                    gold = set(gold_spans(recs[i][f"tags_{lab}"]))
                    c = counts[lab]
                    c[0] += len(pred & gold)
                    c[1] += len(pred - gold)
                    c[2] += len(gold - pred)
    out = {}
    for lab in (*LABELS, "all"):
        tp, fp, fn = counts[lab] if lab != "all" else [sum(c[i] for c in counts.values()) for i in range(3)]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[lab] = {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.monotonic()
    minilm = MiniLM(resolve_model_path("default"), backend="auto")
    train, dev = load("train"), load("dev")
    ftr, fdv = features(minilm, train), features(minilm, dev)
    feat_seconds = time.monotonic() - started
    str_ = [np.array([word_shape(w) for w in r["tokens"]]) for r in train]
    sdv = [np.array([word_shape(w) for w in r["tokens"]]) for r in dev]
    ytr = [
        np.array([[TAG[a], TAG[b]] for a, b in zip(r["tags_skill"], r["tags_knowledge"], strict=True)])
        for r in train
    ]
    arch = {"layers": minilm.layers, "dim": minilm.dim, "hidden": 192, "proj": 256, "dropout": 0.3}
    module = build_module(**arch)
    opt = torch.optim.AdamW(module.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = args.epochs * ((len(train) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    history, best, best_state = [], -1.0, None
    for epoch in range(args.epochs):
        module.train()
        order = list(range(len(train)))
        random.shuffle(order)
        t0, total = time.monotonic(), 0.0
        for b in range(0, len(order), 32):
            idx = order[b : b + 32]
            x, s, m, lens = batch_tensors([ftr[i] for i in idx], [str_[i] for i in idx])
            y = torch.zeros(len(idx), x.shape[1], 2, dtype=torch.long)
            for j, i in enumerate(idx):
                y[j, : len(ytr[i])] = torch.from_numpy(ytr[i])
            em = module.emissions(x, s, lens)
            loss = sum(module.crf[k].nll(em[:, :, k], y[:, :, k], m) for k in range(2)) / len(idx)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
        dev_scores = score(module, fdv, sdv, dev)
        history.append(
            {
                "epoch": epoch,
                "loss": round(total, 2),
                "seconds": round(time.monotonic() - t0),
                "dev": dev_scores,
            }
        )
        print(json.dumps(history[-1]), flush=True)  # noqa: T201
        if dev_scores["all"]["f1"] > best:
            best = dev_scores["all"]["f1"]
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
    torch.save(best_state, HERE / "weights.pt")
    chosen = max(history, key=lambda h: h["dev"]["all"]["f1"])
    config = {
        "name": "skillspan-tagger",
        "version": "1",
        "architecture": arch,
        "encoder": "all-MiniLM-L6-v2 (frozen; per-word mean of word pieces, all 6 layers)",
        "labels": list(LABELS),
    }
    (HERE / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    metrics = {
        "data": {
            "train": {
                "file": "skillspan/train.json",
                "sha256_16": sha(DATA / "train.json"),
                "sentences": len(train),
            },
            "dev": {"file": "skillspan/dev.json", "sha256_16": sha(DATA / "dev.json"), "sentences": len(dev)},
        },
        "seed": args.seed,
        "threads": args.threads,
        "bf16_features": minilm.bf16,
        "feature_seconds": round(feat_seconds),
        "train_seconds": round(time.monotonic() - started - feat_seconds),
        "epochs": args.epochs,
        "selected_epoch": chosen["epoch"],
        "dev_selected": chosen["dev"],
        "dev_last_epoch": history[-1]["dev"],
        "history": history,
    }
    (HERE / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print("selected epoch", chosen["epoch"], chosen["dev"])  # noqa: T201


if __name__ == "__main__":
    main()
