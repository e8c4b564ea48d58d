"""FastAPI application factory. The matcher (model, catalog, indexes) loads once, at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from matcher import __version__
from matcher.engine import Matcher
from matcher.errors import MatcherError
from matcher.review.demo import disable_demo_accounts
from matcher.runtime.gc_freeze import freeze_loaded_objects
from matcher.settings import Settings, get_settings
from service import docs_pages, errors, log_redaction
from service.access import document_open_routes
from service.json_body import JsonBodyMiddleware
from service.limits import BodyLimitMiddleware
from service.origin import OriginCheckMiddleware
from service.ratelimit import Limits, RateLimitMiddleware
from service.routes import (
    align,
    audit,
    auth,
    evidence,
    extract,
    health,
    occupations,
    organisations,
    outcomes,
    parse,
    portfolio,
    portfolio_ui,
    postings,
    programs,
    reviews,
    screenings,
    skills,
    snapshots,
    titles,
    ui,
)

log = logging.getLogger(__name__)

DESCRIPTION = """Align training-program curricula with O*NET-SOC and ESCO occupations.
Every score comes with its evidence (program sentence, matched task/skill, data version).
Errors share one shape: `{"error": {"status", "code", "message", "details"}}`."""


def create_app(settings: Settings | None = None, matcher: Matcher | None = None) -> FastAPI:
    settings = settings or get_settings()
    log_redaction.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.matcher is None:
            try:
                app.state.matcher = Matcher.load(settings)
                app.state.matcher.warm()
                app.state.matcher.enable_search_batching()
                freeze_loaded_objects()
                log.info("matcher loaded: %s", app.state.matcher.versions)
            except MatcherError as exc:
                app.state.startup_error = exc.message
                log.error("the service starts without indexes: %s", exc.message)
        db = postings.open_database(app, settings)
        if db is not None and settings.env == "prod":
            disable_demo_accounts(db)  # a database seeded in dev: its demo passwords are public
        yield

    app = FastAPI(
        title="skills-matcher",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by service.docs_pages, with their assets from the package
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.matcher = matcher
    app.state.startup_error = None
    errors.install(app)
    docs_pages.install(app)
    app.add_middleware(JsonBodyMiddleware)  # inside the body limit: reads bounded bodies only
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(OriginCheckMiddleware, settings=settings)
    app.state.limits = Limits(settings)
    app.add_middleware(RateLimitMiddleware, limits=app.state.limits)
    for module in (health, occupations, skills, align, parse, postings, titles, extract):
        app.include_router(module.router)
    for module in (auth, organisations, programs, snapshots, reviews, audit, ui):  # employer review
        app.include_router(module.router)
    document_open_routes(app)
    app.include_router(evidence.router)  # Workforce Pell evidence packets
    app.include_router(screenings.router)  # screening a state's whole list
    app.include_router(outcomes.router)  # outcome figures for the Pell outcome checks
    app.include_router(portfolio.router)  # the reviewer's portfolio of screened programs
    app.include_router(portfolio_ui.router)
    return app
