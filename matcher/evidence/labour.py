"""Wages and outlook for the packet: BLS OEWS state and national medians, and the national
Employment Projections (growth, openings, typical entry education), looked up by SOC code.

Loaded once per data folder (a second or so for the 37,000 state rows) and shared read-only.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.postings.location import US_STATES
from matcher.sources.bls import BlsData, Projection, WageRow

log = logging.getLogger(__name__)

ALL_OCCUPATIONS = "00-0000"


def _state_key(name: str) -> str:
    name = name.strip().lower()
    return name[5:] if name.startswith("u.s. ") else name


@dataclass(frozen=True)
class Wage:
    """An OEWS annual median with where it came from."""

    area: str  # "New Jersey" or "United States"
    soc: str
    title: str
    annual_median: float | None
    employment: float | None
    note: str = ""  # why the median is missing, when it is

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "soc": self.soc,
            "title": self.title,
            "annual_median": self.annual_median,
            "employment": self.employment,
            "note": self.note,
        }


def _wage(row: WageRow, area: str) -> Wage:
    note = ""
    if row.annual_median is None:
        note = "annual median not released"
        if "A_MEDIAN:5" in row.footnotes.replace(" ", ""):
            note = "annual median top-coded (at least $239,200)"
    return Wage(area, row.soc, row.title, row.annual_median, row.employment, note)


class LabourData:
    """OEWS and Employment Projections of one data folder, indexed by SOC code."""

    def __init__(self, bls: BlsData) -> None:
        self.bls = bls

    @functools.cached_property
    def _state_rows(self) -> dict[str, dict[str, WageRow]]:
        out: dict[str, dict[str, WageRow]] = {}
        for row in self.bls.wages_state:
            out.setdefault(_state_key(row.area_title), {})[row.soc] = row
        return out

    @functools.cached_property
    def _national_rows(self) -> dict[str, WageRow]:
        return {row.soc: row for row in self.bls.wages_national}

    @functools.cached_property
    def _projections(self) -> dict[str, Projection]:
        return {p.soc: p for p in self.bls.projections}

    @property
    def oews_version(self) -> str:
        return self.bls.oews_version

    @property
    def projections_version(self) -> str:
        return self.bls.projections_version

    @staticmethod
    def state_name(state: str) -> str:
        return US_STATES.get((state or "").strip().upper(), state)

    def has_state(self, state: str) -> bool:
        return _state_key(self.state_name(state)) in self._state_rows

    def state_wage(self, state: str, soc: str) -> Wage | None:
        rows = self._state_rows.get(_state_key(self.state_name(state)), {})
        row = rows.get(soc)
        return _wage(row, self.state_name(state)) if row else None

    def national_wage(self, soc: str) -> Wage | None:
        row = self._national_rows.get(soc)
        return _wage(row, "United States") if row else None

    def projection(self, soc: str) -> Projection | None:
        return self._projections.get(soc)

    def outlook(self, soc: str) -> dict[str, Any] | None:
        """National 10-year outlook of an occupation, next to the all-occupations figures."""
        p = self.projection(soc)
        if p is None:
            return None
        total = self.projection(ALL_OCCUPATIONS)
        return {
            "soc": p.soc,
            "title": p.title,
            "employment_change_percent": p.change_percent,
            "all_occupations_change_percent": total.change_percent if total else None,
            "openings_per_year": round(p.openings_annual * 1000) if p.openings_annual is not None else None,
            "typical_entry_education": p.education,
            "work_experience": p.experience,
            "on_the_job_training": p.training,
            "period": self.projections_version,
        }

    def soc_codes(self) -> set[str]:
        """Every SOC 2018 code BLS publishes (OEWS national, projections, SOC definitions)."""
        codes = set(self._national_rows) | set(self._projections)
        try:
            codes |= {d.code for d in self.bls.soc_definitions}
        except Exception as exc:  # noqa: BLE001 - definitions are optional: the other two suffice
            log.debug("no SOC definitions file (%s)", exc)
        return codes


@functools.cache
def labour_data(root: Path) -> LabourData:
    """The :class:`LabourData` of a data folder's ``bls/`` (cached per folder)."""
    return LabourData(BlsData(Path(root) / "bls"))
