"""Security basics: credentials are stored only as argon2id hashes, unknown keys cost an argon2
check like known ones, no password, key or session token reaches the logs, and SQL is written
only through the ORM or with bound parameters."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from fastapi.testclient import TestClient
from review_support import PASSWORD, build_partnership, email

from matcher.db import Database
from matcher.review import hashing
from matcher.review.auth import CredentialsError, authenticate_key
from matcher.settings import Settings
from service.app import create_app

REPO = Path(__file__).resolve().parent.parent


def test_secrets_are_hashed_and_never_logged(settings, matcher, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sec.db"
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{path}")
    db = Database(s.db_url)
    p = build_partnership(db, passwords=("emp1",))
    key = p.keys["emp1"]
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(s, matcher)) as client:
        assert (
            client.post(
                "/auth/login", json={"email": email("emp1"), "password": "wrong-" + PASSWORD}
            ).status_code
            == 401
        )
        r = client.post("/auth/login", json={"email": email("emp1"), "password": PASSWORD})
        token = r.cookies["matcher_session"]
        csrf = r.json()["csrf_token"]
        assert client.get("/auth/me").status_code == 200
        client.cookies.clear()
        assert client.get("/programs", headers={"X-API-Key": key}).status_code == 200
        assert client.get("/programs", headers={"X-API-Key": key[:-4] + "AAAA"}).status_code == 401
        bad = client.post("/auth/login", json={"email": email("emp1"), "password": 5})
        assert bad.status_code == 422 and PASSWORD not in bad.text
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    secret = key.split("_", 2)[2]
    for value in (PASSWORD, secret, token, csrf):
        assert value not in logged
    db.dispose()
    raw = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
    assert secret.encode() not in raw and PASSWORD.encode() not in raw and token.encode() not in raw
    assert raw.count(b"$argon2id$") >= len(p.keys) + 1  # every key and the password


def test_production_hashes_use_the_rfc_9106_low_memory_profile(production_hasher) -> None:  # type: ignore[no-untyped-def]
    # the tests themselves hash with the smallest parameters (tests/conftest.py)
    p = production_hasher
    assert (p.type.name, p.time_cost, p.memory_cost, p.parallelism) == ("ID", 3, 64 * 1024, 4)
    assert p.hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_unknown_keys_cost_an_argon2_check_like_known_ones(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'k.db'}")
    p = build_partnership(db)
    calls: list[str] = []
    real = hashing._HASHER

    class Counting:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def verify(self, stored: str, secret: str) -> bool:
            calls.append(stored)
            return real.verify(stored, secret)

    monkeypatch.setattr(hashing, "_HASHER", Counting())
    prefix, secret = p.keys["emp1"].split("_", 2)[1:]
    for forged in (f"smk_{'0' * 12}_{secret}", f"smk_{prefix}_{'x' * 40}"):  # unknown prefix, wrong secret
        calls.clear()
        try:
            authenticate_key(db, forged)
        except CredentialsError:
            pass
        assert len(calls) == 1 and calls[0].startswith("$argon2id$")
    db.dispose()


# Places that build SQL text themselves, and why each is safe.
RAW_SQL_ALLOWED = {
    "matcher/db/engine.py": "PRAGMAs and BEGIN with constant text",
    "matcher/encoding/cache.py": "'?' placeholders only; the values are bound",
    "matcher/pipeline/sentence_store.py": "'?' placeholders only; the values are bound",
}
RAW_SQL = re.compile(r"""\b(?:text|execute|exec_driver_sql|executescript)\(\s*f["']""")


def test_sql_only_through_the_orm_or_bound_parameters() -> None:
    offenders = []
    for path in sorted([*REPO.glob("matcher/**/*.py"), *REPO.glob("service/**/*.py")]):
        rel = path.relative_to(REPO).as_posix()
        if rel not in RAW_SQL_ALLOWED and RAW_SQL.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert not offenders, f"SQL built from f-strings (use the ORM or bound parameters): {offenders}"
