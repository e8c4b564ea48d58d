"""Postings through the HTTP API and the command line, on SQLite and PostgreSQL, with the real
matcher over the data slice; the 200 real adverts when the shared evaluation folder is there."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_postings_store import NURSE_TEXT, WELDER_TEXT

from matcher.postings.store import MAX_BATCH
from service.app import create_app

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL), database

ADZUNA = Path(
    os.environ.get("MATCHER_TEST_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval")
)
ADZUNA = ADZUNA / "postings_adzuna_sample.jsonl"


@pytest.fixture
def client(settings, matcher, db_url):  # type: ignore[no-untyped-def]
    s = settings.model_copy(update={"database_url": db_url})
    with TestClient(create_app(s, matcher)) as c:
        assert c.app.state.database.url.startswith(db_url.split(":")[0])
        c.headers["X-API-Key"] = _admin_key(c.app.state.database)  # POST /postings: admins only
        yield c
    c.app.state.database.dispose()


def _admin_key(db) -> str:  # type: ignore[no-untyped-def]
    from matcher.review import Actor, accounts

    cli = Actor.command_line("test")
    accounts.create_org(db, cli, name="State Office", kind="state", state="NJ")
    accounts.create_user(db, cli, email="admin@example.org", name="Admin", role="admin", org="State Office")
    return accounts.create_api_key(db, cli, user="admin@example.org")[1]


def _error(resp, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


def test_post_postings_reports_bad_records_and_stores_good_ones(client: TestClient) -> None:
    batch = [
        {
            "id": "w1",
            "title": "Welder",
            "description": WELDER_TEXT,
            "location": "Newark, NJ",
            "date": "2024-05-02",
        },
        {"id": "c1", "title": "Cook", "description": ""},
        "not an object",
        {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": "Registered Nurse",
            "description": NURSE_TEXT,
            "datePosted": "2024-05-03",
            "occupationalCategory": "29-1141.00",
            "jobLocation": {
                "@type": "Place",
                "address": {"addressLocality": "Camden", "addressRegion": "NJ"},
            },
        },
        {"title": "Bad date", "description": "x", "date_posted": "31st of Foo"},
    ]
    r = client.post("/postings", json={"postings": batch}, params={"source": "board-a"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["received"], body["stored"], body["errors"]) == (5, 2, 3)
    assert [(e["line"], e["message"][:21]) for e in body["error_details"]] == [
        (2, "the posting has an em"),
        (3, "expected a JSON objec"),
        (5, "unreadable date '31st"),
    ]
    assert [rec["status"] for rec in body["records"]] == ["stored", "stored"]
    nurse = body["records"][1]
    assert nurse["code"] == "29-1141.00" and nurse["confidence"] == 1.0
    again = client.post("/postings", json=batch[:1]).json()
    assert (again["stored"], again["duplicates"], again["records"][0]["status"]) == (0, 1, "duplicate")
    stats = client.get("/postings/stats").json()
    assert stats["postings"] == 2 and {o["code"] for o in stats["by_occupation"]} >= {"29-1141.00"}
    d = client.get("/occupations/29-1141.00/demand", params={"area": "New Jersey", "since": "2024-05-01"})
    assert d.status_code == 200, d.text
    d = d.json()
    assert (d["postings"], d["title"], d["by_month"]) == (1, "Registered Nurses", {"2024-05": 1})
    assert client.get("/occupations/29-1141.00/demand", params={"area": "TX"}).json()["postings"] == 0


def test_post_postings_bad_input(client: TestClient) -> None:
    too_many = [{"title": "x", "description": "y"}] * (MAX_BATCH + 1)
    err = _error(client.post("/postings", json=too_many), 413)
    assert err["details"]["limit"] == MAX_BATCH
    err = _error(
        client.post(
            "/postings", content=b"title,company\nWelder,Acme\n", headers={"content-type": "text/csv"}
        ),
        422,
    )
    assert (
        err["details"]["errors"][0]["line"] == 1 and "description" in err["details"]["errors"][0]["message"]
    )
    _error(
        client.post(
            "/postings", content=b'[{"title": "Caf\xe9"}]', headers={"content-type": "application/json"}
        ),
        422,
    )
    _error(client.post("/postings", content=b"[{", headers={"content-type": "application/json"}), 422)
    _error(client.post("/postings", content=b"", headers={"content-type": "application/json"}), 422)
    csv = b"title,description\nWelder,Welds\nCook,\n"
    r = client.post("/postings", content=csv, headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.json()["error_details"][0]["line"] == 3
    _error(client.get("/occupations/51-4129.00/demand"), 404)
    _error(client.get("/occupations/51-4121.00/demand", params={"since": "last week"}), 422)


def test_cli_import_stats_demand(cli, settings, index_store, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "MATCHER_DATA_DIR": str(settings.data_dir),
        "MATCHER_HOME": str(settings.home),
        "MATCHER_DATABASE_URL": db_url,
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return cli(*args, env=env)

    jl = tmp_path / "a.jsonl"
    jl.write_text(
        json.dumps({"title": "Welder", "description": WELDER_TEXT, "location": "Newark, NJ"})
        + "\n{oops\n"
        + json.dumps({"title": "Registered Nurse", "description": NURSE_TEXT, "soc": "29-1141"})
        + "\n"
    )
    csv = tmp_path / "b.csv"
    csv.write_text(f'Job Name,Details,Where\nWelder,"{WELDER_TEXT}","Newark, NJ"\n')
    r = run(
        "postings",
        "import",
        str(jl),
        str(csv),
        "--map",
        "title=Job Name",
        "--map",
        "description=Details",
        "--map",
        "location=Where",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    first, second = json.loads(r.stdout)
    assert (first["stored"], first["errors"], first["error_details"][0]["line"]) == (2, 1, 2)
    assert (second["stored"], second["duplicates"]) == (0, 1)
    r = run("postings", "stats", "--json")
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert stats["postings"] == 2 and any(o["code"] == "29-1141.00" for o in stats["by_occupation"])
    r = run("postings", "stats")
    assert r.returncode == 0 and "Postings by occupation" in r.stdout
    r = run("postings", "demand", "29-1141.00", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["postings"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("name,company\nWelder,Acme\n")
    r = run("postings", "import", str(bad))
    assert r.returncode == 2 and "no column for description" in r.stderr
    r = run("postings", "import", str(tmp_path / "missing.jsonl"))
    assert r.returncode == 2 and r.stderr.startswith("error: no such file")


@pytest.mark.skipif(not ADZUNA.is_file(), reason=f"benchmark adverts not found at {ADZUNA}")
def test_real_adverts_import_once_and_merge_repeats(matcher, database) -> None:  # type: ignore[no-untyped-def]
    """The 200 real adverts, then the same file twice more (read from the shared folder only)."""
    from matcher.postings.coding import OccupationCoder
    from matcher.postings.demand import stats
    from matcher.postings.readers import read_postings_file
    from matcher.postings.store import PostingStore

    store = PostingStore(database, OccupationCoder.from_matcher(matcher))
    reports = [
        store.import_result(read_postings_file(ADZUNA)[1], source=ADZUNA.name, fmt="jsonl") for _ in range(3)
    ]
    assert (reports[0].received, reports[0].stored, reports[0].errors) == (200, 200, [])
    assert [(r.stored, r.merged) for r in reports[1:]] == [(0, 200), (0, 200)]
    assert reports[0].needs_review + sum(reports[0].by_method.values()) == 200
    s = stats(database)
    assert (
        s["postings"] == 200
        and sum(o["postings"] for o in s["by_occupation"]) + s["needs_review"] >= 200 - 50
    )
