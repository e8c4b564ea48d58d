"""`matcher eval TASK --file PATH [--method NAME] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_json, print_table


def eval_cmd(
    task: Annotated[str, typer.Argument(help="programs, titles, skills, spans or gaps.")],
    file: Annotated[Path, typer.Option("--file", help="JSON Lines file with gold labels.")],
    method: Annotated[str, typer.Option("--method", help="default, tfidf, embedding, ...")] = "default",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N records.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score a method on a labelled file (gold fields never reach the predictor)."""
    from matcher.evaluation import evaluate, get_task

    get_task(task).method(method)  # fail fast on unknown names
    result = evaluate(task, file, method, limit=limit)
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        f"{result.task} / {result.method} on {result.file} (n={result.n}, {result.seconds} s)",
        ["metric", "value"],
        [(k, f"{v:.4f}") for k, v in result.metrics.items()],
    )
    err.print(f"model {result.versions.get('model', '-')}; data {result.versions.get('data', '-')}")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cmd)
