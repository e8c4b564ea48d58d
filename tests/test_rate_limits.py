"""Rate, text-budget and concurrency limits per client (service/ratelimit.py), and the fair
alignment queue behind them (matcher/runtime/fair_lock.py, Matcher.align): in-process for the counters,
against a real uvicorn server for the queue, with the real model on the data slice."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from review_support import build_partnership, serve_in_thread

from matcher.db import Database
from matcher.settings import Settings
from service.app import create_app

WORDS = (
    "weld steel safety blueprint pipe fitting patient care vital signs truck driving logistics "
    "warehouse forklift inventory software database network electrical wiring plumbing hvac "
    "refrigeration inspection measurement tooling fabrication machining assembly quality"
).split()


def curriculum(chars: int, seed: int) -> str:
    """``chars`` characters of sentences no earlier run has seen (so no cache makes them cheap)."""
    rnd = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = f"Module {rnd.randrange(10**9)} covers " + " ".join(rnd.choices(WORDS, k=12)) + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:chars]


def limited(settings: Settings, tmp_path, **limits) -> Settings:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'limits.db'}"
    return Settings(data_dir=settings.data_dir, home=settings.home, database_url=url, limit_scale=1, **limits)


def test_requests_over_the_rate_get_429_with_retry_after(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = limited(settings, tmp_path, rate_limit_anonymous="5/minute")
    client = TestClient(create_app(s, matcher))
    answers = [client.get("/occupations/search", params={"q": "welder"}) for _ in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert client.get("/health").status_code in (200, 503)  # health checks are never limited
    other = TestClient(create_app(s, matcher), client=("192.0.2.7", 50000))
    assert other.get("/occupations/search", params={"q": "welder"}).status_code == 200  # per address


def test_text_budget_counts_characters_and_is_smaller_for_anonymous(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = limited(settings, tmp_path, text_budget_anonymous="5000/minute", text_budget="50000/minute")
    app = create_app(s, matcher)
    p = build_partnership(Database(s.db_url))
    client = TestClient(app)
    program = {"title": "Welding", "description": curriculum(2400, 1)}
    assert client.post("/align?top_k=1", json=program).status_code == 200
    assert client.post("/extract", json={"text": curriculum(2400, 2)}).status_code == 200
    refused = client.post("/gaps", json={"program": program, "occupation": "51-4121.00"})
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["details"]["budget"] == 5000
    # more than the whole anonymous budget in one request: 413, waiting would not help
    big = client.post("/align", json={"title": "Big", "description": curriculum(6000, 3)})
    assert big.status_code == 413 and "API key" in big.json()["error"]["message"]
    # a signed-in client has its own, larger budget; a made-up key counts as anonymous
    assert client.post("/align?top_k=1", json=program, headers=p.headers("prov_a")).status_code == 200
    forged = {"X-API-Key": "smk_0123456789ab_" + "x" * 30}
    assert client.post("/align?top_k=1", json=program, headers=forged).status_code == 429


def test_openapi_documents_429_on_limited_routes(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    schema = TestClient(create_app(limited(settings, tmp_path), matcher)).get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for op in operations.values():
            assert ("429" in op["responses"]) == (path != "/health"), path


def test_large_anonymous_burst_does_not_delay_a_small_signed_in_alignment(
    settings, matcher, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Three anonymous addresses each send three 30,000-character alignments at once (default
    limits); once six of them are refused, a signed-in client sends a small one. The burst is admitted one
    request per address (the rest 429), and the small alignment waits for at most one slice of
    each of them (Matcher.align) instead of for all their programs."""
    monkeypatch.setattr(matcher.encoder, "cache", None)  # every burst sentence costs a model pass
    s = limited(settings, tmp_path)
    p = build_partnership(Database(s.db_url))
    small = {"title": "Welding Certificate", "description": "MIG and TIG welding of carbon steel."}
    with serve_in_thread(create_app(s, matcher)) as base:
        alone_started = time.monotonic()
        r = httpx.post(f"{base}/align?top_k=3", json=small, headers=p.headers("emp1"), timeout=60)
        alone = time.monotonic() - alone_started
        assert r.status_code == 200
        finished: dict[int, float] = {}

        def anonymous(i: int) -> tuple[int, str | None]:
            body = {"title": f"Burst {i}", "description": curriculum(30_000, 1000 + i + int(time.time()))}
            headers = {"X-Forwarded-For": f"198.51.100.{i // 3 + 1}"}  # uvicorn trusts 127.0.0.1's
            r = httpx.post(f"{base}/align?top_k=3", json=body, headers=headers, timeout=300)
            finished[i] = time.monotonic()
            return r.status_code, r.headers.get("Retry-After")

        with ThreadPoolExecutor(max_workers=9) as pool:
            burst_started = time.monotonic()
            futures = [pool.submit(anonymous, i) for i in range(9)]
            admitted_by = time.monotonic() + 30  # the six refusals come back at once; the rest run
            while len(finished) < 6 and time.monotonic() < admitted_by:
                time.sleep(0.05)
            small_started = time.monotonic()
            r = httpx.post(
                f"{base}/align?top_k=3",
                json={**small, "title": "Welding II"},
                headers=p.headers("emp1"),
                timeout=300,
            )
            small_done = time.monotonic()
            assert r.status_code == 200, r.text
            results = [f.result() for f in futures]
    during = small_done - small_started
    running_after_small = sum(t > small_done for t in finished.values())
    print(
        f"\nsmall alignment alone {alone:.2f} s, during the burst {during:.2f} s; burst answers "
        f"{sorted(code for code, _ in results)}, last one done "
        f"{max(finished.values()) - burst_started:.1f} s after it began; {running_after_small} burst "
        "requests still running when the small one was answered"
    )
    statuses = [code for code, _ in results]
    assert statuses.count(429) == 6 and statuses.count(200) == 3  # one in progress per address
    assert all(retry is not None and int(retry) >= 1 for code, retry in results if code == 429)
    assert during - alone < 5.0
    assert running_after_small >= 1  # the small one overtook the burst rather than waiting for it


