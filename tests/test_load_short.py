"""A short run of the load test (``evaluation/load_test.py``; ``make load`` runs the full one):
50 clients for 10 s against uvicorn on 127.0.0.1 over the data slice, mixing reads, alignments
and review writes. No error but the deliberate 409s, and every acknowledged review write is in
the database and in the audit log."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from review_support import serve_in_thread

from evaluation.load_test import load, prepare, seed, summary, verify
from matcher.db import Database
from matcher.settings import Settings
from service.app import create_app

pytestmark = pytest.mark.slow


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run in a thread of its own: an earlier test (Playwright's sync API, say) may have
    left an event loop running in the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_fifty_clients_ten_seconds_lose_no_write(settings, matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'load.db'}"
    db = Database(url)
    partnership = seed(db, employers=5)
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=url)
    with serve_in_thread(create_app(s, matcher)) as base:
        plan = run(prepare(base, partnership))
        stats = run(load(base, partnership, plan, clients=50, seconds=10))
    report = summary(stats, 10)
    counts = verify(db, stats)
    db.dispose()
    print(
        f"\nload: {report['requests']} requests, {report['per_s']}/s, p50 {report['p50_ms']} ms, "
        f"p99 {report['p99_ms']} ms; writes {counts}"
    )
    assert report["errors"] == 0, report["first_errors"]
    assert set(report["by_kind"]) == {"read", "align", "write"}
    assert counts["acknowledged_writes"] > 0
    assert counts["acknowledged_writes"] == counts["writes_in_db"] == counts["audit_review_entries"]
    assert counts["acknowledged_missing_from_db"] == counts["acknowledged_missing_from_audit"] == 0
