"""Engine and session factory from ``Settings.db_url``.

SQLite: the file's folder is created, WAL journal, foreign keys on, a busy timeout, and real
transactions (pysqlite's implicit ones are switched off, so DDL and DML alike roll back;
write transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing).
PostgreSQL: ``postgresql://`` URLs are driven by psycopg 3.

The schema is brought to the newest migration the first time a :class:`Database` is used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from matcher.errors import BadInputError, DataMissingError

log = logging.getLogger(__name__)

SQLITE_BUSY_MS = 30_000


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` -> ``postgresql+psycopg://``; others unchanged."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the settings described in the module docstring."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
            _sqlite_events(engine)
            return engine
        return create_engine(url, echo=echo, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise BadInputError(f"unusable database URL {url.split('@')[-1]!r}: {exc}") from None


@contextmanager
def unavailable_as_error(what: str) -> Iterator[None]:
    """Turn "cannot connect" database errors into a one-line :class:`DataMissingError`."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        first = str(exc.orig or exc).strip().splitlines()[0] if (exc.orig or str(exc)) else type(exc).__name__
        raise DataMissingError(f"cannot use the database {what}: {first}") from None


class Database:
    """One database: engine, sessions, and the schema kept at the newest migration.

    ``with db.transaction() as session: ...`` commits at the end of the block or rolls back
    everything on any exception. ``with db.session() as session: ...`` is for reading.
    """

    def __init__(self, url: str, *, auto_upgrade: bool = True, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, echo=echo)
        self.auto_upgrade = auto_upgrade
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )
        self._ready = False
        self._lock = threading.Lock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def ensure_schema(self) -> None:
        """Apply pending migrations (once per process and database)."""
        if self._ready or not self.auto_upgrade:
            return
        with self._lock, unavailable_as_error(self.describe()):
            if not self._ready:
                from matcher.db.migrate import upgrade

                upgrade(self.engine)
                self._ready = True

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        self.ensure_schema()
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def session(self) -> Iterator[Session]:
        self.ensure_schema()
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        """The URL without its password, for logs and messages."""
        return make_url(self.url).render_as_string(hide_password=True)


_DATABASES: dict[str, Database] = {}
_DATABASES_LOCK = threading.Lock()


def get_database(settings: Any = None) -> Database:
    """The process-wide :class:`Database` for ``settings.db_url`` (default settings if None)."""
    from matcher.settings import get_settings

    url = normalise_url((settings or get_settings()).db_url)
    with _DATABASES_LOCK:
        db = _DATABASES.get(url)
        if db is None:
            db = _DATABASES[url] = Database(url)
        return db
