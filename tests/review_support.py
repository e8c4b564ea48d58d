"""A small sector partnership for the review tests (helpers, no tests): two providers, three
employers, reviewers in two states and an admin, built through the library as an operator
would, with one API key per user."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from matcher.db import Database
from matcher.review import Actor, accounts
from matcher.review.auth import authenticate_key

PASSWORD = "correct-horse-battery"
ORGS = [
    ("Provider A", "provider", "NJ"),
    ("Provider B", "provider", "NJ"),
    ("Employer 1", "employer", "NJ"),
    ("Employer 2", "employer", "NJ"),
    ("Employer 3", "employer", "NJ"),
    ("NJ Office", "state", "NJ"),
    ("NY Office", "state", "NY"),
]
USERS = [
    ("prov_a", "provider", "Provider A"),
    ("prov_b", "provider", "Provider B"),
    ("emp1", "employer", "Employer 1"),
    ("emp2", "employer", "Employer 2"),
    ("emp3", "employer", "Employer 3"),
    ("rev_nj", "reviewer", "NJ Office"),
    ("rev_ny", "reviewer", "NY Office"),
    ("admin", "admin", "NJ Office"),
]


@dataclass
class Partnership:
    db: Database
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # user handle -> API key
    actors: dict[str, Actor] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[who]}


def email(handle: str) -> str:
    return f"{handle}@example.org"


def build_partnership(db: Database, *, passwords: tuple[str, ...] = ()) -> Partnership:
    """Organisations and users of :data:`ORGS` and :data:`USERS`, each user with an API key;
    users named in ``passwords`` also get :data:`PASSWORD` (argon2 is slow on purpose)."""
    cli = Actor.command_line("test")
    p = Partnership(db)
    for name, kind, state in ORGS:
        p.orgs[name] = accounts.create_org(db, cli, name=name, kind=kind, state=state)
    for handle, role, org in USERS:
        accounts.create_user(
            db,
            cli,
            email=email(handle),
            name=handle.replace("_", " ").title(),
            role=role,
            org=org,
            password=PASSWORD if handle in passwords else None,
        )
        _, p.keys[handle] = accounts.create_api_key(db, cli, user=email(handle), label="tests")
        p.actors[handle] = authenticate_key(db, p.keys[handle])
    return p


WELDING = {
    "title": "Welding Certificate",
    "description": (
        "Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon steel and aluminum "
        "in flat, horizontal and vertical positions. Blueprint reading and weld symbols. "
        "Oxy-fuel and plasma cutting. Shop safety and OSHA 10."
    ),
    "credential": "AWS Certified Welder",
    "clock_hours": 300,
}


def shared_welding_program(db: Database, matcher: Any) -> tuple[Partnership, int]:
    """:func:`build_partnership`, plus provider A's welding program shared with Employer 1 and
    aligned (one snapshot); returns the partnership and the program id."""
    from matcher.program import Program
    from matcher.review import programs, snapshots

    p = build_partnership(db)
    pid = programs.create_program(db, p.actors["prov_a"], Program(**WELDING))["id"]
    programs.share_program(db, p.actors["prov_a"], pid, p.orgs["Employer 1"]["id"])
    snapshots.compute_snapshot(db, p.actors["prov_a"], pid, matcher)
    return p, pid


@contextmanager
def serve_in_thread(app: Any, **config: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free 127.0.0.1 port in a thread; yields the base URL.
    ``config``: more ``uvicorn.Config`` options (e.g. ``log_level``)."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = {"log_level": "warning", **config}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
