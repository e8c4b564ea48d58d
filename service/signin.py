"""Sign-in throttling, the same for the web form (``POST /ui/login``) and the API
(``POST /auth/login``), counted per account (the email typed) and per address:

1. from the third recent failure on, each attempt is answered later (backoff:
   ``Settings.login_backoff_seconds`` per failure beyond two, at most :data:`MAX_BACKOFF`);
2. once an account has ``Settings.login_failures`` failures in the window (default 10 a
   minute), or an address ``Settings.login_failures_address``, the next attempt starts a lock of
   ``Settings.login_lock_minutes`` and every attempt until it ends gets 429 with ``Retry-After``,
   the right password included (its hash is not even checked).

Unknown and known accounts are treated alike, so the throttle tells nothing about which exist.
A wrong API key counts as a failure of its address too (:func:`guard_address`): each costs an
argon2 check, so an address cannot make the server check made-up keys without end.
Failures and locks go to the audit trail (``auth.failed``, ``auth.locked``), never with the
password. Counters live in the ``limits`` storage of ``service.ratelimit`` (per process by
default).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter

from matcher.db import Database
from matcher.errors import TooManyRequestsError
from matcher.review.auth import CredentialsError, SignIn, login, record_sign_in_refusal
from matcher.settings import Settings
from service.ratelimit import address_of, scaled

MAX_BACKOFF = 2.0  # seconds
BACKOFF_FREE = 2  # failures answered without delay


class SignInThrottle:
    def __init__(self, settings: Settings, limiter: MovingWindowRateLimiter) -> None:
        self.limiter = limiter
        self.items: dict[str, RateLimitItem] = {
            "account": scaled(settings.login_failures, settings.limit_scale),
            "address": scaled(settings.login_failures_address, settings.limit_scale),
        }
        self.lock = RateLimitItemPerSecond(1, max(1, int(settings.login_lock_minutes * 60)))
        self.backoff = settings.login_backoff_seconds

    def failures(self, kind: str, key: str) -> int:
        item = self.items[kind]
        return item.amount - self.limiter.get_window_stats(item, "signin", kind, key).remaining

    def lock_left(self, kind: str, key: str) -> float:
        """Seconds until the lock of (kind, key) ends; 0 when there is none."""
        if self.limiter.test(self.lock, "signin-lock", kind, key):
            return 0.0
        stats = self.limiter.get_window_stats(self.lock, "signin-lock", kind, key)
        return max(1.0, stats.reset_time - time.time())

    def refusal(self, keys: dict[str, str]) -> tuple[str, float, bool] | None:
        """``(what, seconds left, lock just started)`` when an attempt must be refused."""
        for kind, key in keys.items():
            left = self.lock_left(kind, key)
            if left:
                return kind, left, False
        for kind, key in keys.items():
            if not self.limiter.test(self.items[kind], "signin", kind, key):
                self.limiter.hit(self.lock, "signin-lock", kind, key)
                return kind, float(self.lock.get_expiry()), True
        return None

    def delay(self, keys: dict[str, str]) -> float:
        worst = max(self.failures(kind, key) for kind, key in keys.items())
        return min(MAX_BACKOFF, self.backoff * max(0, worst - BACKOFF_FREE))

    def failed(self, keys: dict[str, str]) -> None:
        for kind, key in keys.items():
            self.limiter.hit(self.items[kind], "signin", kind, key)

    def succeeded(self, keys: dict[str, str]) -> None:
        self.limiter.clear(self.items["account"], "signin", "account", keys["account"])


def guard_address(request: Request, db: Database) -> str:
    """Before a credential check other than a sign-in (an API key): refuse an address that is
    locked or has too many recent failures, like a sign-in from it. Returns the address."""
    throttle = throttle_of(request)
    address = address_of(request.scope)
    refused = throttle.refusal({"address": address})
    if refused is not None:
        _, left, started = refused
        if started:
            details = {"locked": "address", "failures": throttle.failures("address", address)}
            record_sign_in_refusal(db, "auth.locked", email="", address=address, details=details)
        minutes = max(1, round(left / 60))
        raise TooManyRequestsError(
            f"too many failed credentials from this address; try again in {minutes} minute(s)",
            retry_after=left,
        )
    return address


def throttle_of(request: Request) -> SignInThrottle:
    limits = request.app.state.limits
    throttle = getattr(limits, "signin", None)
    if throttle is None:
        throttle = limits.signin = SignInThrottle(request.app.state.settings, limits.signin_limiter)
    return throttle


async def throttled_login(request: Request, db: Database, email: str, password: str) -> SignIn:
    """:func:`matcher.review.auth.login` behind the throttle: 429 when locked, 401 when wrong."""
    throttle = throttle_of(request)
    address = address_of(request.scope)
    keys = {"account": (email or "").strip().lower()[:254], "address": address}
    refused = throttle.refusal(keys)
    if refused is not None:
        kind, left, started = refused
        if started:
            until = datetime.now(UTC) + timedelta(seconds=left)
            details = {
                "locked": kind,
                "failures": throttle.failures(kind, keys[kind]),
                "until": until.isoformat(),
            }
            await run_in_threadpool(
                record_sign_in_refusal, db, "auth.locked", email=email, address=address, details=details
            )
        raise TooManyRequestsError(
            f"too many failed sign-ins for this {'account' if kind == 'account' else 'address'}; "
            f"try again in {max(1, round(left / 60))} minute(s)",
            retry_after=left,
        )
    pause = throttle.delay(keys)
    if pause:
        await asyncio.sleep(pause)
    hours = request.app.state.settings.session_hours
    try:
        signed_in = await run_in_threadpool(login, db, email, password, hours=hours)
    except CredentialsError:
        throttle.failed(keys)
        details = {"failures": throttle.failures("account", keys["account"])}
        await run_in_threadpool(
            record_sign_in_refusal, db, "auth.failed", email=email, address=address, details=details
        )
        raise
    throttle.succeeded(keys)
    return signed_in
