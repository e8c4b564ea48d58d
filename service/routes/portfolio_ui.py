"""The portfolio page ``/ui/portfolio``: the same query as ``GET /portfolio``
(:mod:`service.routes.portfolio`), filters as a plain GET form, links to each program and its
evidence packet, and links exporting the current view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from matcher.portfolio.query import portfolio_page
from service.access import get_db
from service.routes.portfolio import FIELDS, parse_query
from service.web import HtmlRoute, page, signed_in

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


@router.get("/ui/portfolio", response_class=HTMLResponse)
def portfolio_ui(request: Request) -> Response:
    actor = signed_in(request)
    q = parse_query(request.query_params)
    data = portfolio_page(get_db(request), actor, q)
    current = {k: v for k, v in request.query_params.items() if k in FIELDS and v and k != "page"}

    def link(**changes: Any) -> str:
        return "?" + urlencode({**current, **{k: v for k, v in changes.items() if v is not None}})

    context = {"title": "Portfolio", "p": data, "q": q, "current": current, "link": link}
    context["export_query"] = urlencode(current)
    return page(request, "portfolio.html", context)
