"""Organisations, users and API keys (admin operations; the command line acts as admin)."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.db import Database, utcnow
from matcher.errors import BadInputError, ConflictError, NotFoundError
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.hashing import hash_secret, new_api_key
from matcher.review.policy import require_admin
from matcher.review.tables import ApiKey, Organisation, User
from matcher.review.views import key_dict, org_dict, user_dict
from matcher.review.vocab import (
    MAX_NAME_CHARS,
    MIN_PASSWORD_CHARS,
    ROLE_ORG_KINDS,
    OrgKind,
    Role,
    text_ok,
    valid_id,
)

log = logging.getLogger(__name__)

_STATE = re.compile(r"^[A-Z]{2}$")
_HEX12 = re.compile(r"^[0-9a-f]{12}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}$")


def _name(value: str, what: str) -> str:
    value = " ".join((value or "").split())
    if not text_ok(value):
        raise BadInputError(f"{what} contains a NUL character")
    if not value:
        raise BadInputError(f"{what} is empty")
    if len(value) > MAX_NAME_CHARS:
        raise BadInputError(f"{what} is longer than {MAX_NAME_CHARS} characters")
    return value


def normalise_state(state: str) -> str:
    """The two-letter code of a US state, DC or a territory (code or name, any case)."""
    from matcher.postings.location import US_STATES

    code = (state or "").strip().upper()
    by_name = {name.upper(): c for c, name in US_STATES.items()}
    code = by_name.get(code, code)
    if not _STATE.match(code) or code not in US_STATES:
        raise BadInputError(
            f"state must be the two-letter code of a US state, DC or territory (such as NJ), not {state!r}"
        )
    return code


def normalise_email(email: str) -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value) or not text_ok(value):
        raise BadInputError(f"not an email address: {email!r}")
    return value


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise BadInputError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > 1024:
        raise BadInputError("passwords are at most 1024 characters")
    return password


def find_org(session: Session, ref: int | str) -> Organisation:
    """An organisation by id or exact name."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        org = session.get(Organisation, int(ref)) if valid_id(int(ref)) else None
    elif text_ok(str(ref)):
        org = session.scalar(select(Organisation).where(Organisation.name == " ".join(str(ref).split())))
    else:
        org = None
    if org is None:
        raise NotFoundError(f"unknown organisation {ref!r}")
    return org


def find_user(session: Session, ref: int | str) -> User:
    """A user by id or email."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        user = session.get(User, int(ref)) if valid_id(int(ref)) else None
    elif text_ok(str(ref)):
        user = session.scalar(select(User).where(User.email == str(ref).strip().lower()))
    else:
        user = None
    if user is None:
        raise NotFoundError(f"unknown user {ref!r}")
    return user


def create_org(db: Database, actor: Actor, *, name: str, kind: str, state: str) -> dict[str, Any]:
    require_admin(actor)
    name = _name(name, "organisation name")
    try:
        org_kind = OrgKind(kind)
    except ValueError:
        raise BadInputError(f"kind must be one of {', '.join(OrgKind)}, not {kind!r}") from None
    state = normalise_state(state)
    try:
        with db.transaction() as s:
            if s.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
                raise ConflictError(f"an organisation named {name!r} exists")
            org = Organisation(name=name, kind=org_kind.value, state=state)
            s.add(org)
            s.flush()
            out = org_dict(org)
            audit.record(s, actor, "organisation.create", org, after=out)
    except IntegrityError:
        raise ConflictError(f"an organisation named {name!r} exists") from None
    log.info("organisation %s created (%s, %s)", name, kind, state)
    return out


def create_user(
    db: Database,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: str,
    org: int | str,
    password: str | None = None,
) -> dict[str, Any]:
    """A user with one role in one organisation. Without a password the user signs in with
    API keys only."""
    require_admin(actor)
    email = normalise_email(email)
    name = _name(name, "user name")
    try:
        user_role = Role(role)
    except ValueError:
        raise BadInputError(f"role must be one of {', '.join(Role)}, not {role!r}") from None
    pw_hash = hash_secret(check_password(password)) if password is not None else ""
    try:
        with db.transaction() as s:
            organisation = find_org(s, org)
            if OrgKind(organisation.kind) not in ROLE_ORG_KINDS[user_role]:
                raise BadInputError(
                    f"a {user_role.value} belongs to a "
                    f"{' or '.join(sorted(ROLE_ORG_KINDS[user_role]))} organisation; "
                    f"{organisation.name!r} is a {organisation.kind}"
                )
            if s.scalar(select(User.id).where(User.email == email)) is not None:
                raise ConflictError(f"a user with email {email} exists")
            user = User(email=email, name=name, role=user_role.value, org=organisation, password_hash=pw_hash)
            s.add(user)
            s.flush()
            out = user_dict(user)
            audit.record(s, actor, "user.create", user, after=out)
    except IntegrityError:
        raise ConflictError(f"a user with email {email} exists") from None
    log.info("user %s created (%s)", email, role)
    return out


def create_api_key(db: Database, actor: Actor, *, user: int | str, label: str = "") -> tuple[dict, str]:
    """A new key for ``user``: ``(its record, the key itself)``. The key is shown only now;
    the database keeps its argon2id hash."""
    require_admin(actor)
    label = " ".join((label or "").split())[:MAX_NAME_CHARS]
    if not text_ok(label):
        raise BadInputError("the key label contains a NUL character")
    new = new_api_key()
    with db.transaction() as s:
        u = find_user(s, user)
        key = ApiKey(user_id=u.id, prefix=new.prefix, secret_hash=hash_secret(new.secret), label=label)
        s.add(key)
        s.flush()
        out = key_dict(key)
        audit.record(s, actor, "api_key.create", key, after=out)
    return out, new.token


def revoke_api_key(db: Database, actor: Actor, *, prefix: str) -> dict[str, Any]:
    require_admin(actor)
    with db.transaction() as s:
        key = s.scalar(select(ApiKey).where(ApiKey.prefix == prefix)) if _HEX12.match(prefix) else None
        if key is None:
            raise NotFoundError(f"unknown API key {prefix!r}")
        if key.revoked_at is None:
            before = key_dict(key)
            key.revoked_at = utcnow()
            audit.record(s, actor, "api_key.revoke", key, before=before, after=key_dict(key))
        return key_dict(key)


def list_orgs(db: Database, kind: str | None = None) -> list[dict[str, Any]]:
    """Every organisation (names and kinds are not secret within a partnership)."""
    with db.session() as s:
        q = select(Organisation).order_by(Organisation.name)
        if kind:
            q = q.where(Organisation.kind == kind)
        return [org_dict(o) for o in s.scalars(q)]


def list_users(db: Database, actor: Actor) -> list[dict[str, Any]]:
    require_admin(actor)
    with db.session() as s:
        return [user_dict(u) for u in s.scalars(select(User).order_by(User.email))]
