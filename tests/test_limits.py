"""Input bounds of the service: every violation is a 4xx in the one JSON error shape, and an
uploaded file's parser is bounded in time and memory (PDF bombs end in 413, not in a stuck or
swollen server)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from matcher.errors import TooLargeError
from matcher.readers import MAX_FILE_BYTES
from matcher.readers.bounded import parse_program_bounded
from matcher.settings import MAX_FILE_BYTES as SETTINGS_MAX_FILE_BYTES
from service.app import create_app

TEXT_OPS = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n"  # slow to extract: one glyph per 34 bytes
PATH_OPS = b"0 0 m 1 1 l\n"  # no text at all, but every operator is an object in memory


def pdf_with_streams(pages: int, stream: bytes) -> bytes:
    """A valid PDF whose every page draws ``stream`` (Flate-compressed, so it stays small)."""
    packed = zlib.compress(stream, 9)
    font = 3 + 2 * pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs = [catalog, f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    for i in range(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture(scope="module")
def small(settings, matcher) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The service with small limits, so each bound is cheap to hit."""
    tight = settings.model_copy(
        update={"max_body_bytes": 64 * 1024, "max_upload_bytes": 256 * 1024, "parse_seconds": 3.0}
    )
    with TestClient(create_app(tight, matcher)) as client:
        yield client


def _error(resp, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text[:500]
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def test_settings_cap_matches_the_readers() -> None:
    assert SETTINGS_MAX_FILE_BYTES == MAX_FILE_BYTES


def test_json_bodies_over_the_limit_are_413(small: TestClient) -> None:
    big = {"title": "Welding", "description": "weld " * 20_000}  # 100 KB > 64 KiB
    err = _error(small.post("/align", json=big), 413)
    assert "65,536 bytes" in err["message"] and err["details"]["limit_bytes"] == 65_536

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams in
        yield b'{"title": "Welding", "description": "'
        for _ in range(100):
            yield b"weld " * 200
        yield b'"}'

    _error(small.post("/align", content=chunks(), headers={"content-type": "application/json"}), 413)
    _error(small.post("/extract", json={"text": "x" * 70_000}), 413)
    _error(small.post("/auth/login", json={"email": "a@b.c", "password": "p" * 70_000}), 413)
    assert small.post("/align", json={"title": "Welding", "description": "MIG welding."}).status_code == 200


def test_uploads_and_imports_have_their_own_limit(small: TestClient) -> None:
    blob = b"Welding\n" + b"weld " * 80_000  # 400 KB > 256 KiB (+ 64 KiB for multipart framing)
    _error(small.post("/programs/parse", files={"file": ("big.txt", blob, "text/plain")}), 413)
    _error(small.post("/postings", content=blob, headers={"content-type": "text/plain"}), 413)
    ok = small.post("/programs/parse", files={"file": ("w.txt", b"Welding\nMIG welding.", "text/plain")})
    assert ok.status_code == 200 and ok.json()["title"] == "Welding", ok.text[:300]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": "x", "courses": [{"title": f"c{i}"} for i in range(501)]}, 422),  # 500 courses
        ({"title": "x", "description": "a" * 200_001}, 413),  # 200,000 characters (the body cap first)
        ({"title": "x", "clock_hours": "lots"}, 422),
    ],
)
def test_program_bounds(small: TestClient, body: dict, status: int) -> None:
    _error(small.post("/align", json=body), status)


def test_program_text_bound_under_the_default_body_limit(settings, matcher) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, matcher)) as client:
        err = _error(client.post("/align", json={"title": "x", "description": "a" * 200_001}), 422)
        assert "200,000" in err["message"]


def test_slow_pdf_is_stopped_at_the_time_limit(small: TestClient) -> None:
    slow = pdf_with_streams(1, TEXT_OPS * 100_000)  # 3.4 MB of drawing in a 13 KB file
    assert len(slow) < 64 * 1024
    err = _error(small.post("/programs/parse", files={"file": ("slow.pdf", slow, "application/pdf")}), 413)
    assert "longer than 3 s" in err["message"]


