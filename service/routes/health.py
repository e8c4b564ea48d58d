from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from matcher import __version__
from service.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(request: Request) -> JSONResponse | HealthOut:
    """Liveness and readiness: 200 when the indexes are loaded, 503 (with the reason) if not."""
    matcher = getattr(request.app.state, "matcher", None)
    if matcher is None:
        body = HealthOut(
            status="unavailable",
            version=__version__,
            error=getattr(request.app.state, "startup_error", None) or "loading",
        )
        return JSONResponse(body.model_dump(), status_code=503)
    return HealthOut(status="ok", version=__version__, versions=matcher.versions)
