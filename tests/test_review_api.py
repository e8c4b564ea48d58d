"""The review API through FastAPI's TestClient over a real SQLite file and the real matcher:
the role matrix (role x route x own/other resource), credentials, bad input, optimistic
locking, sessions with CSRF, and the OpenAPI documentation of roles."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from review_support import PASSWORD, WELDING, Partnership, build_partnership, email

from matcher.db import Database
from matcher.program import Program
from matcher.review import programs, reviews, snapshots
from matcher.settings import Settings
from service.app import create_app

REVIEW_MODULES = {"auth", "organisations", "programs", "snapshots", "reviews", "audit"}


@pytest.fixture(scope="module")
def world(settings, matcher, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Provider A's welding program shared with employers 1 and 2 and aligned; provider B's
    program shared with nobody; one occupation review by employer 1."""
    home = tmp_path_factory.mktemp("review-api")
    s = Settings(
        data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'review.db'}"
    )
    db = Database(s.db_url)
    p = build_partnership(db, passwords=("emp1", "prov_a"))
    pa = programs.create_program(db, p.actors["prov_a"], Program(**WELDING))["id"]
    for org in ("Employer 1", "Employer 2"):
        programs.share_program(db, p.actors["prov_a"], pa, p.orgs[org]["id"])
    snap = snapshots.compute_snapshot(db, p.actors["prov_a"], pa, matcher)
    pb = programs.create_program(db, p.actors["prov_b"], Program(title="CDL Class A", description="Trucks."))[
        "id"
    ]
    r1 = reviews.create_review(db, p.actors["emp1"], pa, occupation="51-4121.00", decision="required_at_hire")
    skills = [
        x["skill"] for x in snap["subjects"] if x["kind"] == "skill" and x["occupation"] == "51-4121.00"
    ]
    app = create_app(s, matcher)
    with TestClient(app) as client:
        yield {
            "client": client,
            "p": p,
            "pa": pa,
            "pb": pb,
            "r1": r1["id"],
            "snap": snap,
            "skills": skills,
            "db": db,
        }
    db.dispose()


def _call(world: dict[str, Any], who: str | None, method: str, path: str, body: Any = None):  # type: ignore[no-untyped-def]
    p: Partnership = world["p"]
    ids = {
        "pa": world["pa"],
        "pb": world["pb"],
        "r1": world["r1"],
        "e1": p.orgs["Employer 1"]["id"],
        "e3": p.orgs["Employer 3"]["id"],
        "huge": 2**70,
    }
    headers = p.headers(who) if who else {}
    return world["client"].request(method, path.format(**ids), json=body, headers=headers)


NEW_VERSION = {"program": {**WELDING, "description": WELDING["description"] + " Pipe welding."}}
SHARE_E3 = {"organisation_id": "{e3}"}
OCC_REVIEW = {"occupation": "51-4121.00", "decision": "not_needed"}
PATCH = {"version": 1, "comment": "changed"}
ORG = {"name": "New Org", "kind": "employer", "state": "NJ"}


def cases(method: str, path: str, body: Any = None, **expected: int) -> list[tuple[str, str, Any, str, int]]:
    return [(method, path, body, who, code) for who, code in expected.items()]


