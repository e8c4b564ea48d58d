"""Who may do what: every access rule of the review workflow, in one module.

- provider: sees its organisation's programs; creates programs, adds versions, shares them
  and computes alignment snapshots of its own programs; reads their reviews and audit trail.
- employer: sees the programs shared with its organisation; creates reviews on them and edits
  only its organisation's reviews.
- reviewer (state): reads every program of its state, with every review and the audit trail;
  writes nothing.
- admin: manages organisations, users and API keys; reads everything; writes no reviews.

Reviews are visible to everyone who sees their program ("everyone sees who decided what,
when"). A resource the actor may not see is reported as unknown (404), so its existence is
not revealed; a visible resource the actor may not change is forbidden (403).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from sqlalchemy import ColumnElement, false, select, true

from matcher.errors import ForbiddenError, NotFoundError
from matcher.review.actor import Actor
from matcher.review.tables import ProgramRecord, ProgramShare, Review
from matcher.review.vocab import Role


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"  # new version, alignment snapshot
    SHARE = "share"
    REVIEW = "review"  # create a review


def can_read_program(actor: Actor, program: ProgramRecord, shared_with: Collection[int]) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.PROVIDER:
        return program.owner_org_id == actor.org_id
    if actor.role is Role.EMPLOYER:
        return actor.org_id in shared_with
    if actor.role is Role.REVIEWER:
        return program.state == actor.state
    return False


def visible_programs(actor: Actor) -> ColumnElement[bool]:
    """The SQL form of :func:`can_read_program`, for listings."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.PROVIDER:
        return ProgramRecord.owner_org_id == actor.org_id
    if actor.role is Role.EMPLOYER:
        shared = select(ProgramShare.program_id).where(ProgramShare.org_id == actor.org_id)
        return ProgramRecord.id.in_(shared)
    if actor.role is Role.REVIEWER:
        return ProgramRecord.state == actor.state
    return false()


def _may(actor: Actor, program: ProgramRecord, action: Action) -> bool:
    if action is Action.READ:
        return True  # visibility was checked first
    if action in (Action.EDIT, Action.SHARE):
        return actor.role is Role.PROVIDER and program.owner_org_id == actor.org_id
    if action is Action.REVIEW:
        return actor.role is Role.EMPLOYER
    return False


def require_program(
    actor: Actor, program: ProgramRecord | None, shared_with: Collection[int], action: Action, ref: object
) -> ProgramRecord:
    """The program, if ``actor`` may do ``action`` on it; NotFoundError when it is unknown or
    invisible to the actor, ForbiddenError when it is visible but the action is not allowed."""
    if program is None or not can_read_program(actor, program, shared_with):
        raise NotFoundError(f"unknown program id {ref}")
    if not _may(actor, program, action):
        raise ForbiddenError(f"a {actor.role.value} may not {action.value} this program")
    return program


def require_create_program(actor: Actor) -> None:
    if actor.role is not Role.PROVIDER or actor.org_id is None:
        raise ForbiddenError("only a training provider may create programs")


def require_review_edit(actor: Actor, review: Review) -> None:
    """Only the employer organisation that made a review may change it (the program's
    visibility is checked by the caller)."""
    if actor.role is not Role.EMPLOYER:
        raise ForbiddenError(f"a {actor.role.value} may not edit reviews")
    if review.org_id != actor.org_id:
        raise ForbiddenError("only the organisation that made a review may edit it")


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise ForbiddenError("only an admin may manage organisations, users and API keys")


def require_postings_import(actor: Actor) -> None:
    """Job postings feed every program's demand ranking: only admins import them."""
    if actor.role is not Role.ADMIN:
        raise ForbiddenError("only an admin may import job postings")


def may_read_all_audit(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def require_screening(actor: Actor, state: str) -> None:
    """Screening a state's list: an admin, or a reviewer of that state."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is not Role.REVIEWER:
        raise ForbiddenError(f"a {actor.role.value} may not screen a state's list")
    if actor.state != state:
        raise ForbiddenError(f"a reviewer of {actor.state} may not screen the list of {state}")
