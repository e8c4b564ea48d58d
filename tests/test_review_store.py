"""The review workflow's library on a real SQLite file and real PostgreSQL: versions, snapshots
with the real matcher, reviews with optimistic locking, the audit log and its guards, keys."""

from __future__ import annotations

import pytest
from review_support import WELDING, build_partnership
from sqlalchemy import func, select, text

from matcher.db import Database
from matcher.errors import BadInputError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError
from matcher.program import Program
from matcher.review import Actor, accounts, programs, reviews, snapshots
from matcher.review.audit import AuditIntegrityError
from matcher.review.auth import authenticate_key
from matcher.review.policy import can_read_program, visible_programs
from matcher.review.reviews import ReviewInput
from matcher.review.tables import (
    ApiKey,
    AuditEntry,
    Organisation,
    ProgramRecord,
    ProgramShare,
    ProgramVersion,
)

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL), database


def _audit_count(db: Database, **where: str) -> int:
    with db.session() as s:
        q = select(func.count()).select_from(AuditEntry)
        for k, v in where.items():
            q = q.where(getattr(AuditEntry, k) == v)
        return s.scalar(q) or 0


def test_versions_are_never_overwritten(database: Database) -> None:
    p = build_partnership(database)
    prov = p.actors["prov_a"]
    created = programs.create_program(database, prov, Program(**WELDING))
    v2 = Program(**{**WELDING, "description": WELDING["description"] + " Pipe welding in 6G position."})
    updated = programs.add_version(database, prov, created["id"], v2, note="adds pipe welding")
    assert updated["latest_version"] == 2 and updated["version"]["note"] == "adds pipe welding"
    first = programs.get_version(database, prov, created["id"], 1)
    assert first["program"]["description"] == WELDING["description"]
    assert first["content_sha256"] != updated["version"]["content_sha256"]
    # A version row cannot be changed, even by code that tries.
    with pytest.raises(AuditIntegrityError), database.transaction() as s:
        row = s.scalar(select(ProgramVersion).where(ProgramVersion.number == 1))
        assert row is not None
        row.content = {"title": "rewritten"}
    assert programs.get_version(database, prov, created["id"], 1)["program"]["title"] == WELDING["title"]


def test_every_write_has_its_audit_entry_and_none_can_skip_it(database: Database) -> None:
    p = build_partnership(database)
    before = _audit_count(database)
    prov = p.actors["prov_a"]
    created = programs.create_program(database, prov, Program(**WELDING))
    programs.share_program(database, prov, created["id"], p.orgs["Employer 1"]["id"])
    programs.share_program(database, prov, created["id"], p.orgs["Employer 1"]["id"])  # no change, no entry
    assert _audit_count(database) == before + 3  # program, version 1, share
    assert _audit_count(database, action="program.share", entity_id=f"{created['id']}:3") == 1
    # A write that bypasses audit.record is refused at commit and leaves nothing behind.
    with pytest.raises(AuditIntegrityError), database.transaction() as s:
        s.add(Organisation(name="Sneaky", kind="employer", state="NJ"))
    with database.session() as s:
        assert s.scalar(select(Organisation).where(Organisation.name == "Sneaky")) is None
    with pytest.raises(AuditIntegrityError), database.transaction() as s:
        share = s.scalars(select(ProgramShare)).first()
        s.delete(share)
    assert len(programs.get_program(database, prov, created["id"])["shared_with"]) == 1


def test_the_audit_log_is_append_only_in_the_database(database: Database) -> None:
    cli = Actor.command_line("test")
    accounts.create_org(database, cli, name="Org", kind="employer", state="NJ")
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), database.engine.begin() as conn:
            conn.execute(text(statement))
    with pytest.raises(AuditIntegrityError), database.transaction() as s:
        s.scalars(select(AuditEntry)).first().action = "forged"  # type: ignore[union-attr]
    assert _audit_count(database, action="organisation.create") == 1


