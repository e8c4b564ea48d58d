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
    from matcher.program import program_from_dict

    program = program_from_dict(twenty_course_program())
    matcher.align(program)  # warm (cache fills)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        matcher.align(program)
        times.append((time.perf_counter() - t) * 1000)
    return percentiles(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``matcher serve`` in a subprocess on a free port."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "matcher", "serve", "--port", str(self.port)],
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


async def _load(url: str, method: str, path: str, body: dict | None, clients: int, seconds: float) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    queries = [
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
    }


def api_load(seconds: float = 15.0) -> dict:
    with Server() as server:
        search = asyncio.run(_load(server.url, "GET", "/occupations/search", None, 20, seconds))
        align = asyncio.run(_load(server.url, "POST", "/align", twenty_course_program(), 10, seconds))
    return {"occupations_search": search, "align_20_courses": align}


def summarise(values: list[float]) -> float:
    return round(statistics.median(values), 1)


__all__ = ["api_load", "in_process", "twenty_course_program", "Path", "json"]
