"""Progress reporting for long work, without tying the library to a terminal library.

The library calls :meth:`Progress.stage` and advances the returned handle; the CLI passes a
:class:`~matcher.cli.ui.RichProgress`, everything else gets the silent default.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Stage(Protocol):
    def advance(self, n: int = 1) -> None: ...


class Progress(Protocol):
    def stage(self, description: str, total: int | None) -> AbstractContextManager[Stage]: ...


class _NullStage:
    def advance(self, n: int = 1) -> None:
        return None


class NullProgress:
    """Reports nothing."""

    def stage(self, description: str, total: int | None) -> AbstractContextManager[Stage]:
        return nullcontext(_NullStage())


NULL_PROGRESS = NullProgress()
