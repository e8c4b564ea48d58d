"""Database fixtures shared by the database tests (this module holds no tests itself).

``db_url`` is parametrised over a SQLite file and PostgreSQL on 127.0.0.1:5432 (database
``test`` reachable with trust auth as ``postgres`` or ``root``). Each test session creates its
own PostgreSQL database (``matcher_test_<random>``) and drops it afterwards; each test gets a
fresh schema inside it. The PostgreSQL variants are skipped, saying why, when the server is not
reachable. Use them with ``pytest_plugins = ("test_db_support",)`` in the test module.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_HOST = os.environ.get("MATCHER_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("MATCHER_TEST_PG_PORT", "5432"))
PG_USERS = ("postgres", "root")


def _pg_admin():  # type: ignore[no-untyped-def]
    """An autocommit connection to the ``test`` database, or the reason there is none."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return None, f"psycopg is not installed ({exc})"
    reasons = []
    for user in PG_USERS:
        try:
            conn = psycopg.connect(
                host=PG_HOST, port=PG_PORT, dbname="test", user=user, autocommit=True, connect_timeout=3
            )
            return conn, user
        except psycopg.Error as exc:
            reasons.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    return None, f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT} ({'; '.join(reasons)})"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL database of its own for this test session (dropped at the end)."""
    conn, user = _pg_admin()
    if conn is None:
        pytest.skip(user)
    name = f"matcher_test_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        from matcher.db import engine as db_engine

        for db in list(db_engine._DATABASES.values()):  # close pooled connections first
            db.dispose()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh schema in the session's PG database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'matcher.db'}"
        return
    with pg_schema(request.getfixturevalue("pg_server_url")) as url:
        yield url


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A URL to a fresh schema in the PostgreSQL database ``base``, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def database(db_url: str):  # type: ignore[no-untyped-def]
    """A migrated :class:`matcher.db.Database` on ``db_url``."""
    from matcher.db import Database

    db = Database(db_url)
    db.ensure_schema()
    yield db
    db.dispose()