def test_api_keys_are_hashed_at_rest_and_checked(database: Database) -> None:
    cli = Actor.command_line("test")
    accounts.create_org(database, cli, name="Emp", kind="employer", state="NJ")
    accounts.create_user(database, cli, email="e@example.org", name="E", role="employer", org="Emp")
    record, token = accounts.create_api_key(database, cli, user="e@example.org")
    prefix, secret = token.split("_", 2)[1:]
    with database.session() as s:
        stored = s.scalar(select(ApiKey.secret_hash).where(ApiKey.prefix == prefix))
        dump = " ".join(str(r) for r in s.execute(text("SELECT * FROM api_keys")).all())
        audit_dump = " ".join(str(r) for r in s.execute(text("SELECT * FROM audit_log")).all())
    assert stored and stored.startswith("$argon2id$") and secret not in dump and secret not in audit_dump
    assert authenticate_key(database, token).email == "e@example.org"
    for bad in (token[:-2] + "xx", f"smk_{'0' * 12}_{secret}", "smk_short", "", None):
        with pytest.raises(UnauthorizedError, match="invalid or missing credentials"):
            authenticate_key(database, bad)
    accounts.revoke_api_key(database, cli, prefix=record["prefix"])
    with pytest.raises(UnauthorizedError):
        authenticate_key(database, token)


def test_roles_must_fit_their_organisation(database: Database) -> None:
    cli = Actor.command_line("test")
    accounts.create_org(database, cli, name="Emp", kind="employer", state="NJ")
    with pytest.raises(BadInputError, match="reviewer belongs to a state"):
        accounts.create_user(database, cli, email="r@example.org", name="R", role="reviewer", org="Emp")
    with pytest.raises(BadInputError, match="state must be the two-letter code"):
        accounts.create_org(database, cli, name="X", kind="state", state="Jersey")
    assert accounts.create_org(database, cli, name="X", kind="state", state="New Jersey")["state"] == "NJ"
    with pytest.raises(ConflictError):
        accounts.create_org(database, cli, name="Emp", kind="employer", state="NJ")
    employer = Actor(1, "E", "e@x", accounts.Role.EMPLOYER, 1, "Emp", "employer", "NJ")
    with pytest.raises(ForbiddenError):
        accounts.create_org(database, employer, name="Y", kind="employer", state="NJ")


def test_listing_agrees_with_the_policy(database: Database) -> None:
    p = build_partnership(database)
    a = programs.create_program(database, p.actors["prov_a"], Program(**WELDING))
    programs.create_program(database, p.actors["prov_b"], Program(title="CDL Class A", description="Trucks."))
    programs.create_program(
        database, p.actors["prov_b"], Program(title="NY program", description="Welding.", state="NY")
    )
    programs.share_program(database, p.actors["prov_a"], a["id"], p.orgs["Employer 1"]["id"])
    with database.session() as s:
        rows = list(s.scalars(select(ProgramRecord)))
        shares = {
            r.id: {sh.org_id for sh in s.scalars(select(ProgramShare).where(ProgramShare.program_id == r.id))}
            for r in rows
        }
        for handle, actor in p.actors.items():
            listed = set(s.scalars(select(ProgramRecord.id).where(visible_programs(actor))))
            expected = {r.id for r in rows if can_read_program(actor, r, shares[r.id])}
            assert listed == expected, handle
    seen = {h: {x["title"] for x in programs.list_programs(database, a_)} for h, a_ in p.actors.items()}
    assert seen["emp1"] == {"Welding Certificate"} and seen["emp2"] == set()
    assert seen["rev_ny"] == {"NY program"} and len(seen["admin"]) == 3
    assert seen["prov_b"] == {"CDL Class A", "NY program"}


