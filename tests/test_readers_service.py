"""``POST /programs/parse`` through FastAPI's TestClient with the real matcher, and
``matcher ingest`` / ``matcher align`` on ingested formats (in process, ``tests/cli_support.py``)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import readers_welding as W
from fastapi.testclient import TestClient

from matcher.readers import MAX_FILE_BYTES
from service.app import create_app


@pytest.fixture(scope="module")
def client(settings, matcher):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, matcher)) as c:
        yield c


def _error(resp, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "csv", "ctdl"])
def test_parse_upload_returns_the_program(client: TestClient, tmp_path: Path, fmt: str) -> None:
    path = W.WRITERS[fmt](tmp_path)
    r = client.post("/programs/parse", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == W.TITLE and [c["code"] for c in body["courses"]] == W.CODES
    assert body["source_file"] == path.name
    if fmt == "pdf":
        assert body["courses"][0]["source"]["page"] == 2
    # the parsed program is what /align takes
    aligned = client.post("/align", json=body, params={"top_k": 1})
    assert aligned.status_code == 200 and aligned.json()["occupations"][0]["code"] == "51-4121.00"


def test_parse_with_format_field(client: TestClient, tmp_path: Path) -> None:
    path = W.write_etpl_csv(tmp_path)
    r = client.post(
        "/programs/parse", files={"file": (path.name, path.read_bytes())}, data={"format": "etpl"}
    )
    assert r.status_code == 200, r.text
    assert [c["code"] for c in r.json()["courses"]] == W.CODES


def test_parse_errors(client: TestClient, tmp_path: Path) -> None:
    err = _error(
        client.post("/programs/parse", files={"file": ("x.docx", b"PK\x03\x04 broken")}), 422, "bad_input"
    )
    assert "not a valid DOCX" in err["message"]
    err = _error(
        client.post("/programs/parse", files={"file": ("x.exe", b"\x00\x01\x02")}), 415, "unsupported"
    )
    assert "cannot tell the format" in err["message"]
    _error(
        client.post("/programs/parse", files={"file": ("x.md", b"# T")}, data={"format": "nope"}),
        415,
        "unsupported",
    )
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("Code,Summary\nWLD-110,Stick\n")
    err = _error(
        client.post("/programs/parse", files={"file": ("c.csv", csv_path.read_bytes())}), 422, "bad_input"
    )
    assert err["details"]["missing_columns"] == ["title"]
    _error(client.post("/programs/parse", data={"format": "pdf"}), 422, "bad_input")  # no file


def test_parse_refuses_oversized_uploads(client: TestClient) -> None:
    just_over = b"# Welding\n" + b"a" * (MAX_FILE_BYTES - 9)
    err = _error(client.post("/programs/parse", files={"file": ("big.md", just_over)}), 413, "too_large")
    assert f"{MAX_FILE_BYTES:,}" in err["message"]
    far_over = b"a" * (MAX_FILE_BYTES + 1024 * 1024)  # refused by the body limit before parsing
    _error(client.post("/programs/parse", files={"file": ("big.md", far_over)}), 413, "too_large")


@pytest.fixture
def run(cli, settings, index_store):  # type: ignore[no-untyped-def]
    env = {"MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        return cli(*args, env=env)

    return _run


def test_cli_ingest_json_table_and_align(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = W.write_pdf(tmp_path)
    r = run("ingest", str(pdf), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert [c["code"] for c in d["courses"]] == W.CODES and d["clock_hours"] == W.CLOCK_HOURS
    r = run("ingest", str(W.write_docx(tmp_path)))
    assert r.returncode == 0, r.stderr
    assert "WLD-130" in r.stdout and "p. 3" in r.stdout
    r = run("align", str(W.write_etpl_csv(tmp_path)), "--format", "etpl", "--json", "--top", "1")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["occupations"][0]["code"] == "51-4121.00"
    r = run("align", str(pdf), "--json", "--top", "1")
    sources = [e["source"] for e in json.loads(r.stdout)["occupations"][0]["evidence"] if e["source"]]
    assert any(s.startswith("welding.pdf, p. ") and ", course WLD-" in s for s in sources)


def test_cli_ingest_bad_input_is_one_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "broken.docx"
    f.write_bytes(b"not a zip at all")
    r = run("ingest", str(f))
    assert r.returncode == 2
    assert (
        r.stderr.strip().startswith("error: broken.docx is not a valid DOCX") and "Traceback" not in r.stderr
    )


def test_parse_refuses_oversized_streamed_uploads(client: TestClient) -> None:
    boundary = "welding-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\n'
        "Content-Type: text/markdown\r\n\r\n"
    ).encode()

    def body():  # type: ignore[no-untyped-def]
        yield head
        chunk = b"a" * (1024 * 1024)
        for _ in range(MAX_FILE_BYTES // len(chunk) + 2):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post(
        "/programs/parse",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    _error(r, 413, "too_large")
