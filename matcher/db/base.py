"""Declarative base shared by every table of the matcher (postings now, reviews later).

- A naming convention, so constraints and indexes get stable names that migrations can refer
  to on SQLite and PostgreSQL alike.
- ``utcnow()``: timezone-aware UTC timestamps; :class:`UtcDateTime` hands them back aware on
  SQLite too (which stores no zone).
- Python types map to portable SQL types (``str`` -> VARCHAR, ``dict``/``list`` -> JSON).
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Every module that defines tables on :class:`Base`; migrations and schema checks import them
# all. A feature with tables adds its module here (missing modules are skipped).
TABLE_MODULES = (
    "matcher.db.tables",
    "matcher.review.tables",
    "matcher.evidence.tables",
    "matcher.screening.tables",
    "matcher.outcomes.tables",
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A ``TIMESTAMP WITH TIME ZONE`` that always returns aware UTC datetimes (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use matcher.db.utcnow() or an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String(255),
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def load_table_modules() -> None:
    """Import every module of :data:`TABLE_MODULES`, registering its tables."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