def test_snapshot_reviews_and_optimistic_locking(database: Database, matcher) -> None:  # type: ignore[no-untyped-def]
    p = build_partnership(database)
    prov, emp1, emp2 = p.actors["prov_a"], p.actors["emp1"], p.actors["emp2"]
    pid = programs.create_program(database, prov, Program(**WELDING))["id"]
    for org in ("Employer 1", "Employer 2"):
        programs.share_program(database, prov, pid, p.orgs[org]["id"])
    snap = snapshots.compute_snapshot(database, prov, pid, matcher)
    assert snap["model_version"] == matcher.versions["model"]
    assert snap["data_versions"]["data"]["onet"] == "29.3" and snap["data_versions"]["data_fingerprint"]
    assert snap["occupations"][0]["code"] == "51-4121.00"
    skills = [s for s in snap["subjects"] if s["kind"] == "skill" and s["occupation"] == "51-4121.00"]
    assert any(s["covered"] and s["sentence"] for s in skills) and any(not s["covered"] for s in skills)
    with pytest.raises(ForbiddenError):
        snapshots.compute_snapshot(database, emp1, pid, matcher)

    occ = reviews.create_review(database, emp1, pid, occupation="51-4121.00", decision="required_at_hire")
    assert occ["version"] == 1 and occ["skill"] is None and occ["updated_by"]["name"] == "Emp1"
    with pytest.raises(ConflictError) as again:
        reviews.create_review(database, emp1, pid, occupation="51-4121.00", decision="not_needed")
    assert again.value.details["current"]["id"] == occ["id"]
    skill = skills[0]["skill"]
    r = reviews.create_review(
        database, emp2, pid, occupation="51-4121.00", skill=skill, decision="nice_to_have", comment="ok"
    )
    updated = reviews.update_review(database, emp2, r["id"], version=1, decision="required_at_hire")
    assert updated["version"] == 2 and updated["comment"] == "ok"
    with pytest.raises(ConflictError) as stale:
        reviews.update_review(database, emp2, r["id"], version=1, comment="replayed")
    assert stale.value.details["current"]["version"] == 2
    with pytest.raises(ForbiddenError):
        reviews.update_review(database, emp1, r["id"], version=2, comment="not mine")
    with pytest.raises(NotFoundError, match="unknown skill id"):
        reviews.create_review(
            database, emp1, pid, occupation="51-4121.00", skill="esco:nope", decision="not_needed"
        )
    with pytest.raises(NotFoundError, match="not under review"):
        reviews.create_review(database, emp1, pid, occupation="11-1011.00", decision="not_needed")
    with pytest.raises(BadInputError, match="limit is 10,000"):
        reviews.update_review(database, emp2, r["id"], version=2, comment="x" * 10_001)
    with pytest.raises(BadInputError, match="decision must be one of"):
        reviews.create_review(database, emp1, pid, occupation="51-4121.00", skill=skill, decision="maybe")

    # A whole form is all or nothing: one stale row and nothing is saved.
    items = [
        ReviewInput("51-4121.00", skills[1]["skill"], "not_needed"),
        ReviewInput("51-4121.00", skill, "not_needed", version=1),  # stale (now 2)
    ]
    with pytest.raises(ConflictError) as form:
        reviews.submit_reviews(database, emp2, pid, snap["id"], items)
    assert [c["id"] for c in form.value.details["conflicts"]] == [r["id"]]
    assert len(reviews.list_reviews(database, emp2, pid)) == 2
    items[1] = ReviewInput("51-4121.00", skill, "not_needed", version=2)
    result = reviews.submit_reviews(database, emp2, pid, snap["id"], items)
    assert len(result["created"]) == 1 and len(result["updated"]) == 1
    listed = reviews.list_reviews(database, p.actors["rev_nj"], pid)
    assert {(x["organisation"]["name"], x["decision"]) for x in listed} == {
        ("Employer 1", "required_at_hire"),
        ("Employer 2", "not_needed"),
    }
    with pytest.raises(NotFoundError):
        reviews.list_reviews(database, p.actors["rev_ny"], pid)
    # one audit entry per applied write
    assert _audit_count(database, action="review.create") == 3
    assert _audit_count(database, action="review.update") == 2


def test_nul_characters_are_refused_before_any_sql(database: Database) -> None:
    """PostgreSQL text cannot hold NUL: such input is bad input (or bad credentials), never a 500."""
    from matcher.review.auth import login
    from matcher.review.history import read_audit

    p = build_partnership(database)
    cli = Actor.command_line("test")
    with pytest.raises(BadInputError):
        accounts.create_org(database, cli, name="Nul\x00Org", kind="employer", state="NJ")
    with pytest.raises(BadInputError):
        programs.create_program(database, p.actors["prov_a"], Program(title="Weld\x00ing", description="x"))
    with pytest.raises(UnauthorizedError):
        login(database, "a\x00@example.org", "whatever-password", hours=1)
    with pytest.raises(UnauthorizedError):
        authenticate_key(database, "smk_\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00_" + "x" * 30)
    with pytest.raises(NotFoundError):
        accounts.revoke_api_key(database, cli, prefix="\x00" * 12)
    assert read_audit(database, p.actors["admin"], entity="re\x00view") == []
    with pytest.raises(BadInputError):
        reviews.check_comment("fine\x00not")
