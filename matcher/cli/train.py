"""Training commands: `matcher train-alignment` (alignment model + labelled-program memory)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import RichProgress, err, print_table


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
) -> None:
    """Fit the alignment model on labelled programs, with 5-fold cross-validation."""
    from matcher.align import Aligner
    from matcher.align.fit import Fitter
    from matcher.engine import Matcher

    m = Matcher.load()
    progress = RichProgress()
    base = Aligner(m.catalog, m.indexes, m.encoder)
    fitter = Fitter(base, file, progress=progress)
    memory = fitter.memory(source)
    weights = fitter.fit(memory, "with program memory", progress)
    out.mkdir(parents=True, exist_ok=True)
    memory.save(out)
    (out / "weights.json").write_text(weights.to_json())
    rows = [("with memory", *(weights.metrics.get(k) for k in _KEYS))]
    if taxonomy_weights is not None:
        plain = fitter.fit(None, "taxonomy signals only", progress)
        taxonomy_weights.write_text(plain.to_json())
        rows.append(("taxonomy only", *(plain.metrics.get(k) for k in _KEYS)))
    print_table(f"Cross-validated on {fitter.n} programs", ["model", *_KEYS], rows)
    err.print(f"wrote {out}/memory.npz, memory.json, weights.json")
    (out / "metrics.json").write_text(
        json.dumps({r[0]: dict(zip(_KEYS, r[1:], strict=True)) for r in rows}, indent=2)
    )


_KEYS = ("soc_hit@1", "soc_hit@5", "soc_hit@10", "soc_mrr", "cip_top1", "cip_top5", "cip4_top1")


def register(app: typer.Typer) -> None:
    app.command("train-alignment")(train_alignment)