# (method, path, body, who, expected status): own vs other organisations' resources, per role.
MATRIX = [
    # read a program: owner, other provider, shared / unshared employer, reviewers in / out of state
    *cases(
        "GET", "/programs/{pa}", prov_a=200, prov_b=404, emp1=200, emp3=404, rev_nj=200, rev_ny=404, admin=200
    ),
    *cases("GET", "/programs/{pa}/snapshots/latest", emp2=200, emp3=404, rev_ny=404, prov_b=404),
    *cases("GET", "/programs/{pa}/versions/1", prov_b=404, rev_nj=200),
    *cases(
        "GET", "/programs/{pa}/reviews", prov_a=200, prov_b=404, emp2=200, emp3=404, rev_nj=200, rev_ny=404
    ),
    *cases("GET", "/reviews/{r1}", emp2=200, emp3=404, rev_ny=404, prov_b=404, admin=200),
    *cases("GET", "/programs/{pb}", emp1=404),
    # program writes: only the owning provider
    *cases(
        "POST", "/programs/{pa}/versions", NEW_VERSION, prov_b=404, emp1=403, emp3=404, rev_nj=403, admin=403
    ),
    *cases("POST", "/programs/{pa}/shares", SHARE_E3, prov_b=404, emp1=403, rev_nj=403, admin=403),
    *cases("DELETE", "/programs/{pa}/shares/{e1}", prov_b=404, emp2=403),
    *cases("POST", "/programs/{pa}/snapshots", prov_b=404, emp1=403, rev_nj=403, admin=403),
    *cases("POST", "/programs", {"program": WELDING}, emp1=403, rev_nj=403, admin=403),
    # reviews: employers of shared programs create; only the authoring organisation edits
    *cases(
        "POST", "/programs/{pa}/reviews", OCC_REVIEW, rev_nj=403, prov_a=403, admin=403, emp3=404, prov_b=404
    ),
    *cases("POST", "/programs/{pb}/reviews", OCC_REVIEW, emp1=404),
    *cases(
        "PATCH", "/reviews/{r1}", PATCH, emp2=403, emp3=404, rev_nj=403, prov_a=403, prov_b=404, admin=403
    ),
    *cases("PATCH", "/reviews/{r1}", PATCH, rev_ny=404),
    # a program's audit trail: whoever sees the program
    *cases(
        "GET", "/audit?program_id={pa}", prov_a=200, prov_b=404, emp1=200, emp3=404, rev_nj=200, rev_ny=404
    ),
    *cases("GET", "/audit?program_id={pa}", admin=200),
    # organisations, users, keys: admins manage; everyone lists organisations
    *cases("POST", "/organisations", ORG, prov_a=403, emp1=403, rev_nj=403),
    *cases("GET", "/users", prov_a=403, emp1=403, rev_nj=403, admin=200),
    *cases("POST", "/users/1/api-keys", {"label": "x"}, emp1=403),
    *cases("DELETE", "/api-keys/abcdefabcdef", rev_nj=403),
    *cases("GET", "/organisations", emp3=200, rev_ny=200, prov_b=200),
    # unknown ids are 404, however large
    *[
        (method, path, body, who, 404)
        for method, path, body, who in [
            ("GET", "/programs/999999", None, "admin"),
            ("GET", "/programs/{huge}", None, "admin"),
            ("GET", "/reviews/999999", None, "admin"),
            ("GET", "/reviews/{huge}", None, "admin"),
            ("GET", "/programs/{pa}/snapshots/999999", None, "admin"),
            ("GET", "/programs/{pa}/versions/99", None, "admin"),
            ("GET", "/audit?program_id=999999", None, "admin"),
            ("PATCH", "/reviews/999999", PATCH, "emp1"),
            ("POST", "/programs/999999/reviews", OCC_REVIEW, "emp1"),
            ("POST", "/programs/{pa}/shares", {"organisation_id": 999999}, "prov_a"),
        ]
    ],
]


def _fill(body: Any, world: dict[str, Any]) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, world) for k, v in body.items()}
    if body == "{e3}":
        return world["p"].orgs["Employer 3"]["id"]
    return body


