"""Domain errors. The CLI and the service translate these once, at their edge.

Each error carries a ``kind`` (a closed vocabulary the edges map to exit codes and HTTP
statuses) and an optional ``details`` dict that is safe to show to users.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    BAD_INPUT = "bad_input"  # malformed or empty input -> 422
    NOT_FOUND = "not_found"  # unknown code or id -> 404
    TOO_LARGE = "too_large"  # over a documented size limit -> 413
    UNSUPPORTED = "unsupported"  # unsupported media/format -> 415
    DATA_MISSING = "data_missing"  # reference data folder or file missing -> 503
    INDEX_UNAVAILABLE = "index_unavailable"  # index missing, corrupt or mismatched -> 503
    UNAVAILABLE = "unavailable"  # a worker the request needs could not start -> 503
    CONFLICT = "conflict"  # stale version -> 409
    FORBIDDEN = "forbidden"  # authenticated but not allowed -> 403
    UNAUTHORIZED = "unauthorized"  # missing or wrong credentials -> 401
    TOO_MANY_REQUESTS = "too_many_requests"  # over a rate, budget or sign-in limit -> 429


class MatcherError(Exception):
    """Base class of every error the matcher reports to users."""

    kind: ErrorKind = ErrorKind.BAD_INPUT

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class BadInputError(MatcherError):
    kind = ErrorKind.BAD_INPUT


class NotFoundError(MatcherError):
    kind = ErrorKind.NOT_FOUND

    def __init__(self, message: str, *, suggestions: list[str] | None = None, **kw: Any) -> None:
        if suggestions:
            message = f"{message} Did you mean: {', '.join(suggestions)}?"
        super().__init__(message, **kw)
        self.details.setdefault("suggestions", suggestions or [])


class TooLargeError(MatcherError):
    kind = ErrorKind.TOO_LARGE


class UnsupportedFormatError(MatcherError):
    kind = ErrorKind.UNSUPPORTED


class DataMissingError(MatcherError):
    kind = ErrorKind.DATA_MISSING


class IndexUnavailableError(MatcherError):
    kind = ErrorKind.INDEX_UNAVAILABLE


class UnavailableError(MatcherError):
    """The server could not do the work now (not the input's fault); the request may be retried."""

    kind = ErrorKind.UNAVAILABLE


class ConflictError(MatcherError):
    kind = ErrorKind.CONFLICT


class ForbiddenError(MatcherError):
    kind = ErrorKind.FORBIDDEN


class UnauthorizedError(MatcherError):
    kind = ErrorKind.UNAUTHORIZED


class TooManyRequestsError(MatcherError):
    """Over a rate, text budget, concurrency or sign-in limit; ``retry_after`` in seconds."""

    kind = ErrorKind.TOO_MANY_REQUESTS

    def __init__(self, message: str, *, retry_after: float, details: dict[str, Any] | None = None) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(message, details={**(details or {}), "retry_after_seconds": seconds})
        self.retry_after = seconds
        self.headers = {"Retry-After": str(seconds)}
