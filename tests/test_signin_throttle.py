"""Sign-in throttling (service/signin.py): per account and per address, the same for the web
form and the API, with backoff, a temporary lock, 429 + Retry-After, and audit entries that
never hold the password. Real argon2, real database, in-process TestClient."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from review_support import PASSWORD, email
from sqlalchemy import select

from matcher.db import Database
from matcher.review import Actor, accounts
from matcher.review.tables import AuditEntry
from matcher.settings import Settings
from service.app import create_app

WRONG = "not-the-password-0123"


def _app(settings: Settings, tmp_path, **limits):  # type: ignore[no-untyped-def]
    """An app with limit_scale=1 over a database with three users who have passwords (emp1 also
    an API key); returns (app, user ids by handle, emp1's key headers, database)."""
    url = f"sqlite:///{tmp_path / 'signin.db'}"
    db = Database(url)
    cli = Actor.command_line("test")
    accounts.create_org(db, cli, name="Provider A", kind="provider", state="NJ")
    accounts.create_org(db, cli, name="Employer 1", kind="employer", state="NJ")
    ids = {}
    for handle, role, org in (
        ("emp1", "employer", "Employer 1"),
        ("emp2", "employer", "Employer 1"),
        ("prov_a", "provider", "Provider A"),
    ):
        user = accounts.create_user(
            db, cli, email=email(handle), name=handle.title(), role=role, org=org, password=PASSWORD
        )
        ids[handle] = user["id"]
    key = {"X-API-Key": accounts.create_api_key(db, cli, user=email("emp1"), label="tests")[1]}
    return _limited_app(settings, url, **limits), ids, key, db


def _limited_app(settings: Settings, url: str, **limits):  # type: ignore[no-untyped-def]
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=url, limit_scale=1, **limits)
    return create_app(s, matcher=None)


def _form_post(client: TestClient, who: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/ui/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"email": email(who), "password": password, "csrf_token": token}
    return client.post("/ui/login", data=data, follow_redirects=False)


def test_eleventh_wrong_password_in_a_minute_gets_429_for_the_api_and_the_form(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, ids, _, db = _app(settings, tmp_path, login_backoff_seconds=0.01)  # default limits, short backoff
    api, form = TestClient(app), TestClient(app)
    started = time.monotonic()
    answers = [api.post("/auth/login", json={"email": email("emp1"), "password": WRONG}) for _ in range(11)]
    assert [r.status_code for r in answers] == [401] * 10 + [429]
    assert time.monotonic() - started < 60  # all eleven within the minute
    locked = answers[-1]
    assert 14 * 60 <= int(locked.headers["Retry-After"]) <= 15 * 60  # MATCHER_LOGIN_LOCK_MINUTES=15
    assert locked.json()["error"]["code"] == "too_many_requests"
    right = api.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD})
    assert right.status_code == 429  # locked: even the right password waits
    answers = [_form_post(form, "emp2", WRONG) for _ in range(11)]
    assert [r.status_code for r in answers] == [401] * 10 + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 14 * 60
    assert "Too many failed sign-ins" in answers[-1].text
    assert _form_post(form, "prov_a", PASSWORD).status_code == 303  # other accounts sign in
    with db.session() as s:
        rows = list(
            s.scalars(select(AuditEntry).where(AuditEntry.action.in_(["auth.failed", "auth.locked"])))
        )
    emp1 = str(ids["emp1"])
    assert sum(r.action == "auth.failed" and r.entity_id == emp1 for r in rows) == 10
    assert sum(r.action == "auth.locked" and r.entity_id == emp1 for r in rows) == 1
    assert all(r.entity == "user" and r.after["address"] == "testclient" for r in rows)
    assert not [r for r in rows if WRONG in str(r.after) or PASSWORD in str(r.after) or WRONG in r.actor]


def test_failures_are_answered_later_and_counted_per_address(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, _, _, db = _app(settings, tmp_path, login_failures_address="5/minute")  # default backoff 0.25 s
    client = TestClient(app)
    timings = []
    for i in range(5):  # five unknown accounts from one address
        started = time.monotonic()
        r = client.post("/auth/login", json={"email": f"guess{i}@example.org", "password": WRONG})
        timings.append(time.monotonic() - started)
        assert r.status_code == 401
    assert timings[4] - timings[1] >= 0.4  # the fifth waited 0.25 s per failure beyond two
    r = client.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD})
    assert r.status_code == 429 and "address" in r.json()["error"]["message"]
    other = TestClient(app, client=("192.0.2.9", 40000))
    assert other.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD}).status_code == 200
    with db.session() as s:
        locked = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.locked")).one()
    assert locked.entity == "user"  # the attempt that started the lock named a real account
    assert locked.after["locked"] == "address"


def test_a_successful_sign_in_clears_the_account_failures(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, _, _, db = _app(settings, tmp_path, login_failures="3/minute", login_backoff_seconds=0)
    client = TestClient(app)
    for _ in range(3):
        assert client.post("/auth/login", json={"email": email("emp1"), "password": WRONG}).status_code == 401
    # a fourth attempt would start the lock; a right password before it clears the count
    app2 = _limited_app(settings, db.url, login_failures="3/minute", login_backoff_seconds=0)
    client2 = TestClient(app2)
    for _ in range(2):
        client2.post("/auth/login", json={"email": email("emp1"), "password": WRONG})
    assert client2.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD}).status_code == 200
    for _ in range(3):
        assert (
            client2.post("/auth/login", json={"email": email("emp1"), "password": WRONG}).status_code == 401
        )
    assert client.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD}).status_code == 429


def test_wrong_api_keys_count_against_their_address(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, _, key, _ = _app(settings, tmp_path, login_failures_address="3/minute", login_backoff_seconds=0)
    client = TestClient(app)
    made_up = {"X-API-Key": "smk_0123456789ab_" + "y" * 30}
    assert [client.get("/auth/me", headers=made_up).status_code for _ in range(3)] == [401] * 3
    refused = client.get("/auth/me", headers=key)  # the address is locked now
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 60
    other = TestClient(app, client=("192.0.2.10", 40000))
    assert other.get("/auth/me", headers=key).status_code == 200
