"""`matcher admin backup` / `restore`: a round trip of the database (reviews, audit log, postings
with dates and binary signatures) and the live index build preserves every row count and
checksum, on SQLite and PostgreSQL; the restored database works (keys still authenticate, new
ids follow the restored ones); damaged backups and non-empty targets are refused."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import run_cli
from review_support import WELDING, build_partnership
from test_db_support import pg_schema

from matcher.db import Database
from matcher.db.backup import backup, read_manifest, restore, table_checksums
from matcher.errors import BadInputError, ConflictError
from matcher.indexes.store import IndexStore, sha256_file
from matcher.postings.readers import parse_postings
from matcher.postings.store import PostingStore
from matcher.postings.wiring import coder_of
from matcher.program import Program
from matcher.review import programs, reviews, snapshots
from matcher.review.auth import authenticate_key

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL)

POSTINGS = [
    {
        "title": "Welder",
        "description": "MIG and TIG welding of carbon steel; read blueprints.",
        "employer": "Acme",
        "location": "Newark, NJ",
        "date_posted": "2026-10-01",
    },
    {
        "title": "CDL Class A Driver",
        "description": "Drive tractor trailers; clean driving record; CDL Class A license.",
        "employer": "Freight Co",
        "location": "Edison, NJ",
        "date_posted": "2026-09-15",
    },
]


@pytest.fixture
def target_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'matcher.db'}"
        return
    with pg_schema(db_url.split("?")[0]) as url:
        yield url


def _populate(db: Database, matcher) -> dict[str, str]:  # type: ignore[no-untyped-def]
    p = build_partnership(db)
    pid = programs.create_program(db, p.actors["prov_a"], Program(**WELDING))["id"]
    programs.share_program(db, p.actors["prov_a"], pid, p.orgs["Employer 1"]["id"])
    snapshots.compute_snapshot(db, p.actors["prov_a"], pid, matcher)
    review = reviews.create_review(
        db, p.actors["emp1"], pid, occupation="51-4121.00", decision="nice_to_have"
    )
    reviews.update_review(db, p.actors["emp1"], review["id"], version=1, comment="Two a year — «ok»")
    _, result = parse_postings("\n".join(json.dumps(r) for r in POSTINGS).encode(), "p.jsonl")
    PostingStore(db, coder_of(matcher)).import_result(result, source="test", fmt="jsonl")
    return p.keys


def test_backup_restore_round_trip(settings, matcher, index_store, db_url, target_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source_home, target_home = tmp_path / "src", tmp_path / "dst"
    shutil.copytree(index_store.root, source_home / "indexes")
    src = settings.model_copy(update={"home": source_home, "database_url": db_url})
    dst = settings.model_copy(update={"home": target_home, "database_url": target_url})
    db = Database(db_url)
    keys = _populate(db, matcher)
    before = table_checksums(db)
    assert before["audit_log"].rows > 20 and before["postings"].rows == 2 and before["posting_minhash"].rows

    manifest = backup(src, tmp_path / "backup")
    assert {n: t["rows"] for n, t in manifest["database"]["tables"].items()} == {
        n: t.rows for n, t in before.items()
    }
    assert not list(tmp_path.glob(".backup.tmp-*"))  # written aside, then renamed

    counts = restore(dst, tmp_path / "backup")
    restored = Database(target_url)
    assert counts == {n: t.rows for n, t in before.items()}
    assert table_checksums(restored) == before  # every table: same rows, same content checksum

    live_src = IndexStore(source_home / "indexes").current_folder()
    live_dst = IndexStore(target_home / "indexes").current_folder()
    assert live_src is not None and live_dst is not None
    assert {p.name: sha256_file(p) for p in live_dst.iterdir()} == {
        p.name: sha256_file(p) for p in live_src.iterdir()
    }

    # The restored database is in use at once: keys authenticate, new ids follow the old ones.
    actor = authenticate_key(restored, keys["emp2"])
    pid = programs.list_programs(restored, authenticate_key(restored, keys["prov_a"]))[0]["id"]
    assert actor.org_name == "Employer 2"
    prov = authenticate_key(restored, keys["prov_a"])
    programs.share_program(restored, prov, pid, authenticate_key(restored, keys["emp2"]).org_id)
    made = reviews.create_review(restored, actor, pid, occupation="51-4121.00", decision="required_at_hire")
    assert made["id"] == 2
    restored.dispose()
    db.dispose()


def test_damaged_backups_and_busy_targets_are_refused(settings, matcher, index_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(index_store.root, home / "indexes")
    s = settings.model_copy(update={"home": home, "database_url": f"sqlite:///{home / 'matcher.db'}"})
    db = Database(s.db_url)
    _populate(db, matcher)
    backup(s, tmp_path / "bk")
    with pytest.raises(ConflictError, match="already exists"):
        backup(s, tmp_path / "bk")
    with pytest.raises(ConflictError, match="--force"):
        restore(s, tmp_path / "bk")  # the database file exists
    pg_like = s.model_copy(update={"database_url": s.db_url})
    with pytest.raises(ConflictError, match="not empty"):
        from matcher.db.backup import _restore_into

        _restore_into(db, tmp_path / "bk", read_manifest(tmp_path / "bk"))

    damaged = tmp_path / "damaged"
    shutil.copytree(tmp_path / "bk", damaged)
    target = damaged / "database" / "reviews.jsonl.gz"
    target.write_bytes(target.read_bytes()[:-3] + b"xyz")
    with pytest.raises(BadInputError, match="reviews.jsonl.gz does not match its checksum"):
        restore(pg_like, damaged, force=True)

    before = table_checksums(db)
    db.dispose()
    counts = restore(s, tmp_path / "bk", force=True)  # sets the old file aside
    assert counts["reviews"] == 1 and list(home.glob("matcher.db.before-restore-*"))
    assert table_checksums(Database(s.db_url)) == before


def test_admin_backup_and_restore_commands(settings, index_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(index_store.root, home / "indexes")

    def run(*args: str, db: str) -> subprocess.CompletedProcess[str]:
        env = {
            "MATCHER_HOME": str(home),
            "MATCHER_DATA_DIR": str(settings.data_dir),
            "MATCHER_DATABASE_URL": f"sqlite:///{tmp_path / db}",
        }
        return run_cli("admin", *args, env=env)

    assert run("create-org", "Acme", "--kind", "employer", "--state", "NJ", db="a.db").returncode == 0
    r = run("backup", str(tmp_path / "bk"), "--json", db="a.db")
    assert r.returncode == 0, r.stderr
    manifest = json.loads(r.stdout)
    assert manifest["database"]["tables"]["organisations"]["rows"] == 1 and manifest["indexes"]["build"]
    r = run("restore", str(tmp_path / "bk"), db="b.db")
    assert r.returncode == 0 and "organisations" in r.stdout and "checksums" in r.stderr, r.stderr
    r = run("restore", str(tmp_path / "bk"), db="b.db")
    assert r.returncode != 0 and "--force" in r.stderr and "Traceback" not in r.stderr
