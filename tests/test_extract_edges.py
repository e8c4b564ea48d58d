"""`matcher extract` (in process, ``tests/cli_support.py``) and `POST /extract` (TestClient)
over the data slice: shapes, bad input, size limit, non-UTF-8 bytes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matcher.extract import MAX_TEXT_CHARS
from service.app import create_app

COURSE = "Students will learn to operate a forklift safely and to use MIG welders."


@pytest.fixture
def run(cli, settings, index_store):  # type: ignore[no-untyped-def]
    env = {"MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}

    def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return cli(*args, env=env, stdin=stdin, text=False)

    return _run


@pytest.fixture(scope="module")
def client(settings, matcher):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, matcher)) as c:
        yield c


def test_cli_text_json_with_offsets(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "course.txt"
    f.write_text(COURSE)
    r = run("extract", str(f), "--json")
    assert r.returncode == 0, r.stderr.decode()
    d = json.loads(r.stdout)
    assert d["count"] == len(d["skills"]) > 0
    for s in d["skills"]:
        assert COURSE[s["start"] : s["end"]] == s["text"]
    assert any("forklift" in s["label"].lower() for s in d["skills"])


def test_cli_non_utf8_is_replaced_and_reported(run) -> None:  # type: ignore[no-untyped-def]
    r = run("extract", "-", stdin=b"Operate a forklift \xff\xfe and use MIG welders.\n")
    assert r.returncode == 0, r.stderr.decode()
    assert b"not valid UTF-8: 2 byte(s) replaced" in r.stderr
    assert b"forklift" in r.stdout.lower()


def test_cli_posting_and_program(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posting = {"title": "Welder", "description": "You will use MIG welders daily.", "location": "Leeds"}
    r = run("extract", "-", "--json", stdin=json.dumps(posting).encode())
    assert r.returncode == 0, r.stderr.decode()
    d = json.loads(r.stdout)
    assert d["input"]["kind"] == "posting" and {s["source"] for s in d["skills"]} <= {"title", "description"}
    prog = tmp_path / "p.json"
    prog.write_text(json.dumps({"title": "Forklift operator", "description": COURSE, "clock_hours": 40}))
    r = run("extract", str(prog), "--json")
    assert r.returncode == 0, r.stderr.decode()
    d = json.loads(r.stdout)
    assert d["input"]["kind"] == "curriculum" and d["skills"]
    assert all("source" in s for s in d["skills"])


def test_cli_too_large_and_bad_kind(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.txt"
    big.write_text("weld " * (MAX_TEXT_CHARS // 5 + 10))
    r = run("extract", str(big))
    assert r.returncode == 2 and b"limit is 200,000" in r.stderr
    assert len(r.stderr.decode().strip().splitlines()) == 1
    r = run("extract", "-", "--kind", "novel", stdin=b"text")
    assert r.returncode == 2 and b"unknown kind" in r.stderr


def test_api_extract(client: TestClient) -> None:
    r = client.post("/extract", json={"text": COURSE, "kind": "curriculum"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["kind"] == "curriculum" and d["count"] == len(d["skills"]) > 0
    for s in d["skills"]:
        assert COURSE[s["start"] : s["end"]] == s["text"]
        assert s["method"] in {"exact", "pattern", "model", "semantic"}
    assert client.post("/extract", json={"text": ""}).json()["skills"] == []


def test_api_extract_errors(client: TestClient) -> None:
    r = client.post("/extract", json={"text": "x" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    r = client.post("/extract", json={"text": "weld", "kind": "novel"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_input"
    r = client.post("/extract", json={"kind": "posting"})
    assert r.status_code == 422
