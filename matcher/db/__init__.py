"""The matcher's database: SQLAlchemy 2 tables, an engine/session factory from the settings,
and Alembic migrations shipped inside the package (``matcher db upgrade``; applied
automatically the first time a :class:`Database` is opened).

SQLite (a file under ``MATCHER_HOME``) by default; PostgreSQL through ``MATCHER_DATABASE_URL``
(``postgresql://user@host/db``, driven by psycopg 3).
"""

from matcher.db.base import Base, load_table_modules, utcnow
from matcher.db.engine import Database, get_database, make_engine, normalise_url
from matcher.db.migrate import current_revision, head_revision, upgrade

__all__ = [
    "Base",
    "Database",
    "current_revision",
    "get_database",
    "head_revision",
    "load_table_modules",
    "make_engine",
    "normalise_url",
    "upgrade",
    "utcnow",
]
