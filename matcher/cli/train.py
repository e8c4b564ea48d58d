"""Training commands: `matcher train-alignment` (alignment model + labelled-program memory) and
`matcher train-encoder` (the taxonomy-tuned encoder adapter)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import RichProgress, err, print_table
from matcher.evaluation.tasks.programs import SHOWN


def train_alignment(
    file: Annotated[
        Path, typer.Option("--file", help="Labelled programs (ETPL JSON Lines with gold_cip/gold_soc).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the memory and weights.")] = Path(
        "models/etpl-nj"
    ),
    source: Annotated[str, typer.Option(help="Name of the labelled source, shown in evidence.")] = "NJ ETPL",
    taxonomy_weights: Annotated[
        Path | None, typer.Option(help="Also write memory-free weights here (the packaged default).")
    ] = None,
    folds: Annotated[
        str, typer.Option(help="provider (a provider's programs in one fold) or text (by text hash).")
    ] = "provider",
) -> None:
    """Fit the alignment model on labelled programs, with 5-fold cross-validation."""
    from matcher.align import Aligner
    from matcher.align.fit import Fitter
    from matcher.engine import Matcher

    if folds not in ("provider", "text"):
        err.print(f"[red]bad --folds {folds!r}[/red]: use provider or text")
        raise typer.Exit(2)
    m = Matcher.load()
    progress = RichProgress()
    base = Aligner(m.catalog, m.indexes, m.encoder)
    fitter = Fitter(base, file, folds="provider" if folds == "provider" else "text", progress=progress)
    memory = fitter.memory(source)
    weights = fitter.fit(memory, "with program memory", progress)
    out.mkdir(parents=True, exist_ok=True)
    memory.save(out)
    (out / "weights.json").write_text(weights.to_json())
    results = {"with memory": weights.metrics}
    if taxonomy_weights is not None:
        plain = fitter.fit(None, "taxonomy signals only", progress)
        taxonomy_weights.write_text(plain.to_json())
        results["taxonomy only"] = plain.metrics
    rows = [(name, *(r.get(k) for k in _KEYS)) for name, r in results.items()]
    print_table(f"Cross-validated on {fitter.n} programs (folds by {folds})", ["model", *_KEYS], rows)
    err.print(f"wrote {out}/memory.npz, memory.json, weights.json")
    (out / "metrics.json").write_text(json.dumps(results, indent=2))


_KEYS = tuple(k for k in SHOWN if k not in ("soc_hit@10", "cip4_top1"))


def train_encoder(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the adapter and its training record.")
    ] = Path("models/labour-minilm-lora"),
    work_dir: Annotated[
        Path | None, typer.Option(help="Pairs and checkpoints (default: MATCHER_HOME/tuning).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling, negatives, batches and training.")] = 13,
    pair_scale: Annotated[float, typer.Option(help="Multiply every source's pair quota.")] = 1.0,
    batch_size: Annotated[int, typer.Option(help="Pairs per batch (in-batch negatives).")] = 64,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 2e-4,
    rank: Annotated[int, typer.Option(help="LoRA rank.")] = 16,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps (short runs).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the last checkpoint in the work dir.")] = False,
    quota: Annotated[
        list[str] | None,
        typer.Option(help="Override one source's pair quota, SOURCE=N (repeatable; before --pair-scale)."),
    ] = None,
) -> None:
    """Fine-tune the default encoder on O*NET, ESCO and CIP pairs (never the evaluation files)."""
    import logging

    from matcher.encoding.encoder import Encoder
    from matcher.settings import get_settings
    from matcher.sources import DataDir
    from matcher.tuning.pairs import DEFAULT_QUOTAS
    from matcher.tuning.train import TrainConfig, train

    quotas = dict(DEFAULT_QUOTAS)
    for item in quota or []:
        name, _, value = item.partition("=")
        if name not in quotas or not value.isdigit():
            err.print(f"[red]bad --quota {item!r}[/red]: use SOURCE=N with SOURCE one of {', '.join(quotas)}")
            raise typer.Exit(2)
        quotas[name] = int(value)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", force=True)
    s = get_settings()
    cfg = TrainConfig(
        seed=seed,
        pair_scale=pair_scale,
        batch_size=batch_size,
        lr=lr,
        r=rank,
        alpha=2.0 * rank,
        max_steps=max_steps,
        threads=s.threads,
        quotas=quotas,
    )
    from matcher.encoding.cache import EmbeddingCache

    encoder = Encoder(
        "default", threads=s.threads, cache=EmbeddingCache(s.cache_dir / "embeddings-v2.sqlite")
    )
    record = train(
        DataDir(s.data_dir),
        out,
        cfg=cfg,
        work_dir=work_dir or s.home / "tuning",
        resume=resume,
        encode=encoder.encode,
    )
    rows = [(k, v) for k, v in record["pairs"].items()]
    print_table(
        f"Trained {record['steps']} steps in {record['seconds']['train']:.0f} s", ["source", "pairs"], rows
    )
    err.print(f"wrote {out}/adapter_model.safetensors, adapter_config.json, training.json")


def register(app: typer.Typer) -> None:
    app.command("train-alignment")(train_alignment)
    app.command("train-encoder")(train_encoder)
