"""The database layer on a real SQLite file and real PostgreSQL: migrations, sessions, types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cli_support import run_cli
from sqlalchemy import func, select, text

from matcher.db import (
    Base,
    Database,
    current_revision,
    head_revision,
    load_table_modules,
    normalise_url,
    upgrade,
    utcnow,
)
from matcher.db.tables import ImportBatch, Posting

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL), database


def _posting(batch_id: int, h: str = "h1") -> Posting:
    return Posting(batch_id=batch_id, source="test", title="Welder", description="Welds.", text_hash=h)


def test_migrations_match_the_tables(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    load_table_modules()
    with database.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    assert current_revision(database.engine) == head_revision()


def test_upgrade_is_idempotent(database: Database) -> None:
    before, after = upgrade(database.engine)
    assert before == after == head_revision()


def test_transaction_commits_or_rolls_back_everything(database: Database) -> None:
    with database.transaction() as s:
        batch = ImportBatch(source="a", format="jsonl")
        s.add(batch)
        s.flush()
        s.add(_posting(batch.id))
    with pytest.raises(RuntimeError), database.transaction() as s:
        b2 = ImportBatch(source="b", format="jsonl")
        s.add(b2)
        s.flush()
        s.add(_posting(b2.id, "h2"))
        s.flush()
        raise RuntimeError("boom")
    with database.session() as s:
        assert s.scalar(select(func.count(ImportBatch.id))) == 1
        assert s.scalars(select(Posting.text_hash)).all() == ["h1"]


def test_foreign_keys_are_enforced(database: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.transaction() as s:
        s.add(_posting(batch_id=999_999))


def test_timestamps_come_back_aware_utc(database: Database) -> None:
    with database.transaction() as s:
        s.add(ImportBatch(source="a", format="csv"))
    with database.session() as s:
        created = s.scalars(select(ImportBatch.created_at)).one()
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    assert abs((utcnow() - created).total_seconds()) < 120
    with pytest.raises(Exception, match="naive"), database.transaction() as s:
        s.add(ImportBatch(source="a", format="csv", created_at=datetime(2024, 1, 1)))  # noqa: DTZ001


def test_sqlite_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with db.session() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert (tmp_path / "sub" / "x.db").is_file()
    db.dispose()


def test_urls() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert datetime.now(UTC).tzinfo is not None


def test_cli_db_upgrade_and_current(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"MATCHER_DATABASE_URL": db_url, "MATCHER_HOME": str(tmp_path)}
    up = run_cli("db", "upgrade", "--json", env=env)
    assert up.returncode == 0, up.stderr
    assert '"after": "' + head_revision() + '"' in up.stdout
    cur = run_cli("db", "current", env=env)
    assert cur.returncode == 0 and head_revision() in cur.stdout
    bad = run_cli("db", "current", env={**env, "MATCHER_DATABASE_URL": "nonsense://"})
    assert bad.returncode == 2 and bad.stderr.startswith("error: unusable database URL"), bad.stderr
    down = run_cli(
        "db",
        "upgrade",
        env={**env, "MATCHER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"},
    )
    assert down.returncode == 4 and down.stderr.startswith("error: cannot use the database"), down.stderr
    assert len(down.stderr.strip().splitlines()) == 1
