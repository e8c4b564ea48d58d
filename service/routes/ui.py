"""The web UI: sign in; program list; program page (aligned occupations, coverage chart, gaps
with evidence, every employer decision); the employer review form. Plain HTML forms, no
JavaScript; every form carries a CSRF token."""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from matcher.errors import (
    BadInputError,
    ConflictError,
    ForbiddenError,
    IndexUnavailableError,
    MatcherError,
    NotFoundError,
    TooManyRequestsError,
)
from matcher.program import Program
from matcher.review import Actor, Role, accounts, programs, reviews, snapshots
from matcher.review.auth import logout
from matcher.review.demo import demo_accounts
from matcher.review.hashing import check_csrf, csrf_token, new_nonce
from matcher.review.reviews import ReviewInput
from matcher.review.vocab import MAX_COMMENT_CHARS, OrgKind
from service.access import SESSION_COOKIE, clear_session_cookie, get_db, set_session_cookie
from service.signin import throttled_login
from service.web import LOGIN_COOKIE, STATIC_DIR, HtmlRoute, page, redirect, require_form_csrf, signed_in

log = logging.getLogger(__name__)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

MESSAGES = {
    "created": "Program created.",
    "aligned": "Alignment computed and stored as a new snapshot.",
    "version": "New version saved.",
    "shared": "Program shared.",
    "unshared": "Program no longer shared with that organisation.",
    "not-aligned": "The matcher is not loaded yet, so the program has no alignment; try “Align again” later.",
}
_STATIC_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(css|js|svg|png|ico)$")
_MEDIA = {
    "css": "text/css",
    "js": "text/javascript",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
}


# -- static files and the root -----------------------------------------------------------------
@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC_DIR / name
    if not _STATIC_NAME.match(name) or not path.is_file():
        raise NotFoundError(f"no static file {name!r}")
    media = _MEDIA[name.rsplit(".", 1)[1]]
    return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/")
def root() -> RedirectResponse:
    return redirect("/ui/")


# -- sign in and out -----------------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    return (
        target
        if target and target.startswith("/ui/") and "//" not in target and "\\" not in target
        else "/ui/"
    )


