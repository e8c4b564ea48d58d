"""Parse an untrusted file with a wall-clock and a memory bound.

:func:`parse_programs_bounded` runs :func:`matcher.readers.parse_programs` in a worker process
(``python -m matcher.readers.bounded``) that parses one file and exits. The worker caps its own
address space (``RLIMIT_AS``) at its baseline plus ``memory_bytes``; the caller kills it once
``seconds`` have passed. Either bound ends in a :class:`~matcher.errors.TooLargeError` naming
the limit, and a parser that fails in an unforeseen way (or dies) in a
:class:`~matcher.errors.BadInputError`, never in an error of the caller. One spare worker is
kept started, with the readers imported, so a parse does not wait for Python to start; the
clock starts when the worker says it is ready (a worker started cold took 3-4 s to import the
readers on a 2-core Zen 3, which a 3 s limit had counted against a two-line text file).

pypdf already caps every decompressed stream (75 MB), and the ZIP check refuses zip bombs
before DOCX/XLSX are opened (:mod:`matcher.readers.zipcheck`); these bounds catch what slips
between: many large streams, pathological page content, slow parsing.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from matcher.errors import BadInputError, MatcherError, TooLargeError, UnavailableError
from matcher.program import Program

log = logging.getLogger(__name__)

_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the matcher package
_lock = threading.Lock()
_spare: subprocess.Popen[bytes] | None = None
READY = b"R"  # the worker's first byte: its readers are imported, the parse clock may start
STARTUP_SECONDS = 120.0  # how long a worker may take to start (imports), apart from the parse


def _start_worker() -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)}
    return subprocess.Popen(
        [sys.executable, "-m", "matcher.readers.bounded"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=_ROOT,
    )


def _take_worker() -> subprocess.Popen[bytes]:
    """The spare worker (if it is still alive), and a new spare started behind it."""
    global _spare
    with _lock:
        worker = _spare if _spare is not None and _spare.poll() is None else None
        _spare = _start_worker()
        return worker or _start_worker()


def _wait_ready(worker: subprocess.Popen[bytes]) -> None:
    """Block until ``worker`` has written :data:`READY` (or died, or took longer than
    :data:`STARTUP_SECONDS`: then it is killed and the request is refused as unavailable,
    since the document was never read)."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(worker.stdout.read(1) if worker.stdout else b""))
    reader.start()
    reader.join(STARTUP_SECONDS)
    if not got or got[0] != READY:
        worker.kill()
        reader.join()
        worker.wait()
        log.warning("parser worker did not start (got %r)", got[0] if got else None)
        raise UnavailableError(
            "the document parser could not start; nothing was read or stored, please try again",
            details={"startup_limit_seconds": STARTUP_SECONDS},
        )


def _rebuild(kind: str, message: str, details: dict[str, Any]) -> MatcherError:
    for cls in MatcherError.__subclasses__():
        if cls.kind.value == kind:
            exc = cls.__new__(cls)
            MatcherError.__init__(exc, message, details=details)
            return exc
    return BadInputError(message, details=details)


def parse_program_bounded(
    content: bytes,
    filename: str,
    fmt: str | None = None,
    *,
    seconds: float = 30.0,
    memory_bytes: int = 1 << 30,
) -> Program:
    """:func:`~matcher.readers.parse_program` within ``seconds`` and ``memory_bytes`` (a file
    of several programs is refused with their list, see :func:`~matcher.readers.choose_program`)."""
    from matcher.readers import choose_program

    programs = parse_programs_bounded(content, filename, fmt, seconds=seconds, memory_bytes=memory_bytes)
    return choose_program(programs, filename)


def parse_programs_bounded(
    content: bytes,
    filename: str,
    fmt: str | None = None,
    *,
    seconds: float = 30.0,
    memory_bytes: int = 1 << 30,
) -> list[Program]:
    """:func:`~matcher.readers.parse_programs` within ``seconds`` and ``memory_bytes``."""
    worker = _take_worker()
    request = pickle.dumps((content, filename, fmt, memory_bytes), protocol=pickle.HIGHEST_PROTOCOL)
    _wait_ready(worker)
    try:
        out, _ = worker.communicate(request, timeout=seconds)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise TooLargeError(
            f"{filename}: parsing took longer than {seconds:g} s and was stopped; "
            "split the file or export it as plain text",
            details={"limit_seconds": seconds},
        ) from None
    try:
        reply = pickle.loads(out)  # noqa: S301 - our own worker's answer, over a private pipe
    except Exception:  # noqa: BLE001 - the worker died before answering
        reply = ("crash", f"exit code {worker.returncode}")
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "error":
        raise _rebuild(reply[1], reply[2], reply[3])
    if reply[0] == "memory":
        raise TooLargeError(
            f"{filename}: parsing needed more than {memory_bytes // (1024 * 1024):,} MiB of memory "
            "and was stopped; split the file or export it as plain text",
            details={"limit_bytes": memory_bytes},
        )
    log.warning("parser failed on %s: %s", filename, reply[1])
    raise BadInputError(f"{filename} could not be read (the parser failed on its content)")


def _vm_size() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_memory(memory_bytes: int) -> None:
    baseline = _vm_size()
    if not baseline or not memory_bytes:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = baseline + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))


def _work() -> None:
    """Worker: read one request from stdin, parse, write the reply to stdout, exit."""
    from matcher.readers import load_builtin_readers, parse_programs

    load_builtin_readers()
    import docx  # noqa: F401 - the parsers' libraries load before the request, outside the cap
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401

    sys.stdout.buffer.write(READY)
    sys.stdout.buffer.flush()
    raw = sys.stdin.buffer.read()
    if not raw:
        return  # the caller went away without a request
    content, filename, fmt, memory_bytes = pickle.loads(raw)  # noqa: S301 - from our own parent
    del raw
    _limit_memory(memory_bytes)
    try:
        reply: tuple[Any, ...] = ("ok", parse_programs(content, filename, fmt))
    except MatcherError as exc:
        reply = ("error", exc.kind.value, exc.message, exc.details)
    except MemoryError:
        reply = ("memory",)
    except Exception as exc:  # noqa: BLE001 - reported to the caller, which refuses the file
        reply = ("crash", repr(exc)[:500])
    try:
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory",))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    os._exit(0)  # the reply is out: skip the interpreter's teardown, the caller is waiting for EOF


if __name__ == "__main__":
    _work()

__all__ = ["parse_program_bounded", "parse_programs_bounded"]
