"""Program x occupation -> each competency of the occupation graded taught / partly / not taught,
with the shortest span of the program that shows it, and an importance-weighted coverage."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from matcher.encoding.encoder import Encoder
from matcher.extract import SkillExtractor
from matcher.gaps.evidence import EvidenceSpan, analyse_units, curriculum_units, evidence_spans
from matcher.gaps.grading import (
    Grade,
    GradeModel,
    RequirementTexts,
    Scored,
    content_stems,
    features_for,
    load_model,
)
from matcher.gaps.leading import leads_others, speaks_of_leading
from matcher.gaps.report import Assessment, GapReport, GradedCompetency
from matcher.gaps.requirements import Requirement, RequirementBuilder, RequirementList
from matcher.indexes.store import IndexSet
from matcher.program import Program, TextUnit
from matcher.runtime.memo import BoundedMemo
from matcher.sources.catalog import Catalog
from matcher.text.acronyms import expand

THIN_SENTENCES = 8  # fewer teaching sentences than this, and no syllabus: a thin description
EVIDENCE_SLACK = 0.03  # spans within this of the best one may be shown as its evidence
# Below this similarity to its closest program text a requirement is at most partly taught
# (a billing syllabus had "Schedule appointments" taught from "code diagnoses and procedures", 0.42)
TAUGHT_MIN_SIMILARITY = 0.45
READABLE_WORDS = 3  # a lone word shown as evidence widens to a span of at least this many words
PROGRAM_VECTOR_CHARS = 2000
READ_MEMO = 4  # programs kept: their score matrices take up to ~16 MB each (300 spans x 13,939 skills)
# The SkillSpan tagger's spans are not read: clauses and the parser's phrases carry the evidence
# (cross-validated covered F1 0.607 without them, 0.618 with; the tagger took ~90% of the time).
SPAN_MODEL = False
# Which item matrix ranks a requirement of each taxonomy (see grading's ``rank`` feature).
ITEM_MATRIX = {
    "onet-dwa": "dwas",
    "esco": "esco_skill_labels",  # or esco_skills, when the build has no label index
    "onet-tech": "technology",
    "onet-tool": "tools",
    "onet-skill": "onet_elements",
    "onet-knowledge": "onet_elements",
}


_KEYWORD_PATHS = ("keyword", "keywords")  # the property an outcome was read from (SourceRef.path)


@dataclass
class ProgramEvidence:
    """A program read once for gap analysis: its spans, their vectors, and score matrices."""

    units: list[TextUnit]
    spans: list[EvidenceSpan]
    vectors: np.ndarray
    program_vector: np.ndarray
    stems: set[str]
    scores: dict[str, np.ndarray] = field(default_factory=dict)  # item matrix -> spans x items

    @property
    def structured(self) -> bool:
        """Read as a syllabus: at least three outcome statements or course titles (graded with
        the grader's syllabus thresholds). Search keywords of a structured record (CTDL
        ``keyword``, schema.org ``keywords``) are evidence but no syllabus: a badge tagged
        "Medical Assistant", "Patient Intake" is read as a description."""
        return (
            sum(
                (u.source.field or "") in ("outcome", "course title")
                and (u.source.path or "") not in _KEYWORD_PATHS
                for u in self.units
            )
            >= 3
        )

    @property
    def sentences(self) -> int:
        """Sentences of curriculum text that can teach (job-market and admission text left out)."""
        return sum(s.kind == "sentence" for s in self.spans)

    @property
    def thin(self) -> bool:
        """Too little curriculum text for "not taught" to mean more than "not stated": no course
        list or outcomes and fewer than :data:`THIN_SENTENCES` teaching sentences."""
        return self.teachable and not self.structured and self.sentences < THIN_SENTENCES

    @property
    def teachable(self) -> bool:
        """Whether anything beyond a title or credential name can be read."""
        return any(s.kind in ("sentence", "clause", "phrase") for s in self.spans)


class GapAnalyzer:
    def __init__(
        self,
        catalog: Catalog,
        indexes: IndexSet,
        encoder: Encoder,
        extractor: SkillExtractor | None = None,
        model: GradeModel | None = None,
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.encoder = encoder
        self._extractor = extractor
        self._model = model
        self.builder = RequirementBuilder(catalog, indexes)
        self._read_memo: BoundedMemo[str, ProgramEvidence] = BoundedMemo(READ_MEMO)

    @property
    def extractor(self) -> SkillExtractor:
        if self._extractor is None:
            self._extractor = SkillExtractor(self.catalog, self.encoder, self.indexes)
        return self._extractor

    @property
    def model(self) -> GradeModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    @functools.cached_property
    def _tasks_by_dwa(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for td in self.catalog.data.onet.tasks_to_dwas:
            if td.task_id in self.catalog.tasks:
                out[(td.code, td.dwa_id)].append(td.task_id)
        return out

    def _rows(self, index: str, ids: list[str]) -> np.ndarray | None:
        idx = self.indexes[index]
        rows = [row for i in ids for row in idx.rows_by_id.get(i, [])]
        return np.asarray(idx.matrix[rows]) if rows else None

    @functools.cached_property
    def _esco_index(self) -> str:
        """Every label of each ESCO skill; a build without that index (the full-data test build
        leaves it out) falls back to the preferred labels."""
        return "esco_skill_labels" if "esco_skill_labels" in self.indexes else "esco_skills"

    @functools.cached_property
    def _esco_groups(self) -> tuple[dict[str, int], np.ndarray]:
        """ESCO skill labels are stored skill by skill (preferred label first): the ordinal of
        each skill and the first row of each group, for a per-skill maximum."""
        ids = self.indexes[self._esco_index].ids
        starts: list[int] = []
        ordinal: dict[str, int] = {}
        for row, uri in enumerate(ids):
            if row == 0 or ids[row - 1] != uri:
                if uri in ordinal:
                    raise ValueError("esco_skill_labels: rows of a skill are not contiguous")
                ordinal[uri] = len(starts)
                starts.append(row)
        return ordinal, np.asarray(starts)

    # -- reading ---------------------------------------------------------------------------------
    def requirements(self, code: str) -> RequirementList:
        return self.builder.build(code)

    def read(self, program: Program) -> ProgramEvidence:
        """The program's evidence spans and their vectors; the last READ_MEMO programs are kept,
        so a program's reports for several occupations parse and score it once."""
        key = hashlib.sha256(program.model_dump_json().encode()).hexdigest()
        ev = self._read_memo.get(key)
        if ev is None:
            ev = self._read(program)
            self._read_memo.put(key, ev)
        return ev

    def _read(self, program: Program) -> ProgramEvidence:
        units = curriculum_units(program)
        analysis = analyse_units(self.extractor.analyzer, units, span_model=SPAN_MODEL) if units else None
        spans = evidence_spans(units, analysis) if analysis is not None else []
        dim = self.indexes["dwas"].matrix.shape[1]
        # Spans are encoded with their acronyms spelled out ("TIG welding" as "TIG (tungsten inert
        # gas) welding", which ESCO's "perform tungsten inert gas welding" is near); shown as written.
        acronyms = self.catalog.acronyms
        texts = [expand(s.text, acronyms) for s in spans]
        vectors = self.encoder.encode(texts) if spans else np.zeros((0, dim), np.float32)
        whole = " ".join(u.text for u in units)[:PROGRAM_VECTOR_CHARS]
        program_vector = self.encoder.encode([whole])[0] if whole else np.zeros(dim, np.float32)
        stems = set(content_stems(expand(" ".join(u.text for u in units), acronyms)))
        return ProgramEvidence(units, spans, np.asarray(vectors), np.asarray(program_vector), stems)

    def _scores(self, ev: ProgramEvidence, matrix: str) -> np.ndarray:
        got = ev.scores.get(matrix)
        if got is None:
            raw = ev.vectors @ np.asarray(self.indexes[matrix].matrix).T
            if matrix == self._esco_index:
                _, starts = self._esco_groups
                raw = np.maximum.reduceat(raw, starts, axis=1) if raw.size else raw[:, : len(starts)]
            ev.scores[matrix] = got = raw
        return got

    def _texts(self, r: Requirement, code: str, occupation: np.ndarray) -> RequirementTexts | None:
        matrix = self._esco_index if r.taxonomy == "esco" else ITEM_MATRIX[r.taxonomy]
        idx = self.indexes[matrix]
        if r.taxonomy == "esco":
            ordinal, _ = self._esco_groups
            if r.id not in ordinal:
                return None
            items = np.asarray([ordinal[r.id]])
            rows = idx.rows_by_id.get(r.id, [])
        else:
            rows = [row for item in r.rows for row in idx.rows_by_id.get(item, [])]
            items = np.asarray(rows)
        if not rows:
            return None
        label_row = np.asarray(idx.matrix[rows[0]])  # rows of a skill: preferred label first
        task_rows = None
        if r.taxonomy == "onet-dwa":
            task_rows = self._rows("tasks", self._tasks_by_dwa.get((code, r.id), []))
        return RequirementTexts(
            matrix,
            items,
            label_row,
            task_rows,
            r.label,
            noun_like=r.taxonomy != "onet-dwa",
            occupation_sim=float(label_row @ occupation),
        )

    # -- grading ---------------------------------------------------------------------------------
    def featurize(
        self, ev: ProgramEvidence, code: str, reqs: list[Requirement]
    ) -> list[tuple[Scored, np.ndarray | None] | None]:
        """Each requirement's features over the program read into ``ev`` and its score per
        span (``None`` for a requirement with no text in the indexes)."""
        occupation = self.builder.occupation_vector(code)
        program_occupation = float(ev.program_vector @ occupation)
        out: list[tuple[Scored, np.ndarray | None] | None] = []
        for r in reqs:
            t = self._texts(r, code, occupation)
            if t is None:
                out.append(None)
                continue
            scores = self._scores(ev, t.taxonomy_key)
            scored = features_for(
                t, ev.vectors, scores, ev.spans, program_occupation=program_occupation, program_stems=ev.stems
            )
            out.append((scored, scores[:, t.items].max(axis=1) if ev.spans else None))
        return out

    def assess(self, ev: ProgramEvidence, code: str, reqs: list[Requirement]) -> list[Assessment]:
        """Grade each requirement against the program read into ``ev``."""
        feats = self.featurize(ev, code, reqs)
        present = [f for f in feats if f is not None]
        if present:
            grades, p_partly, p_taught = self.model.grades(
                np.stack([s.features for s, _ in present]), structured=ev.structured
            )
        out: list[Assessment] = []
        k = 0
        for r, f in zip(reqs, feats, strict=True):
            if f is None:
                out.append(Assessment(r, Grade.NOT_TAUGHT, 0.0, 0.0, 0.0, None, None))
                continue
            scored, col = f
            span = self.evidence(ev, r, col)
            source = ev.units[span.unit].source if span is not None else None
            cap, why = self.held_by(ev, r, span, code, scored.sim)
            grade = min(grades[k], cap)
            held = why if grade < grades[k] else None
            out.append(
                Assessment(r, grade, float(p_partly[k]), float(p_taught[k]), scored.sim, span, source, held)
            )
            k += 1
        return out

    def evidence(self, ev: ProgramEvidence, r: Requirement, col: np.ndarray | None) -> EvidenceSpan | None:
        """The span shown as the evidence for ``r`` (``col``: its score per span)."""
        return self._evidence(ev, col, self._words(r)) if col is not None else None

    def held_by(
        self,
        ev: ProgramEvidence,
        r: Requirement,
        span: EvidenceSpan | None,
        code: str,
        sim: float | None = None,
    ) -> tuple[Grade, str | None]:
        """The highest grade the program's text allows for ``r`` (a requirement of occupation
        ``code``, whose closest program text is ``sim`` alike), whatever the grader says, and why:
        a program with no text beyond its title, a credential name, the occupation's own name
        ("Medical Assistant") or text only loosely like the requirement (below
        :data:`TAUGHT_MIN_SIMILARITY`) is at most partly teaching, and teaching a trade is not
        teaching to lead its workers unless the evidence speaks of it."""
        if leads_others(r.label) and not (span is not None and speaks_of_leading(span.sentence)):
            return Grade.NOT_TAUGHT, "about leading people, and the program does not speak of leading"
        if not ev.teachable:
            return Grade.PARTLY, "the program has no curriculum text beyond its title"
        if span is not None and span.kind == "credential":
            return Grade.PARTLY, "the evidence is a credential name alone"
        if span is not None and self.catalog.occupation_names.is_name(span.text, code):
            return Grade.PARTLY, "the evidence is the occupation's name alone"
        if sim is not None and sim < TAUGHT_MIN_SIMILARITY:
            return Grade.PARTLY, f"the closest text is only loosely like it (similarity {sim:.2f})"
        return Grade.TAUGHT, None

    def _words(self, r: Requirement) -> set[str]:
        """Content words of a requirement's labels (an ESCO skill's alternative labels too)."""
        texts = [r.label]
        if r.taxonomy == "esco" and r.id in self.catalog.esco_skills:
            texts += self.catalog.esco_skills[r.id].alt_labels
        elif r.taxonomy == "onet-tool":
            texts += r.rows
        return {w for t in texts for w in content_stems(t)}

    @staticmethod
    def _evidence(ev: ProgramEvidence, col: np.ndarray, words: set[str]) -> EvidenceSpan:
        """The span that shows it: among spans scoring within EVIDENCE_SLACK of the best, the one
        sharing most words with the requirement's labels, then the shortest."""
        best = float(col.max())
        near = np.flatnonzero(col >= best - EVIDENCE_SLACK)

        def key(i: int) -> tuple[int, int, float]:
            shared = len(words & set(content_stems(ev.spans[i].text)))
            return (-shared, len(ev.spans[i].text), -float(col[i]))

        return _in_sentence(ev.units, _readable(ev.spans, ev.spans[min(near.tolist(), key=key)]))

    def analyze(
        self,
        program: Program,
        code: str,
        *,
        demand: dict[str, float] | None = None,
        limit_missing: int | None = None,
    ) -> GapReport:
        reqlist = self.builder.build(code, demand=demand)
        ranking = "posting-demand" if demand else "importance"
        ev = self.read(program)
        members = [r for comp in reqlist.competencies for r in comp.members]
        assessed = dict(zip((r.key for r in members), self.assess(ev, code, members), strict=True))
        graded = []
        for comp in reqlist.competencies:
            mine = [assessed[r.key] for r in comp.members]
            best = max(mine, key=lambda a: (a.grade, a.p_taught, a.p_partly))
            graded.append(GradedCompetency(comp, best, mine))
        if demand:
            graded.sort(
                key=lambda g: (
                    -int(g.grade),
                    -max((m.requirement.demand_share or 0.0) for m in g.members) * _sureness(g),
                    -g.competency.importance * _sureness(g),
                )
            )
        else:
            graded.sort(key=lambda g: (-int(g.grade), -g.competency.importance * _sureness(g)))
        occ = self.catalog.occupations[code]
        return GapReport(
            program.title,
            code,
            occ.title,
            graded,
            ranking,
            self.indexes.versions,
            reqlist,
            grader=self.grader_info(structured=ev.structured),
            teachable=ev.teachable,
            limit_missing=limit_missing,
            reading_notes=[
                f"the program's text is short ({ev.sentences} teaching sentences, no course list or "
                "outcomes): 'not taught' here often means 'not stated'; add the course list or the "
                "learning outcomes for a fuller reading"
            ]
            if ev.thin
            else [],
        )

    def grader_info(self, *, structured: bool = False) -> dict[str, Any]:
        partly, taught = self.model.thresholds(structured)
        return {
            "model": self.model.meta.get("name", "gap-grader"),
            "fitted_on": self.model.meta.get("fitted_on"),
            "cross_validated": self.model.meta.get("cross_validated"),
            "read_as": "syllabus (course list with outcomes)" if structured else "program description",
            "threshold_partly": partly,
            "threshold_taught": taught,
        }


