"""The screening table as CSV, XLSX and JSON, each written to a temporary file and renamed (a
reader never sees half a file). One row per program: ids, program, provider, hours, weeks, top
occupations with scores, each Pell check's status, coverage of the top occupation, flags.
Rows the reader refused are listed with their file, line and reason (JSON ``errors``, the XLSX
sheet "Input problems", and ``screening-errors.csv``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matcher.pipeline.state import atomic_write

BASE_COLUMNS = [
    "program_id",
    "etpl_id",
    "program",
    "provider",
    "clock_hours",
    "weeks",
    "top_occupation",
    "top_score",
    "top_coverage_percent",
    "occupations",
]
PROBLEM_COLUMNS = ["kind", "file", "line", "id", "error"]


def check_ids(results: list[dict[str, Any]]) -> list[str]:
    """Every check id, in the order the checks come (new checks appear automatically)."""
    out: dict[str, None] = {}
    for r in results:
        for c in r["checks"]:
            out.setdefault(c["id"], None)
    return list(out)


def table_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    checks = check_ids(results)
    header = [*BASE_COLUMNS, *(f"check_{c}" for c in checks), "pass", "fail", "unknown", "flags"]
    rows = []
    for r in results:
        top = r["top_occupation"] or {}
        status = {c["id"]: c["status"] for c in r["checks"]}
        rows.append(
            [
                r["program_id"],
                r["external_id"],
                r["title"],
                r["provider"]["name"],
                r["clock_hours"],
                r["weeks"],
                f"{top['code']} {top['title']}" if top else "",
                round(top["score"], 4) if top.get("score") is not None else None,
                round(top["coverage"], 1) if top.get("coverage") is not None else None,
                "; ".join(f"{o['code']} {o['title']} ({o['score']:.2f})" for o in r["occupations"]),
                *(status.get(c, "") for c in checks),
                r["summary"]["pass"],
                r["summary"]["fail"],
                r["summary"]["unknown"],
                "; ".join(f"{f['kind']}: {f['reason']} (since {f['since'][:10]})" for f in r["flags"]),
            ]
        )
    return header, rows


def problem_rows(errors: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [kind, p["file"], p["line"], p["id"], p["error"]]
        for kind, items in (("error", errors), ("warning", warnings))
        for p in items
    ]


def _csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows([["" if v is None else v for v in row] for row in rows])
    return buf.getvalue().encode("utf-8")


def csv_bytes(results: list[dict[str, Any]]) -> bytes:
    return _csv_bytes(*table_rows(results))


def xlsx_bytes(results: list[dict[str, Any]], problems: list[list[Any]] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Programs")
    header, rows = table_rows(results)
    ws.append(header)
    for row in rows:
        ws.append(row)
    if problems:
        ws2 = wb.create_sheet("Input problems")
        ws2.append(PROBLEM_COLUMNS)
        for p in problems:
            ws2.append(p)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_outputs(out: Path, run: dict[str, Any], results: list[dict[str, Any]]) -> list[Path]:
    """``screening.csv``, ``screening.xlsx``, ``screening.json`` and ``screening-errors.csv``."""
    problems = problem_rows(run.get("errors", []), run.get("warnings", []))
    doc = {
        "run": run,
        "programs": results,
        "errors": run.get("errors", []),
        "warnings": run.get("warnings", []),
    }
    files = {
        "screening.csv": csv_bytes(results),
        "screening.xlsx": xlsx_bytes(results, problems),
        "screening.json": (json.dumps(doc, indent=1, ensure_ascii=False, default=str) + "\n").encode(),
        "screening-errors.csv": _csv_bytes(PROBLEM_COLUMNS, problems),
    }
    return [atomic_write(out / name, _readable_writer(data)) for name, data in files.items()]


def _readable_writer(data: bytes) -> Callable[[Path], None]:
    """Writes ``data`` to the temporary file, readable by others (0644) like any report."""

    def write(path: Path) -> None:
        path.write_bytes(data)
        path.chmod(0o644)

    return write
