"""Terminal output helpers: progress bars on stderr, tables, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

err = Console(stderr=True)
out = Console(soft_wrap=True)


class _RichStage:
    def __init__(self, progress: Progress, task: Any) -> None:
        self._p, self._t = progress, task

    def advance(self, n: int = 1) -> None:
        self._p.advance(self._t, n)


class RichProgress:
    """Implements :class:`matcher.progress.Progress` with rich progress bars on stderr."""

    @contextmanager
    def stage(self, description: str, total: int | None) -> Iterator[_RichStage]:
        columns = [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
        ]
        with Progress(
            *columns, console=err, transient=False, disable=not err.is_terminal and not _force_progress()
        ) as p:
            task = p.add_task(description, total=total)
            yield _RichStage(p, task)
        if not err.is_terminal and not _force_progress():
            err.print(f"{description}: {total} done")


def _force_progress() -> bool:
    import os

    return os.environ.get("MATCHER_PROGRESS") == "1"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    out.print(table)
