"""What an attacker's first hour found, each held by a test: secrets kept out of the access log,
slow request headers cut off, states checked, Origin checked on cookie-authenticated writes, no
cross-organisation email in the audit trail, exports that name the owning organisation, and
demo accounts disabled in prod. Real uvicorn where the point is the server, else TestClient."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from evidence_support import EvidenceWorld, make_world
from fastapi.testclient import TestClient
from review_support import PASSWORD, build_partnership, email, serve_in_thread
from sqlalchemy import select

from matcher.db import Database
from matcher.evidence import build_packet, to_ctdl, to_schema_org
from matcher.review.demo import load_fixture, seed_demo
from matcher.review.history import read_audit
from matcher.review.tables import AuditEntry
from matcher.settings import Settings
from service.app import create_app
from service.log_redaction import redact_url
from service.server import HeaderTimeoutProtocol


def _settings(settings: Settings, tmp_path, **kw: Any) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{tmp_path / 'h.db'}", **kw
    )


# -- access log ----------------------------------------------------------------------------------
def test_access_log_never_holds_a_secret(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = _settings(settings, tmp_path)
    p = build_partnership(Database(s.db_url))
    key = p.keys["admin"]
    log_file = tmp_path / "access.log"
    handler = logging.FileHandler(log_file)
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    try:
        with serve_in_thread(create_app(s, matcher), log_level="info", log_config=None) as base:
            for url in (
                f"/auth/me?api_key={key}",
                f"/occupations/search?q=welder&password={PASSWORD}&token=tok-123456789",
                f"/health?X-API-Key={key}&session=abcdef0123456789&csrf_token=c5rf-0123456789",
            ):
                httpx.get(base + url, timeout=30)
            httpx.get(f"{base}/auth/me", headers={"X-API-Key": key}, timeout=30)
    finally:
        access.removeHandler(handler)
        handler.close()
    text = log_file.read_text()
    assert text.count("GET /") == 4, text  # every request was logged ...
    secrets = (key, key.split("_", 2)[2], PASSWORD, "tok-123456789", "abcdef0123456789", "c5rf-0123456789")
    for secret in secrets:
        assert secret not in text  # ... and none of its secrets
    assert "q=welder" in text and "api_key=[redacted]" in text


def test_redact_url_keeps_ordinary_parameters() -> None:
    assert redact_url("/occupations/search?q=welder&k=5") == "/occupations/search?q=welder&k=5"
    assert redact_url("/x?apiKey=smk_1&q=a") == "/x?apiKey=[redacted]&q=a"
    assert redact_url("/x?passwd") == "/x?passwd=[redacted]"


# -- slow request headers ------------------------------------------------------------------------
def test_slow_request_headers_are_cut_off(settings, matcher, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(HeaderTimeoutProtocol, "header_timeout", 1.5)
    with serve_in_thread(
        create_app(_settings(settings, tmp_path), matcher), http=HeaderTimeoutProtocol
    ) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            started = time.monotonic()
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            closed = False
            for i in range(20):  # one header byte every 0.25 s: uvicorn alone would wait forever
                try:
                    sock.sendall(b"X-Slow: %d\r\n" % i)
                except OSError:
                    closed = True
                    break
                sock.settimeout(0.25)
                try:
                    if sock.recv(1024) == b"":
                        closed = True
                        break
                except TimeoutError:
                    pass
            waited = time.monotonic() - started
        assert closed and waited < 3.0
        r = httpx.get(f"{base}/health", timeout=30)  # an ordinary request is unaffected
        assert r.status_code in (200, 503)
    assert Settings().header_timeout_seconds <= 30


# -- states and Origin ---------------------------------------------------------------------------
def test_states_are_us_states_and_territories(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = _settings(settings, tmp_path)
    p = build_partnership(Database(s.db_url))
    client = TestClient(create_app(s, matcher=None))
    admin = p.headers("admin")
    for state, status in (("ZZ", 422), ("XX", 422), ("PR", 201), ("gu", 201), ("DC", 201)):
        r = client.post(
            "/organisations", json={"name": f"Org {state}", "kind": "employer", "state": state}, headers=admin
        )
        assert r.status_code == status, (state, r.text)
    assert (
        "territory"
        in client.post(
            "/organisations", json={"name": "Org Z", "kind": "employer", "state": "ZZ"}, headers=admin
        ).json()["error"]["message"]
    )


def test_cookie_authenticated_writes_must_come_from_this_site(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = _settings(settings, tmp_path)
    p = build_partnership(Database(s.db_url), passwords=("prov_a",))
    client = TestClient(create_app(s, matcher=None), base_url="http://matcher.test")
    signed = client.post("/auth/login", json={"email": email("prov_a"), "password": PASSWORD}).json()
    csrf = {"X-CSRF-Token": signed["csrf_token"]}
    body = {"program": {"title": "Welding", "description": "MIG welding."}}
    evil = client.post("/programs", json=body, headers={**csrf, "Origin": "https://evil.example"})
    assert evil.status_code == 403 and evil.json()["error"]["code"] == "forbidden"
    assert client.post("/programs", json=body, headers={**csrf, "Origin": "null"}).status_code == 403
    referer = {**csrf, "Referer": "https://evil.example/page"}
    assert client.post("/programs", json=body, headers=referer).status_code == 403
    ours = client.post("/programs", json=body, headers={**csrf, "Origin": "http://matcher.test"})
    assert ours.status_code == 201, ours.text
    assert client.post("/programs", json=body, headers=csrf).status_code == 201  # no Origin: not a browser
    keyed = TestClient(client.app)  # an API key, no cookie: Origin is not this check's business
    r = keyed.post("/programs", json=body, headers={**p.headers("prov_a"), "Origin": "https://tool.example"})
    assert r.status_code == 201
    allowed = Settings(**{**s.model_dump(), "allowed_origins": "https://matcher.example.org"})
    other = TestClient(create_app(allowed, matcher=None), base_url="http://internal:8000")
    signed = other.post("/auth/login", json={"email": email("prov_a"), "password": PASSWORD}).json()
    headers = {"X-CSRF-Token": signed["csrf_token"], "Origin": "https://matcher.example.org"}
    assert other.post("/programs", json=body, headers=headers).status_code == 201
    headers["Origin"] = "http://internal:8000"  # not listed
    assert other.post("/programs", json=body, headers=headers).status_code == 403


# -- audit trail and exports ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def world(settings, matcher, etpl, tmp_path_factory) -> Iterator[EvidenceWorld]:  # type: ignore[no-untyped-def]
    w = make_world(settings, matcher, etpl, tmp_path_factory.mktemp("hardening"), names=("welding",))
    yield w
    w.db.dispose()


def test_audit_shows_other_organisations_actors_without_email(world: EvidenceWorld) -> None:
    actors = world.partnership.actors
    entries = read_audit(world.db, actors["emp1"], program_id=world.ids["welding"])
    by_org: dict[Any, list[str]] = {}
    for e in entries:
        by_org.setdefault(e["actor_org_id"], []).append(e["actor"])
    emp1, emp2, prov = (actors[h].org_id for h in ("emp1", "emp2", "prov_a"))
    assert by_org[emp2] and by_org[prov]  # the other employer's reviews, the provider's writes
    for label in by_org[emp2] + by_org[prov]:
        assert "@" not in label and "(" in label  # "Emp2 (employer, Employer 2)"
    assert "Emp2 (employer, Employer 2)" in by_org[emp2]
    assert all(email("emp1") in label for label in by_org[emp1])  # one's own organisation: as written
    admin = read_audit(world.db, actors["admin"], program_id=world.ids["welding"])
    assert any(email("emp2") in e["actor"] for e in admin)  # admins read the trail as written


def test_exports_name_the_owning_organisation_not_a_typed_provider(world: EvidenceWorld) -> None:
    packet = build_packet(world.db, world.partnership.actors["rev_nj"], world.ids["welding"], world.settings)
    typed = packet["program"]["stated_provider"]
    assert typed and typed != "Provider A"  # the ETPL record names its provider
    assert packet["program"]["provider"] == "Provider A"
    ctdl, sdo = to_ctdl(packet), to_schema_org(packet)
    assert ctdl["ceterms:offeredBy"][0]["ceterms:name"]["en-US"] == "Provider A"
    assert sdo["provider"]["name"] == "Provider A"
    assert typed not in str(ctdl) and typed not in str(sdo)


def test_a_typed_provider_naming_another_organisation_is_only_a_stated_provider(
    world: EvidenceWorld, matcher
) -> None:  # type: ignore[no-untyped-def]
    from matcher.evidence import render_html
    from matcher.program import Program
    from matcher.review import programs, snapshots

    prov = world.partnership.actors["prov_a"]
    claim = "Garden State Technical Institute (demo)"
    pid = programs.create_program(
        world.db, prov, Program(title="Welding", provider=claim, description="MIG and TIG welding of steel.")
    )["id"]
    snapshots.compute_snapshot(world.db, prov, pid, matcher)
    packet = build_packet(world.db, world.partnership.actors["admin"], pid, world.settings)
    assert packet["program"]["provider"] == "Provider A" and packet["program"]["stated_provider"] == claim
    assert claim not in str(to_ctdl(packet)) and claim not in str(to_schema_org(packet))
    html = render_html(packet)
    assert "<dt>Stated provider</dt>" in html and "<dt>Provider</dt><dd>Provider A</dd>" in html


# -- demo accounts in prod -----------------------------------------------------------------------
def test_demo_accounts_are_disabled_when_served_in_prod(settings, matcher, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    db = Database(url)
    seed_demo(db, env="dev")  # seeded in dev, then served in prod
    users = load_fixture()["users"]
    secret = "x" * 40
    prod = Settings(
        data_dir=settings.data_dir, home=settings.home, database_url=url, env="prod", session_secret=secret
    )
    with caplog.at_level(logging.WARNING), TestClient(create_app(prod, matcher)) as client:
        for user in users:
            r = client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
            assert r.status_code == 401, user["email"]
    warning = " ".join(r.getMessage() for r in caplog.records if "demo accounts disabled" in r.getMessage())
    assert all(u["email"] in warning for u in users)
    with db.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "user.deactivate")))
    assert len(entries) == len(users) and all(e.actor.startswith("start-up") for e in entries)
    dev = Settings(data_dir=settings.data_dir, home=settings.home, database_url=url)
    with TestClient(create_app(dev, matcher)) as client:  # they stay disabled; nothing re-enables them
        r = client.post("/auth/login", json={"email": users[0]["email"], "password": users[0]["password"]})
        assert r.status_code == 401