def test_a_worker_starting_up_is_not_parse_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The time limit counts the parse, not the worker's start-up: a worker that takes 2 s to
    start still parses a two-line file within a 1.5 s limit (a cold worker's imports took 3-4 s
    on a Zen 3, and a 3 s limit had refused such a file)."""
    import subprocess
    import sys

    from matcher.readers import bounded

    def slow_start() -> subprocess.Popen[bytes]:
        code = "import time, runpy; time.sleep(2); "
        code += "runpy.run_module('matcher.readers.bounded', run_name='__main__')"
        return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    monkeypatch.setattr(bounded, "_start_worker", slow_start)
    monkeypatch.setattr(bounded, "_spare", None)
    program = parse_program_bounded(b"Welding\nMIG welding.", "w.txt", seconds=1.5)
    assert program.title == "Welding"
    assert bounded._spare is not None
    bounded._spare.kill()  # the slow spare is this test's own
    bounded._spare.wait()
    monkeypatch.setattr(bounded, "_spare", None)


def test_a_worker_that_never_starts_is_unavailable_not_bad_input(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A parser worker that does not start within its start-up limit refuses the request as
    the server's failure (503 ``unavailable``: retry), not as a document the parser failed on."""
    import subprocess
    import sys

    from matcher.errors import UnavailableError
    from matcher.readers import bounded

    def never_ready() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(30)"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    monkeypatch.setattr(bounded, "_start_worker", never_ready)
    monkeypatch.setattr(bounded, "_spare", None)
    monkeypatch.setattr(bounded, "STARTUP_SECONDS", 0.5)
    with pytest.raises(UnavailableError, match="could not start"):
        parse_program_bounded(b"Welding\nMIG welding.", "w.txt", seconds=5)
    assert bounded._spare is not None
    bounded._spare.kill()
    bounded._spare.wait()
    monkeypatch.setattr(bounded, "_spare", None)


def test_memory_hungry_pdf_is_stopped_at_the_memory_limit() -> None:
    hungry = pdf_with_streams(1, PATH_OPS * 4_000_000)  # 48 MB of path operators
    with pytest.raises(TooLargeError, match="more than 64 MiB"):
        parse_program_bounded(hungry, "hungry.pdf", seconds=120, memory_bytes=64 * 1024 * 1024)


def test_bounded_parse_keeps_every_reader_error() -> None:
    from matcher.errors import BadInputError, UnsupportedFormatError

    with pytest.raises(BadInputError, match="not a readable PDF"):
        parse_program_bounded(b"%PDF-1.4 nothing", "broken.pdf")
    with pytest.raises(UnsupportedFormatError):
        parse_program_bounded(b"\xd0\xcf\x11\xe0", "old.doc")
    program = parse_program_bounded(b"Welding\nStudents learn MIG welding.", "w.txt")
    assert program.title == "Welding" and "MIG" in program.description


def test_unparseable_bodies_are_422_like_any_bad_input(small: TestClient) -> None:
    """Found by schemathesis: FastAPI and Starlette answered these with an undocumented 400."""
    err = _error(
        small.post("/align", content=b"\xff\xfe{", headers={"content-type": "application/json"}), 422
    )
    assert err["code"] == "bad_input" and "UTF-8" in err["message"]
    boundary = "a222103b9b30b1f9e8be6882ecedb1d2"
    body = f"--{boundary}\r\n[]--{boundary}--\r\n".encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    err = _error(small.post("/programs/parse", content=body, headers=headers), 422)
    assert err["code"] == "bad_input" and "multipart" in err["message"]


def test_every_error_kind_has_an_http_status_and_an_exit_code() -> None:
    """A new kind of error cannot reach users unmapped (a 500 or a traceback)."""
    from matcher.cli import EXIT_CODES
    from matcher.errors import ErrorKind
    from service.errors import STATUS

    assert set(STATUS) == set(ErrorKind) == set(EXIT_CODES)
    assert STATUS[ErrorKind.UNAVAILABLE] == 503 and EXIT_CODES[ErrorKind.UNAVAILABLE] != 0
