"""Portfolio latency with a state's whole list: one page of ``GET /portfolio`` (JSON) and
``GET /ui/portfolio`` (HTML) for several views, and the CSV export of the whole list.

    .venv/bin/python -m evaluation.bench_portfolio [--database-url URL] [--runs 20]

Without ``--database-url`` it builds a SQLite database in a temporary folder holding the 714
programs of ``programs_nj_etpl.dev.jsonl`` as screened NJ programs: the real titles, providers
(one organisation each) and clock hours; per program a version, a snapshot row and a screening
result with the nine Pell checks. The results are synthetic (no alignment runs: this measures the
portfolio's query and rendering, not screening): the length check is the real one on the hours,
the other statuses and the top occupation (a gold SOC code of the record) follow a fixed hash; one
program in four has employer decisions, one in ten a re-review flag. With ``--database-url`` it
times an existing screened database (e.g. after ``matcher screen ... --state NJ``) as its NJ
reviewer. Requests go through the whole app in process (FastAPI TestClient: authentication,
rate limits, query, JSON or Jinja2). Target: < 500 ms per page.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 500.0
REPO = Path(__file__).resolve().parent.parent
ETPL = REPO.parent / "shared" / "eval" / "programs_nj_etpl.dev.jsonl"
PASSWORD = "portfolio-bench-password"
VIEWS: dict[str, dict[str, str]] = {
    "first page": {},
    "last page": {"page": "15"},
    "a check fails": {"status": "fail"},
    "placement unknown (JSON filter)": {"status": "unknown", "check": "placement"},
    "group 53, by coverage desc": {"group": "53", "sort": "coverage", "order": "desc"},
    "flagged": {"flagged": "yes"},
    "200 per page": {"per_page": "200"},
}
CHECKS = [
    ("length_hours", "Length in clock hours"),
    ("length_weeks", "Length in weeks"),
    ("occupation_list", "Occupation on the state's in-demand list"),
    ("wage", "Wage against the bar"),
    ("employer_validation", "Employer validation"),
    ("credential", "Stackable, portable credential named"),
    ("completion", "Completion rate"),
    ("placement", "Job placement rate"),
    ("value_added_earnings", "Value-added earnings against tuition and fees"),
]


def _hash(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _checks(rec: dict[str, Any]) -> list[dict[str, str]]:
    from matcher.evidence import length

    hours = length.check_clock_hours(rec.get("clock_hours"), None, source="bench", vintage="bench")
    out = [{"id": "length_hours", "name": CHECKS[0][1], "status": hours.status.value, "reason": hours.reason}]
    for cid, name in CHECKS[1:]:
        status = ("pass", "fail", "unknown")[_hash(rec["id"], cid) % 3]
        out.append(
            {"id": cid, "name": name, "status": status, "reason": f"{name}: {status} (synthetic result)"}
        )
    return out


def build(url: str) -> None:
    """The 714 dev programs as screened NJ programs (see the module docstring)."""
    from matcher.db import Database
    from matcher.review import Actor, accounts, audit
    from matcher.review.tables import AlignmentSnapshot, Organisation, ProgramRecord, ProgramVersion, Review
    from matcher.screening.tables import ScreeningResult, ScreeningRun

    db = Database(url)
    cli = Actor.command_line("bench")
    accounts.create_org(db, cli, name="NJ Office", kind="state", state="NJ")
    accounts.create_org(db, cli, name="Employer 1", kind="employer", state="NJ")
    accounts.create_user(db, cli, email="rev@bench.invalid", name="Rev", role="reviewer", org="NJ Office")
    accounts.create_user(db, cli, email="emp@bench.invalid", name="Emp", role="employer", org="Employer 1")
    records = [json.loads(line) for line in ETPL.read_text().splitlines() if line.strip()]
    with db.transaction() as s:
        user_id = accounts.find_user(s, "rev@bench.invalid").id
        employer = accounts.find_user(s, "emp@bench.invalid")
        run = ScreeningRun(
            state="NJ", source=ETPL.name, inputs_sha256="0" * 64, counts={}, errors=[], started_by="bench"
        )
        s.add(run)
        s.flush()
        audit.record(s, cli, "screening_run.create", run)
        orgs: dict[str, Organisation] = {}
        for n, rec in enumerate(records):
            name = (rec.get("provider") or "Unknown provider")[:200]
            if name not in orgs:
                orgs[name] = Organisation(name=name, kind="provider", state="NJ")
                s.add(orgs[name])
                s.flush()
                audit.record(s, cli, "organisation.create", orgs[name])
            org = orgs[name]
            title = rec.get("title") or rec["id"]
            record = ProgramRecord(owner_org_id=org.id, state="NJ", title=title, created_by=user_id)
            s.add(record)
            s.flush()
            version = ProgramVersion(
                program_id=record.id,
                number=1,
                title=title,
                content=rec,
                content_sha256="0" * 64,
                created_by=user_id,
            )
            s.add(version)
            s.flush()
            snap = AlignmentSnapshot(
                program_id=record.id,
                version_id=version.id,
                version_number=1,
                model_version="bench",
                data_versions={},
                alignment={},
                gaps=[],
                subjects=[],
                created_by=user_id,
            )
            s.add(snap)
            s.flush()
            checks = _checks(rec)
            soc = (rec.get("gold_soc") or ["00-0000"])[0]
            flags = (
                [{"kind": "state_list", "reason": "synthetic flag", "since": "2026-12-06"}]
                if n % 10 == 0
                else []
            )
            result = ScreeningResult(
                program_id=record.id,
                external_id=rec["id"],
                state="NJ",
                provider_org_id=org.id,
                run_id=run.id,
                snapshot_id=snap.id,
                version_number=1,
                title=title,
                clock_hours=rec.get("clock_hours"),
                weeks=None,
                top_code=f"{soc}.00",
                top_title=f"Occupation {soc}",
                top_score=(_hash(rec["id"]) % 100) / 100,
                top_coverage=float(_hash(rec["id"], "c") % 100),
                occupations=[],
                checks=checks,
                passed=sum(c["status"] == "pass" for c in checks),
                failed=sum(c["status"] == "fail" for c in checks),
                unknown=sum(c["status"] == "unknown" for c in checks),
                flags=flags,
                flagged=bool(flags),
                data_versions={},
            )
            s.add(result)
            written: list[Any] = [record, version, snap, result]
            if n % 4 == 0:
                for k in range(5):
                    written.append(
                        Review(
                            program_id=record.id,
                            snapshot_id=snap.id,
                            org_id=employer.org_id,
                            occupation_code=f"{soc}.00",
                            skill_key=f"skill-{k}",
                            subject_label=f"skill {k}",
                            decision="required_at_hire",
                            version=1,
                            created_by=employer.id,
                            updated_by=employer.id,
                        )
                    )
            s.add_all(written)
            s.flush()
            for obj in written:
                audit.record(s, cli, "bench.create", obj)
    db.dispose()


def _time(client: Any, path: str, params: dict[str, str], runs: int, **kw: Any) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        r = client.get(path, params=params, **kw)
        out.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text[:300]
    return out


def measure(url: str, runs: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from matcher.db import Database
    from matcher.review import Actor, accounts
    from matcher.review.auth import login
    from matcher.settings import Settings
    from service.access import SESSION_COOKIE
    from service.app import create_app

    settings = Settings(database_url=url, limit_scale=1e6)
    db = Database(url)
    cli = Actor.command_line("bench")
    user = f"bench-rev-{os.getpid()}@bench.invalid"
    orgs = [o["name"] for o in accounts.list_orgs(db) if o["kind"] == "state" and o["state"] == "NJ"]
    org = (
        orgs[0] if orgs else accounts.create_org(db, cli, name="NJ Office", kind="state", state="NJ")["name"]
    )
    accounts.create_user(db, cli, email=user, name="Bench", role="reviewer", org=org, password=PASSWORD)
    _, key = accounts.create_api_key(db, cli, user=user, label="bench")
    token = login(db, user, PASSWORD, hours=1).token
    report: dict[str, Any] = {"views": {}}
    client = TestClient(create_app(settings, None))  # no lifespan: the portfolio needs no matcher
    client.cookies.set(SESSION_COOKIE, token)
    total = client.get("/portfolio", headers={"X-API-Key": key}).json()["total"]
    report["programs"] = total
    for name, params in VIEWS.items():
        row: dict[str, Any] = {}
        for kind, path, kw in (
            ("json", "/portfolio", {"headers": {"X-API-Key": key}}),
            ("html", "/ui/portfolio", {}),
        ):
            _time(client, path, params, 2, **kw)  # warm
            ms = _time(client, path, params, runs, **kw)
            row[kind] = {
                "p50": statistics.median(ms),
                "p95": sorted(ms)[int(0.95 * (len(ms) - 1))],
                "max": max(ms),
            }
        report["views"][name] = row
    ms = _time(client, "/portfolio/export", {"format": "csv"}, max(3, runs // 4), headers={"X-API-Key": key})
    report["export_csv_all"] = {"p50": statistics.median(ms), "max": max(ms)}
    db.dispose()
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", help="A screened database (default: build the synthetic one).")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'portfolio.db'}"
            started = time.perf_counter()
            build(url)
            print(f"built {url} in {time.perf_counter() - started:.1f} s")
        report = measure(url, args.runs)
    machine = platform.processor() or platform.machine()
    print(f"{report['programs']} programs; {machine}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'view':36} {'JSON p50':>9} {'p95':>7} {'HTML p50':>9} {'p95':>7}  (ms)")
    worst = 0.0
    for name, row in report["views"].items():
        j, h = row["json"], row["html"]
        worst = max(worst, j["p95"], h["p95"])
        print(f"{name:36} {j['p50']:9.1f} {j['p95']:7.1f} {h['p50']:9.1f} {h['p95']:7.1f}")
    e = report["export_csv_all"]
    print(f"CSV export of the whole list: p50 {e['p50']:.0f} ms, max {e['max']:.0f} ms")
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"worst page p95 {worst:.0f} ms; target < {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
