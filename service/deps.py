"""Dependencies: the loaded :class:`~matcher.engine.Matcher` and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matcher.engine import Matcher
from matcher.errors import IndexUnavailableError
from matcher.settings import Settings


def get_matcher(request: Request) -> Matcher:
    state = request.app.state
    matcher = getattr(state, "matcher", None)
    if matcher is None:
        reason = getattr(state, "startup_error", None) or "the matcher is still loading"
        raise IndexUnavailableError(f"service unavailable: {reason}")
    return matcher


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


MatcherDep = Annotated[Matcher, Depends(get_matcher)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
