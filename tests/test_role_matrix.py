"""The role matrix over every route of the API: each operation in the OpenAPI schema has
expected answers per role (no credentials, providers owning or not owning the program,
employers it is or is not shared with, reviewers in and out of its state, admins), here or in
the review workflow's matrix (``tests/test_review_api.py``). A route added without an entry
fails :func:`test_every_route_is_in_the_matrix`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from review_support import WELDING, Partnership, shared_welding_program
from test_review_api import MATRIX as REVIEW_MATRIX

from matcher.db import Database
from matcher.settings import Settings
from service.app import create_app

ROLES = ("prov_a", "prov_b", "emp1", "emp3", "rev_nj", "rev_ny", "admin")
SEES_PA = {"prov_a": 200, "prov_b": 404, "emp1": 200, "emp3": 404, "rev_nj": 200, "rev_ny": 404, "admin": 200}
POSTING = {"title": "Welder", "description": "MIG and TIG welding of carbon steel.", "location": "Newark, NJ"}
GAPS = {"program": WELDING, "occupation": "51-4121.00", "limit": 3}
NEW_USER = {"email": "new@example.org", "name": "New", "role": "reviewer", "organisation_id": 6}  # NJ Office


@pytest.fixture(scope="module")
def world(settings, matcher, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Provider A's welding program, shared with Employer 1 and aligned; nothing else."""
    home = tmp_path_factory.mktemp("roles")
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'r.db'}")
    db = Database(s.db_url)
    p, pa = shared_welding_program(db, matcher)
    with TestClient(create_app(s, matcher)) as client:
        yield {"client": client, "p": p, "pa": pa}
    db.dispose()


# Routes that analyse what the request carries against the public reference data, or read
# aggregates of public postings: no organisation's data, nothing stored. Anyone may call them.
OPEN: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/health", {}),
    ("GET", "/occupations/search", {"params": {"q": "welder", "k": 3}}),
    ("GET", "/occupations/{code}", {}),
    ("GET", "/skills/search", {"params": {"q": "welding", "k": 3}}),
    ("POST", "/align", {"json": WELDING, "params": {"top_k": 2}}),
    ("POST", "/gaps", {"json": GAPS}),
    (
        "POST",
        "/programs/parse",
        {"files": {"file": ("w.txt", b"Welding\nMIG and TIG welding.", "text/plain")}},
    ),
    ("POST", "/extract", {"json": {"text": "Weld carbon steel with MIG and TIG."}}),
    ("POST", "/titles/code", {"json": {"titles": ["Welder helper"]}}),
    ("GET", "/postings/stats", {}),
    ("GET", "/occupations/{code}/demand", {}),
    (
        "POST",
        "/auth/login",
        {"json": {"email": "nobody@example.org", "password": "wrong"}},
    ),  # 401: no such user
]
# Secured routes added since the review workflow, and review routes the review matrix leaves
# out: (method, path, request, expected per role; no credentials is always 401).
SECURED: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    (
        "POST",
        "/postings",
        {"json": [POSTING]},
        {"prov_a": 403, "prov_b": 403, "emp1": 403, "emp3": 403, "rev_nj": 403, "rev_ny": 403, "admin": 200},
    ),
    ("GET", "/programs/{program_id}/evidence", {"params": {"format": "json"}}, SEES_PA),
    ("GET", "/programs/{program_id}/ctdl", {}, SEES_PA),
    ("GET", "/programs/{program_id}/schema-org", {}, SEES_PA),
    # review-workflow routes its matrix leaves to other tests: listing (filtered per role), new users
    ("GET", "/programs", {}, dict.fromkeys(ROLES, 200)),
    ("POST", "/users", {"json": NEW_USER}, {**dict.fromkeys(ROLES, 403), "admin": 201}),
    # list screening: admins and the state's reviewers screen; results are filtered per role
    (
        "POST",
        "/screenings",
        {"params": {"state": "NJ"}, "content": json.dumps([{"id": "w1", **WELDING}])},
        {**dict.fromkeys(ROLES, 403), "rev_nj": 200, "admin": 200},
    ),
    ("GET", "/screenings/results", {}, dict.fromkeys(ROLES, 200)),
    ("GET", "/screenings/results/{program_id}", {}, dict.fromkeys(ROLES, 404)),  # pa was not screened
    (
        "GET",
        "/screenings/{run_id}",
        {},
        {**dict.fromkeys(ROLES, 403), "rev_nj": 404, "rev_ny": 404, "admin": 404},
    ),
    # outcome figures: admins and the state's reviewers import (tests/test_outcomes.py)
    (
        "POST",
        "/outcomes",
        {
            "files": {"file": ("o.csv", b"program_id,period,completion_rate\nnj-1,2024,0.8\n", "text/csv")},
            "data": {"state": "NJ"},
        },
        {**dict.fromkeys(ROLES, 403), "rev_nj": 200, "admin": 200},
    ),
    # the portfolio of screened programs: filtered per role (tests/test_portfolio.py)
    ("GET", "/portfolio", {}, dict.fromkeys(ROLES, 200)),
    ("GET", "/portfolio/export", {"params": {"format": "csv"}}, dict.fromkeys(ROLES, 200)),
]


