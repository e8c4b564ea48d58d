"""Backup and restore of the database (postings, reviews, audit log) and the live index build.

A backup is a folder::

    manifest.json                 # format, versions, row counts and content checksums, file checksums
    database/<table>.jsonl.gz     # every row, ordered by primary key (a logical dump through SQLAlchemy)
    indexes/<build>/...           # the live index build (CURRENT), as built

The dump reads every table in one transaction (a consistent snapshot on SQLite and PostgreSQL,
so the service may keep running), goes through SQLAlchemy's types (works the same on both
databases, and restores SQLite into PostgreSQL and back) and is written into a temporary sibling
folder, fsynced and renamed: a backup exists whole or not at all. Each table's content checksum
is the SHA-256 of its canonical rows; each file's is the SHA-256 of its bytes.

Restore checks every file checksum first, then loads the rows into an empty database in one
transaction (SQLite: into a new file renamed over the old one), resets PostgreSQL's id
sequences, and compares every table's content checksum with the manifest before it reports
success. The index build is published through :class:`~matcher.indexes.store.IndexStore`, so the
switch is atomic there too. The embedding cache is not backed up: it is rebuilt on demand.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, LargeBinary, Table, func, select, text
from sqlalchemy.engine import make_url

from matcher import __version__
from matcher.db import Database
from matcher.db.base import Base, load_table_modules
from matcher.db.engine import normalise_url
from matcher.errors import BadInputError, ConflictError, DataMissingError
from matcher.indexes.store import IndexStore, atomic_write_text, fsync_dir, sha256_file
from matcher.settings import Settings

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
BATCH = 500


@dataclass(frozen=True)
class TableDump:
    rows: int
    sha256: str


def _tables() -> list[Table]:
    load_table_modules()
    return list(Base.metadata.sorted_tables)  # parents before children


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(table: Table) -> list[Any]:
    out: list[Any] = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
            out.append(lambda v: None if v is None else datetime.fromisoformat(v))
        elif isinstance(kind, Date):
            out.append(lambda v: None if v is None else date.fromisoformat(v))
        elif isinstance(kind, LargeBinary):
            out.append(lambda v: None if v is None else base64.b64decode(v))
        else:
            out.append(None)
    return out


def _rows(conn: Connection, table: Table) -> Iterator[list[Any]]:
    query = select(*table.columns).order_by(*table.primary_key.columns)
    for row in conn.execute(query.execution_options(yield_per=BATCH)):
        yield [_encode(v) for v in row]


def _line(row: list[Any]) -> bytes:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def table_checksums(db: Database) -> dict[str, TableDump]:
    """Row count and content checksum of every table, read in one transaction."""
    out: dict[str, TableDump] = {}
    db.ensure_schema()
    with _snapshot(db) as conn:
        for table in _tables():
            h, n = hashlib.sha256(), 0
            for row in _rows(conn, table):
                h.update(_line(row))
                n += 1
            out[table.name] = TableDump(n, h.hexdigest())
    return out


class _snapshot:
    """A read-only connection whose reads all see one consistent state of the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> Connection:
        engine = self.db.engine
        if self.db.dialect == "postgresql":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        self.conn = engine.connect()
        self.tx = self.conn.begin()
        if self.db.dialect == "postgresql":
            self.conn.execute(text("SET TRANSACTION READ ONLY"))
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.tx.rollback()
        self.conn.close()


