"""One JSON error shape for every 4xx/5xx response::

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": {...}}}

Domain errors (:class:`matcher.errors.MatcherError`) are translated here, once.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import ErrorKind, MatcherError

log = logging.getLogger(__name__)
BODY_PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 (non-UTF-8 JSON)

STATUS = {
    ErrorKind.BAD_INPUT: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED: 415,
    ErrorKind.DATA_MISSING: 503,
    ErrorKind.INDEX_UNAVAILABLE: 503,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.CONFLICT: 409,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.TOO_MANY_REQUESTS: 429,
}
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported",
    422: "bad_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def error_body(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or {}}}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _loc(err: dict[str, Any]) -> str:
    return ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",)) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(MatcherError)
    async def _matcher_error(request: Request, exc: MatcherError) -> JSONResponse:
        status = STATUS.get(exc.kind, 400)
        return error_response(
            status, exc.kind.value, exc.message, exc.details, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _loc(e), "message": str(e.get("msg", "")), "type": e.get("type")} for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "body", "message": "invalid request"}
        return error_response(422, "bad_input", f"{first['field']}: {first['message']}", {"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body FastAPI or Starlette could not parse: bad input, as documented
            message = (
                "the request body could not be decoded (UTF-8 JSON expected)"
                if exc.detail == BODY_PARSE_ERROR
                else f"the request body could not be parsed: {exc.detail}"
            )
            return error_response(422, "bad_input", message)
        code = CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "internal server error; see the server log")
