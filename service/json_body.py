"""Every JSON request body passes through :func:`matcher.text.json_input.loads` before any route sees
it, so a body that cannot be decoded safely (nesting over 64 levels, an integer of thousands of
digits, ``NaN``, an unpaired surrogate, bytes that are not UTF-8) is the same 422 on every route,
whatever the route does with its body afterwards.

A body is JSON when FastAPI would read it as JSON (no ``Content-Type``, ``application/json`` or
``application/*+json``) or when it is JSON Lines (``application/x-ndjson``, ``.../jsonl``,
``.../x-jsonlines``: every line is checked). The decoded value is left in
``request.state.json_body`` for routes that read the raw body.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.errors import BadInputError
from matcher.text import json_input
from service.errors import CODES, error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_LINES = frozenset({"application/x-ndjson", "application/jsonl", "application/x-jsonlines"})


def body_kind(content_type: str | None) -> str | None:
    """``"json"``, ``"jsonl"`` or None (not JSON) for a Content-Type header value."""
    if not content_type or not content_type.strip():
        return "json"
    media = content_type.split(";")[0].strip().lower()
    if media in JSON_LINES:
        return "jsonl"
    main, _, sub = media.partition("/")
    return "json" if main == "application" and (sub == "json" or sub.endswith("+json")) else None


def decode(body: bytes, kind: str) -> Any:
    if kind == "json":
        return json_input.loads(body)
    for n, line in enumerate(body.split(b"\n"), 1):
        if line.strip():
            json_input.loads(line, what=f"line {n}")
    return None


class JsonBodyMiddleware:
    """Pure ASGI middleware: decode JSON bodies once with the project's decoder (422 when it
    refuses them), then hand the same bytes on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        kind = body_kind(headers[b"content-type"].decode("latin-1") if b"content-type" in headers else None)
        if kind is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except HTTPException as exc:  # over the body limit while it streamed in (service.limits)
            code = CODES.get(exc.status_code, "error")
            await error_response(exc.status_code, code, str(exc.detail))(scope, receive, send)
            return
        body = b"".join(chunks)
        if body:
            try:
                value = decode(body, kind)
            except BadInputError as exc:
                await error_response(422, exc.kind.value, exc.message)(scope, receive, send)
                return
            scope.setdefault("state", {})["json_body"] = value
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
