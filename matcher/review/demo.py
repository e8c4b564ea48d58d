"""The demo partnership behind ``matcher admin seed-demo`` (and ``make run``): one training
provider, two employers, a state reviewer and an admin, and two real NJ ETPL programs shared
with the employers, each aligned once when a matcher is given.

Seeding is idempotent: organisations (by name), users (by email), programs (by provider and
title), shares and snapshots that exist are left as they are. It is refused outside
``MATCHER_ENV=dev``, because the demo passwords are public; and a database seeded in dev and
then served with ``MATCHER_ENV=prod`` has the demo accounts disabled at start-up
(:func:`disable_demo_accounts`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from matcher.db import Database
from matcher.errors import BadInputError, ForbiddenError
from matcher.program import Program
from matcher.review import accounts, audit, programs, snapshots
from matcher.review.actor import Actor
from matcher.review.auth import actor_for
from matcher.review.tables import AlignmentSnapshot, Organisation, ProgramRecord, User

if TYPE_CHECKING:
    from matcher.engine import Matcher

log = logging.getLogger(__name__)

FIXTURE = Path("fixtures") / "demo_partnership.json"  # in Settings.datasets_dir


def load_fixture(path: Path | None = None) -> dict[str, Any]:
    if path is None:
        from matcher.settings import get_settings

        path = get_settings().datasets_dir / FIXTURE
    if not path.is_file():
        raise BadInputError(f"demo fixture not found: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def seed_demo(
    db: Database,
    *,
    env: str = "dev",
    matcher: Matcher | None = None,
    fixture: Path | None = None,
) -> dict[str, Any]:
    """Load the demo partnership; returns what was created and the sign-in details."""
    if env != "dev":
        raise ForbiddenError("the demo partnership (public passwords) is only for MATCHER_ENV=dev")
    data = load_fixture(fixture)
    cli = Actor.command_line("cli:seed-demo")
    created: dict[str, int] = {"organisations": 0, "users": 0, "programs": 0, "shares": 0, "snapshots": 0}
    with db.session() as s:
        orgs = set(s.scalars(select(Organisation.name)))
        users = set(s.scalars(select(User.email)))
    for org in data["organisations"]:
        if org["name"] not in orgs:
            accounts.create_org(db, cli, name=org["name"], kind=org["kind"], state=data["state"])
            created["organisations"] += 1
    for user in data["users"]:
        if user["email"] not in users:
            accounts.create_user(
                db,
                cli,
                email=user["email"],
                name=user["name"],
                role=user["role"],
                org=user["organisation"],
                password=user["password"],
            )
            created["users"] += 1
    for item in data["programs"]:
        provider = _provider_actor(db, item["owner"])
        program = Program.model_validate(item["program"])
        program_id = _find_program(db, provider, program.title)
        if program_id is None:
            program_id = programs.create_program(db, provider, program, note="demo seed")["id"]
            created["programs"] += 1
        for name in item.get("share_with", []):
            with db.session() as s:
                org_id = accounts.find_org(s, name).id
            _, new = programs.share_program(db, provider, program_id, org_id)
            created["shares"] += int(new)
        if matcher is not None and not _has_snapshot(db, program_id):
            snapshots.compute_snapshot(db, provider, program_id, matcher)
            created["snapshots"] += 1
    log.info("demo partnership seeded: %s", created)
    return {
        "created": created,
        "sign_in": [
            {
                "email": u["email"],
                "password": u["password"],
                "role": u["role"],
                "organisation": u["organisation"],
            }
            for u in data["users"]
        ],
    }


def demo_accounts(db: Database, *, env: str, fixture: Path | None = None) -> list[dict[str, str]]:
    """The demo partnership's sign-in details (role, email, password, organisation) for the
    demo users that exist in ``db``; none outside ``MATCHER_ENV=dev`` (the passwords are
    public), none when the partnership is not loaded."""
    if env != "dev":
        return []
    users = load_fixture(fixture)["users"]
    with db.session() as s:
        present = set(s.scalars(select(User.email).where(User.email.in_([u["email"] for u in users]))))
    keys = ("role", "email", "password", "organisation")
    return [{k: u[k] for k in keys} for u in users if u["email"] in present]


def _provider_actor(db: Database, org_name: str) -> Actor:
    with db.session() as s:
        org = accounts.find_org(s, org_name)
        user = s.scalars(select(User).where(User.org_id == org.id, User.role == "provider").limit(1)).first()
        if user is None:
            raise BadInputError(f"the demo fixture has no provider user in {org_name!r}")
        return actor_for(user)


def _find_program(db: Database, provider: Actor, title: str) -> int | None:
    with db.session() as s:
        return s.scalar(
            select(ProgramRecord.id).where(
                ProgramRecord.owner_org_id == provider.org_id, ProgramRecord.title == title
            )
        )


def _has_snapshot(db: Database, program_id: int) -> bool:
    with db.session() as s:
        return (
            s.scalar(select(AlignmentSnapshot.id).where(AlignmentSnapshot.program_id == program_id))
            is not None
        )


def disable_demo_accounts(db: Database, fixture: Path | None = None) -> list[str]:
    """Deactivate every active user of the demo fixture (their passwords are published), with
    an audit entry each; their API keys and web sign-ins stop working with them. Returns the
    emails disabled (none when the database holds no demo account)."""
    emails = [u["email"] for u in load_fixture(fixture)["users"]]
    system = Actor.command_line("start-up: demo accounts are disabled in MATCHER_ENV=prod")
    disabled = []
    with db.transaction() as s:
        for user in s.scalars(select(User).where(User.email.in_(emails), User.active.is_(True))):
            user.active = False
            audit.record(s, system, "user.deactivate", user, before={"active": True}, after={"active": False})
            disabled.append(user.email)
    if disabled:
        log.warning("MATCHER_ENV=prod: demo accounts disabled (public passwords): %s", ", ".join(disabled))
    return disabled
