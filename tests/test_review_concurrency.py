"""50 concurrent clients update the same review over real HTTP (uvicorn on 127.0.0.1), on a
SQLite file and on PostgreSQL: every update is applied or answered 409, the audit log has
exactly one entry per applied update, and no update is lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from review_support import WELDING, serve_in_thread
from sqlalchemy import select

from matcher.db import Database
from matcher.program import Program
from matcher.review import Actor, accounts, programs, reviews, snapshots
from matcher.review.auth import authenticate_key
from matcher.review.tables import AuditEntry
from matcher.settings import Settings
from service.app import create_app

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL)

CLIENTS = 50
MAX_ATTEMPTS = 200


@pytest.fixture
def served(db_url: str, settings, matcher) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The service on a free 127.0.0.1 port over ``db_url``, with one review to fight over."""
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=db_url)
    db = Database(db_url)
    cli = Actor.command_line("test")
    accounts.create_org(db, cli, name="Provider", kind="provider", state="NJ")
    employer = accounts.create_org(db, cli, name="Employer", kind="employer", state="NJ")
    accounts.create_user(db, cli, email="p@example.org", name="Pat", role="provider", org="Provider")
    accounts.create_user(db, cli, email="e@example.org", name="Erin", role="employer", org="Employer")
    _, pkey = accounts.create_api_key(db, cli, user="p@example.org")
    _, ekey = accounts.create_api_key(db, cli, user="e@example.org")
    prov, emp = authenticate_key(db, pkey), authenticate_key(db, ekey)
    pid = programs.create_program(db, prov, Program(**WELDING))["id"]
    programs.share_program(db, prov, pid, employer["id"])
    snapshots.compute_snapshot(db, prov, pid, matcher)
    review = reviews.create_review(db, emp, pid, occupation="51-4121.00", decision="nice_to_have")

    with serve_in_thread(create_app(s, matcher)) as base:
        assert httpx.get(f"{base}/reviews/{review['id']}", headers={"X-API-Key": ekey}).status_code == 200
        yield {"base": base, "key": ekey, "review": review, "db": db}
    db.dispose()


def test_fifty_clients_update_one_review(served: dict[str, Any], db_url: str, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("INFO", logger="matcher.review.reviews")
    rid = served["review"]["id"]
    barrier = threading.Barrier(CLIENTS)
    lock = threading.Lock()
    applied: list[dict[str, Any]] = []  # (client, attempt, version returned)
    statuses: dict[int, int] = {}

    def client(i: int) -> None:
        version = 1  # everyone starts from the version they all saw
        with httpx.Client(base_url=served["base"], headers={"X-API-Key": served["key"]}, timeout=120) as c:
            barrier.wait()
            for attempt in range(MAX_ATTEMPTS):
                r = c.patch(f"/reviews/{rid}", json={"version": version, "comment": f"client {i}"})
                with lock:
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code == 200:
                    with lock:
                        applied.append({"client": i, "attempt": attempt, "version": r.json()["version"]})
                    return
                assert r.status_code == 409, r.text
                version = r.json()["error"]["details"]["current"]["version"]  # retry on the current state

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.monotonic() - started

    assert set(statuses) <= {200, 409}, statuses  # every answer: applied or conflict
    assert statuses[200] == len(applied) == CLIENTS  # everyone got through, eventually
    assert statuses.get(409, 0) >= CLIENTS - 1  # the first round alone has 49 losers
    assert sum(1 for a in applied if a["attempt"] == 0) == 1  # one winner among equal versions
    assert sorted(a["version"] for a in applied) == list(range(2, CLIENTS + 2))  # no version twice

    final = httpx.get(f"{served['base']}/reviews/{rid}", headers={"X-API-Key": served["key"]}).json()
    assert final["version"] == CLIENTS + 1
    with served["db"].session() as s:
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "review", AuditEntry.entity_id == str(rid))
                .where(AuditEntry.action == "review.update")
                .order_by(AuditEntry.id)
            )
        )
    assert len(entries) == len(applied)  # exactly one audit entry per applied update
    chain = [(e.before["version"], e.after["version"]) for e in entries]  # type: ignore[index]
    assert chain == [(v, v + 1) for v in range(1, CLIENTS + 1)]  # each update saw the previous one
    by_version = {a["version"]: f"client {a['client']}" for a in applied}
    assert [e.after["comment"] for e in entries] == [by_version[v] for v in range(2, CLIENTS + 2)]  # type: ignore[index]
    assert final["comment"] == by_version[CLIENTS + 1]
    raced = sum("committed first" in r.getMessage() for r in caplog.records)  # lost at UPDATE time
    dialect = db_url.split(":")[0]
    print(f"\n{dialect}: {CLIENTS} clients, {sum(statuses.values())} requests {statuses}, {elapsed:.1f} s")
    print(
        f"{dialect}: 409s decided by the version check {statuses[409] - raced}, by the locked UPDATE {raced}"
    )
