"""Authentication: API keys, password sign-in and web sessions. Every failure says the same
thing ("invalid or missing credentials", "invalid email or password") so a caller never learns
which part was wrong, and takes about as long (a dummy hash is checked for unknown names)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from matcher.db import Database, utcnow
from matcher.errors import UnauthorizedError
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.hashing import new_session_token, session_id, split_api_key, verify_api_key, verify_secret
from matcher.review.tables import ApiKey, AuditEntry, User, WebSession
from matcher.review.vocab import Role

log = logging.getLogger(__name__)

BAD_CREDENTIALS = "invalid or missing credentials"
BAD_LOGIN = "invalid email or password"


class CredentialsError(UnauthorizedError):
    def __init__(self, message: str = BAD_CREDENTIALS) -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        name=user.name,
        email=user.email,
        role=Role(user.role),
        org_id=user.org_id,
        org_name=user.org.name,
        org_kind=user.org.kind,
        state=user.org.state,
    )


def authenticate_key(db: Database, token: str | None) -> Actor:
    """The actor behind an ``X-API-Key`` value, or CredentialsError."""
    parts = split_api_key(token or "")
    with db.session() as s:
        key = s.scalar(select(ApiKey).where(ApiKey.prefix == parts[0])) if parts else None
        usable = key is not None and key.revoked_at is None and key.user.active
        ok = (
            verify_api_key(parts[0], parts[1], key.secret_hash if key and usable else None)
            if parts
            else False
        )
        if not (ok and usable and key is not None):
            raise CredentialsError()
        return actor_for(key.user)


@dataclass(frozen=True)
class SignIn:
    token: str  # for the cookie; the database keeps its SHA-256
    session_id: str
    actor: Actor
    expires_at: datetime


def login(db: Database, email: str, password: str, *, hours: float) -> SignIn:
    """Check an email and password and open a web session."""
    email = (email or "").strip().lower()
    with db.session() as s:
        user = s.scalar(select(User).where(User.email == email)) if email and "\x00" not in email else None
        stored = user.password_hash if user is not None and user.active else None
    if not verify_secret(stored or None, password or "") or user is None:
        log.info("failed sign-in")  # never the email or password
        raise CredentialsError(BAD_LOGIN)
    token, sid = new_session_token()
    expires = utcnow() + timedelta(hours=hours)
    actor = actor_for(user)
    with db.transaction() as s:
        row = WebSession(id=sid, user_id=user.id, expires_at=expires)
        s.add(row)
        audit.record(s, actor, "auth.login", row, after={"user_id": user.id, "expires_at": expires})
    return SignIn(token, sid, actor, expires)


def resolve_session(db: Database, token: str | None) -> tuple[Actor, str] | None:
    """``(actor, session id)`` for a live session cookie, else None."""
    if not token or len(token) > 200:
        return None
    sid = session_id(token)
    with db.session() as s:
        row = s.get(WebSession, sid)
        if row is None or row.expires_at <= utcnow() or not row.user.active:
            return None
        return actor_for(row.user), sid


def logout(db: Database, token: str | None) -> None:
    if not token or len(token) > 200:
        return
    sid = session_id(token)
    with db.transaction() as s:
        row = s.get(WebSession, sid)
        if row is None:
            return
        actor = actor_for(row.user)
        audit.record(s, actor, "auth.logout", row, before={"user_id": row.user_id})
        s.delete(row)


def record_sign_in_refusal(
    db: Database, action: str, *, email: str, address: str, details: dict[str, object]
) -> None:
    """Audit a failed sign-in (``auth.failed``) or a sign-in lock (``auth.locked``): about the
    user when ``email`` names one, else about the address. Never the password, and never an
    email that names no account (it may be a password typed into the wrong field)."""
    email = (email or "").strip().lower()
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.email == email)) if email and "\x00" not in email else None
        entity, entity_id = ("user", str(user.id)) if user is not None else ("address", address[:64])
        s.add(
            AuditEntry(
                actor_user_id=None,
                actor_org_id=None,
                actor=f"sign-in from {address}"[:300],
                action=action,
                entity=entity,
                entity_id=entity_id,
                program_id=None,
                before=None,
                after={"address": address, **details},
            )
        )
