"""Program x occupation -> covered skills (with the sentence that covers each), missing skills
ranked by importance, and a coverage percentage.

An occupation's requirements come from O*NET (detailed work activities of its tasks,
technology skills with their Hot Technology / In Demand flags, tools by commodity, Skills and
Knowledge descriptors rated important) and from the ESCO occupations crosswalked to it
(essential before optional skills).

Coverage uses the skill extractor (:mod:`matcher.extract`) on the program's curriculum text: a
requirement is covered when the extractor links a span of the curriculum to it (method
``exact``, ``model``, ``pattern`` or ``semantic``, with the extractor's calibrated thresholds),
or, failing that, when one of the extractor's candidate spans or sentences is close enough to
the requirement's texts (``similar``; thresholds per taxonomy in
``resources/gap_thresholds.json``). Every covered requirement carries its evidence: the
sentence, the matched text and its character offsets in the text unit named by ``source``.
Boilerplate and curriculum framing never count as evidence.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from matcher.align.prepared import CONTENT_FIELDS
from matcher.catalog import Catalog
from matcher.encoder import Encoder
from matcher.extract import ExtractedSkill, Kind, Method, SkillExtractor
from matcher.index_store import IndexSet
from matcher.program import Program, SourceRef

# Caps keep the requirement list to what a reviewer can read and what defines the occupation.
MAX_DWAS = 25  # by number of (core) tasks they describe
MAX_TECH = 15  # Hot Technology / In Demand first
MAX_TOOL_GROUPS = 12  # commodities with the most example tools first
MAX_ESCO_ESSENTIAL = 40
MAX_ESCO_OPTIONAL = 10
MAX_ESCO_OCCUPATIONS = 2  # when no exact/close ESCO match exists, the first broad/narrow ones
MIN_ELEMENT_IMPORTANCE = 3.0  # O*NET importance scale 1-5; 3 = "important"


@dataclass
class Requirement:
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


@dataclass
class Match:
    requirement: Requirement
    similarity: float
    method: str  # exact | model | pattern | semantic (extracted) | similar (closest span)
    sentence: str | None
    source: SourceRef | None
    start: int | None = None  # offsets of ``text`` in the text unit of ``source``
    end: int | None = None
    text: str | None = None  # the matched text

    def to_dict(self, covered: bool) -> dict[str, Any]:
        r = self.requirement
        d: dict[str, Any] = {
            "taxonomy": r.taxonomy,
            "id": r.id,
            "label": r.label,
            "importance": round(r.importance, 4),
            "basis": r.basis,
        }
        if r.hot:
            d["hot_technology"] = True
        if r.in_demand:
            d["in_demand"] = True
        if r.demand_share is not None:
            d["demand_share"] = round(r.demand_share, 4)
        key = "evidence" if covered else "closest"
        d["similarity"] = round(self.similarity, 4)
        if covered:
            d["method"] = self.method
        d[key] = {
            "sentence": self.sentence,
            "source": self.source.label() if self.source else None,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }
        if covered:
            d["matched_text"] = self.text
        return d


@dataclass
class GapReport:
    program_title: str
    code: str
    title: str
    covered: list[Match]
    missing: list[Match]
    ranking: str
    versions: dict[str, Any]
    thresholds: dict[str, float] = field(default_factory=dict)
    coverage: float = 0.0  # importance-weighted %, over all requirements (before any limit)
    required_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": {"title": self.program_title},
            "occupation": {"code": self.code, "title": self.title},
            "coverage": round(self.coverage, 1),
            "covered_count": len(self.covered),
            "required_count": self.required_count,
            "covered": [m.to_dict(True) for m in self.covered],
            "missing": [m.to_dict(False) for m in self.missing],
            "ranking": self.ranking,
            "thresholds": self.thresholds,
            "versions": self.versions,
        }


def load_thresholds() -> dict[str, float]:
    raw = json.loads(resources.files("matcher.resources").joinpath("gap_thresholds.json").read_text())
    return {k: float(v) for k, v in raw["thresholds"].items()}


class GapAnalyzer:
    def __init__(
        self, catalog: Catalog, indexes: IndexSet, encoder: Encoder, extractor: SkillExtractor | None = None
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.encoder = encoder
        self.thresholds = load_thresholds()
        self._extractor = extractor

    @property
    def extractor(self) -> SkillExtractor:
        if self._extractor is None:
            self._extractor = SkillExtractor(self.catalog, self.encoder, self.indexes)
        return self._extractor

    # -- requirements ----------------------------------------------------------------------------
    def requirements(self, code: str) -> list[Requirement]:
        c = self.catalog
        reqs: list[Requirement] = []
        links = c.dwas_by_code.get(code, [])
        top = max((lk.core_tasks + 0.5 * (lk.tasks - lk.core_tasks) for lk in links), default=1.0)
        for lk in links[:MAX_DWAS]:
            weight = lk.core_tasks + 0.5 * (lk.tasks - lk.core_tasks)
            d = c.dwas[lk.dwa_id]
            reqs.append(
                Requirement(
                    "onet-dwa",
                    d.dwa_id,
                    d.title,
                    0.4 + 0.6 * weight / top,
                    f"in {lk.tasks} task(s) of this occupation, {lk.core_tasks} core",
                    "dwas",
                    [d.dwa_id],
                )
            )
        tech = sorted(c.tech_by_code.get(code, []), key=lambda t: (-(t.hot + t.in_demand), t.example))
        for t in tech[:MAX_TECH]:
            flags = [x for x, on in (("Hot Technology", t.hot), ("In Demand", t.in_demand)) if on]
            reqs.append(
                Requirement(
                    "onet-tech",
                    t.example,
                    t.example,
                    0.4 + 0.2 * t.hot + 0.3 * t.in_demand,
                    f"{t.commodity_title}" + (f"; {', '.join(flags)}" if flags else ""),
                    "technology",
                    [t.example],
                    hot=t.hot,
                    in_demand=t.in_demand,
                )
            )
        by_commodity: dict[str, list[str]] = defaultdict(list)
        titles: dict[str, str] = {}
        for tl in c.tools_by_code.get(code, []):
            by_commodity[tl.commodity_code].append(tl.example)
            titles[tl.commodity_code] = tl.commodity_title
        groups = sorted(by_commodity.items(), key=lambda kv: (-len(kv[1]), titles[kv[0]]))
        for cc, examples in groups[:MAX_TOOL_GROUPS]:
            reqs.append(
                Requirement(
                    "onet-tool",
                    cc,
                    titles[cc],
                    min(0.7, 0.35 + 0.1 * math.log1p(len(examples))),
                    f"tools: {', '.join(examples[:4])}" + (" ..." if len(examples) > 4 else ""),
                    "tools",
                    examples,
                )
            )
        for tax, ratings in (("onet-skill", c.skill_ratings), ("onet-knowledge", c.knowledge_ratings)):
            for r in ratings.get(code, []):
                if r.importance is None or r.importance < MIN_ELEMENT_IMPORTANCE or r.not_relevant:
                    continue
                lv = f", level {r.level:.1f}/7" if r.level is not None else ""
                reqs.append(
                    Requirement(
                        tax,
                        r.element_id,
                        r.name,
                        0.3 + 0.5 * (r.importance - 1) / 4,
                        f"O*NET importance {r.importance:.2f}/5{lv}",
                        "onet_elements",
                        [r.element_id],
                    )
                )
        reqs += self._esco_requirements(code)
        return reqs

    def _esco_requirements(self, code: str) -> list[Requirement]:
        c = self.catalog
        links = c.esco_for_onet(code)
        close = [u for u, m in links if m in ("exactMatch", "closeMatch")]
        chosen = close or self._closest_esco([u for u, _ in links], code)
        best: dict[str, Requirement] = {}
        for uri in chosen:
            occ = c.esco_occupations[uri]
            for skill_uri, relation in c.esco_occupation_skills.get(uri, []):
                s = c.esco_skills[skill_uri]
                imp = 0.8 if relation == "essential" else 0.4
                if skill_uri not in best or best[skill_uri].importance < imp:
                    best[skill_uri] = Requirement(
                        "esco",
                        skill_uri,
                        s.label,
                        imp,
                        f"{relation} for ESCO occupation '{occ.label}'",
                        "esco_skills",
                        [skill_uri],
                    )
        essential = [r for r in best.values() if r.importance >= 0.8][:MAX_ESCO_ESSENTIAL]
        optional = [r for r in best.values() if r.importance < 0.8][:MAX_ESCO_OPTIONAL]
        return essential + optional

    def _closest_esco(self, uris: list[str], code: str) -> list[str]:
        """Among broad/narrow crosswalk matches, the ESCO occupations whose preferred label is
        closest in meaning to the O*NET title (broad matches are often far off)."""
        if not uris:
            return []
        idx = self.indexes["esco_occupations"]
        title_vec = self.encoder.encode_one(self.catalog.occupations[code].title)
        scored = []
        for uri in uris:
            rows = idx.rows_by_id.get(uri)
            if rows:
                scored.append((float(idx.matrix[rows[0]] @ title_vec), uri))
        scored.sort(reverse=True)
        return [uri for _, uri in scored[:MAX_ESCO_OCCUPATIONS]]

    # -- coverage --------------------------------------------------------------------------------
    def analyze(
        self,
        program: Program,
        code: str,
        *,
        demand: dict[str, float] | None = None,
        limit_missing: int | None = None,
    ) -> GapReport:
        reqs = self.requirements(code)
        ranking = "onet-importance"
        if demand:
            ranking = "posting-demand"
            for r in reqs:
                r.demand_share = demand.get(r.id, demand.get(r.label.lower(), 0.0))
        matches = self._match(program, reqs)
        covered, missing = [], []
        for m in matches:
            thr = self.thresholds.get(m.requirement.taxonomy, 0.6)
            (covered if m.method in EXTRACTED or m.similarity >= thr else missing).append(m)
        covered.sort(key=lambda m: (-m.requirement.importance, -m.similarity))
        if demand:
            missing.sort(key=lambda m: (-(m.requirement.demand_share or 0.0), -m.requirement.importance))
        else:
            missing.sort(key=lambda m: (-m.requirement.importance, m.requirement.label))
        total = sum(m.requirement.importance for m in matches)
        coverage = 100.0 * sum(m.requirement.importance for m in covered) / total if total else 0.0
        if limit_missing is not None:
            missing = missing[:limit_missing]
        occ = self.catalog.occupations[code]
        versions = self.indexes.versions
        return GapReport(
            program.title,
            code,
            occ.title,
            covered,
            missing,
            ranking,
            versions,
            thresholds=self.thresholds,
            coverage=coverage,
            required_count=len(matches),
        )

    def _match(self, program: Program, reqs: list[Requirement]) -> list[Match]:
        units = [u for u in program.iter_units() if u.source.field in CONTENT_FIELDS]
        units = units or list(program.iter_units())
        if not units:
            return [Match(r, 0.0, "similar", None, None) for r in reqs]
        ex = self.extractor
        texts = [u.text for u in units]
        a = ex.analyzer.analyse(texts, [Kind.CURRICULUM] * len(texts))
        extracted = ex._link(a, len(texts))
        # 1. requirements the extractor linked a span to
        direct: dict[tuple[str, str], tuple[int, ExtractedSkill]] = {}
        for i, skills in enumerate(extracted):
            for sk in skills:
                key = (sk.taxonomy, sk.id)
                best = direct.get(key)
                if best is None or _rank(sk) < _rank(best[1]):
                    direct[key] = (i, sk)
        # 2. the others: the closest candidate span or sentence (offsets kept)
        cands: list[tuple[int, int, int, str, str]] = []  # unit, start, end, text, sentence
        for k, s in enumerate(a.sentences):
            for c in a.candidates[k]:
                cands.append((s.text_index, c.start, c.end, c.text, s.text))
            if not s.blocked:
                lead = len(s.text[s.content :]) - len(s.text[s.content :].lstrip())
                start = s.start + s.content + lead
                content = s.text[s.content :].strip()
                if content:
                    cands.append((s.text_index, start, start + len(content), content, s.text))
        cvec = ex.encoder.encode([c[3] for c in cands]) if cands else None
        out = []
        for r in reqs:
            hit = self._direct(r, direct)
            if hit is not None:
                i, sk = hit
                out.append(
                    Match(r, sk.score, sk.method, sk.sentence, units[i].source, sk.start, sk.end, sk.text)
                )
                continue
            idx = self.indexes[r.index]
            rows = [row for rid in r.rows for row in idx.rows_by_id.get(rid, [])]
            if not rows or cvec is None:
                out.append(Match(r, 0.0, "similar", None, None))
                continue
            sims = (idx.matrix[rows] @ cvec.T).max(axis=0)  # best requirement text per candidate
            j = int(np.argmax(sims))
            u, start, end, text, sentence = cands[j]
            out.append(Match(r, float(sims[j]), "similar", sentence, units[u].source, start, end, text))
        return out

    @staticmethod
    def _direct(
        r: Requirement, direct: dict[tuple[str, str], tuple[int, ExtractedSkill]]
    ) -> tuple[int, ExtractedSkill] | None:
        if r.taxonomy == "onet-tool":  # a tool group: any of its examples, or its commodity title
            keys = [(r.taxonomy, x) for x in (*r.rows, r.label)]
        elif r.taxonomy in ("onet-tech", "onet-dwa", "esco"):
            keys = [(r.taxonomy, r.id)]
        else:
            return None
        found = [direct[k] for k in keys if k in direct]
        return min(found, key=lambda x: _rank(x[1])) if found else None


EXTRACTED = {m.value for m in Method}
_ORDER = {"exact": 0, "model": 1, "pattern": 2, "semantic": 3}


def _rank(sk: ExtractedSkill) -> tuple[int, float]:
    return (_ORDER.get(sk.method, 9), -sk.score)
