"""Employer reviews: one decision (and comment) of an employer organisation per occupation and
per skill of an alignment snapshot.

Updates use optimistic locking: the caller sends the version it last saw; a stale version, or
a concurrent update that committed first, is a ConflictError (HTTP 409) whose details carry the
review's current state. Every write adds its audit entry in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matcher.db import Database, utcnow
from matcher.errors import BadInputError, ConflictError, NotFoundError
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.policy import Action, require_review_edit
from matcher.review.programs import load_program
from matcher.review.snapshots import load_snapshot
from matcher.review.tables import AlignmentSnapshot, Review, User
from matcher.review.views import review_dict
from matcher.review.vocab import MAX_COMMENT_CHARS, Decision, text_ok, valid_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewInput:
    """One decision from a form: ``version`` is the version the employer saw (None: new)."""

    occupation: str
    skill: str | None
    decision: str
    comment: str = ""
    version: int | None = None


def check_decision(decision: str) -> Decision:
    try:
        return Decision(decision)
    except ValueError:
        raise BadInputError(
            f"decision must be one of {', '.join(d.value for d in Decision)}, not {decision!r}"
        ) from None


def check_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if not text_ok(comment):
        raise BadInputError("the comment contains a NUL character")
    if len(comment) > MAX_COMMENT_CHARS:
        raise BadInputError(
            f"the comment is {len(comment):,} characters; the limit is {MAX_COMMENT_CHARS:,}",
            details={"limit": MAX_COMMENT_CHARS, "length": len(comment)},
        )
    return comment


def _subject(snap: AlignmentSnapshot, occupation: str, skill: str | None) -> dict[str, Any]:
    occupation = (occupation or "").strip()
    skill = (skill or "").strip() or None
    for subject in snap.subjects:
        if subject["occupation"] == occupation and subject["skill"] == skill:
            return subject
    if not any(s["occupation"] == occupation for s in snap.subjects):
        raise NotFoundError(f"occupation {occupation!r} is not under review in snapshot {snap.id}")
    raise NotFoundError(f"unknown skill id {skill!r} for occupation {occupation} in snapshot {snap.id}")


def _snapshot(session: Session, program_id: int, snapshot_id: int | None) -> AlignmentSnapshot:
    snap = load_snapshot(session, program_id, snapshot_id)
    if snap is None:
        what = f"snapshot {snapshot_id}" if snapshot_id is not None else "alignment snapshot to review"
        raise NotFoundError(f"program {program_id} has no {what}")
    return snap


def _existing(session: Session, snap_id: int, org_id: int | None, subject: dict[str, Any]) -> Review | None:
    return session.scalar(
        select(Review).where(
            Review.snapshot_id == snap_id,
            Review.org_id == org_id,
            Review.occupation_code == subject["occupation"],
            Review.skill_key == (subject["skill"] or ""),
        )
    )


def _insert(
    session: Session,
    actor: Actor,
    snap: AlignmentSnapshot,
    subject: dict[str, Any],
    decision: Decision,
    comment: str,
) -> dict[str, Any]:
    user = session.get(User, actor.user_id)
    review = Review(
        program_id=snap.program_id,
        snapshot_id=snap.id,
        org_id=actor.org_id,
        occupation_code=subject["occupation"],
        skill_key=subject["skill"] or "",
        subject_label=subject["label"][:600],
        decision=decision.value,
        comment=comment,
        author=user,
        editor=user,
    )
    session.add(review)
    session.flush()
    out = review_dict(review)
    audit.record(session, actor, "review.create", review, after=out, program_id=snap.program_id)
    return out


def _apply(
    session: Session, actor: Actor, review: Review, decision: Decision, comment: str
) -> dict[str, Any]:
    before = review_dict(review)
    review.decision = decision.value
    review.comment = comment
    review.updated_at = utcnow()
    review.editor = session.get_one(User, actor.user_id)
    session.flush()  # UPDATE ... WHERE version = :seen -> StaleDataError when someone was first
    after = review_dict(review)
    audit.record(
        session, actor, "review.update", review, before=before, after=after, program_id=review.program_id
    )
    return after


def _conflict(current: dict[str, Any]) -> ConflictError:
    return ConflictError(
        f"review {current['id']} is at version {current['version']}; "
        "your change was based on an older version and was not applied",
        details={"current": current},
    )


def create_review(
    db: Database,
    actor: Actor,
    program_id: int,
    *,
    occupation: str,
    skill: str | None = None,
    decision: str,
    comment: str = "",
    snapshot_id: int | None = None,
) -> dict[str, Any]:
    """A new review by the actor's employer organisation (on the newest snapshot by default).
    One review per organisation and subject: a second one is a conflict (update the first)."""
    verdict, comment = check_decision(decision), check_comment(comment)
    try:
        with db.transaction() as s:
            load_program(s, actor, program_id, Action.REVIEW)
            snap = _snapshot(s, program_id, snapshot_id)
            subject = _subject(snap, occupation, skill)
            existing = _existing(s, snap.id, actor.org_id, subject)
            if existing is not None:
                raise ConflictError(
                    f"your organisation already reviewed this subject (review {existing.id}); update it",
                    details={"current": review_dict(existing)},
                )
            return _insert(s, actor, snap, subject, verdict, comment)
    except IntegrityError:  # the same subject, created by a colleague at the same moment
        with db.session() as s:
            snap = _snapshot(s, program_id, snapshot_id)
            existing = _existing(s, snap.id, actor.org_id, _subject(snap, occupation, skill))
            if existing is None:
                raise
            raise _conflict(review_dict(existing)) from None


def update_review(
    db: Database,
    actor: Actor,
    review_id: int,
    *,
    version: int,
    decision: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Change a review's decision and/or comment, if ``version`` is still its version."""
    if decision is None and comment is None:
        raise BadInputError("nothing to change: give a decision, a comment or both")
    verdict = check_decision(decision) if decision is not None else None
    text = check_comment(comment) if comment is not None else None
    try:
        with db.transaction() as s:
            review = _visible_review(s, actor, review_id)
            require_review_edit(actor, review)
            if review.version != version:
                raise _conflict(review_dict(review))
            return _apply(
                s,
                actor,
                review,
                verdict or Decision(review.decision),
                text if text is not None else review.comment,
            )
    except StaleDataError:
        log.info("review %s: a concurrent update committed first (stale row at UPDATE)", review_id)
        raise _conflict(get_review(db, actor, review_id)) from None


