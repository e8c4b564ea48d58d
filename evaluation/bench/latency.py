"""Alignment latency in process, and the HTTP API under concurrent load on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

COURSES = [
    (
        "WLD-110",
        "Shielded Metal Arc Welding I",
        "Set up SMAW equipment; strike and maintain an arc; fillet welds in flat position.",
    ),
    (
        "WLD-120",
        "Gas Metal Arc Welding",
        "MIG welding of carbon steel; short-circuit and spray transfer; wire feed setup.",
    ),
    (
        "WLD-130",
        "Gas Tungsten Arc Welding",
        "TIG welding of stainless steel and aluminum; filler rod technique.",
    ),
    ("WLD-140", "Blueprint Reading", "Read welding symbols and shop drawings; measure and lay out parts."),
    ("WLD-150", "Cutting Processes", "Oxy-fuel and plasma arc cutting; bevel preparation."),
    ("SAF-100", "Shop Safety", "OSHA 10 general industry; personal protective equipment; fire watch."),
    ("MTH-101", "Shop Math", "Fractions, decimals and metric conversion for fabrication."),
    ("WLD-160", "Pipe Welding", "Open-root pipe welds in 2G and 5G positions."),
    (
        "WLD-170",
        "Weld Inspection",
        "Visual inspection, destructive bend tests, AWS D1.1 acceptance criteria.",
    ),
    ("WLD-180", "Fabrication Project", "Fit-up, tack and weld a small structural assembly."),
]


def twenty_course_program() -> dict:
    courses = []
    for i in range(20):
        code, title, desc = COURSES[i % len(COURSES)]
        courses.append(
            {
                "code": f"{code}-{i // len(COURSES)}",
                "title": title,
                "description": desc,
                "outcomes": [f"Demonstrate {title.lower()} skills to industry standard."],
            }
        )
    return {
        "title": "Welding Technology Certificate",
        "provider": "Benchmark College",
        "description": "A 450-hour welding certificate preparing students for entry-level welding jobs.",
        "credential": "AWS Certified Welder",
        "clock_hours": 450,
        "courses": courses,
    }


def percentiles(values: list[float]) -> dict[str, float]:
    arr = np.array(values)
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p99_ms": round(float(np.percentile(arr, 99)), 1),
        "mean_ms": round(float(arr.mean()), 1),
        "n": len(values),
    }


def in_process(matcher, repeats: int = 50) -> dict:  # type: ignore[no-untyped-def]
    """Alignment of the 20-course program in process: computed each time (the aligner itself,
    past the result memo; its sentences' vectors come from the embedding cache after the first
    call), and repeated through ``Matcher.align`` (the memo's answer)."""
    from matcher.program import program_from_dict

    program = program_from_dict(twenty_course_program())
    matcher.align(program)  # warm (cache fills)
    computed, repeated = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        matcher.aligner.align(program)
        computed.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        matcher.align(program)
        repeated.append((time.perf_counter() - t) * 1000)
    return {**percentiles(computed), "repeated": percentiles(repeated)}


def gaps_in_process(matcher, repeats: int = 10, code: str = "51-4121.00") -> dict:  # type: ignore[no-untyped-def]
    """The gap report of the 20-course program for welders, in process, computed each time: a new
    title each call, so the analyzer's memo of read programs never answers (as for a new program
    sent to ``POST /gaps``; its sentence vectors come from the embedding cache after the first)."""
    from matcher.program import program_from_dict

    base = twenty_course_program()
    matcher.gaps(program_from_dict(base), code)  # warm: models, caches, the requirement list's vectors
    times = []
    for i in range(repeats):
        program = program_from_dict({**base, "title": f"{base['title']} ({i})"})
        t = time.perf_counter()
        matcher.gaps(program, code)
        times.append((time.perf_counter() - t) * 1000)
    return percentiles(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``matcher serve`` in a subprocess on a free port."""

    def __init__(self, env: dict[str, str] | None = None, workers: int = 1) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "matcher", "serve", "--port", str(self.port), "--workers", str(workers)],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        import httpx

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode() if self.proc.stderr else "server died")
            time.sleep(0.5)
        raise RuntimeError("server did not become healthy")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


QUERIES = [
    "welder",
    "truck driver",
    "medical assistant",
    "software developer",
    "electrician",
    "nursing assistant",
    "accountant",
    "forklift operator",
    "chef",
    "plumber",
]

_WRK_SCRIPT = """
local queries = {%s}
local i = 0
local method, path, body = "%s", "%s", %s
request = function()
  i = i + 1
  if method == "GET" then
    return wrk.format("GET", path .. "?q=" .. queries[(i %% #queries) + 1])
  end
  local b = body:gsub("{{n}}", tostring(i))  -- "{{n}}" in the body: a distinct program per request
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, b)
end
"""
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    num = value.rstrip("usm")
    return float(num) * _UNITS[value[len(num) :]]


def wrk_load(url: str, method: str, path: str, body: dict | None, clients: int, seconds: float) -> dict:
    """Load from wrk (C, one thread: the load generator takes little of the 2 cores), with the
    latency distribution it measures (``--latency``: p50 and p99 of every request)."""
    import re
    import tempfile
    from urllib.parse import quote

    lua_body = "[[" + json.dumps(body) + "]]" if body is not None else "nil"
    script = _WRK_SCRIPT % (", ".join(f'"{quote(q)}"' for q in QUERIES), method, path, lua_body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        cmd = ["wrk", "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s", "--latency"]
        cmd += ["-s", fh.name, url]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
    finally:
        os.unlink(fh.name)
    text = out.stdout
    dist = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)$", text, re.M)
    if out.returncode != 0 or rps is None or "50" not in dist:
        raise RuntimeError(f"wrk failed: {out.stderr or text}")
    return {
        "p50_ms": round(_ms(dist["50"]), 1),
        "p99_ms": round(_ms(dist["99"]), 1),
        "n": int(total.group(1)) if total else 0,
        "requests_per_s": float(rps.group(1)),
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
        "clients": clients,
        "seconds": seconds,
        "load_generator": "wrk -t1",
    }


async def _load(url: str, method: str, path: str, body: dict | None, clients: int, seconds: float) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    queries = QUERIES

    async def worker(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            k = i
            while time.perf_counter() < stop:
                t = time.perf_counter()
                if method == "GET":
                    r = await client.get(path, params={"q": queries[k % len(queries)]})
                else:
                    r = await client.post(path, json=body)
                latencies.append((time.perf_counter() - t) * 1000)
                errors += r.status_code >= 400
                k += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        **percentiles(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "errors": errors,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "load_generator": "httpx (asyncio, in the benchmark process)",
    }


def api_load(seconds: float = 15.0, workers: int = 1) -> dict:
    """Search and alignment under load on 127.0.0.1: wrk when installed (Debian package
    ``wrk``), else an asyncio httpx client (which itself takes a good share of 2 cores)."""
    import shutil

    def load(url: str, method: str, path: str, body: dict | None, clients: int, secs: float) -> dict:
        if shutil.which("wrk"):
            return wrk_load(url, method, path, body, clients, secs)
        return asyncio.run(_load(url, method, path, body, clients, secs))

    program = twenty_course_program()
    # The benchmark measures the service, not its limits: one anonymous address may send 120
    # requests a minute, 200,000 characters an hour to the costly routes and one of them at a
    # time, so the default limits would answer most of the load with 429.
    unlimited = {"MATCHER_LIMIT_SCALE": "100000"}
    with Server(env=unlimited, workers=workers) as server:
        load(server.url, "GET", "/occupations/search", None, 20, 3)  # warm every worker
        search = load(server.url, "GET", "/occupations/search", None, 20, seconds)
        load(server.url, "POST", "/align", program, 4, 5)
        align = load(server.url, "POST", "/align", program, 10, seconds)
        distinct = {**program, "title": program["title"] + " (variant {{n}})"}
        gaps_body = {"program": program, "occupation": "51-4121.00"}
        load(server.url, "POST", "/gaps", gaps_body, 1, 5)
        gaps = load(server.url, "POST", "/gaps", gaps_body, 1, seconds)
        out = {
            "occupations_search": search,
            "align_20_courses": align,
            "gaps_20_courses": gaps,
            "server_workers": workers,
        }
        if shutil.which("wrk"):  # a new program per request: every alignment computed
            out["align_20_courses_distinct"] = load(server.url, "POST", "/align", distinct, 10, seconds)
    return out


def summarise(values: list[float]) -> float:
    return round(statistics.median(values), 1)


__all__ = ["api_load", "gaps_in_process", "in_process", "twenty_course_program", "Path", "json"]
