"""Alembic environment: runs with the connection handed over by :func:`matcher.db.migrate.upgrade`
(or, from the ``alembic`` command line, an engine built from ``sqlalchemy.url``)."""

from __future__ import annotations

from alembic import context

from matcher.db.base import Base, load_table_modules
from matcher.db.engine import make_engine

load_table_modules()  # every table on Base.metadata, for autogenerate

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE via table copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
