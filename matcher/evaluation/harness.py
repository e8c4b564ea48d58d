"""Run one task with one method over one file and score it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from matcher import __version__
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import get_task
from matcher.scoring.records import Record, read_records


@dataclass
class EvalResult:
    task: str
    method: str
    file: str
    n: int
    metrics: dict[str, float]
    seconds: float
    versions: dict[str, Any]
    matcher_version: str
    date: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {**d["metrics"], **{k: v for k, v in d.items() if k != "metrics"}, "metrics": d["metrics"]}


def evaluate(
    task_name: str,
    file: Path,
    method: str = "default",
    *,
    ctx: EvalContext | None = None,
    limit: int | None = None,
) -> EvalResult:
    task = get_task(task_name)
    factory = task.method(method)
    records = read_records(
        Path(file), required_inputs=task.required_inputs, gold_fields=task.gold_fields, limit=limit
    )
    if task.split_gold is not None:
        records = [Record(r.line, *_merged(r, task.split_gold)) for r in records]
    ctx = ctx or EvalContext()
    ctx.base_dir = Path(file).resolve().parent
    started = time.monotonic()
    predictor = factory(ctx)
    # Only the inputs (gold fields stripped) reach the predictor.
    predictions = predictor.predict([r.inputs for r in records])
    if len(predictions) != len(records):
        raise RuntimeError(
            f"method {method} returned {len(predictions)} predictions for {len(records)} records"
        )
    metrics = task.score(records, predictions)
    seconds = round(time.monotonic() - started, 1)
    return EvalResult(
        task=task.name,
        method=method,
        file=Path(file).name,
        n=len(records),
        metrics={k: round(v, 4) for k, v in metrics.items()},
        seconds=seconds,
        versions=ctx.versions(),
        matcher_version=__version__,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _merged(
    r: Record, split: Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    inputs, gold = split(r.inputs)
    return inputs, {**r.gold, **gold}