def submit_reviews(
    db: Database, actor: Actor, program_id: int, snapshot_id: int, items: list[ReviewInput]
) -> dict[str, Any]:
    """Apply a whole review form at once, all or nothing: new decisions are created, changed
    ones updated (if their version is still current); unchanged ones are left alone. Any stale
    version aborts the lot with a ConflictError listing the current state of each conflict."""
    checked = [(item, check_decision(item.decision), check_comment(item.comment)) for item in items]
    created: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    unchanged = 0
    try:
        with db.transaction() as s:
            load_program(s, actor, program_id, Action.REVIEW)
            snap = _snapshot(s, program_id, snapshot_id)
            if snap.id != snapshot_id:
                raise NotFoundError(f"program {program_id} has no snapshot {snapshot_id}")
            conflicts: list[dict[str, Any]] = []
            for item, verdict, comment in checked:
                subject = _subject(snap, item.occupation, item.skill)
                review = _existing(s, snap.id, actor.org_id, subject)
                if review is None:
                    created.append(_insert(s, actor, snap, subject, verdict, comment))
                elif review.decision == verdict.value and review.comment == comment:
                    unchanged += 1
                elif item.version != review.version:
                    conflicts.append(review_dict(review))
                else:
                    updated.append(_apply(s, actor, review, verdict, comment))
            if conflicts:
                raise ConflictError(
                    f"{len(conflicts)} decision(s) were changed by someone else since you opened the "
                    "form; nothing was saved",
                    details={"conflicts": conflicts},
                )
    except (StaleDataError, IntegrityError):
        current = list_reviews(db, actor, program_id, snapshot_id)
        raise ConflictError(
            "someone saved decisions on this program at the same time; nothing was saved",
            details={"conflicts": current},
        ) from None
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _visible_review(session: Session, actor: Actor, review_id: int) -> Review:
    review = session.get(Review, review_id) if valid_id(review_id) else None
    if review is None:
        raise NotFoundError(f"unknown review id {review_id}")
    try:
        load_program(session, actor, review.program_id, Action.READ)
    except NotFoundError:
        raise NotFoundError(f"unknown review id {review_id}") from None
    return review


def get_review(db: Database, actor: Actor, review_id: int) -> dict[str, Any]:
    with db.session() as s:
        return review_dict(_visible_review(s, actor, review_id))


def list_reviews(
    db: Database, actor: Actor, program_id: int, snapshot_id: int | None = None
) -> list[dict[str, Any]]:
    """Every organisation's reviews of a snapshot (default: the newest), in subject order."""
    with db.session() as s:
        load_program(s, actor, program_id, Action.READ)
        snap = load_snapshot(s, program_id, snapshot_id)
        if snap is None:
            if snapshot_id is not None:
                raise NotFoundError(f"program {program_id} has no snapshot {snapshot_id}")
            return []
        order = {(x["occupation"], x["skill"] or ""): i for i, x in enumerate(snap.subjects)}
        rows = s.scalars(select(Review).where(Review.snapshot_id == snap.id))
        reviews = sorted(rows, key=lambda r: (order.get((r.occupation_code, r.skill_key), 10**6), r.org.name))
        return [review_dict(r) for r in reviews]