def test_fair_lock_serves_clients_in_turn() -> None:
    from matcher.runtime.fair_lock import FairLock

    lock = FairLock()
    order: list[str] = []
    lock.acquire("a")
    queued = threading.Event()

    def take(client: str) -> None:
        with lock.turn(client):
            order.append(client)

    threads = []
    for client in ["a", "a", "a", "b", "c", "b"]:  # a queues three turns before b and c arrive
        t = threading.Thread(target=take, args=(client,))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 5
        while len(lock._waiters) < len(threads):
            assert time.monotonic() < deadline
            time.sleep(0.001)
    queued.set()
    lock.release()
    for t in threads:
        t.join(5)
    assert order == ["a", "b", "c", "a", "b", "a"]


@pytest.mark.parametrize("chars", [0, 1, 3999, 4000, 4001, 12_345])
def test_align_slices_cover_every_text_once(chars: int) -> None:
    from matcher.engine import _slices

    lengths = [len(s) for s in curriculum(chars, 7).split(". ")] if chars else []
    slices = _slices(lengths, 4000)
    assert [i for lo, hi in slices for i in range(lo, hi)] == list(range(len(lengths)))
    assert all(sum(lengths[lo:hi]) <= 4000 or hi - lo == 1 for lo, hi in slices)


def test_a_text_budget_holds_counters_not_one_entry_per_character() -> None:
    """Charging 300 programs of 5,000 characters keeps two counters for the client: a moving
    window kept 1.5 million timestamps here (one per character), walked on every request."""
    from limits.storage import MemoryStorage

    from service.ratelimit import Client, Limits

    limits = Limits(Settings(text_budget="100000000/minute"))
    client = Client("user:1", True)
    for _ in range(300):
        limits.charge(client, 5_000)
    storage = limits.limiter.storage
    assert isinstance(storage, MemoryStorage)
    assert sum(len(v) for v in storage.events.values()) == 0
    assert len(storage.storage) <= 4
    stats = limits.limiter.get_window_stats(limits.text, "text", client.key)
    assert stats.remaining == limits.text.amount - 1_500_000
