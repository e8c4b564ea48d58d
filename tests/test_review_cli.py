"""`matcher admin`: organisations, users, keys and the demo partnership, run in this process
(``tests/cli_support.py``) over a real SQLite file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_support import run_cli

from matcher.db import Database
from matcher.review.auth import authenticate_key


def _run(tmp_path: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        "MATCHER_HOME": str(tmp_path),
        "MATCHER_DATABASE_URL": f"sqlite:///{tmp_path / 'admin.db'}",
        **env,
    }
    return run_cli("admin", *args, env=full_env, stdin=stdin)


def test_admin_creates_orgs_users_and_keys(tmp_path: Path) -> None:
    r = _run(tmp_path, "create-org", "Acme Welding", "--kind", "employer", "--state", "nj", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["state"] == "NJ"
    r = _run(tmp_path, "create-org", "Acme Welding", "--kind", "employer", "--state", "NJ")
    assert r.returncode == 6 and r.stderr.strip() == "error: an organisation named 'Acme Welding' exists"
    r = _run(
        tmp_path,
        *("create-user", "erin@example.org", "--name", "Erin", "--role", "employer", "--org", "Acme Welding"),
        "--password-stdin",
        stdin="a-long-enough-password\n",
    )
    assert r.returncode == 0 and "employer, Acme Welding" in r.stdout, r.stderr
    r = _run(
        tmp_path, "create-user", "x@example.org", "--name", "X", "--role", "reviewer", "--org", "Acme Welding"
    )
    assert r.returncode == 2 and r.stderr.startswith("error: no password") and "Traceback" not in r.stderr
    r = _run(
        tmp_path,
        "create-user",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "reviewer",
        "--org",
        "Acme Welding",
        "--no-password",
    )
    assert r.returncode == 2 and "a reviewer belongs to a state organisation" in r.stderr
    assert "Traceback" not in r.stderr
    r = _run(tmp_path, "create-key", "erin@example.org", "--label", "ci")
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert key.startswith("smk_") and "shown only now" in r.stderr
    db = Database(f"sqlite:///{tmp_path / 'admin.db'}")
    assert authenticate_key(db, key).email == "erin@example.org"
    db.dispose()
    r = _run(tmp_path, "revoke-key", key.split("_")[1])
    assert r.returncode == 0 and "revoked" in r.stdout


def test_seed_demo_is_idempotent_and_prints_the_sign_in(tmp_path: Path) -> None:
    first = _run(tmp_path, "seed-demo", "--no-align")
    assert first.returncode == 0, first.stderr
    assert "4 organisations, 5 users, 2 programs, 3 shares" in first.stderr
    assert "Demo sign-in at http://127.0.0.1:8000/ui/login" in first.stdout
    for line in (
        "provider@demo.example",
        "employer1@demo.example",
        "employer2@demo.example",
        "reviewer@demo.example",
    ):
        assert line in first.stdout
    again = _run(tmp_path, "seed-demo", "--no-align", "--json")
    assert again.returncode == 0, again.stderr
    out = json.loads(again.stdout)
    assert not any(out["created"].values()) and len(out["sign_in"]) == 5
    prod = _run(tmp_path, "seed-demo", "--no-align", MATCHER_ENV="prod", MATCHER_SESSION_SECRET="s" * 40)
    assert prod.returncode == 7 and "only for MATCHER_ENV=dev" in prod.stderr
