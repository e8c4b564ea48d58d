"""The alignment lock hands over in arrival order, so a queued request cannot starve."""

from __future__ import annotations

import threading
import time

from matcher.runtime.fair_lock import FairLock


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    lock = FairLock()
    order: list[int] = []
    lock.acquire()

    def worker(i: int) -> None:
        with lock:
            order.append(i)

    threads = []
    for i in range(8):
        t = threading.Thread(target=worker, args=(i,))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 5
        while len(lock._waiters) < i + 1:  # wait until this one is queued before the next asks
            assert time.monotonic() < deadline
            time.sleep(0.001)
    lock.release()
    for t in threads:
        t.join(5)
    assert order == list(range(8))
    assert not lock._held and not lock._waiters  # free again, nobody left behind


def test_an_exception_inside_releases_the_lock() -> None:
    lock = FairLock()
    try:
        with lock:
            raise ValueError("boom")
    except ValueError:
        pass
    done = threading.Event()
    threading.Thread(target=lambda: (lock.acquire(), done.set())).start()
    assert done.wait(5)
