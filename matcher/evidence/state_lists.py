"""A state's list of high-skill, high-wage or in-demand occupations.

States publish their own lists; :func:`import_state_list` reads one from CSV (a SOC code column,
optional title and designation columns) and stores it, refusing the whole file when any row has
an invalid SOC code and naming each such line. When a state has no list loaded, the packet uses
:func:`default_list`: occupations that BLS Employment Projections expect to grow and whose
annual openings are at or above the median occupation's, and it says so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from matcher.db import Database
from matcher.errors import BadInputError, ForbiddenError, TooLargeError
from matcher.evidence.labour import ALL_OCCUPATIONS, LabourData
from matcher.evidence.tables import StateList, StateListEntry
from matcher.review import Actor, Role, audit
from matcher.review.accounts import normalise_state
from matcher.review.vocab import text_ok

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_REPORTED_ERRORS = 20
SOC_HEADERS = (
    "soc",
    "soc code",
    "soc_code",
    "soc 2018",
    "soc 2018 code",
    "occupation code",
    "onet-soc code",
    "o*net-soc code",
    "code",
)
TITLE_HEADERS = ("title", "soc title", "occupation", "occupation title", "occupation name", "name")
DESIGNATION_HEADERS = ("designation", "category", "list", "type", "reason")
_SOC = re.compile(r"^(\d{2}-\d{4})(?:\.\d{2})?$")


@dataclass
class OccupationList:
    """The list the occupation check reads: imported for a state, or the derived default."""

    state: str | None
    name: str
    source: str
    vintage: str
    derived: bool
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # soc -> title, designation
    list_id: int | None = None
    imported_at: str | None = None
    imported_by: str | None = None
    rule: str = ""

    def find(self, soc: str) -> str | None:
        """The list code that covers ``soc``: itself, or the SOC group it belongs to (group
        codes end in 0: broad ``51-4120``, minor ``51-4000``, major ``51-0000``)."""
        if soc in self.codes:
            return soc
        for code in (soc[:6] + "0", soc[:4] + "000", soc[:2] + "-0000"):
            if code != soc and code in self.codes:
                return code
        return None

    def to_dict(self, *, entries: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.list_id,
            "state": self.state,
            "name": self.name,
            "source": self.source,
            "vintage": self.vintage,
            "derived": self.derived,
            "rule": self.rule,
            "occupations": len(self.codes),
            "imported_at": self.imported_at,
            "imported_by": self.imported_by,
        }
        if entries:
            d["entries"] = [{"soc": k, **v} for k, v in self.codes.items()]
        return d


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def parse_state_list(content: bytes, known: set[str], *, filename: str = "list.csv") -> list[dict[str, Any]]:
    """Rows of a state list CSV as ``{"soc", "title", "designation", "line"}``; a BadInputError
    naming every line (up to 20) whose SOC code is malformed or not a SOC 2018 code."""
    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{filename} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if not text_ok(text):
        raise BadInputError(f"{filename} contains a NUL character")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise BadInputError(f"{filename} is empty; it needs a header row with a SOC code column")
    soc_col = _column(header, SOC_HEADERS)
    if soc_col is None:
        raise BadInputError(
            f"{filename} line 1: no SOC code column; name one of: {', '.join(SOC_HEADERS[:5])}",
            details={"line": 1, "header": header},
        )
    title_col, des_col = _column(header, TITLE_HEADERS), _column(header, DESIGNATION_HEADERS)
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        raw = row[soc_col].strip() if soc_col < len(row) else ""
        m = _SOC.match(raw)
        if not m:
            errors.append({"line": line, "value": raw, "message": "not a SOC code (NN-NNNN)"})
        elif m.group(1) not in known or m.group(1) == ALL_OCCUPATIONS:
            errors.append({"line": line, "value": raw, "message": "not a SOC 2018 occupation code"})
        elif m.group(1) not in seen:
            seen.add(m.group(1))
            rows.append(
                {
                    "soc": m.group(1),
                    "title": (
                        row[title_col].strip() if title_col is not None and title_col < len(row) else ""
                    )[:300],
                    "designation": (
                        row[des_col].strip() if des_col is not None and des_col < len(row) else ""
                    )[:100],
                    "line": line,
                }
            )
        if len(rows) > MAX_ROWS:
            raise TooLargeError(f"{filename} has more than {MAX_ROWS:,} occupations")
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more line(s))" if len(errors) > 1 else ""
        raise BadInputError(
            f"{filename} line {first['line']}: {first['value']!r} is {first['message']}{more}; "
            "nothing was imported",
            details={"errors": errors[:MAX_REPORTED_ERRORS], "invalid_rows": len(errors)},
        )
    if not rows:
        raise BadInputError(f"{filename} lists no occupation")
    return rows


def _from_record(rec: StateList) -> OccupationList:
    return OccupationList(
        state=rec.state,
        name=rec.name,
        source=rec.source,
        vintage=rec.vintage or rec.imported_at.date().isoformat(),
        derived=False,
        codes={e.soc: {"title": e.title, "designation": e.designation} for e in rec.entries},
        list_id=rec.id,
        imported_at=rec.imported_at.isoformat(),
        imported_by=rec.imported_by,
        rule="the occupation's SOC code (or its SOC group) is on the state's imported list",
    )


def import_state_list(
    db: Database,
    actor: Actor,
    state: str,
    content: bytes,
    labour: LabourData,
    *,
    name: str = "",
    source: str = "",
    vintage: str = "",
    filename: str = "list.csv",
) -> OccupationList:
    """Store a state's list (it becomes the state's list; earlier imports stay on record)."""
    if actor.role is not Role.ADMIN:
        raise ForbiddenError("only an admin may import a state's occupation list")
    state = normalise_state(state)
    for label, value, limit in (("name", name, 300), ("source", source, 1000), ("vintage", vintage, 100)):
        if len(value) > limit or not text_ok(value):
            raise BadInputError(f"the list's {label} must be at most {limit} characters without NUL")
    rows = parse_state_list(content, labour.soc_codes(), filename=filename)
    with db.transaction() as s:
        rec = StateList(
            state=state,
            name=name.strip() or f"{state} in-demand occupations ({filename})",
            source=source.strip(),
            vintage=vintage.strip(),
            file_name=filename[:300],
            file_sha256=hashlib.sha256(content).hexdigest(),
            row_count=len(rows),
            imported_by=actor.label[:300],
        )
        rec.entries = [StateListEntry(**r) for r in rows]
        s.add(rec)
        s.flush()
        out = _from_record(rec)
        audit.record(s, actor, "state_list.import", rec, after=out.to_dict())
    log.info("imported %d occupations for %s from %s", len(rows), state, filename)
    return out


def current_list(db: Database, state: str) -> OccupationList | None:
    """The newest list imported for ``state``, or None."""
    with db.session() as s:
        rec = s.scalars(
            select(StateList).where(StateList.state == state.upper()).order_by(StateList.id.desc()).limit(1)
        ).first()
        return _from_record(rec) if rec else None


def default_list(labour: LabourData) -> OccupationList:
    """Occupations BLS projects to grow (percent change > 0) whose average annual openings are at
    least the median of all detailed occupations (BLS Employment Projections, national)."""
    items = [p for p in labour.bls.projections if p.line_item]
    openings = [p.openings_annual for p in items if p.openings_annual is not None]
    median = statistics.median(openings) if openings else 0.0
    codes = {
        p.soc: {"title": p.title, "designation": "in-demand (default)"}
        for p in items
        if (p.change_percent or 0) > 0 and (p.openings_annual or 0) >= median
    }
    period = labour.projections_version
    return OccupationList(
        state=None,
        name=f"Default in-demand list from BLS Employment Projections {period}",
        source=f"BLS Employment Projections {period}, Table 1.2 (national)",
        vintage=period,
        derived=True,
        codes=codes,
        rule=(
            f"no state list loaded; default: projected employment growth above 0% and at least "
            f"{median * 1000:,.0f} openings a year (the median of {len(openings)} detailed occupations)"
        ),
    )


def list_for(db: Database, state: str, labour: LabourData) -> OccupationList:
    """The state's imported list, else the documented default."""
    return current_list(db, state) or default_list(labour)