def _login_page(request: Request, *, next_url: str, error: str | None = None, status: int = 200) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    if not 20 <= len(nonce) <= 64:
        nonce = new_nonce()  # one nonce per browser, so two open sign-in tabs both work
    settings = request.app.state.settings
    response = page(
        request,
        "login.html",
        {
            "title": "Sign in",
            "login_csrf": csrf_token(settings.session_secret, "login", nonce),
            "next": next_url,
            "error": error,
            "demo_accounts": _demo_accounts(request),
            "dev": settings.env == "dev",
        },
        status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=3600,
        path="/ui/",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    return response


def _demo_accounts(request: Request) -> list[dict[str, str]]:
    """In ``dev`` only: the demo partnership's accounts that exist in the database."""
    settings = request.app.state.settings
    if settings.env != "dev":
        return []
    try:
        return demo_accounts(get_db(request), env=settings.env)
    except (MatcherError, OSError, SQLAlchemyError) as exc:  # the page works without the list
        log.warning("cannot list the demo accounts: %s", exc)
        return []


@router.get("/ui/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next_url=_safe_next(next))


@router.post("/ui/login", response_class=HTMLResponse)
async def login_submit(request: Request) -> Response:
    form = await request.form()
    settings = request.app.state.settings
    next_url = _safe_next(str(form.get("next") or ""))
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not check_csrf(settings.session_secret, "login", nonce, str(form.get("csrf_token") or "")):
        return _login_page(
            request, next_url=next_url, error="The sign-in form expired; please try again.", status=403
        )
    try:
        signin = await throttled_login(
            request, get_db(request), str(form.get("email") or ""), str(form.get("password") or "")
        )
    except TooManyRequestsError as exc:
        refused = _login_page(
            request, next_url=next_url, error=f"{exc.message[0].upper()}{exc.message[1:]}.", status=429
        )
        refused.headers.update(exc.headers)
        return refused
    except MatcherError:
        return _login_page(request, next_url=next_url, error="Invalid email or password.", status=401)
    response = redirect(next_url)
    set_session_cookie(response, settings, signin.token)
    response.delete_cookie(LOGIN_COOKIE, path="/ui/")
    return response


@router.post("/ui/logout")
async def logout_submit(request: Request) -> Response:
    form = await request.form()
    await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    await run_in_threadpool(logout, get_db(request), request.cookies.get(SESSION_COOKIE))
    response = redirect("/ui/login")
    clear_session_cookie(response, request.app.state.settings)
    return response


# -- home: the programs the user may see ----------------------------------------------------------
@router.get("/ui/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    actor = signed_in(request)
    db = get_db(request)
    context: dict[str, Any] = {"title": "Programs", "programs": programs.list_programs(db, actor)}
    if actor.role is Role.ADMIN:
        context["organisations"] = accounts.list_orgs(db)
        context["users"] = accounts.list_users(db, actor)
    return page(request, "home.html", context)


def _form_program(form: Any) -> Program:
    def number(name: str) -> float | None:
        raw = str(form.get(name) or "").strip()
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            raise BadInputError(f"{name.replace('_', ' ')} must be a number, not {raw!r}") from None

    fields = {
        "title": str(form.get("title") or "").strip(),
        "description": str(form.get("description") or "").strip(),
        "credential": str(form.get("credential") or "").strip() or None,
        "cip": str(form.get("cip") or "").strip() or None,
        "clock_hours": number("clock_hours"),
        "weeks": number("weeks"),
        "tuition_and_fees": number("tuition_and_fees"),
    }
    if not fields["title"]:
        raise BadInputError("the program needs a title")
    try:
        return Program.model_validate(fields)
    except ValueError as exc:
        raise BadInputError(str(exc).splitlines()[0]) from None


def _align(request: Request, actor: Actor, program_id: int) -> bool:
    """Compute a snapshot if the matcher is loaded; False when it is not."""
    matcher = getattr(request.app.state, "matcher", None)
    if matcher is None:
        return False
    try:
        snapshots.compute_snapshot(get_db(request), actor, program_id, matcher)
    except IndexUnavailableError:
        return False
    return True


@router.post("/ui/programs")
async def create_program(request: Request) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    program = _form_program(form)
    created = await run_in_threadpool(programs.create_program, get_db(request), actor, program, note="")
    aligned = await run_in_threadpool(_align, request, actor, created["id"])
    return redirect(f"/ui/programs/{created['id']}?msg={'created' if aligned else 'not-aligned'}")


# -- the program page -------------------------------------------------------------------------------
def _program_context(request: Request, actor: Actor, program_id: int) -> dict[str, Any]:
    db = get_db(request)
    program = programs.get_program(db, actor, program_id)
    try:
        snapshot = snapshots.get_snapshot(db, actor, program_id)
    except NotFoundError:
        snapshot = None
    decisions = reviews.list_reviews(db, actor, program_id) if snapshot else []
    context: dict[str, Any] = {
        "title": program["title"],
        "program": program,
        "content": program["current"]["program"],
        "snapshot": snapshot,
        "decisions": decisions,
        "coverage": {g["occupation"]["code"]: g["coverage"] for g in (snapshot or {}).get("gaps", [])},
        "message": MESSAGES.get(request.query_params.get("msg", "")),
        "is_owner": actor.role is Role.PROVIDER and program["provider"]["id"] == actor.org_id,
    }
    if context["is_owner"]:
        shared = {s["organisation"]["id"] for s in program["shared_with"]}
        context["employers"] = [
            o for o in accounts.list_orgs(db, OrgKind.EMPLOYER.value) if o["id"] not in shared
        ]
    return context


@router.get("/ui/programs/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, program_id: int) -> Response:
    actor = signed_in(request)
    return page(request, "program.html", _program_context(request, actor, program_id))


@router.post("/ui/programs/{program_id}/share")
async def share(request: Request, program_id: int) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    raw = str(form.get("organisation_id") or "")
    if not raw.isdigit():
        raise BadInputError("choose an employer to share the program with")
    await run_in_threadpool(programs.share_program, get_db(request), actor, program_id, int(raw))
    return redirect(f"/ui/programs/{program_id}?msg=shared")


@router.post("/ui/programs/{program_id}/unshare")
async def unshare(request: Request, program_id: int) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    raw = str(form.get("organisation_id") or "")
    if raw.isdigit():
        await run_in_threadpool(programs.unshare_program, get_db(request), actor, program_id, int(raw))
    return redirect(f"/ui/programs/{program_id}?msg=unshared")


@router.post("/ui/programs/{program_id}/versions")
async def new_version(request: Request, program_id: int) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    program = _form_program(form)
    note = str(form.get("note") or "")
    await run_in_threadpool(programs.add_version, get_db(request), actor, program_id, program, note=note)
    aligned = await run_in_threadpool(_align, request, actor, program_id)
    return redirect(f"/ui/programs/{program_id}?msg={'version' if aligned else 'not-aligned'}")


@router.post("/ui/programs/{program_id}/snapshots")
async def realign(request: Request, program_id: int) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    aligned = await run_in_threadpool(_align, request, actor, program_id)
    return redirect(f"/ui/programs/{program_id}?msg={'aligned' if aligned else 'not-aligned'}")


# -- the employer review form ----------------------------------------------------------------------
def _review_context(
    request: Request,
    actor: Actor,
    program_id: int,
    *,
    entered: dict[str, dict[str, str]] | None = None,
    conflicts: list[dict[str, Any]] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    if actor.role is not Role.EMPLOYER:
        programs.get_program(get_db(request), actor, program_id)  # 404 before 403
        raise ForbiddenError("only employers review programs; the program page shows every decision")
    db = get_db(request)
    program = programs.get_program(db, actor, program_id)
    try:
        snapshot = snapshots.get_snapshot(db, actor, program_id)
    except NotFoundError:
        raise NotFoundError("this program has no alignment to review yet") from None
    mine = {
        (r["occupation"], r["skill"]): r
        for r in reviews.list_reviews(db, actor, program_id, snapshot["id"])
        if r["organisation"]["id"] == actor.org_id
    }
    groups: list[dict[str, Any]] = []
    for subject in snapshot["subjects"]:
        row = {**subject, "review": mine.get((subject["occupation"], subject["skill"]))}
        typed = (entered or {}).get(subject["id"])
        row["value"] = typed["decision"] if typed else (row["review"] or {}).get("decision", "")
        row["comment_value"] = typed["comment"] if typed else (row["review"] or {}).get("comment", "")
        if subject["kind"] == "occupation":
            groups.append({"occupation": row, "skills": []})
        else:
            groups[-1]["skills"].append(row)
    return {
        "title": f"Review: {program['title']}",
        "program": program,
        "snapshot": snapshot,
        "groups": groups,
        "saved": request.query_params.get("saved"),
        "conflicts": conflicts or [],
        "error": error,
        "max_comment": MAX_COMMENT_CHARS,
    }


@router.get("/ui/programs/{program_id}/review", response_class=HTMLResponse)
def review_form(request: Request, program_id: int) -> Response:
    actor = signed_in(request)
    return page(request, "review.html", _review_context(request, actor, program_id))


def _form_reviews(
    form: Any, subjects: list[dict[str, Any]]
) -> tuple[list[ReviewInput], dict[str, dict[str, str]]]:
    """Reviews from the form: each row's own decision, else its occupation's bulk decision for
    taught (or not taught) competencies."""
    items: list[ReviewInput] = []
    entered: dict[str, dict[str, str]] = {}
    bulk: dict[str, str] = {}
    for subject in subjects:
        sid = subject["id"]
        if subject["kind"] == "occupation":
            bulk = {g: str(form.get(f"bulk-{g}-{sid}") or "") for g in ("taught", "missing")}
        decision = str(form.get(f"decision-{sid}") or "")
        if not decision and subject["kind"] == "skill":
            grade = subject.get("grade") or ("taught" if subject.get("covered") else "not taught")
            decision = bulk.get(
                "taught" if grade == "taught" else "missing" if grade == "not taught" else "", ""
            )
        comment = str(form.get(f"comment-{sid}") or "")
        entered[sid] = {"decision": decision, "comment": comment}
        if not decision:
            continue
        raw_version = str(form.get(f"version-{sid}") or "")
        items.append(
            ReviewInput(
                occupation=subject["occupation"],
                skill=subject["skill"],
                decision=decision,
                comment=comment,
                version=int(raw_version) if raw_version.isdigit() else None,
            )
        )
    return items, entered


@router.post("/ui/programs/{program_id}/review", response_class=HTMLResponse)
async def review_submit(request: Request, program_id: int) -> Response:
    form = await request.form()
    actor = await run_in_threadpool(signed_in, request)
    require_form_csrf(request, str(form.get("csrf_token") or ""))
    db = get_db(request)
    raw_snapshot = str(form.get("snapshot_id") or "")
    if not raw_snapshot.isdigit():
        raise BadInputError("the form has no snapshot id; reload the page")
    snapshot = await run_in_threadpool(snapshots.get_snapshot, db, actor, program_id, int(raw_snapshot))
    items, entered = _form_reviews(form, snapshot["subjects"])
    try:
        result = await run_in_threadpool(reviews.submit_reviews, db, actor, program_id, snapshot["id"], items)
    except ConflictError as exc:
        conflicts = exc.details.get("conflicts", [])
        stale = {(c["occupation"], c["skill"]) for c in conflicts}
        kept = {
            s["id"]: entered[s["id"]]
            for s in snapshot["subjects"]
            if (s["occupation"], s["skill"]) not in stale
        }
        rerender = partial(
            _review_context, request, actor, program_id, entered=kept, conflicts=conflicts, error=exc.message
        )
        return page(request, "review.html", await run_in_threadpool(rerender), 409)
    except BadInputError as exc:
        rerender = partial(_review_context, request, actor, program_id, entered=entered, error=exc.message)
        return page(request, "review.html", await run_in_threadpool(rerender), 422)
    saved = len(result["created"]) + len(result["updated"])
    return redirect(f"/ui/programs/{program_id}/review?saved={saved}")
