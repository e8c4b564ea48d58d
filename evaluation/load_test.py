"""Load test: concurrent clients mix reads, alignments and employer review writes against the
real service on 127.0.0.1, then every acknowledged review write is counted in the database and
in the audit log.

    .venv/bin/python -m evaluation.load_test [--clients 200] [--seconds 60] [--database-url URL]
        [--port 8765] [--json FILE]          # what `make load` runs

The script makes a fresh database (a SQLite file in a temporary folder unless
``--database-url`` names an empty one), creates a partnership there (a provider, employers,
a state reviewer, each with an API key), starts ``matcher serve`` on it (indexes from
``MATCHER_HOME``), and through the API creates programs, shares them and aligns them. Then
``--clients`` closed-loop clients (each waits for its answer before the next request) run for
``--seconds``: reviewers and providers read (program lists and pages, reviews, audit,
occupation and skill search, health), a share of requests are alignments (``POST /align``),
and employers create reviews and update them with the version they last saw (a stale one is
409, which the client answers by reading the review and retrying later). Every client has its
own connection. Afterwards the server is stopped and the database is read directly. The server
runs with ``MATCHER_LIMIT_SCALE=1000`` (unless set): hundreds of clients share a few keys and
one address, which a deployment's per-client rate limits would mostly refuse.

It fails (exit 1) on any error other than the deliberate 409 (and 429), or when acknowledged
writes, review versions in the database and audit entries disagree. Bounded: requests stop at
the deadline and each has a timeout; everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from matcher.db import Database

DELIBERATE = {409, 429}
ALIGN_SHARE = 0.10  # of a reader's requests: alignments are the costly ones (encoder + FAISS)
TIMEOUT = 300.0  # seconds per request: closed-loop clients queue behind each other
PROGRAMS = [
    {
        "title": "Welding Certificate",
        "description": "Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon steel and "
        "aluminum in flat, horizontal and vertical positions. Blueprint reading and weld symbols. "
        "Oxy-fuel and plasma cutting. Shop safety and OSHA 10.",
        "credential": "AWS Certified Welder",
        "clock_hours": 300,
    },
    {
        "title": "CDL Class A (Tractor Trailer)",
        "description": "Hands-on training to operate a tractor trailer safely: pre-trip inspection, "
        "coupling and uncoupling, backing, shifting, hours-of-service logs and road driving.",
        "credential": "Commercial Driver's License Class A",
        "clock_hours": 240,
    },
    {
        "title": "Medical Assistant",
        "description": "Clinical and administrative skills: taking vital signs, phlebotomy, EKG, "
        "assisting with examinations, electronic health records, scheduling and medical billing.",
        "credential": "Certified Clinical Medical Assistant",
        "clock_hours": 560,
    },
]
QUERIES = ["welder", "truck driver", "medical assistant", "electrician", "phlebotomy", "forklift"]


@dataclass
class Partnership:
    provider: str
    reviewer: str
    admin: str
    employers: list[str]  # API keys, one per employer organisation


def seed(db: Database, employers: int) -> Partnership:
    """Organisations, users and API keys, made through the library as an operator would."""
    from matcher.review import Actor, accounts

    cli = Actor.command_line("load-test")

    def user(handle: str, role: str, org: str) -> str:
        email = f"{handle}@load.example"
        accounts.create_user(db, cli, email=email, name=handle, role=role, org=org, password=None)
        return accounts.create_api_key(db, cli, user=email, label="load test")[1]

    accounts.create_org(db, cli, name="Load Provider", kind="provider", state="NJ")
    accounts.create_org(db, cli, name="Load State Office", kind="state", state="NJ")
    keys = []
    for i in range(employers):
        accounts.create_org(db, cli, name=f"Load Employer {i}", kind="employer", state="NJ")
        keys.append(user(f"employer{i}", "employer", f"Load Employer {i}"))
    return Partnership(
        provider=user("provider", "provider", "Load Provider"),
        reviewer=user("reviewer", "reviewer", "Load State Office"),
        admin=user("admin", "admin", "Load State Office"),
        employers=keys,
    )


async def prepare(base: str, p: Partnership) -> list[dict[str, Any]]:
    """Programs created, shared with every employer and aligned, through the API."""
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        prov = {"X-API-Key": p.provider}
        orgs = (await client.get("/organisations?kind=employer", headers=prov)).raise_for_status().json()
        out = []
        for program in PROGRAMS:
            r = await client.post("/programs", json={"program": program}, headers=prov)
            pid = r.raise_for_status().json()["id"]
            for org in orgs["data"]:
                (
                    await client.post(
                        f"/programs/{pid}/shares", json={"organisation_id": org["id"]}, headers=prov
                    )
                ).raise_for_status()
            snap = (await client.post(f"/programs/{pid}/snapshots", headers=prov)).raise_for_status().json()
            subjects = [(s["occupation"], s["skill"]) for s in snap["subjects"]]
            out.append({"id": pid, "snapshot": snap["id"], "subjects": subjects})
        return out


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    acknowledged: list[tuple[int, int]] = field(default_factory=list)  # (review id, version)
    requests: int = 0

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.requests += 1
        self.latencies[kind].append(seconds)
        self.statuses[(kind, status)] += 1


async def _call(
    client: httpx.AsyncClient, stats: Stats, kind: str, method: str, url: str, **kw: Any
) -> httpx.Response | None:
    started = time.monotonic()
    try:
        r = await client.request(method, url, **kw)
    except httpx.HTTPError as exc:
        stats.errors.append(f"{kind} {method} {url}: {type(exc).__name__} {exc}")
        stats.record(kind, 0, time.monotonic() - started)
        return None
    stats.record(kind, r.status_code, time.monotonic() - started)
    if r.status_code >= 400 and r.status_code not in DELIBERATE:
        stats.errors.append(f"{kind} {method} {url}: {r.status_code} {r.text[:200]}")
    return r


async def reader(
    base: str, key: str, plan: list[dict[str, Any]], stats: Stats, deadline: float, seed_: int
) -> None:
    rnd = random.Random(seed_)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=TIMEOUT) as c:
        while time.monotonic() < deadline:
            roll, pid = rnd.random(), rnd.choice(plan)["id"]
            if roll < ALIGN_SHARE:
                await _call(c, stats, "align", "POST", "/align?top_k=5", json=rnd.choice(PROGRAMS))
            elif roll < 0.40:
                await _call(c, stats, "read", "GET", "/occupations/search", params={"q": rnd.choice(QUERIES)})
            elif roll < 0.50:
                await _call(c, stats, "read", "GET", "/skills/search", params={"q": rnd.choice(QUERIES)})
            elif roll < 0.65:
                await _call(c, stats, "read", "GET", f"/programs/{pid}/reviews")
            elif roll < 0.80:
                await _call(c, stats, "read", "GET", f"/programs/{pid}")
            elif roll < 0.90:
                await _call(c, stats, "read", "GET", "/programs")
            elif roll < 0.97:
                await _call(c, stats, "read", "GET", f"/audit?program_id={pid}&limit=50")
            else:
                await _call(c, stats, "read", "GET", "/health")


async def writer(
    base: str, key: str, plan: list[dict[str, Any]], stats: Stats, deadline: float, seed_: int
) -> None:
    """An employer: creates reviews, then keeps updating them with the version it last saw."""
    rnd = random.Random(seed_)
    mine: dict[int, int] = {}  # review id -> version last seen
    decisions = ["required_at_hire", "nice_to_have", "not_needed", "missing_from_program"]
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=TIMEOUT) as c:
        while time.monotonic() < deadline:
            if mine and (rnd.random() < 0.7 or len(mine) >= 40):
                rid = rnd.choice(list(mine))
                body = {
                    "version": mine[rid],
                    "decision": rnd.choice(decisions),
                    "comment": f"load {rnd.random():.6f}",
                }
                r = await _call(c, stats, "write", "PATCH", f"/reviews/{rid}", json=body)
                if r is not None and r.status_code == 200:
                    mine[rid] = r.json()["version"]
                    stats.acknowledged.append((rid, mine[rid]))
                elif r is not None and r.status_code == 409:
                    mine[rid] = r.json()["error"]["details"]["current"]["version"]
                continue
            program = rnd.choice(plan)
            occupation, skill = rnd.choice(program["subjects"])
            body = {
                "occupation": occupation,
                "skill": skill,
                "decision": rnd.choice(decisions),
                "snapshot_id": program["snapshot"],
            }
            r = await _call(c, stats, "write", "POST", f"/programs/{program['id']}/reviews", json=body)
            if r is not None and r.status_code == 201:
                review = r.json()
                mine[review["id"]] = review["version"]
                stats.acknowledged.append((review["id"], review["version"]))
            elif r is not None and r.status_code == 409:  # the organisation reviewed it already
                current = r.json()["error"]["details"].get("current")
                if current:
                    mine[current["id"]] = current["version"]


async def load(base: str, p: Partnership, plan: list[dict[str, Any]], clients: int, seconds: float) -> Stats:
    """``clients`` closed-loop clients for ``seconds``: half employers writing, half reading."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    tasks = []
    for i in range(clients):
        if i % 2 == 0:
            key = p.employers[(i // 2) % len(p.employers)]
            tasks.append(writer(base, key, plan, stats, deadline, i))
        else:
            key = [p.reviewer, p.provider, p.admin][(i // 2) % 3]
            tasks.append(reader(base, key, plan, stats, deadline, i))
    await asyncio.gather(*tasks)
    return stats


def verify(db: Database, stats: Stats) -> dict[str, int]:
    """Acknowledged review writes against the reviews table and the audit log."""
    from sqlalchemy import func, select

    from matcher.review.tables import AuditEntry, Review

    with db.session() as s:
        versions = dict(s.execute(select(Review.id, Review.version)).all())
        audit = dict(
            s.execute(
                select(AuditEntry.action, func.count())
                .where(AuditEntry.entity == "review")
                .group_by(AuditEntry.action)
            ).all()
        )
        audited = set(
            s.execute(
                select(AuditEntry.entity_id, AuditEntry.after["version"].as_integer()).where(
                    AuditEntry.entity == "review"
                )
            ).all()
        )
    acked = set(stats.acknowledged)
    latest: dict[int, int] = {}
    for rid, version in acked:
        latest[rid] = max(latest.get(rid, 0), version)
    missing_in_audit = sum((str(rid), v) not in audited for rid, v in acked)
    return {
        "acknowledged_writes": len(stats.acknowledged),
        "acknowledged_distinct": len(acked),
        "reviews_in_db": len(versions),
        "writes_in_db": sum(versions.values()),  # a review at version v took 1 create + v-1 updates
        "audit_review_entries": audit.get("review.create", 0) + audit.get("review.update", 0),
        "acknowledged_missing_from_db": sum(versions.get(rid, 0) < v for rid, v in latest.items()),
        "acknowledged_missing_from_audit": missing_in_audit,
    }


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(stats: Stats, seconds: float) -> dict[str, Any]:
    kinds = {}
    for kind, values in sorted(stats.latencies.items()):
        kinds[kind] = {
            "requests": len(values),
            "per_s": round(len(values) / seconds, 1),
            "p50_ms": round(1000 * statistics.median(values), 1),
            "p99_ms": round(1000 * _percentile(values, 0.99), 1),
        }
    every = [v for values in stats.latencies.values() for v in values]
    return {
        "requests": stats.requests,
        "per_s": round(stats.requests / seconds, 1),
        "p50_ms": round(1000 * statistics.median(every), 1) if every else 0.0,
        "p99_ms": round(1000 * _percentile(every, 0.99), 1),
        "by_kind": kinds,
        "statuses": {f"{k} {s}": n for (k, s), n in sorted(stats.statuses.items())},
        "errors": len(stats.errors),
        "first_errors": stats.errors[:10],
    }


def _versions() -> dict[str, str]:
    import sqlite3
    from importlib.metadata import version

    from matcher import __version__

    out = {"matcher": __version__, "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for package in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "httpx", "torch", "faiss-cpu"):
        out[package] = version(package)
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        )
        out["commit"] = sha.stdout.strip()
    except OSError:
        pass
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, database_url: str, log: Path) -> subprocess.Popen[bytes]:
    # Hundreds of clients share a few API keys and one address: the per-client limits of a real
    # deployment would answer most of them 429, so they are raised (MATCHER_LIMIT_SCALE).
    env = {
        **os.environ,
        "MATCHER_DATABASE_URL": database_url,
        "HF_HUB_OFFLINE": "1",
        "MATCHER_LIMIT_SCALE": os.environ.get("MATCHER_LIMIT_SCALE", "1000"),
    }
    cmd = [sys.executable, "-m", "matcher", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            r = httpx.get(f"{base}/health", timeout=5)
            if r.status_code == 200:
                return
            if r.status_code == 503 and "loading" not in r.text:
                raise SystemExit(f"the server started without its indexes: {r.text}")
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("the server did not become ready in time")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--employers", type=int, default=20)
    ap.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--json", type=Path, help="also write the report here")
    args = ap.parse_args()
    if not 1 <= args.clients <= 1000 or not 1 <= args.seconds <= 3600:
        raise SystemExit("--clients 1..1000 and --seconds 1..3600")

    with tempfile.TemporaryDirectory(prefix="matcher-load-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'load.db'}"
        db = Database(url)
        partnership = seed(db, args.employers)
        port = args.port or _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _start_server(port, url, Path(tmp) / "server.log")
        try:
            started = time.monotonic()
            _wait_ready(base, server)
            print(f"server ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
            served = httpx.get(f"{base}/health", timeout=30).json().get("versions") or {}
            plan = asyncio.run(prepare(base, partnership))
            print(
                f"{len(plan)} programs shared with {args.employers} employers and aligned; load starts",
                file=sys.stderr,
            )
            load_before = [round(x, 2) for x in os.getloadavg()]
            began = time.monotonic()
            stats = asyncio.run(load(base, partnership, plan, args.clients, args.seconds))
            elapsed = time.monotonic() - began
        finally:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
        counts = verify(db, stats)
        db.dispose()
        log_tail = (Path(tmp) / "server.log").read_text(errors="replace").count("Traceback")

    report = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "database": db.dialect,
        **summary(stats, elapsed),
        "writes": counts,
        "server_tracebacks": log_tail,
        "versions": _versions(),
        "served": {k: served.get(k) for k in ("data", "data_fingerprint", "built_at")},
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_before": load_before,
            "load_avg_after": [round(x, 2) for x in os.getloadavg()],
        },
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    ok = (
        report["errors"] == 0
        and log_tail == 0
        and counts["acknowledged_writes"] == counts["acknowledged_distinct"]
        and counts["acknowledged_missing_from_db"] == 0
        and counts["acknowledged_missing_from_audit"] == 0
        and counts["acknowledged_writes"] == counts["writes_in_db"] == counts["audit_review_entries"]
    )
    print("load test " + ("passed" if ok else "FAILED"), file=sys.stderr)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
