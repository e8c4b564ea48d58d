"""skills-matcher: align training-program curricula with occupations, with evidence and gaps.

The public entry point is :class:`matcher.engine.Matcher`; it is imported lazily so that
``import matcher`` stays cheap (no torch, no FAISS) for the CLI's help and for tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Matcher", "Program", "Settings", "__version__", "get_settings"]

if TYPE_CHECKING:
    from matcher.engine import Matcher
    from matcher.program import Program
    from matcher.settings import Settings, get_settings


def __getattr__(name: str) -> Any:
    if name == "Matcher":
        from matcher.engine import Matcher

        return Matcher
    if name == "Program":
        from matcher.program import Program

        return Program
    if name in ("Settings", "get_settings"):
        from matcher import settings

        return getattr(settings, name)
    raise AttributeError(name)
