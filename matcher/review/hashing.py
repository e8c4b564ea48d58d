"""Secrets at rest: argon2id for passwords and API-key secrets, SHA-256 for session tokens, HMAC
for CSRF tokens. Every comparison is constant-time.

An API key reads ``smk_<prefix>_<secret>``: the prefix (public) finds the row, the secret is
checked against its argon2id hash. Keys are shown once, at creation. Verified keys are
remembered in process (by the SHA-256 of the whole key, never the key itself) so a busy client
does not pay for argon2 on every request; revocation still takes effect at once because the
row is read on every request.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

KEY_PREFIX = "smk"
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
_VERIFIED_MAX = 4096
_verified: OrderedDict[tuple[str, str], str] = OrderedDict()
_verified_lock = threading.Lock()


@functools.cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def hash_secret(secret: str) -> str:
    """argon2id hash (salted, with its parameters) of a password or key secret."""
    return _HASHER.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """True when ``secret`` matches ``stored_hash``. With no hash (unknown user or key) a dummy
    hash is checked instead, so the answer takes as long either way."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), secret) and bool(stored_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret: str

    @property
    def token(self) -> str:
        return f"{KEY_PREFIX}_{self.prefix}_{self.secret}"


def new_api_key() -> NewKey:
    return NewKey(prefix=secrets.token_hex(6), secret=secrets.token_urlsafe(32))


def split_api_key(token: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed key, else None."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12 or len(parts[2]) < 20:
        return None
    if not all(c in "0123456789abcdef" for c in parts[1]) or len(parts[2]) > 200:
        return None
    return parts[1], parts[2]


def verify_api_key(prefix: str, secret: str, stored_hash: str | None) -> bool:
    """Check a key secret against its stored hash, remembering successful checks."""
    digest = hashlib.sha256(f"{prefix}_{secret}".encode()).hexdigest()
    memo_key = (prefix, digest)
    with _verified_lock:
        remembered = _verified.get(memo_key)
    if remembered is not None and stored_hash and hmac.compare_digest(remembered, stored_hash):
        return True
    ok = verify_secret(stored_hash, secret)
    if ok and stored_hash:
        with _verified_lock:
            _verified[memo_key] = stored_hash
            _verified.move_to_end(memo_key)
            while len(_verified) > _VERIFIED_MAX:
                _verified.popitem(last=False)
    return ok


def new_session_token() -> tuple[str, str]:
    """``(token for the cookie, its SHA-256 hex for the database)``."""
    token = secrets.token_urlsafe(32)
    return token, session_id(token)


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret: str, purpose: str, binding: str) -> str:
    """An HMAC token tying a form to a session (or, before sign-in, to a nonce cookie)."""
    mac = hmac.new(secret.encode(), f"{purpose}|{binding}".encode(), hashlib.sha256)
    return mac.hexdigest()


def check_csrf(secret: str, purpose: str, binding: str, token: str | None) -> bool:
    if not token or not binding:
        return False
    return hmac.compare_digest(csrf_token(secret, purpose, binding), token)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
