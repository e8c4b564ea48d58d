"""Typed loaders for the O*NET database, text release (tab-delimited ``*.txt`` files)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from matcher.sources._table import opt_float, read_tsv, require_file

WHAT = "O*NET"
CODE = "O*NET-SOC Code"


@dataclass(frozen=True, slots=True)
class Occupation:
    code: str  # O*NET-SOC, e.g. 51-4121.00
    title: str
    description: str

    @property
    def soc(self) -> str:
        return self.code[:7]


@dataclass(frozen=True, slots=True)
class AlternateTitle:
    code: str
    title: str
    short_title: str | None


@dataclass(frozen=True, slots=True)
class ReportedTitle:
    code: str
    title: str
    shown_in_my_next_move: bool


@dataclass(frozen=True, slots=True)
class Task:
    code: str
    task_id: str
    text: str
    core: bool


@dataclass(frozen=True, slots=True)
class TechnologySkill:
    code: str
    example: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool


@dataclass(frozen=True, slots=True)
class Tool:
    code: str
    example: str
    commodity_code: str
    commodity_title: str


@dataclass(frozen=True, slots=True)
class ElementRating:
    """A Skills or Knowledge descriptor for one occupation, importance (1-5) and level (0-7)."""

    code: str
    element_id: str
    name: str
    importance: float | None
    level: float | None
    not_relevant: bool


@dataclass(frozen=True, slots=True)
class Dwa:
    dwa_id: str
    iwa_id: str
    element_id: str
    title: str


@dataclass(frozen=True, slots=True)
class TaskDwa:
    code: str
    task_id: str
    dwa_id: str


@dataclass(frozen=True, slots=True)
class EducationRating:
    code: str
    element_id: str
    name: str
    category: int
    percent: float | None


class OnetRelease:
    """One O*NET text release in a folder; each table is read once, on first use."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        return self.root / name

    @functools.cached_property
    def version(self) -> str:
        readme = self.root / "Read Me.txt"
        if readme.is_file():
            m = re.search(r"O\*NET\s+([\d.]+)\s+Database", readme.read_text(errors="replace"))
            if m:
                return m.group(1)
        return "unknown"

    def check(self) -> None:
        """Fail early, naming the first missing file."""
        for name in (
            "Occupation Data.txt",
            "Alternate Titles.txt",
            "Task Statements.txt",
            "Technology Skills.txt",
            "DWA Reference.txt",
            "Tasks to DWAs.txt",
        ):
            require_file(self._path(name), WHAT)

    @functools.cached_property
    def occupations(self) -> list[Occupation]:
        rows = read_tsv(self._path("Occupation Data.txt"), [CODE, "Title", "Description"], what=WHAT)
        return [Occupation(r[CODE], r["Title"], r["Description"]) for r in rows]

    @functools.cached_property
    def alternate_titles(self) -> list[AlternateTitle]:
        rows = read_tsv(self._path("Alternate Titles.txt"), [CODE, "Alternate Title"], what=WHAT)
        out = []
        for r in rows:
            short = r.get("Short Title")
            out.append(AlternateTitle(r[CODE], r["Alternate Title"], None if short == "n/a" else short))
        return out

    @functools.cached_property
    def reported_titles(self) -> list[ReportedTitle]:
        rows = read_tsv(self._path("Sample of Reported Titles.txt"), [CODE, "Reported Job Title"], what=WHAT)
        return [
            ReportedTitle(r[CODE], r["Reported Job Title"], r.get("Shown in My Next Move") == "Y")
            for r in rows
        ]

    @functools.cached_property
    def tasks(self) -> list[Task]:
        rows = read_tsv(self._path("Task Statements.txt"), [CODE, "Task ID", "Task"], what=WHAT)
        return [Task(r[CODE], r["Task ID"], r["Task"], r.get("Task Type") == "Core") for r in rows]

    @functools.cached_property
    def technology_skills(self) -> list[TechnologySkill]:
        cols = [CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology"]
        rows = read_tsv(self._path("Technology Skills.txt"), cols, what=WHAT)
        return [
            TechnologySkill(
                r[CODE],
                r["Example"],
                r["Commodity Code"],
                r["Commodity Title"],
                r["Hot Technology"] == "Y",
                r.get("In Demand") == "Y",
            )
            for r in rows
        ]

    @functools.cached_property
    def tools(self) -> list[Tool]:
        cols = [CODE, "Example", "Commodity Code", "Commodity Title"]
        rows = read_tsv(self._path("Tools Used.txt"), cols, what=WHAT)
        return [Tool(r[CODE], r["Example"], r["Commodity Code"], r["Commodity Title"]) for r in rows]

    def _ratings(self, name: str) -> list[ElementRating]:
        cols = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value"]
        merged: dict[tuple[str, str], dict] = {}
        for r in read_tsv(self._path(name), cols, what=WHAT):
            key = (r[CODE], r["Element ID"])
            slot = merged.setdefault(key, {"name": r["Element Name"], "IM": None, "LV": None, "nr": False})
            slot[r["Scale ID"]] = opt_float(r["Data Value"])
            if r.get("Not Relevant") == "Y":
                slot["nr"] = True
        return [
            ElementRating(code, eid, v["name"], v["IM"], v["LV"], v["nr"])
            for (code, eid), v in merged.items()
        ]

    @functools.cached_property
    def skills(self) -> list[ElementRating]:
        return self._ratings("Skills.txt")

    @functools.cached_property
    def knowledge(self) -> list[ElementRating]:
        return self._ratings("Knowledge.txt")

    @functools.cached_property
    def dwas(self) -> list[Dwa]:
        cols = ["Element ID", "IWA ID", "DWA ID", "DWA Title"]
        rows = read_tsv(self._path("DWA Reference.txt"), cols, what=WHAT)
        return [Dwa(r["DWA ID"], r["IWA ID"], r["Element ID"], r["DWA Title"]) for r in rows]

    @functools.cached_property
    def tasks_to_dwas(self) -> list[TaskDwa]:
        rows = read_tsv(self._path("Tasks to DWAs.txt"), [CODE, "Task ID", "DWA ID"], what=WHAT)
        return [TaskDwa(r[CODE], r["Task ID"], r["DWA ID"]) for r in rows]

    @functools.cached_property
    def job_zones(self) -> dict[str, int]:
        rows = read_tsv(self._path("Job Zones.txt"), [CODE, "Job Zone"], what=WHAT)
        return {r[CODE]: int(r["Job Zone"]) for r in rows}

    @functools.cached_property
    def education(self) -> list[EducationRating]:
        cols = [CODE, "Element ID", "Element Name", "Scale ID", "Category", "Data Value"]
        rows = read_tsv(self._path("Education, Training, and Experience.txt"), cols, what=WHAT)
        out = []
        for r in rows:
            cat = r["Category"]
            if cat in ("", "n/a"):
                continue
            out.append(
                EducationRating(
                    r[CODE], r["Element ID"], r["Element Name"], int(float(cat)), opt_float(r["Data Value"])
                )
            )
        return out

    @functools.cached_property
    def element_descriptions(self) -> dict[str, str]:
        """Content Model descriptions (e.g. 2.A.1.a Reading Comprehension -> its definition)."""
        path = self._path("Content Model Reference.txt")
        if not path.is_file():
            return {}
        rows = read_tsv(path, ["Element ID", "Element Name", "Description"], what=WHAT)
        return {r["Element ID"]: r["Description"] for r in rows}

    def tasks_by_code(self) -> dict[str, list[Task]]:
        out: dict[str, list[Task]] = defaultdict(list)
        for t in self.tasks:
            out[t.code].append(t)
        return out
