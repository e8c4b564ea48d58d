"""The portfolio view as a table (one row per program, one column per Pell check) in CSV or
XLSX. Cells that a spreadsheet would read as a formula are quoted with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from typing import Any

HEAD = [
    "program_id",
    "external_id",
    "title",
    "provider",
    "state",
    "clock_hours",
    "weeks",
    "top_occupation",
    "top_title",
    "top_score",
    "top_coverage_percent",
    "pass",
    "fail",
    "unknown",
    "employers",
    "decisions",
    "flags",
    "updated_at",
    "packet",
]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Header and rows; the check columns are the checks of the rows, in the packet's order."""
    checks: list[str] = []
    for r in rows:
        checks += [c["id"] for c in r["checks"] if c["id"] not in checks]
    out: list[list[Any]] = [[*HEAD, *checks]]
    for r in rows:
        top = r["top_occupation"] or {}
        status = {c["id"]: c["status"] for c in r["checks"]}
        out.append(
            [
                _safe(v)
                for v in (
                    r["program_id"],
                    r["external_id"],
                    r["title"],
                    r["provider"]["name"],
                    r["state"],
                    r["clock_hours"],
                    r["weeks"],
                    top.get("code", ""),
                    top.get("title", ""),
                    top.get("score"),
                    top.get("coverage"),
                    r["summary"]["pass"],
                    r["summary"]["fail"],
                    r["summary"]["unknown"],
                    r["reviews"]["employers"],
                    r["reviews"]["decisions"],
                    "; ".join(f"{f['kind']}: {f['reason']}" for f in r["flags"]),
                    r["updated_at"],
                    f"/programs/{r['program_id']}/evidence?format=html",
                    *(status.get(c, "") for c in checks),
                )
            ]
        )
    return out


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(["" if v is None else v for v in row] for row in table(rows))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Portfolio")
    for row in table(rows):  # control characters a worksheet cannot hold are dropped
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
