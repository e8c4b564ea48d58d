"""Seconds per stage, wall clock and CPU of the calling thread.

A worker runs one task at a time on one thread (torch and BLAS pools of one thread run in the
calling thread), so the thread's CPU time is what a stage costs whatever else the machine is
doing; the wall time is what it took here. Both are reported."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class StageTimer:
    def __init__(self, stages: Iterable[str] = ()) -> None:
        self.wall: dict[str, float] = dict.fromkeys(stages, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(stages, 0.0)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        w, c = time.monotonic(), time.thread_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.monotonic() - w
            self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - c

    def add(self, other: StageTimer) -> None:
        for name, v in other.wall.items():
            self.wall[name] = self.wall.get(name, 0.0) + v
        for name, v in other.cpu.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + v
