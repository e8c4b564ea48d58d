"""Rate, text-budget and concurrency limits per client, counted with the ``limits`` package.

A client is the user behind an API key or a sign-in, or, for anonymous callers, their address
(``scope["client"]``; behind a reverse proxy, uvicorn's ``--forwarded-allow-ips`` makes that the
caller's address). Three limits, each 429 with ``Retry-After`` beyond it:

- **requests** (every route but ``/health``): :class:`RateLimitMiddleware`, before the body is
  read. It goes by the credential the request *claims* (API-key prefix, sign-in cookie) so it
  costs no lookup; a made-up credential is refused by the route anyway.
- **text budget** on the costly routes (``/align``, ``/gaps``, ``/extract``,
  ``/programs/parse``): a request costs its text's length in characters (at least
  :data:`MIN_COST`), per client; anonymous addresses get a smaller budget. The client is
  *verified* here (a wrong key counts as anonymous).
- **concurrency** of those costly routes: in-progress requests per client, and of all anonymous
  callers together.

The alignment lock (:class:`matcher.runtime.fair_lock.FairLock`) then serves the admitted clients in
turn, so a client with a small program does not wait for another client's large one.

Requests and text are counted in sliding-window counters (this window's count plus the previous
window's, weighted by how much of it still overlaps): two numbers per client and limit. A moving
window keeps one timestamp per unit counted, and a text budget counts characters: at the default
1,000,000 a minute one signed-in client could hold a million entries, each request walked them,
and a server loaded with 20-course programs went from 3.5 to 34 ms a request (RSS 2.4 GB) within
a minute. Sign-in failures, a few per account, keep the exact moving window
(:mod:`service.signin`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from matcher.errors import TooLargeError, TooManyRequestsError
from matcher.program import Program
from matcher.settings import Settings
from service.errors import error_response

log = logging.getLogger(__name__)

MIN_COST = 1000  # characters a costly request is charged at least
UNLIMITED_PATHS = frozenset({"/health"})
API_KEY_HEADER = b"x-api-key"
SESSION_COOKIE = "matcher_session"


@dataclass(frozen=True)
class Client:
    key: str  # "user:12", "key:<prefix>", "session:<hash>" or "addr:<address>"
    authenticated: bool


def scaled(rate: str, scale: float) -> RateLimitItem:
    item = parse(rate)
    return type(item)(max(1, int(item.amount * scale)), item.multiples, item.namespace)


def address_of(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class Limits:
    """The counters of one app (``app.state.limits``)."""

    def __init__(self, settings: Settings) -> None:
        scale = settings.limit_scale
        storage = storage_from_string(settings.rate_limit_storage)
        self.limiter = SlidingWindowCounterRateLimiter(storage)  # requests and text
        self.signin_limiter = MovingWindowRateLimiter(storage)  # sign-in failures (service.signin)
        self.requests = scaled(settings.rate_limit, scale)
        self.requests_anonymous = scaled(settings.rate_limit_anonymous, scale)
        self.text = scaled(settings.text_budget, scale)
        self.text_anonymous = scaled(settings.text_budget_anonymous, scale)
        self.concurrency = int(settings.concurrency * scale)
        self.concurrency_anonymous = int(settings.concurrency_anonymous * scale)
        self.concurrency_anonymous_total = int(settings.concurrency_anonymous_total * scale)
        self._in_progress: Counter[str] = Counter()
        self._mutex = threading.Lock()

    def retry_after(self, item: RateLimitItem, *identifiers: str) -> float:
        stats = self.limiter.get_window_stats(item, *identifiers)
        return max(1.0, stats.reset_time - time.time())

    def check_request(self, client: Client) -> None:
        item = self.requests if client.authenticated else self.requests_anonymous
        if not self.limiter.hit(item, "requests", client.key):
            raise TooManyRequestsError(
                f"more than {item.amount} requests per {_window(item)} from this client",
                retry_after=self.retry_after(item, "requests", client.key),
            )

    def charge(self, client: Client, cost: int) -> None:
        """Take ``cost`` characters from the client's text budget, or refuse."""
        item = self.text if client.authenticated else self.text_anonymous
        cost = max(MIN_COST, cost)
        if cost > item.amount:
            who = "a signed-in client" if client.authenticated else "an anonymous caller (use an API key)"
            raise TooLargeError(
                f"this request's text ({cost:,} characters) is more than the {item.amount:,} "
                f"characters per {_window(item)} {who} may send",
                details={"cost": cost, "budget": item.amount},
            )
        if not self.limiter.hit(item, "text", client.key, cost=cost):
            raise TooManyRequestsError(
                f"this client's text budget ({item.amount:,} characters per {_window(item)}) is "
                f"spent; this request needs {cost:,}",
                retry_after=self.retry_after(item, "text", client.key),
                details={"cost": cost, "budget": item.amount},
            )

    @contextmanager
    def in_progress(self, client: Client) -> Iterator[None]:
        """Hold one of the client's concurrent costly requests, or refuse."""
        limit = self.concurrency if client.authenticated else self.concurrency_anonymous
        with self._mutex:
            if self._in_progress[client.key] >= limit:
                busy = f"{limit} costly request{'s' if limit > 1 else ''} of this client"
            elif (
                not client.authenticated
                and self._in_progress["anonymous"] >= self.concurrency_anonymous_total
            ):
                busy = f"{self.concurrency_anonymous_total} costly requests of anonymous callers"
            else:
                busy = ""
                self._in_progress[client.key] += 1
                if not client.authenticated:
                    self._in_progress["anonymous"] += 1
        if busy:
            raise TooManyRequestsError(f"{busy} are already in progress; try again shortly", retry_after=2)
        try:
            yield
        finally:
            with self._mutex:
                self._in_progress[client.key] -= 1
                if not client.authenticated:
                    self._in_progress["anonymous"] -= 1

    @contextmanager
    def costly(self, client: Client, cost: int) -> Iterator[Client]:
        """One costly request: a concurrency slot, then its cost from the text budget."""
        with self.in_progress(client):
            self.charge(client, cost)
            yield client


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def claimed_client(scope: Scope) -> Client:
    """The client a request claims to be, without checking its credential."""
    headers = dict(scope.get("headers") or ())
    key = headers.get(API_KEY_HEADER, b"").decode("latin-1").strip()
    if key:
        parts = key.split("_")
        return Client(f"key:{parts[1] if len(parts) == 3 else _digest(key)}", True)
    cookie = headers.get(b"cookie", b"").decode("latin-1")
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return Client(f"session:{_digest(value)}", True)
    return Client(f"addr:{address_of(scope)}", False)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def verified_client(request: Request) -> Client:
    """The user behind the request's API key or sign-in, else its address (anonymous). Call in
    a worker thread: it reads the database (and checks a new key's hash)."""
    from matcher.review.auth import CredentialsError, authenticate_key, resolve_session
    from service.access import get_db
    from service.signin import guard_address, throttle_of

    key = request.headers.get("x-api-key")
    token = request.cookies.get(SESSION_COOKIE)
    if key or token:
        try:
            db = get_db(request)
            if key:
                address = guard_address(request, db)
                try:
                    return Client(f"user:{authenticate_key(db, key).user_id}", True)
                except CredentialsError:
                    throttle_of(request).failed({"address": address})
                    raise
            found = resolve_session(db, token)
            if found is not None:
                return Client(f"user:{found[0].user_id}", True)
        except TooManyRequestsError:
            raise
        except Exception as exc:  # noqa: BLE001 - a wrong key or no database: the caller is anonymous
            log.debug("costly request counted as anonymous: %s", type(exc).__name__)
    return Client(f"addr:{address_of(request.scope)}", False)


def program_cost(program: Program) -> int:
    """A program's text length in characters: what aligning it or its gaps costs."""
    return sum(len(unit.text) for unit in program.iter_units())


def limits_of(request: Request) -> Limits:
    return request.app.state.limits


@contextmanager
def costly_request(request: Request, cost: int) -> Iterator[Client]:
    """For the costly route handlers that run in a worker thread: identify, admit, charge."""
    with limits_of(request).costly(verified_client(request), cost) as client:
        yield client


class RateLimitMiddleware:
    """Pure ASGI middleware: the per-client request rate of every route (429 beyond)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in UNLIMITED_PATHS:
            try:
                self.limits.check_request(claimed_client(scope))
            except TooManyRequestsError as exc:
                response = error_response(429, exc.kind.value, exc.message, exc.details, exc.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
