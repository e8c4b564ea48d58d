"""BLS: OEWS wages (national and state), Employment Projections, SOC 2018 definitions."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from matcher.errors import DataMissingError
from matcher.sources._table import opt_float, read_rows

WHAT = "BLS"


@dataclass(frozen=True, slots=True)
class WageRow:
    area: str  # BLS area code ("0000000" national, "3400000" New Jersey)
    area_title: str
    area_type: str  # national | state
    state_fips: str
    soc: str  # SOC 2018 code, e.g. 51-4121 or 00-0000
    title: str
    group: str  # total, major, minor, broad, detailed
    employment: float | None
    hourly_median: float | None
    annual_median: float | None
    annual_mean: float | None
    annual_p10: float | None
    annual_p90: float | None
    footnotes: str


@dataclass(frozen=True, slots=True)
class Projection:
    soc: str
    title: str
    line_item: bool
    employment_2024: float | None  # thousands
    employment_2034: float | None
    change_percent: float | None
    openings_annual: float | None  # thousands
    median_wage_2024: float | None
    education: str
    experience: str
    training: str


@dataclass(frozen=True, slots=True)
class SocDefinition:
    group: str
    code: str
    title: str
    definition: str


def _wage_rows(path: Path) -> list[WageRow]:
    cols = ["AREA", "AREA_TITLE", "AREA_TYPE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "A_MEDIAN"]
    out = []
    for r in read_rows(path, cols, what=WHAT):
        out.append(
            WageRow(
                r["AREA"],
                r["AREA_TITLE"],
                r["AREA_TYPE"],
                r.get("PRIM_STATE_FIPS", ""),
                r["OCC_CODE"],
                r["OCC_TITLE"],
                r["O_GROUP"],
                opt_float(r.get("TOT_EMP")),
                opt_float(r.get("H_MEDIAN")),
                opt_float(r["A_MEDIAN"]),
                opt_float(r.get("A_MEAN")),
                opt_float(r.get("A_PCT10")),
                opt_float(r.get("A_PCT90")),
                r.get("FOOTNOTES", ""),
            )
        )
    return out


class BlsData:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @functools.cached_property
    def oews_version(self) -> str:
        manifest = self.root / "oews_M2025_source_manifest.json"
        if manifest.is_file():
            try:
                release = json.loads(manifest.read_text()).get("release") or {}
                if isinstance(release, dict) and release.get("description"):
                    return str(release["description"])
            except (ValueError, AttributeError):
                pass
        files = sorted(self.root.glob("oews_national_M*.csv"))
        m = re.search(r"M(\d{4})", files[0].name) if files else None
        return f"May {m.group(1)}" if m else "unknown"

    def _one(self, pattern: str) -> Path:
        files = sorted(self.root.glob(pattern))
        return files[-1] if files else self.root / pattern.replace("*", "M2025")

    @functools.cached_property
    def wages_national(self) -> list[WageRow]:
        return _wage_rows(self._one("oews_national_M*.csv"))

    @functools.cached_property
    def wages_state(self) -> list[WageRow]:
        return _wage_rows(self._one("oews_state_M*.csv"))

    @functools.cached_property
    def projections_version(self) -> str:
        files = sorted(self.root.glob("ep_*_table_1.2_*.csv"))
        m = re.search(r"ep_(\d{4}-\d{2})", files[-1].name) if files else None
        return m.group(1) if m else "unknown"

    @functools.cached_property
    def projections(self) -> list[Projection]:
        """Employment Projections Table 1.2 (one row per National Employment Matrix code)."""
        path = self._one("ep_*_table_1.2_occupational_projections.csv")
        rows = list(read_rows(path, [], what=WHAT))
        if not rows:
            return []
        keys = list(rows[0].keys())

        def col(prefix: str) -> str:
            found = [k for k in keys if k.startswith(prefix)]
            if not found:
                raise DataMissingError(f"{WHAT} file {path.name} lacks a column {prefix!r}...")
            return found[0]

        code_col = next((k for k in keys if k.endswith("Matrix code")), "")
        title_col = next((k for k in keys if k.endswith("Matrix title")), "")
        if not code_col or not title_col:
            raise DataMissingError(f"{WHAT} file {path.name} lacks the Matrix code/title columns")
        emp_cols = [k for k in keys if re.match(r"Employment, \d{4}$", k)]
        change_col = col("Employment change, percent")
        openings_col = col("Occupational openings")
        wage_col = col("Median annual wage")
        edu_col, exp_col, ojt_col = (
            col("Typical education"),
            col("Work experience"),
            col("Typical on-the-job"),
        )
        return [
            Projection(
                soc=r[code_col].strip(),
                title=r[title_col].strip(),
                line_item=r.get("Occupation type", "").strip() == "Line item",
                employment_2024=opt_float(r[emp_cols[0]]) if emp_cols else None,
                employment_2034=opt_float(r[emp_cols[-1]]) if emp_cols else None,
                change_percent=opt_float(r[change_col]),
                openings_annual=opt_float(r[openings_col]),
                median_wage_2024=opt_float(r[wage_col]),
                education=r[edu_col].strip(),
                experience=r[exp_col].strip(),
                training=r[ojt_col].strip(),
            )
            for r in rows
        ]

    @functools.cached_property
    def soc_definitions(self) -> list[SocDefinition]:
        cols = ["SOC Group", "SOC Code", "SOC Title", "SOC Definition"]
        rows = read_rows(self.root / "soc_2018_definitions.csv", cols, what=WHAT)
        return [
            SocDefinition(r["SOC Group"], r["SOC Code"], r["SOC Title"], r["SOC Definition"]) for r in rows
        ]
