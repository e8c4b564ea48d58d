"""What an occupation requires, as a list a reviewer can read.

Sources, per O*NET-SOC code: O*NET detailed work activities (DWAs, weighted by how many of the
occupation's core and supplemental tasks they describe), Hot Technology / In Demand technology
skills, tool groups, Skills and Knowledge descriptors rated important, and the essential skills
of the ESCO occupations crosswalked to it (exact and close matches; when the crosswalk has only
broad or narrow matches, or no exact match and a broad one clearly closer than its close ones,
the two closest links, and the report says the match is broad).

Items that say the same thing (an ESCO skill and a DWA, two ESCO skills) are folded into one
*competency* that keeps every source id it stands for. Competencies are ranked by importance:
DWAs by the core tasks behind them, ESCO skills by how specific they are to the occupation
(occupation-specific before sector-specific before transversal) and how close they are to it,
O*NET descriptors by their importance and level ratings. Generic office software and basic
skills (reading, speaking, listening) never rank above what defines the occupation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.indexes.store import IndexSet
from matcher.sources.catalog import Catalog

MAX_COMPETENCIES = 30
MAX_DWAS = 20
MAX_ESCO = 20
MAX_TECH = 5
MAX_TOOL_GROUPS = 3
MAX_ELEMENTS = 5
MIN_ELEMENT_IMPORTANCE = 3.5  # O*NET importance scale 1-5
FOLD_SIMILARITY = 0.86  # two items this close (cosine of their labels) are one competency (MIG and TIG
# welding sit at 0.855, installing hardware and software 0.843; specimens and samples 0.862)
GENERIC_CAP = 0.3  # importance ceiling of generic office software and basic skills
BROAD_SECOND = 0.75  # importance factor of a skill only the second-closest broad ESCO match needs
CLOSER_BY = 0.05  # a broad ESCO match this much closer than every close one replaces them

OFFICE_SOFTWARE = re.compile(
    r"\b(?:microsoft (?:office|word|excel|outlook|powerpoint|teams|access)|excel|outlook|powerpoint|"
    r"word processing|spreadsheet|e-?mail|presentation software|google (?:docs|sheets|workspace)|"
    r"web browser|internet browser|adobe acrobat|calendar|office suite)\b",
    re.IGNORECASE,
)
# O*NET basic skills (content and process skills every occupation rates): never defining.
BASIC_SKILLS = {
    "2.A.1.a",
    "2.A.1.b",
    "2.A.1.c",
    "2.A.1.d",
    "2.A.1.e",
    "2.A.1.f",
    "2.A.2.a",
    "2.A.2.b",
    "2.A.2.c",
    "2.A.2.d",
}
ESCO_REUSE = {
    "occupation-specific": 0.8,
    "sector-specific": 0.72,
    "cross-sector": 0.6,
    "transversal": 0.45,
}


@dataclass
class Requirement:
    """One source item: a DWA, an ESCO skill, a technology, a tool group, an O*NET descriptor."""

    taxonomy: str  # onet-dwa | onet-tech | onet-tool | onet-skill | onet-knowledge | esco
    id: str
    label: str
    importance: float  # 0..1
    basis: str  # why it matters, in words
    index: str  # which vector index holds its texts
    rows: list[str]  # ids in that index whose texts express it
    hot: bool = False
    in_demand: bool = False
    demand_share: float | None = None

    @property
    def key(self) -> str:
        return f"{self.taxonomy}:{self.id}"


@dataclass
class Competency:
    """Requirements that say the same thing, under the label of the most important one."""

    members: list[Requirement]
    importance: float = 0.0

    @property
    def lead(self) -> Requirement:
        return self.members[0]

    @property
    def label(self) -> str:
        return self.lead.label

    @property
    def sources(self) -> list[dict[str, str]]:
        return [{"taxonomy": r.taxonomy, "id": r.id, "label": r.label} for r in self.members]


@dataclass
class RequirementList:
    code: str
    competencies: list[Competency]
    sources: list[str]  # which sources contributed ("O*NET DWAs", "ESCO: welder (exact)", ...)
    notes: list[str] = field(default_factory=list)  # e.g. a broad ESCO match, no task data

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "notes": self.notes}


def demand_share(r: Requirement, demand: dict[str, float]) -> float:
    """The share of postings asking for ``r``: by its id, its label, or (a tool group) any example."""
    keys = [r.id, r.label.lower(), *r.rows, *(x.lower() for x in r.rows)]
    return max((demand.get(k, 0.0) for k in keys), default=0.0)


class RequirementBuilder:
    def __init__(self, catalog: Catalog, indexes: IndexSet) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self._exact_of: dict[str, set[str]] | None = None  # ESCO occupation -> SOCs it exactly matches

    def _vector(self, index: str, item_id: str) -> np.ndarray | None:
        idx = self.indexes[index]
        rows = idx.rows_by_id.get(item_id)
        return np.asarray(idx.matrix[rows[0]]) if rows else None

    def occupation_vector(self, code: str) -> np.ndarray:
        v = self._vector("occupations", code)
        if v is None:
            raise KeyError(code)
        return v

    # -- sources ---------------------------------------------------------------------------------
    def dwas(self, code: str) -> list[Requirement]:
        c = self.catalog
        links = c.dwas_by_code.get(code, [])
        weights = [lk.core_tasks + 0.5 * (lk.tasks - lk.core_tasks) for lk in links]
        top = max(weights, default=1.0) or 1.0
        out = []
        for lk, w in list(zip(links, weights, strict=True))[:MAX_DWAS]:
            d = c.dwas[lk.dwa_id]
            out.append(
                Requirement(
                    "onet-dwa",
                    d.dwa_id,
                    d.title,
                    0.5 + 0.45 * w / top,
                    f"O*NET work activity in {lk.tasks} task(s) of this occupation, {lk.core_tasks} core",
                    "dwas",
                    [d.dwa_id],
                )
            )
        return out

    def esco_occupations(self, code: str) -> tuple[list[str], bool]:
        """The ESCO occupations whose essential skills count, and whether the match is only broad:
        the exact and close matches; without an exact match, when a broad or narrow match is
        clearly closer to the occupation than every close one (:meth:`close_matches_are_far`),
        or when there is no close match, the two closest links of any kind."""
        links = self.catalog.esco_for_onet(code)
        close = [u for u, m in links if m in ("exactMatch", "closeMatch")]
        if close and not self.close_matches_are_far(code):
            return [u for u in close if u not in self.out_of_scope(code)], False
        scored = self._closeness(code, [u for u, _ in links])
        return [u for _, u in scored[:2]], bool(scored)

    def close_matches_are_far(self, code: str) -> bool:
        """No exact match, and a broad or narrow match is closer to the O*NET occupation (cosine of
        the occupations' vectors) than every close match by :data:`CLOSER_BY`: the crosswalk's
        close matches of Medical Records Specialists are a medical administrative assistant and a
        PACS administrator, its broad one a medical records clerk (0.45 against 0.68)."""
        links = self.catalog.esco_for_onet(code)
        if any(m == "exactMatch" for _, m in links):
            return False
        close = self._closeness(code, [u for u, m in links if m == "closeMatch"])
        other = self._closeness(code, [u for u, m in links if m not in ("exactMatch", "closeMatch")])
        return bool(close and other) and other[0][0] > close[0][0] + CLOSER_BY

    def _closeness(self, code: str, uris: list[str]) -> list[tuple[float, str]]:
        """``uris`` with their cosine to the O*NET occupation, closest first."""
        occ = self.occupation_vector(code)
        scored = []
        for uri in uris:
            v = self._vector("esco_occupations", uri)
            if v is not None:
                scored.append((float(v @ occ), uri))
        return sorted(scored, reverse=True)

    def out_of_scope(self, code: str) -> list[str]:
        """Close ESCO matches of another scope than the occupation's exact match: another skill
        level (ISCO major group: *pharmacist*, 2262, for the pharmacy technician's 3213; *medical
        goods specialised seller*, 5223) or another occupation's exact match (*dental hygienist*,
        exact for 29-1292, close for Dental Assistants). Their skills are not this occupation's
        (a technician does not counsel patients on medicines). [] without an exact match."""
        links = self.catalog.esco_for_onet(code)
        exact = [u for u, m in links if m == "exactMatch"]
        if not exact:
            return []
        occs = self.catalog.esco_occupations
        levels = {occs[u].isco_group[:1] for u in exact}
        return [
            u
            for u, m in links
            if m == "closeMatch" and (occs[u].isco_group[:1] not in levels or self._exact_elsewhere(u, code))
        ]

    def _exact_elsewhere(self, uri: str, code: str) -> bool:
        if self._exact_of is None:
            exact_of: dict[str, set[str]] = defaultdict(set)
            for onet, rows in self.catalog.onet_to_esco.items():
                for u, m in rows:
                    if m == "exactMatch":
                        exact_of[u].add(onet[:7])
            self._exact_of = exact_of
        return bool(self._exact_of.get(uri, set()) - {code[:7]})

    def esco(self, code: str, uris: list[str], broad: bool, *, optional: bool = False) -> list[Requirement]:
        c = self.catalog
        occ_vec = self.occupation_vector(code)
        count: dict[str, int] = defaultdict(int)
        first: dict[str, str] = {}
        closest: dict[str, int] = {}  # index in ``uris`` of the closest ESCO occupation needing it
        wanted = ("essential", "optional") if optional else ("essential",)
        for k, uri in enumerate(uris):
            for skill_uri, relation in c.esco_occupation_skills.get(uri, []):
                if relation in wanted and skill_uri in c.esco_skills:
                    count[skill_uri] += 1
                    first.setdefault(skill_uri, c.esco_occupations[uri].label)
                    closest.setdefault(skill_uri, k)
        out = []
        for uri, n in count.items():
            s = c.esco_skills[uri]
            v = self._vector("esco_skills", uri)
            closeness = float(v @ occ_vec) if v is not None else 0.0
            base = ESCO_REUSE.get(s.reuse_level, 0.6)
            importance = min(0.95, base * (0.75 + 0.5 * max(0.0, closeness)) + 0.03 * (n - 1))
            if broad and closest[uri] > 0:
                importance *= BROAD_SECOND  # only the second-closest broad match needs it
            where = f"essential for ESCO occupation '{first[uri]}'" + (f" and {n - 1} more" if n > 1 else "")
            if broad:
                where += " (broad crosswalk match)"
            out.append(Requirement("esco", uri, s.label, importance, where, "esco_skills", [uri]))
        out.sort(key=lambda r: -r.importance)
        return out if optional else out[:MAX_ESCO]

    def technology(self, code: str, *, every: bool = False) -> list[Requirement]:
        c = self.catalog
        tech = [t for t in c.tech_by_code.get(code, []) if every or t.hot or t.in_demand]
        tech.sort(key=lambda t: (-(t.hot + t.in_demand), t.example))
        out = []
        for t in tech if every else tech[:MAX_TECH]:
            flags = [x for x, on in (("Hot Technology", t.hot), ("In Demand", t.in_demand)) if on]
            importance = 0.35 + 0.1 * t.hot + 0.15 * t.in_demand
            if OFFICE_SOFTWARE.search(t.example) or OFFICE_SOFTWARE.search(t.commodity_title):
                importance = min(importance, GENERIC_CAP)
            out.append(
                Requirement(
                    "onet-tech",
                    t.example,
                    t.example,
                    importance,
                    f"{t.commodity_title}; {', '.join(flags)}",
                    "technology",
                    [t.example],
                    hot=t.hot,
                    in_demand=t.in_demand,
                )
            )
        return out

    def tools(self, code: str, *, every: bool = False) -> list[Requirement]:
        by_commodity: dict[str, list[str]] = defaultdict(list)
        titles: dict[str, str] = {}
        for tl in self.catalog.tools_by_code.get(code, []):
            by_commodity[tl.commodity_code].append(tl.example)
            titles[tl.commodity_code] = tl.commodity_title
        groups = sorted(by_commodity.items(), key=lambda kv: (-len(kv[1]), titles[kv[0]]))
        out = []
        for cc, examples in groups if every else groups[:MAX_TOOL_GROUPS]:
            shown = ", ".join(examples[:4]) + (" ..." if len(examples) > 4 else "")
            out.append(
                Requirement(
                    "onet-tool",
                    cc,
                    titles[cc],
                    min(0.55, 0.3 + 0.08 * np.log1p(len(examples))),
                    f"tools: {shown}",
                    "tools",
                    examples,
                )
            )
        return out

    def elements(self, code: str) -> list[Requirement]:
        c = self.catalog
        out = []
        for tax, ratings in (("onet-knowledge", c.knowledge_ratings), ("onet-skill", c.skill_ratings)):
            for r in ratings.get(code, []):
                if r.importance is None or r.importance < MIN_ELEMENT_IMPORTANCE or r.not_relevant:
                    continue
                level = r.level or 0.0
                importance = 0.25 + 0.35 * (r.importance - 1) / 4 + 0.1 * level / 7
                if r.element_id in BASIC_SKILLS:
                    importance = min(importance, GENERIC_CAP)
                lv = f", level {r.level:.1f}/7" if r.level is not None else ""
                out.append(
                    Requirement(
                        tax,
                        r.element_id,
                        r.name,
                        importance,
                        f"O*NET {tax[5:]} rated {r.importance:.2f}/5 in importance{lv}",
                        "onet_elements",
                        [r.element_id],
                    )
                )
        out.sort(key=lambda r: -r.importance)
        return out[:MAX_ELEMENTS]

    # -- the list --------------------------------------------------------------------------------
    def build(
        self, code: str, *, limit: int | None = MAX_COMPETENCIES, demand: dict[str, float] | None = None
    ) -> RequirementList:
        """The competency list; with ``demand`` (share of local postings asking for each skill, by
        id or lower-cased label) every item postings ask for competes too, its importance raised
        by that share."""
        occ = self.catalog.occupations[code]
        sources, notes = [], []
        reqs = self.dwas(code)
        if reqs:
            sources.append("O*NET detailed work activities")
        else:
            notes.append(f"O*NET has no task data for {code} {occ.title}: no work activities listed")
        uris, broad = self.esco_occupations(code)
        esco = self.esco(code, uris, broad)
        if uris:
            names = ", ".join(self.catalog.esco_occupations[u].label for u in uris)
            sources.append(f"ESCO essential skills ({names})")
            if broad and self.close_matches_are_far(code):
                far = [u for u, m in self.catalog.esco_for_onet(code) if m == "closeMatch"]
                notes.append(
                    f"ESCO's close crosswalk matches for {code} "
                    f"({', '.join(self.catalog.esco_occupations[u].label for u in far)}) are further "
                    f"from it than a broad one: skills of the closest ESCO occupations ({names}) are listed"
                )
            elif broad:
                notes.append(
                    f"ESCO has only broad or narrow crosswalk matches for {code}: "
                    f"skills of the closest ones ({names}) are listed"
                )
        else:
            notes.append(f"no ESCO occupation is crosswalked to {code}")
        if left := self.out_of_scope(code):
            names = ", ".join(self.catalog.esco_occupations[u].label for u in left)
            notes.append(
                f"ESCO close matches of another scope left out ({names}): another skill level or "
                "another occupation's exact match"
            )
        tech, tools, elements = self.technology(code), self.tools(code), self.elements(code)
        for part, name in (
            (tech, "O*NET technology skills"),
            (tools, "O*NET tools"),
            (elements, "O*NET skills and knowledge"),
        ):
            if part:
                sources.append(name)
        everything = [*reqs, *esco, *tech, *tools, *elements]
        if demand:
            seen = {r.key for r in everything}
            extra = [
                *self.esco(code, uris, broad, optional=True),
                *self.technology(code, every=True),
                *self.tools(code, every=True),
            ]
            everything += [r for r in extra if r.key not in seen]
            for r in everything:
                r.demand_share = demand_share(r, demand)
            everything = [r for r in everything if r.key in seen or (r.demand_share or 0.0) > 0]
            for r in everything:
                if r.demand_share:
                    r.importance = max(r.importance, 0.5 + 0.5 * r.demand_share)
                    r.basis += f"; asked for in {100 * r.demand_share:.0f}% of local postings"
            sources.append("job postings (demand shares)")
        everything.sort(key=lambda r: -r.importance)
        competencies = self.fold(everything)
        if limit is not None:
            competencies = competencies[:limit]
        return RequirementList(code, competencies, sources, notes)

    def fold(self, reqs: list[Requirement]) -> list[Competency]:
        """Greedy folding, most important first: an item joins the first competency whose lead
        label is within FOLD_SIMILARITY of its own (cosine), else it leads a new one."""
        out: list[Competency] = []
        leads: list[np.ndarray] = []
        for r in reqs:
            v = self._vector(r.index, r.rows[0]) if r.rows else None
            joined = False
            if v is not None and leads:
                sims = np.stack(leads) @ v
                k = int(np.argmax(sims))
                if sims[k] >= FOLD_SIMILARITY:
                    out[k].members.append(r)
                    joined = True
            if not joined:
                out.append(Competency([r], r.importance))
                leads.append(v if v is not None else np.zeros(self.indexes["dwas"].matrix.shape[1]))
        return out