@pytest.mark.parametrize(("method", "path", "body", "who", "expected"), MATRIX)
def test_role_matrix(world, method: str, path: str, body: Any, who: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    r = _call(world, who, method, path, _fill(body, world))
    assert r.status_code == expected, r.text
    if expected >= 400:
        err = r.json()["error"]
        assert err["status"] == expected and err["message"]


def test_listings_show_only_visible_programs(world) -> None:  # type: ignore[no-untyped-def]
    titles = {
        who: {p["title"] for p in _call(world, who, "GET", "/programs").json()["data"]}
        for who in ("prov_a", "prov_b", "emp1", "emp3", "rev_nj", "rev_ny", "admin")
    }
    assert titles["prov_a"] == {"Welding Certificate"} and titles["prov_b"] == {"CDL Class A"}
    assert titles["emp1"] == {"Welding Certificate"} and titles["emp3"] == set() and titles["rev_ny"] == set()
    assert titles["rev_nj"] == titles["admin"] == {"Welding Certificate", "CDL Class A"}
    entries = _call(world, "prov_b", "GET", "/audit").json()["data"]
    assert entries and all(e["program_id"] == world["pb"] for e in entries)
    everything = _call(world, "admin", "GET", "/audit?limit=1000").json()["data"]
    assert any(e["action"] == "organisation.create" for e in everything)


def test_wrong_or_missing_credentials_are_one_401(world) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = world["client"]
    key = world["p"].keys["emp1"]
    attempts = [
        {},
        {"X-API-Key": key[:-3] + "abc"},  # right prefix, wrong secret
        {"X-API-Key": "smk_000000000000_" + key.split("_", 2)[2]},  # unknown prefix
        {"X-API-Key": "not-a-key"},
        {"Cookie": "matcher_session=forged-session-token"},
    ]
    bodies = []
    for headers in attempts:
        r = client.get("/programs", headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("ApiKey")
        bodies.append(r.json())
    assert all(b == bodies[0] for b in bodies)
    assert bodies[0]["error"]["message"] == "invalid or missing credentials"
    r = client.post("/auth/login", json={"email": email("emp1"), "password": "wrong-password"})
    r2 = client.post("/auth/login", json={"email": "nobody@example.org", "password": PASSWORD})
    assert r.status_code == r2.status_code == 401 and r.json() == r2.json()


def test_provider_versions_shares_and_aligns_through_the_api(world) -> None:  # type: ignore[no-untyped-def]
    r = _call(world, "prov_a", "POST", "/programs", {"program": WELDING, "note": "first"})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = _call(world, "prov_a", "POST", f"/programs/{pid}/versions", NEW_VERSION)
    assert r.status_code == 201 and r.json()["latest_version"] == 2
    assert _call(world, "prov_a", "GET", f"/programs/{pid}/versions/1").json()["program"] == WELDING
    e3 = world["p"].orgs["Employer 3"]["id"]
    assert (
        _call(world, "prov_a", "POST", f"/programs/{pid}/shares", {"organisation_id": e3}).status_code == 201
    )
    assert (
        _call(world, "prov_a", "POST", f"/programs/{pid}/shares", {"organisation_id": e3}).status_code == 200
    )
    state = world["p"].orgs["NJ Office"]["id"]
    assert (
        _call(world, "prov_a", "POST", f"/programs/{pid}/shares", {"organisation_id": state}).status_code
        == 422
    )
    assert _call(world, "emp3", "GET", f"/programs/{pid}").status_code == 200
    r = _call(world, "prov_a", "POST", f"/programs/{pid}/snapshots", {"version": 1})
    assert r.status_code == 201, r.text
    snap = r.json()
    assert snap["version"] == 1 and snap["model_version"] and snap["data_versions"]["data"]["onet"] == "29.3"
    assert snap["occupations"][0]["code"] == "51-4121.00" and snap["subjects"]
    assert _call(world, "prov_a", "DELETE", f"/programs/{pid}/shares/{e3}").status_code == 204
    assert _call(world, "emp3", "GET", f"/programs/{pid}").status_code == 404


def test_review_lifecycle_bad_input_and_stale_versions(world) -> None:  # type: ignore[no-untyped-def]
    pa, skill = world["pa"], world["skills"][0]
    body = {"occupation": "51-4121.00", "skill": skill, "decision": "nice_to_have", "comment": "good"}
    r = _call(world, "emp2", "POST", "/programs/{pa}/reviews", body)
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["version"] == 1 and review["organisation"]["name"] == "Employer 2"
    dup = _call(world, "emp2", "POST", "/programs/{pa}/reviews", body)
    assert dup.status_code == 409 and dup.json()["error"]["details"]["current"]["id"] == review["id"]
    rid = review["id"]
    ok = _call(world, "emp2", "PATCH", f"/reviews/{rid}", {"version": 1, "decision": "required_at_hire"})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["comment"] == "good"
    stale = _call(world, "emp2", "PATCH", f"/reviews/{rid}", {"version": 1, "comment": "replayed"})
    assert stale.status_code == 409
    current = stale.json()["error"]["details"]["current"]
    assert (
        current["version"] == 2 and current["decision"] == "required_at_hire" and current["comment"] == "good"
    )
    long = "x" * 10_001
    assert (
        _call(world, "emp2", "PATCH", f"/reviews/{rid}", {"version": 2, "comment": long}).status_code == 422
    )
    assert (
        _call(world, "emp2", "POST", "/programs/{pa}/reviews", {**body, "comment": long}).status_code == 422
    )
    edge = _call(world, "emp2", "PATCH", f"/reviews/{rid}", {"version": 2, "comment": "y" * 10_000})
    assert edge.status_code == 200
    assert (
        _call(world, "emp2", "POST", "/programs/{pa}/reviews", {**body, "decision": "maybe"}).status_code
        == 422
    )
    unknown = _call(world, "emp2", "POST", "/programs/{pa}/reviews", {**body, "skill": "esco:http://nope"})
    assert unknown.status_code == 404 and "unknown skill id" in unknown.json()["error"]["message"]
    occ = _call(world, "emp2", "POST", "/programs/{pa}/reviews", {**body, "occupation": "99-0000.00"})
    assert occ.status_code == 404
    trail = _call(world, "rev_nj", "GET", f"/audit?program_id={pa}&entity=review&entity_id={rid}").json()[
        "data"
    ]
    assert [e["action"] for e in trail] == ["review.create", "review.update", "review.update"]
    assert (
        trail[1]["before"]["decision"] == "nice_to_have"
        and trail[1]["after"]["decision"] == "required_at_hire"
    )
    seen = _call(world, "rev_nj", "GET", "/programs/{pa}/reviews").json()["data"]
    mine = next(x for x in seen if x["id"] == rid)
    assert (
        mine["updated_by"]["name"] == "Emp2" and mine["updated_at"] and mine["decision"] == "required_at_hire"
    )


def test_session_cookie_needs_csrf_for_writes(world, settings) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = world["client"]
    r = client.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    csrf = r.json()["csrf_token"]
    assert client.get("/auth/me").json()["role"] == "employer"
    rid = world["r1"]
    version = client.get(f"/reviews/{rid}").json()["version"]
    body = {"version": version, "comment": "via the session"}
    assert client.patch(f"/reviews/{rid}", json=body).status_code == 403  # no CSRF token
    assert client.patch(f"/reviews/{rid}", json=body, headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    assert client.patch(f"/reviews/{rid}", json=body, headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.post("/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    client.cookies.set("matcher_session", cookie.split(";")[0].split("=", 1)[1])
    assert client.get("/auth/me").status_code == 401  # the session is gone server-side
    client.cookies.clear()
    secure = Settings(data_dir=settings.data_dir, home=settings.home, env="prod", session_secret="s" * 40)
    assert secure.secure_cookies
    with pytest.raises(ValueError, match="MATCHER_SESSION_SECRET"):
        Settings(data_dir=settings.data_dir, home=settings.home, env="prod")


def test_openapi_documents_every_review_route_and_its_roles(world) -> None:  # type: ignore[no-untyped-def]
    from fastapi.routing import APIRoute

    client: TestClient = world["client"]
    spec = client.get("/openapi.json").json()
    modules = [importlib.import_module(f"service.routes.{name}") for name in REVIEW_MODULES]
    ours = [r for m in modules for r in m.router.routes if isinstance(r, APIRoute)]
    assert len(ours) >= 22
    for route in ours:
        for method in route.methods:
            op = spec["paths"][route.path][method.lower()]
            assert "**Roles:**" in op["description"], f"{method} {route.path}"
            if route.path != "/auth/login":
                assert {"ApiKey", "SessionCookie"} <= {k for s in op["security"] for k in s}, route.path
    assert not [p for p in spec["paths"] if p.startswith("/ui")]


def test_web_pages_sign_in_and_form_csrf(world) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = world["client"]
    client.cookies.clear()
    r = client.get("/ui/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login")
    page = client.get("/ui/login")
    assert (
        page.status_code == 200
        and '<label for="email">' in page.text
        and '<label for="password">' in page.text
    )
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    r = client.post(
        "/ui/login", data={"email": email("prov_a"), "password": PASSWORD, "csrf_token": "forged"}
    )
    assert r.status_code == 403 and "expired" in r.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post(
        "/ui/login",
        data={"email": email("prov_a"), "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/ui/"
    program = client.get(f"/ui/programs/{world['pa']}")
    assert (
        program.status_code == 200 and "51-4121.00" in program.text and "Employer decisions" in program.text
    )
    r = client.post(f"/ui/programs/{world['pa']}/snapshots", data={"csrf_token": "forged"})
    assert r.status_code == 403 and "<h1>Not allowed</h1>" in r.text
    assert client.get(f"/ui/programs/{world['pb']}").status_code == 404
    assert client.get(f"/ui/programs/{world['pa']}/review").status_code == 403  # providers do not review
    client.cookies.clear()


def _ui_client(world, handle: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(world["client"].app)
    page = client.get("/ui/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post(
        "/ui/login",
        data={"email": email(handle), "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client


def _form_fields(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_review_form_conflicts_and_oversized_comments(world) -> None:  # type: ignore[no-untyped-def]
    subject = next(
        s for s in world["snap"]["subjects"] if s["kind"] == "skill" and s["skill"] == world["skills"][3]
    )
    sid, url = subject["id"], f"/ui/programs/{world['pa']}/review"
    tab1, tab2 = _ui_client(world, "emp1"), _ui_client(world, "emp1")  # two tabs, one employer
    form1, form2 = _form_fields(tab1.get(url).text), _form_fields(tab2.get(url).text)
    assert form1[f"version-{sid}"] == "" and form1["snapshot_id"] == str(world["snap"]["id"])

    saved = tab1.post(url, data={**form1, f"decision-{sid}": "not_needed"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    # The second tab still shows the form from before: its save must not overwrite the first.
    clash = tab2.post(url, data={**form2, f"decision-{sid}": "required_at_hire", f"comment-{sid}": "mine"})
    assert clash.status_code == 409
    assert "changed by someone else" in clash.text and "now “Not needed”" in clash.text
    assert _form_fields(clash.text)[f"version-{sid}"] == "1"  # the form now carries the current version
    mine = [
        r
        for r in reviews.list_reviews(world["db"], world["p"].actors["emp1"], world["pa"])
        if r["skill"] == subject["skill"]
    ]
    assert [(r["decision"], r["version"]) for r in mine] == [("not_needed", 1)]

    long = tab1.post(url, data={**form1, f"decision-{sid}": "nice_to_have", f"comment-{sid}": "z" * 10_001})
    assert long.status_code == 422 and "the limit is 10,000" in long.text
    assert 'value="nice_to_have" selected' in long.text  # what was typed is kept
    forged = tab1.post(url, data={**form1, "csrf_token": "0" * 64, f"decision-{sid}": "nice_to_have"})
    assert forged.status_code == 403


def test_sign_in_page_lists_the_demo_accounts_in_dev_only(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from matcher.review.demo import seed_demo

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    dev = Settings(data_dir=settings.data_dir, home=settings.home, database_url=url)
    db = Database(url)
    with TestClient(create_app(dev, matcher)) as client:
        assert "No demo accounts yet" in client.get("/ui/login").text  # not seeded: nothing to list
        seed_demo(db, env="dev")
        page = client.get("/ui/login").text
        assert "provider@demo.example" in page and "demo-provider-2026" in page
        assert "employer1@demo.example" in page and "demo-reviewer-2026" in page
    prod = dev.model_copy(update={"env": "prod", "session_secret": "s" * 40})
    with TestClient(create_app(prod, matcher)) as client:
        page = client.get("/ui/login").text
        assert page.count("<form") == 1 and "demo.example" not in page and "demo-" not in page
    db.dispose()
