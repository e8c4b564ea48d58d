"""Evaluation harness: tasks over labelled JSON Lines files, methods, metrics.

``matcher eval TASK --file PATH --method NAME`` reads the records, strips every gold field
before prediction, predicts with the chosen method and scores with the task's metrics.
"""

from matcher.evaluation.harness import EvalResult, evaluate
from matcher.evaluation.registry import TASKS, Task, get_task

__all__ = ["TASKS", "EvalResult", "Task", "evaluate", "get_task"]
