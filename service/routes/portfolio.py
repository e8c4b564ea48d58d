"""The reviewer's portfolio: the screened programs the caller may see with their Pell check
statuses, filtered, sorted and paged (JSON at ``/portfolio``, a page at ``/ui/portfolio``), and
the current view exported as CSV or XLSX (the page: ``portfolio_ui``). Thin:
:mod:`matcher.portfolio` does the work."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from matcher.errors import BadInputError
from matcher.portfolio.export import to_csv, to_xlsx
from matcher.portfolio.query import PortfolioQuery, portfolio_page, portfolio_rows
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(prefix="/portfolio", tags=["portfolio"])
ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 422: {"model": ErrorOut}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("status", "check", "group", "provider", "flagged", "sort", "order", "page", "per_page")


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def parse_query(params: Mapping[str, str]) -> PortfolioQuery:
    """The portfolio query of URL parameters (empty ones are no filter)."""
    given = {k: params[k].strip() for k in FIELDS if params.get(k, "").strip()}

    def number(name: str, default: int) -> int:
        raw = given.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or len(raw) > 9:
            raise BadInputError(f"{name} must be a whole number, not {raw!r}")
        return int(raw)

    flagged = given.get("flagged")
    if flagged not in (None, "yes", "no", "true", "false"):
        raise BadInputError(f"flagged must be yes or no, not {flagged!r}")
    order = given.get("order", "asc")
    if order not in ("asc", "desc"):
        raise BadInputError(f"order must be asc or desc, not {order!r}")
    provider = given.get("provider")
    return PortfolioQuery(
        status=given.get("status"),
        check=given.get("check"),
        group=given.get("group"),
        provider=number("provider", 0) if provider is not None else None,
        flagged=None if flagged is None else flagged in ("yes", "true"),
        sort=given.get("sort", "title"),
        descending=order == "desc",
        page=number("page", 1),
        per_page=number("per_page", 50),
    ).validate()


def _query(
    request: Request,
    status: Annotated[
        str | None, Query(description="pass (every check), fail or unknown (any check).")
    ] = None,
    check: Annotated[
        str | None, Query(description="A check id (e.g. placement): filter that check's status.")
    ] = None,
    group: Annotated[str | None, Query(description="SOC major group of the top occupation, e.g. 47.")] = None,
    provider: Annotated[str | None, Query(description="Provider organisation id.")] = None,
    flagged: Annotated[
        str | None, Query(description="yes: re-review flagged only; no: unflagged only.")
    ] = None,
    sort: Annotated[
        str | None,
        Query(description="title, provider, score, coverage, failed, unknown, hours, updated, id."),
    ] = None,
    order: Annotated[str | None, Query(description="asc or desc.")] = None,
    page: Annotated[str | None, Query(description="Page number, from 1.")] = None,
    per_page: Annotated[str | None, Query(description="Programs per page, 1 to 200 (default 50).")] = None,
) -> PortfolioQuery:
    return parse_query(request.query_params)


QueryDep = Annotated[PortfolioQuery, Depends(_query)]


@router.get("", responses=ERRORS)
def portfolio(actor: ActorDep, db: DbDep, q: QueryDep) -> dict[str, Any]:
    """One page of the screened programs the caller may see: each with its Pell check statuses,
    top occupation and its coverage, employer reviews (employers, decisions) and re-review flags;
    ``total``, ``pages`` and the filters' choices (providers, occupation groups, checks).

    **Roles:** provider (own programs), employer (programs shared with it), reviewer (its state),
    admin (all)."""
    return portfolio_page(db, actor, q)


def _export(rows: list[dict[str, Any]], fmt: ExportFormat) -> Response:
    body, media = (
        (to_xlsx(rows), XLSX) if fmt is ExportFormat.XLSX else (to_csv(rows), "text/csv; charset=utf-8")
    )
    headers = {
        "Content-Disposition": f'attachment; filename="portfolio.{fmt.value}"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=media, headers=headers)


@router.get("/export", responses={**ERRORS, 200: {"content": {"text/csv": {}, XLSX: {}}}})
def export(
    actor: ActorDep, db: DbDep, q: QueryDep, format: Annotated[ExportFormat, Query()] = ExportFormat.CSV
) -> Response:
    """The current view (its filters and sort, every page) as CSV or XLSX: one row per program,
    one column per check.

    **Roles:** provider (own programs), employer (programs shared with it), reviewer (its state),
    admin (all)."""
    return _export(portfolio_rows(db, actor, q), format)