def _files(root: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(root).as_posix(): {"bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def backup(settings: Settings, dest: Path, *, indexes: bool = True) -> dict[str, Any]:
    """Write a backup of the database (and the live index build) to the new folder ``dest``."""
    dest = Path(dest)
    if dest.exists():
        raise ConflictError(f"{dest} already exists; choose a new folder for the backup")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.tmp-{uuid.uuid4().hex[:8]}"
    (tmp / "database").mkdir(parents=True)
    try:
        manifest = _dump(settings, tmp, indexes=indexes)
        atomic_write_text(tmp / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        fsync_dir(tmp / "database")
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("backup written to %s", dest)
    return manifest


def _dump(settings: Settings, tmp: Path, *, indexes: bool) -> dict[str, Any]:
    from matcher.db.migrate import current_revision

    db = Database(settings.db_url)
    try:
        db.ensure_schema()
        tables: dict[str, Any] = {}
        with _snapshot(db) as conn:
            revision = current_revision(db.engine)
            for table in _tables():
                h, n = hashlib.sha256(), 0
                name = f"database/{table.name}.jsonl.gz"
                with (tmp / name).open("wb") as fh:
                    with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
                        for row in _rows(conn, table):
                            line = _line(row)
                            h.update(line)
                            gz.write(line)
                            n += 1
                    fh.flush()
                    os.fsync(fh.fileno())
                tables[table.name] = {
                    "rows": n,
                    "sha256": h.hexdigest(),
                    "columns": [c.name for c in table.columns],
                    "file": name,
                }
        database = {"dialect": db.dialect, "url": db.describe(), "revision": revision, "tables": tables}
    finally:
        db.dispose()
    build = None
    if indexes:
        store = IndexStore(settings.index_root)
        live = store.current_folder()
        if live is None:
            raise DataMissingError(f"no built indexes under {store.root} to back up (use --no-indexes)")
        shutil.copytree(live, tmp / "indexes" / live.name)
        for p in (tmp / "indexes" / live.name).iterdir():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())
        build = live.name
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "matcher_version": __version__,
        "database": database,
        "indexes": {"build": build},
        "files": _files(tmp),
    }


def read_manifest(src: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file against its checksum."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"{src} is not a backup (no readable {MANIFEST}: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise BadInputError(f"{src}: backup format {manifest.get('format')!r}; this matcher reads {FORMAT}")
    for rel, info in manifest["files"].items():
        path = src / rel
        if not path.is_file():
            raise BadInputError(f"{src}: {rel} is missing; the backup is incomplete")
        if sha256_file(path) != info["sha256"]:
            raise BadInputError(f"{src}: {rel} does not match its checksum; the backup is damaged")
    return manifest


def restore(settings: Settings, src: Path, *, force: bool = False, indexes: bool = True) -> dict[str, Any]:
    """Restore the database (and index build) from the backup folder ``src``.

    The target database must be empty; a SQLite file that exists is set aside (as
    ``<name>.before-restore-<time>``) only with ``force``. Returns the verified table counts."""
    src = Path(src)
    manifest = read_manifest(src)
    from matcher.db.migrate import head_revision

    if manifest["database"]["revision"] != head_revision():
        raise BadInputError(
            f"the backup's database is at schema revision {manifest['database']['revision']}; this "
            f"matcher's is {head_revision()}: restore with the matcher version that made it "
            f"({manifest['matcher_version']})"
        )
    known = {t.name for t in _tables()}
    unknown = set(manifest["database"]["tables"]) - known
    if unknown:
        raise BadInputError(f"the backup holds tables this matcher does not know: {sorted(unknown)}")
    url = make_url(normalise_url(settings.db_url))
    if url.get_backend_name() == "sqlite":
        counts = _restore_sqlite(settings, src, manifest, Path(url.database or ""), force=force)
    else:
        counts = _restore_into(Database(settings.db_url), src, manifest)
    if indexes and manifest["indexes"]["build"]:
        _restore_indexes(settings, src / "indexes" / manifest["indexes"]["build"])
    return counts


def _restore_sqlite(
    settings: Settings, src: Path, manifest: dict[str, Any], target: Path, *, force: bool
) -> dict[str, int]:
    from matcher.db import engine as db_engine

    if target.exists() and not force:
        raise ConflictError(f"{target} exists; stop the service and pass --force to set it aside and restore")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex[:8]}")
    db = Database(f"sqlite:///{tmp}")
    try:
        counts = _restore_into(db, src, manifest)
        db.dispose()
        for suffix in ("-wal", "-shm"):
            if Path(f"{tmp}{suffix}").exists():
                raise DataMissingError(f"{tmp}{suffix} was left behind; the restored database is not closed")
        if target.exists():
            aside = target.with_name(f"{target.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{target}{suffix}").exists():
                    os.replace(f"{target}{suffix}", f"{aside}{suffix}")
            log.info("the previous database is kept as %s", aside)
        for cached in list(db_engine._DATABASES.values()):  # pooled connections to the old file
            if make_url(cached.url).database == str(target):
                cached.dispose()
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        raise
    return counts


def _restore_into(db: Database, src: Path, manifest: dict[str, Any]) -> dict[str, int]:
    db.ensure_schema()
    tables = {t.name: t for t in _tables()}
    dumped = manifest["database"]["tables"]
    with db.engine.begin() as conn:
        for table in tables.values():
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise ConflictError(
                    f"the database {db.describe()} is not empty (table {table.name} has rows); "
                    "restore into a new, empty database"
                )
        for name, table in tables.items():
            if name not in dumped:
                continue
            info = dumped[name]
            columns = info["columns"]
            if set(columns) != {c.name for c in table.columns}:
                raise BadInputError(f"table {name}: the backup's columns {columns} differ from this schema")
            decode = dict(zip([c.name for c in table.columns], _decoder(table), strict=True))
            raw = gzip.decompress((src / info["file"]).read_bytes()).splitlines()
            batch: list[dict[str, Any]] = []
            for line in raw:
                values = json.loads(line)
                row = {c: (decode[c](v) if decode[c] else v) for c, v in zip(columns, values, strict=True)}
                batch.append(row)
                if len(batch) >= BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
        if db.dialect == "postgresql":
            _reset_sequences(conn, tables.values())
    found = table_checksums(db)
    for name, info in dumped.items():
        got = found[name]
        if (got.rows, got.sha256) != (info["rows"], info["sha256"]):
            raise DataMissingError(
                f"table {name} restored as {got.rows} rows (checksum {got.sha256[:12]}); the backup has "
                f"{info['rows']} (checksum {info['sha256'][:12]})"
            )
    log.info("restored %d tables, %d rows", len(dumped), sum(t["rows"] for t in dumped.values()))
    return {name: info["rows"] for name, info in dumped.items()}


def _reset_sequences(conn: Connection, tables: Any) -> None:
    """After rows with explicit ids: the next id PostgreSQL hands out follows the largest one."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        seq = conn.execute(select(func.pg_get_serial_sequence(table.name, pk[0].name))).scalar()
        if seq:
            largest = conn.execute(select(func.max(pk[0]))).scalar() or 0
            conn.execute(select(func.setval(seq, largest + 1, False)))


def _restore_indexes(settings: Settings, build: Path) -> Path:
    store = IndexStore(settings.index_root)
    store.root.mkdir(parents=True, exist_ok=True)
    tmp = store.root / f".tmp-{uuid.uuid4().hex}"
    shutil.copytree(build, tmp)
    for p in tmp.iterdir():
        with p.open("rb") as fh:
            os.fsync(fh.fileno())
    return store.publish(tmp)


__all__ = ["TableDump", "backup", "read_manifest", "restore", "table_checksums"]
