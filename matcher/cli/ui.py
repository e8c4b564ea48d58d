"""Terminal output helpers: progress bars on stderr, tables, JSON."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

err = Console(stderr=True)
out = Console(soft_wrap=True)


LOG_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


class _RichStage:
    def __init__(self, progress: Progress, task: Any) -> None:
        self._p, self._t = progress, task

    def advance(self, n: int = 1) -> None:
        self._p.advance(self._t, n)


class _LogStage:
    """Progress as plain lines on stderr, for logs: a line every ``LOG_EVERY`` seconds while the
    stage runs (done/total, rate, time left), and one when it ends."""

    def __init__(self, description: str, total: int | None, every: float = LOG_EVERY) -> None:
        self.description, self.total, self.every = description, total, every
        self.done = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="progress-log", daemon=True)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n

    def line(self, final: bool = False) -> str:
        elapsed = time.monotonic() - self.started
        if self.total is None:
            return f"{self.description}: {'done in' if final else 'running for'} {_duration(elapsed)}"
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = f"{self.description}: {self.done:,}/{self.total:,} ({rate:,.0f}/s"
        if final:
            return f"{text}, {_duration(elapsed)})"
        left = f", about {_duration((self.total - self.done) / rate)} left" if rate > 0 else ""
        return f"{text}{left})"

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            err.print(self.line(), highlight=False, soft_wrap=True)

    def __enter__(self) -> _LogStage:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if exc[0] is None:
            err.print(self.line(final=True), highlight=False, soft_wrap=True)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class RichProgress:
    """Implements :class:`matcher.runtime.progress.Progress`: on a terminal, a rich progress bar per stage
    on stderr (done/total, rate, elapsed, time left; stages without a total show a spinner and
    vanish when done); elsewhere (a log, CI), a plain line at least every ``LOG_EVERY`` seconds.
    ``MATCHER_PROGRESS=1`` forces the bars."""

    @contextmanager
    def stage(self, description: str, total: int | None) -> Iterator[_RichStage | _LogStage]:
        if not err.is_terminal and not _force_progress():
            with _LogStage(description, total) as stage:
                yield stage
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
            ]
        else:
            columns += [TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=total is None) as p:
            task = p.add_task(description, total=total)
            yield _RichStage(p, task)


class _RateColumn(ProgressColumn):
    """Items per second (rich's moving average)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "-/s", justify="right")


def _force_progress() -> bool:
    return os.environ.get("MATCHER_PROGRESS") == "1"


def print_errors(lines: Sequence[str], more: str, limit: int = 20) -> None:
    """The first ``limit`` error lines on stderr, indented, then how many more and where
    (``more``: "use --json for all", ...)."""
    for line in lines[:limit]:
        err.print(f"  {line}")
    if len(lines) > limit:
        err.print(f"  ... and {len(lines) - limit} more ({more})")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:  # cells are data, never markup: "[phlebotomy.md, line 12]" must print as written
        table.add_row(*("" if v is None else escape(str(v)) for v in r))
    out.print(table)
