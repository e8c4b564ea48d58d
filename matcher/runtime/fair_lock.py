"""A lock that is fair between clients: waiters are served client by client, in turn, and each
client's own waiters in the order they asked.

``threading.Lock`` promises no order, so under steady contention one unlucky waiter can lose
the race many times in a row (the long tail of a queue of requests). A plain first-come,
first-served queue has the opposite flaw: a client that queues many turns (or one long job cut
into many short turns) makes everybody who comes later wait for all of them. Here, when the
holder releases, the turn passes to the next *client* in a round robin; a client that asks
again goes to the back of that round. With one client (the default ``client=""``) this is a
first-come, first-served lock."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType


class FairLock:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        # client -> its waiters (each a locked Lock the holder releases to hand over), in turn order
        self._queues: OrderedDict[str, deque[threading.Lock]] = OrderedDict()
        self._held = False

    @property
    def _waiters(self) -> list[threading.Lock]:
        """Every queued waiter (for tests and diagnostics)."""
        with self._mutex:
            return [w for q in self._queues.values() for w in q]

    def acquire(self, client: str = "") -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._queues.setdefault(client, deque()).append(turn)
        turn.acquire()  # released by the holder that hands over to this waiter

    def release(self) -> None:
        with self._mutex:
            if not self._queues:
                self._held = False
                return
            client, queue = next(iter(self._queues.items()))
            turn = queue.popleft()
            del self._queues[client]
            if queue:  # the client's next waiter goes to the back of the round
                self._queues[client] = queue
            turn.release()  # ownership passes on; _held stays True

    @contextmanager
    def turn(self, client: str = "") -> Iterator[None]:
        """Hold the lock for one turn of ``client``."""
        self.acquire(client)
        try:
            yield
        finally:
            self.release()

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
