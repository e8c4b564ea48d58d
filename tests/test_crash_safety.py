"""Crash safety of the index build: ``matcher build`` killed with SIGKILL half-way leaves the
previous build live, loadable and serving; a crash between publishing a build and pointing
``CURRENT`` at it does too; and the service starts, and says why, when the index is missing or
corrupt."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import share_test_cache
from fastapi.testclient import TestClient
from review_support import WELDING

from matcher.engine import Matcher
from matcher.indexes import store as index_store_module
from matcher.indexes.build import build_indexes
from matcher.indexes.store import IndexStore, sha256_file
from service.app import create_app


def _home_with_indexes(index_store: IndexStore, home: Path) -> Path:
    """A MATCHER_HOME holding a copy of the session's slice build, sharing its embedding cache
    and ONNX export."""
    home.mkdir()
    shutil.copytree(index_store.root, home / "indexes")
    return share_test_cache(home)


def _serves(settings, encoder, home: Path) -> None:  # type: ignore[no-untyped-def]
    """The build under ``home`` loads (every checksum verified) and answers /align."""
    s = settings.model_copy(update={"home": home})
    matcher = Matcher.load(s, encoder=encoder)
    with TestClient(create_app(s, matcher)) as client:
        assert client.get("/health").json()["status"] == "ok"
        r = client.post("/align", params={"top_k": 3}, json=WELDING)
        assert r.status_code == 200 and r.json()["occupations"][0]["code"] == "51-4121.00"


def test_sigkill_mid_build_keeps_the_previous_index(settings, encoder, index_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = _home_with_indexes(index_store, tmp_path / "home")
    store = IndexStore(home / "indexes")
    before = store.current_folder()
    assert before is not None
    digests = {p.name: sha256_file(p) for p in before.iterdir()}
    env = {
        **os.environ,
        "MATCHER_HOME": str(home),
        "MATCHER_DATA_DIR": str(settings.data_dir),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "matcher", "build", "--force"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written: list[Path] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            written = [p for tmp in store.root.glob(".tmp-*") for p in tmp.iterdir()]
            if len(written) >= 4:  # two indexes written, the rest still to come: mid-way
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL and written
    assert store.current_folder() == before  # CURRENT still names the previous build
    assert {p.name: sha256_file(p) for p in before.iterdir()} == digests  # untouched
    assert list(store.root.glob(".tmp-*"))  # the dead build's half-written folder, never live
    _serves(settings, encoder, home)


def test_crash_between_publish_and_current_keeps_the_previous_index(  # type: ignore[no-untyped-def]
    settings, encoder, catalog, index_store, tmp_path, monkeypatch
) -> None:
    home = _home_with_indexes(index_store, tmp_path / "home")
    store = IndexStore(home / "indexes")
    before = store.current_folder()

    write = index_store_module.atomic_write_text

    def crash(path: Path, text: str) -> None:  # the build folder is renamed, then the process dies
        if path.name == "CURRENT":
            raise KeyboardInterrupt
        write(path, text)

    monkeypatch.setattr(index_store_module, "atomic_write_text", crash)
    with pytest.raises(KeyboardInterrupt):
        build_indexes(store, catalog, encoder)
    monkeypatch.undo()
    assert store.current_folder() == before
    _serves(settings, encoder, home)


def _startup_error(settings, home: Path, caplog) -> str:  # type: ignore[no-untyped-def]
    s = settings.model_copy(update={"home": home})
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="service.app"), TestClient(create_app(s)) as client:
        health = client.get("/health")
        assert health.status_code == 503
        align = client.post("/align", json=WELDING)
        assert align.status_code == 503 and align.json()["error"]["code"] == "index_unavailable"
        message = health.json()["error"]
        assert message in align.json()["error"]["message"]
    assert any(message in r.getMessage() for r in caplog.records)  # and in the log, at start-up
    return message


def test_service_starts_and_says_why_when_the_index_is_missing_or_corrupt(  # type: ignore[no-untyped-def]
    settings, index_store, tmp_path, caplog
) -> None:
    home = _home_with_indexes(index_store, tmp_path / "home")
    folder = IndexStore(home / "indexes").current_folder()
    assert folder is not None

    faiss = folder / "tasks.faiss"
    data = bytearray(faiss.read_bytes())
    data[len(data) // 2] ^= 0xFF
    faiss.write_bytes(bytes(data))
    assert "tasks.faiss is corrupt" in _startup_error(settings, home, caplog)

    faiss.unlink()
    assert "tasks.faiss is missing" in _startup_error(settings, home, caplog)

    (folder / "manifest.json").write_text('{"model": ')  # cut short
    assert "manifest" in _startup_error(settings, home, caplog)

    shutil.rmtree(folder)  # CURRENT names a build that is gone
    message = _startup_error(settings, home, caplog)
    assert "no built indexes" in message and "matcher build" in message
