"""The taxonomy in memory: O*NET occupations with their tasks, DWAs, technology skills, tools,
skill and knowledge ratings; ESCO occupations and skills; CIP codes and crosswalks.

Built once from the data directory (a few seconds) and shared read-only.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.errors import DataMissingError, NotFoundError
from matcher.sources import DataDir
from matcher.sources.cip import CipCode, normalise_cip
from matcher.sources.esco import EscoOccupation, EscoSkill
from matcher.sources.onet import Dwa, ElementRating, Occupation, Task, TechnologySkill, Tool
from matcher.sources.soc2010 import successors

if TYPE_CHECKING:
    from matcher.text.occupation_names import OccupationNames

log = logging.getLogger(__name__)

ONET_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
MIN_TITLE_SIMILARITY = 0.6  # below this, typed words suggest no occupation


def _title_similarity(words: str, title: str) -> float:
    """How alike a few typed words and an occupation title are (0-1): characters in order, or
    the share of the words that start a word of the title ("welder" -> "Welders, Cutters...")."""
    title = title.lower()
    ratio = difflib.SequenceMatcher(None, words, title).ratio()
    title_words = re.findall(r"[a-z]+", title)
    typed = words.split()
    starts = sum(any(t.startswith(w[: max(4, len(w) - 1)]) for t in title_words) for w in typed)
    return max(ratio, starts / len(typed) if typed else 0.0)


@dataclass(frozen=True, slots=True)
class DwaLink:
    dwa_id: str
    tasks: int  # tasks of the occupation linked to this DWA
    core_tasks: int


class Catalog:
    """Read-only views over the reference data, indexed for the matcher's lookups."""

    def __init__(self, data: DataDir) -> None:
        self.data = data
        onet, esco, cip = data.onet, data.esco, data.cip
        self.occupations: dict[str, Occupation] = {o.code: o for o in onet.occupations}
        self.job_zones = onet.job_zones
        self.tasks: dict[str, Task] = {t.task_id: t for t in onet.tasks}
        self.tasks_by_code: dict[str, list[Task]] = defaultdict(list)
        for t in onet.tasks:
            self.tasks_by_code[t.code].append(t)
        self.dwas: dict[str, Dwa] = {d.dwa_id: d for d in onet.dwas}
        links: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for td in onet.tasks_to_dwas:
            task = self.tasks.get(td.task_id)
            slot = links[td.code][td.dwa_id]
            slot[0] += 1
            slot[1] += int(bool(task and task.core))
        self.dwas_by_code: dict[str, list[DwaLink]] = {
            code: sorted(
                (DwaLink(d, n, c) for d, (n, c) in dw.items()),
                key=lambda x: (-x.core_tasks, -x.tasks, x.dwa_id),
            )
            for code, dw in links.items()
        }
        self.tech_by_code: dict[str, list[TechnologySkill]] = defaultdict(list)
        for ts in onet.technology_skills:
            self.tech_by_code[ts.code].append(ts)
        self.tools_by_code: dict[str, list[Tool]] = defaultdict(list)
        for tl in onet.tools:
            self.tools_by_code[tl.code].append(tl)
        self.skill_ratings: dict[str, list[ElementRating]] = defaultdict(list)
        for r in onet.skills:
            self.skill_ratings[r.code].append(r)
        self.knowledge_ratings: dict[str, list[ElementRating]] = defaultdict(list)
        for r in onet.knowledge:
            self.knowledge_ratings[r.code].append(r)
        self.element_descriptions = onet.element_descriptions

        self.esco_occupations: dict[str, EscoOccupation] = {o.uri: o for o in esco.occupations}
        self.esco_skills: dict[str, EscoSkill] = {s.uri: s for s in esco.skills}
        self.esco_occupation_skills: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for rel in esco.occupation_skills:
            if rel.skill_uri in self.esco_skills:
                self.esco_occupation_skills[rel.occupation_uri].append((rel.skill_uri, rel.relation))
        self.onet_to_esco: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.esco_to_onet: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in esco.onet_crosswalk:
            self.onet_to_esco[row.onet_code].append((row.esco_uri, row.match))
            self.esco_to_onet[row.esco_uri].append((row.onet_code, row.match))

        self.cip_codes: dict[str, CipCode] = {c.code: c for c in cip.codes if c.active}
        self.cip_to_soc: dict[str, list[str]] = cip.cip_to_soc
        self.cip_no_match: set[str] = cip.cip_no_match
        self.soc_to_cip: dict[str, list[str]] = cip.soc_to_cip
        self.soc_to_codes: dict[str, list[str]] = defaultdict(list)
        for code in self.occupations:
            self.soc_to_codes[code[:7]].append(code)

    @functools.cached_property
    def entry_requirements(self) -> dict[str, tuple[str, str]]:
        """SOC (``15-1241``) -> BLS's typical entry-level education and related work experience
        (Employment Projections); empty, with a warning, when the projections file is missing."""
        try:
            rows = self.data.bls.projections
        except DataMissingError as exc:
            log.warning("no BLS projections: entry requirements unknown (%s)", exc)
            return {}
        return {p.soc: (p.education, p.experience) for p in rows if p.education and p.experience}

    @functools.cached_property
    def occupation_names(self) -> OccupationNames:
        """Every occupation's names as written: its O*NET title and alternate titles (short forms
        too), to tell a name ("Certified Nursing Assistant (CNA)") from other text (~1 s, once)."""
        from matcher.text.occupation_names import OccupationNames

        titles = [(o.code, o.title) for o in self.occupations.values()]
        for a in self.data.onet.alternate_titles:
            if a.code in self.occupations:
                titles += [(a.code, a.title)] + ([(a.code, a.short_title)] if a.short_title else [])
        return OccupationNames(titles)

    @functools.cached_property
    def acronyms(self) -> dict[str, str]:
        """Acronyms and their words as O*NET and ESCO spell them out ("TIG" -> "tungsten inert
        gas"; :mod:`matcher.text.acronyms`), read from tools and technology examples, task
        statements, work activities and ESCO skill labels and descriptions (~1 s, once)."""
        from matcher.text.acronyms import acronym_table

        texts: list[str] = [t.example for tools in self.tools_by_code.values() for t in tools]
        texts += [t.example for techs in self.tech_by_code.values() for t in techs]
        texts += [t.text for t in self.tasks.values()] + [d.title for d in self.dwas.values()]
        for s in self.esco_skills.values():
            texts += [s.label, *s.alt_labels, s.description]
        return acronym_table(texts)

    # -- occupations -----------------------------------------------------------------------------
    @functools.cached_property
    def occupation_codes(self) -> list[str]:
        return list(self.occupations)

    def occupation(self, code: str) -> Occupation:
        """Look up an O*NET-SOC code (``51-4121.00``; ``51-4121`` means its ``.00`` code). A
        SOC 2010 / O*NET-SOC 2010 code the 2018 structure replaced by one code resolves to that
        code (``15-1131.00`` -> ``15-1251.00``); one split into several is refused, naming them."""
        code = code.strip()
        succ = successors(code)
        if succ.mapped and len(succ.current) > 1:
            named = [
                f"{c} ({self.occupations[c].title})" if c in self.occupations else c for c in succ.current
            ]
            raise NotFoundError(
                f"{code!r} is a SOC 2010 code that SOC 2018 split into several occupations; choose one.",
                suggestions=named,
                details={"code": code, "successors": list(succ.current)},
            )
        code = succ.current[0]
        if re.fullmatch(r"\d{2}-\d{4}", code):
            candidates = self.soc_to_codes.get(code, [])
            code = f"{code}.00" if f"{code}.00" in self.occupations else (candidates or [code])[0]
        occ = self.occupations.get(code)
        if occ is None:
            raise NotFoundError(
                f"unknown occupation code {code!r}.",
                suggestions=self.suggest_codes(code),
                details={"code": code},
            )
        return occ

    def suggest_codes(self, code: str, n: int = 3) -> list[str]:
        """The known codes closest to an unknown one, as "code (title)": by code distance (more
        of the SOC hierarchy shared, digit by digit: major group, minor group, broad occupation,
        detailed occupation, O*NET suffix; then fewer other digits differing), then by how
        similar the title is to any words given ("51-4129 welder", or just "welder"), then by
        the nearest number."""
        digits = re.sub(r"\D", "", code)
        words = " ".join(re.findall(r"[a-z]+", code.lower()))
        if not digits:
            scored = sorted((-_title_similarity(words, o.title), c) for c, o in self.occupations.items())
            close = [c for s, c in scored[:n] if -s >= MIN_TITLE_SIMILARITY] if len(words) >= 3 else []
        else:
            ranked = sorted(self.occupation_codes, key=lambda c: self._code_distance(digits, words, c))
            close = [c for c in ranked[:n] if self._code_distance(digits, words, c)[0] <= -2]  # major group
        return [f"{c} ({self.occupations[c].title})" for c in close]

    def _code_distance(self, digits: str, words: str, code: str) -> tuple[float, ...]:
        known = code.replace("-", "").replace(".", "")[: len(digits)]
        shared = next((i for i, (a, b) in enumerate(zip(digits, known, strict=False)) if a != b), len(known))
        differing = sum(a != b for a, b in zip(digits[shared:], known[shared:], strict=False))
        title = -_title_similarity(words, self.occupations[code].title) if words else 0.0
        return (-shared, differing, title, abs(int(digits[shared:] or 0) - int(known[shared:] or 0)))

    # -- CIP -------------------------------------------------------------------------------------
    def cip(self, code: str) -> CipCode | None:
        return self.cip_codes.get(normalise_cip(code))

    def socs_for_cip(self, code: str) -> list[str]:
        return self.cip_to_soc.get(normalise_cip(code), [])

    def codes_for_soc(self, soc: str) -> list[str]:
        return self.soc_to_codes.get(soc[:7], [])

    # -- ESCO ------------------------------------------------------------------------------------
    def esco_for_onet(self, code: str) -> list[tuple[str, str]]:
        """ESCO occupations crosswalked to an O*NET code (exact/close matches first)."""
        order = {"exactMatch": 0, "closeMatch": 1, "narrowMatch": 2, "broadMatch": 3}
        rows = [r for r in self.onet_to_esco.get(code, []) if r[0] in self.esco_occupations]
        return sorted(rows, key=lambda r: order.get(r[1], 9))
