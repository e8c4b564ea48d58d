"""Evaluation tasks and the methods each accepts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from matcher.errors import BadInputError
from matcher.evaluation.context import EvalContext
from matcher.scoring.records import Record


class Predictor(Protocol):
    def predict(self, inputs: Sequence[dict[str, Any]]) -> list[Any]: ...


MethodFactory = Callable[[EvalContext], Predictor]
Scorer = Callable[[Sequence[Record], Sequence[Any]], dict[str, float]]


@dataclass
class Task:
    name: str
    description: str
    required_inputs: tuple[str, ...]
    gold_fields: tuple[str, ...]
    score: Scorer
    primary_metric: str
    methods: dict[str, MethodFactory] = field(default_factory=dict)
    # For records whose gold sits inside the inputs (a gaps record's requirement labels): takes
    # a record's inputs, returns (inputs without gold, gold).
    split_gold: Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]] | None = None

    def method(self, name: str) -> MethodFactory:
        try:
            return self.methods[name]
        except KeyError:
            raise BadInputError(
                f"task {self.name!r} has no method {name!r}; choose one of: {', '.join(self.methods)}"
            ) from None


TASKS: dict[str, Task] = {}


def register_task(task: Task) -> Task:
    TASKS[task.name] = task
    return task


_LOADED = False


def load_tasks() -> None:
    """Import the task modules (each registers its task); deferred so that importing the
    registry stays cheap."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from matcher.evaluation.tasks import gaps, programs, skills, spans, titles  # noqa: F401


def get_task(name: str) -> Task:
    load_tasks()
    try:
        return TASKS[name]
    except KeyError:
        raise BadInputError(f"unknown task {name!r}; choose one of: {', '.join(TASKS)}") from None
