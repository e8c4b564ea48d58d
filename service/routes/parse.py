"""``POST /programs/parse``: upload a curriculum file, get the structured program back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from matcher.errors import TooLargeError
from matcher.program import MAX_TEXT_CHARS, Program
from matcher.readers import MAX_FILE_BYTES
from matcher.readers.bounded import parse_programs_bounded
from matcher.settings import Settings
from service.ratelimit import limits_of, verified_client
from service.schemas import ErrorOut

log = logging.getLogger(__name__)

# The whole multipart request may exceed the file by its headers and form fields, not by more.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 64 * 1024
_TOO_LARGE = f"the upload is larger than the limit of {MAX_FILE_BYTES:,} bytes"


class UploadLimitRoute(APIRoute):
    """Refuses request bodies over :data:`MAX_REQUEST_BYTES` before the multipart parser spools
    them: by ``Content-Length`` when it is declared, else while the body streams in."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
                raise TooLargeError(_TOO_LARGE, details={"limit_bytes": MAX_FILE_BYTES})
            received = 0
            receive = request.receive

            async def counting_receive() -> Message:
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > MAX_REQUEST_BYTES:
                    raise HTTPException(413, detail=_TOO_LARGE)  # passes through body parsing
                return message

            return await handler(Request(request.scope, counting_receive))

        return limited


router = APIRouter(tags=["programs"], route_class=UploadLimitRoute)


class ProgramList(BaseModel):
    """What a file that holds several programs parses into (a CTDL list, ETPL JSON Lines, ...)."""

    count: int
    programs: list[Program]


@router.post(
    "/programs/parse",
    response_model=Program | ProgramList,
    responses={
        413: {"model": ErrorOut, "description": f"file over {MAX_FILE_BYTES:,} bytes"},
        415: {"model": ErrorOut, "description": "unknown file type or format"},
        422: {"model": ErrorOut, "description": "damaged, encrypted or image-only file; bad columns"},
        429: {"model": ErrorOut, "description": "over the caller's rate, text budget or concurrency"},
    },
)
async def parse(
    request: Request,
    file: Annotated[UploadFile, File(description="The program file (see `format`).")],
    format: Annotated[
        str | None,
        Form(
            description="json, yaml, text, markdown, docx, pdf, csv, xlsx, etpl or jsonld; "
            "default: from the file name's extension (or the content, for PDF/DOCX/XLSX)."
        ),
    ] = None,
) -> Program | ProgramList:
    """Parse an uploaded curriculum file (syllabus PDF or DOCX, Markdown, web page, course-list
    CSV/XLSX, ETPL rows, CTDL or schema.org JSON-LD, JSON/YAML/text) into the structured program
    that `/align` and `/gaps` take. Every course and outcome keeps its source (file, page or
    line, course). A file that holds several programs (a CTDL list or graph of unrelated
    records, ETPL JSON Lines, a CSV of ETPL rows) returns them all: `{"count": n, "programs":
    [...]}`. Files over the size limit get 413, unknown types 415, damaged, password-protected
    or image-only (scanned, no text layer) files 422. Costs the file's size in bytes (at most
    the 200,000 characters of a program) from the caller's text budget (429 beyond)."""
    settings: Settings = request.app.state.settings
    limit = settings.max_upload_bytes
    content = await file.read(limit + 1)
    name = file.filename or "upload"
    if len(content) > limit:
        raise TooLargeError(
            f"{name}: the upload is larger than the limit of {limit:,} bytes", details={"limit_bytes": limit}
        )
    bounded = partial(
        parse_programs_bounded,
        seconds=settings.parse_seconds,
        memory_bytes=settings.parse_memory_mb * 1024 * 1024,
    )
    client = await run_in_threadpool(verified_client, request)
    with limits_of(request).costly(client, min(len(content), MAX_TEXT_CHARS)):
        programs = await run_in_threadpool(bounded, content, name, format or None)
    log.info(
        "parsed %s (%d bytes) into %d program(s), %d courses",
        name,
        len(content),
        len(programs),
        sum(len(p.courses) for p in programs),
    )
    if len(programs) == 1:
        return programs[0]
    return ProgramList(count=len(programs), programs=programs)