def _sureness(g: GradedCompetency) -> float:
    """How sure the grader is of a "not taught" (1 - P(at least partly taught)); 1 for the other
    grades. The missing list is ranked by importance (or demand) times this, so that the first
    gaps a reader sees are important and surely missing: on the six syllabi of
    ``tests/fixtures/curricula`` the top ten missing held 11 items the documents teach ranked by
    importance alone, 6 ranked so; on the 40 labelled dev programs (in-sample grader) the share
    of the top ten that is truly not taught rose from 0.694 to 0.758."""
    return 1.0 - g.assessment.p_partly if g.grade is Grade.NOT_TAUGHT else 1.0


def _in_sentence(units: list[TextUnit], span: EvidenceSpan) -> EvidenceSpan:
    """A lone word no wider span was cut around ("Install" of "Install, configure and upgrade
    desktop hardware") is shown as the sentence it stands in."""
    if span.kind in ("title", "credential") or len(span.text.split()) > 1:
        return span
    sentence = span.sentence.strip()
    text = units[span.unit].text
    start = text.find(sentence)
    if len(sentence.split()) < READABLE_WORDS or start < 0 or not start <= span.start < start + len(sentence):
        return span
    return replace(span, text=sentence, start=start, end=start + len(sentence), kind="sentence")


def _readable(spans: list[EvidenceSpan], span: EvidenceSpan) -> EvidenceSpan:
    """A span a reader can judge: a lone word cut from a list ("equipment", "repair") is shown as
    the shortest span of at least three words around it, from the same place (a course or
    program title of one word stays as it is: a course named after a subject teaches it). On
    the gap dev set (190 items labelled and graded taught or partly), lone words went from 27%
    to 1% of the evidence shown, and its word overlap with the labeller's quote (token F1) from
    0.285 to 0.298."""
    if span.kind in ("title", "credential") or len(span.text.split()) > 1:
        return span
    around = [
        s
        for s in spans
        if s.unit == span.unit
        and s.start <= span.start <= span.end <= s.end
        and len(s.text.split()) >= READABLE_WORDS
    ]
    return min(around, key=lambda s: s.end - s.start) if around else span