def _url(path: str, world: dict[str, Any]) -> str:
    return path.format(code="51-4121.00", program_id=world["pa"], run_id=999_999)


def _request(world: dict[str, Any], who: str | None, method: str, path: str, kw: dict[str, Any]):  # type: ignore[no-untyped-def]
    p: Partnership = world["p"]
    headers = p.headers(who) if who else {}
    return world["client"].request(method, _url(path, world), headers=headers, **kw)


@pytest.mark.parametrize(("method", "path", "kw"), OPEN, ids=[f"{m} {p}" for m, p, _ in OPEN])
def test_open_routes_answer_anyone(world, method: str, path: str, kw: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    expected = 401 if path == "/auth/login" else 200
    for who in (None, "emp3", "rev_ny"):
        r = _request(world, who, method, path, kw)
        assert r.status_code == expected, (who, r.text[:300])


@pytest.mark.parametrize(
    ("method", "path", "kw", "who", "expected"),
    [(m, p, kw, who, code) for m, p, kw, codes in SECURED for who, code in {None: 401, **codes}.items()],
)
def test_secured_routes_per_role(world, method, path, kw, who, expected) -> None:  # type: ignore[no-untyped-def]
    r = _request(world, who, method, path, kw)
    assert r.status_code == expected, r.text[:300]
    if expected >= 400:
        assert r.json()["error"]["status"] == expected


def test_every_secured_route_refuses_anonymous_callers(world) -> None:  # type: ignore[no-untyped-def]
    spec = world["client"].get("/openapi.json").json()
    secured = [
        (m.upper(), p) for p, ops in spec["paths"].items() for m, op in ops.items() if op.get("security")
    ]
    assert len(secured) >= 25
    for method, path in secured:
        url = path.format(
            program_id=world["pa"],
            snapshot_id=1,
            number=1,
            review_id=1,
            user_id=1,
            organisation_id=1,
            prefix="abcdefabcdef",
            run_id=1,
        )
        r = world["client"].request(method, url, json={})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", (method, path)


def test_every_route_is_in_the_matrix(world) -> None:  # type: ignore[no-untyped-def]
    spec = world["client"].get("/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    review = {(m, _template(p)) for m, p, *_ in REVIEW_MATRIX}
    covered = {(m, p) for m, p, _ in OPEN} | {(m, p) for m, p, *_ in SECURED} | review
    covered |= {("POST", "/auth/logout"), ("GET", "/auth/me")}  # sessions: tests/test_review_api.py
    missing = sorted(operations - covered)
    assert not missing, f"routes without expected answers per role: {missing}"
    for path, ops in spec["paths"].items():  # and every operation documents its roles
        for method, op in ops.items():
            assert "**Roles:**" in (op.get("description") or ""), f"{method} {path}"
            if (method.upper(), path) in {(m, p) for m, p, _ in OPEN}:
                assert "anyone" in op["description"] and not op.get("security"), f"{method} {path}"


def _template(path: str) -> str:
    """'/programs/{pa}/snapshots/latest' (a matrix row) -> '/programs/{program_id}/snapshots/latest'."""
    path = path.split("?")[0]
    parts = []
    for i, part in enumerate(path.split("/")):
        if part.startswith("{") or part.isdigit():
            before = path.split("/")[i - 1]
            part = {
                "programs": "{program_id}",
                "reviews": "{review_id}",
                "users": "{user_id}",
                "snapshots": "{snapshot_id}",
                "versions": "{number}",
                "shares": "{organisation_id}",
            }.get(before, part)
        parts.append(part)
    out = "/".join(parts)
    return out.replace("/api-keys/abcdefabcdef", "/api-keys/{prefix}")
