"""One JSON decoding path (matcher/text/json_input.py, service/json_body.py): the same hostile bodies
against every route that takes a body, enumerated from the app itself (a new route is covered
without touching this file), anonymous and with an admin's key: each is 422 in the one error
shape, never 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from matcher.db import Database
from matcher.review import Actor, accounts
from matcher.settings import Settings
from service.app import create_app
from service.json_body import BODY_METHODS

HOSTILE = {
    "arrays 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "objects 5,000 deep": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "deep inside a program": b'{"title": "Welding", "courses": ' + b"[" * 2000 + b"]" * 2000 + b"}",
    "integer of 5,000 digits": b'{"title": "Welding", "clock_hours": ' + b"9" * 5000 + b"}",
    "NaN": b'{"title": "Welding", "clock_hours": NaN}',
    "-Infinity": b'{"title": "Welding", "weeks": -Infinity}',
    "unpaired surrogate": b'{"title": "\\ud800 Welding", "description": "x", "comment": "\\udfff"}',
    "not UTF-8": b'{"title": "Weld\xffing"}',
    "truncated": b'{"title": "Welding", "description": ',
}
JSON_TYPES = ["application/json", "application/ld+json", None]


@pytest.fixture(scope="module")
def app_and_key(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('json') / 'json.db'}"
    db = Database(url)
    cli = Actor.command_line("test")
    accounts.create_org(db, cli, name="NJ Office", kind="state", state="NJ")
    accounts.create_user(db, cli, email="admin@example.org", name="Admin", role="admin", org="NJ Office")
    key = accounts.create_api_key(db, cli, user="admin@example.org", label="tests")[1]
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=url)
    return create_app(s, matcher=None), key


def api_routes(routes: list) -> Iterator[APIRoute]:  # type: ignore[type-arg]
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # a router included in the app
            yield from api_routes(route.original_router.routes)


def body_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for route in api_routes(app.routes):
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        out += [(method, path) for method in sorted(route.methods & BODY_METHODS)]
    return out


def test_every_body_route_is_enumerated(app_and_key) -> None:  # type: ignore[no-untyped-def]
    routes = body_routes(app_and_key[0])
    for expected in [
        ("POST", "/align"),
        ("POST", "/postings"),
        ("PATCH", "/reviews/1"),
        ("POST", "/ui/login"),
    ]:
        assert expected in routes
    assert len(routes) >= 25


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_json_is_422_on_every_route(app_and_key, name: str) -> None:  # type: ignore[no-untyped-def]
    app, key = app_and_key
    client = TestClient(app, raise_server_exceptions=False)
    body = HOSTILE[name]
    wrong = []
    for i, (method, path) in enumerate(body_routes(app)):
        content_type = JSON_TYPES[i % len(JSON_TYPES)]
        for headers in ({}, {"X-API-Key": key}):
            if content_type:
                headers = {**headers, "Content-Type": content_type}
            r = client.request(method, path, content=body, headers=headers)
            shape = r.headers.get("content-type", "").startswith("application/json") and set(r.json()) == {
                "error"
            }
            if r.status_code != 422 or not shape or r.json()["error"]["code"] != "bad_input":
                wrong.append(f"{method} {path} {headers.get('Content-Type')}: {r.status_code} {r.text[:120]}")
    assert not wrong, "\n".join(wrong)


def test_json_lines_are_checked_line_by_line(app_and_key) -> None:  # type: ignore[no-untyped-def]
    app, key = app_and_key
    client = TestClient(app)
    body = b'{"title": "Welder", "description": "MIG welding"}\n' + b"[" * 1000 + b"]" * 1000 + b"\n"
    r = client.post(
        "/postings", content=body, headers={"X-API-Key": key, "Content-Type": "application/x-ndjson"}
    )
    assert r.status_code == 422 and "line 2" in r.json()["error"]["message"]


def test_ordinary_json_reaches_the_route(app_and_key) -> None:  # type: ignore[no-untyped-def]
    app, key = app_and_key
    client = TestClient(app)
    nested = {"title": "Welding", "courses": [{"title": "MIG", "outcomes": [{"text": "Weld a joint"}]}]}
    assert client.post("/align", json=nested).status_code == 503  # past the decoder: no matcher here
    r = client.post("/organisations", json={"name": "Org", "kind": "provider", "state": "NJ"})
    assert r.status_code == 401  # past the decoder, refused by the route
