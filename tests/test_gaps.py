"""Graded gap reports on a slice of the real data with the real encoder, spaCy and span model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.engine import Matcher
from matcher.gaps import Grade
from matcher.gaps.evidence import curriculum_units, evidence_spans, is_teaching
from matcher.program import Program
from matcher.readers import read_program

CURRICULA = Path(__file__).parent / "fixtures" / "curricula"
# (file, its own occupation, a competency the text plainly teaches)
SYLLABI = [
    ("phlebotomy.md", "31-9097.00", "Collect biological specimens from patients."),
    (
        "hvacr.yaml",
        "49-9021.00",
        "Interpret blueprints, specifications, or diagrams to inform installation, development "
        "or operation activities.",
    ),
    ("it-support.csv", "15-1232.00", None),
    ("cdl-a.md", "53-3032.00", "Read maps to determine routes."),
    ("nursing-assistant.yaml", "31-1131.00", "Record vital statistics or other health information."),
]


def test_career_and_delivery_sentences_are_never_evidence() -> None:
    assert not is_teaching(
        "Graduates will be able to work in hospitals, outpatient clinics and physicians' offices."
    )
    assert not is_teaching(
        "This program will prepare students for entry-level employment as a pharmacy technician."
    )
    assert not is_teaching("The CMT program is taught using a hybrid format.")
    # the job market: where the jobs are, demand, hiring and pay (sentences of real ETPL listings
    # and of the syllabus fixtures)
    assert not is_teaching(
        "Network support roles are found in nearly every industry, from hospitals to schools."
    )
    assert not is_teaching(
        "Healthcare workers are in high demand due to the increased medical needs of an aging population."
    )
    assert not is_teaching("The demand for skilled network support professionals continues to grow.")
    assert not is_teaching(
        "Customer service representatives are among our largest occupations; employers hire year-round."
    )
    assert not is_teaching("We facilitate job placement with an average starting salary of $52,000.")
    # accreditation, admission, the jobs named and the occupation's own duties (sentences of real
    # program pages, read by a reviewer)
    assert not is_teaching("The program holds full approval by the New Hampshire Board of Nursing.")
    assert not is_teaching("Possess mechanical ability")
    assert not is_teaching("Graduates are prepared for positions such as cook, line cook and prep cook.")
    assert not is_teaching("Employment of general maintenance workers is projected to grow 4 percent.")
    assert not is_teaching("Dental assistants typically work daytime hours in dental offices.")
    assert not is_teaching("Maintenance and repair workers keep records of their work.")
    assert not is_teaching("Medical assistants are allied healthcare professionals with clinical duties.")
    assert is_teaching("Explain how nursing assistants must report abuse.")
    assert not is_teaching("Source: https://www.example.edu/programs/phlebotomy")
    assert is_teaching("Apply infection control procedures approved by the CDC.")
    assert is_teaching("Explain the accreditation process for hospitals.")
    assert is_teaching("Graduates will troubleshoot network problems found in small offices.")
    assert is_teaching("Calculate the wages and salaries of hourly and salaried employees.")
    assert is_teaching("Students will perform venipuncture by sterile needle and syringe.")
    assert is_teaching("Measure and record temperature, pulse, respirations and blood pressure.")
    # an organisation's name alone (a real NCCER solar page: its construction requirements had
    # been "taught" by this line) or a provider's registration is no teaching
    assert not is_teaching("National Center for Construction Education & Research")
    assert not is_teaching("NABCEP Registered Provider - Photovoltaic")
    assert not is_teaching("Metro Technical Institute")
    assert is_teaching("Call Center Operations")
    assert is_teaching("Introduction to the National Electrical Code")
    assert is_teaching("Follow the Council for Professional Recognition's CDA competency standards.")
    # where the credits go is not what the courses teach (real Credential Registry and NJ ETPL
    # sentences: the degree's name had "taught" operating systems and system testing)
    assert not is_teaching(
        "Credits earned may be applied to the Computer Security Certificate and the Computer "
        "Systems Support, A.A.S."
    )
    assert not is_teaching(
        "Many of the credits earned for this Certificate may be applied toward the Associate in "
        "Applied Science Degree in Health Information Technology."
    )
    assert not is_teaching(
        "An articulation agreement with The Restaurant School provides advanced college credit."
    )
    assert is_teaching("Students learn pouring and trimming models, and articulation.")  # dental articulators
    assert is_teaching("Apply the credit card processing procedures of the front desk.")
    # what candidates must bring (a real Credential Registry certification; NJ ETPL admissions)
    assert not is_teaching(
        "To be deemed eligible to sit for the NBCOT COTA certification examination, candidates must "
        "graduate with an accredited/approved associates degree in occupational therapy."
    )
    assert not is_teaching(
        "Candidates must obtain sponsorship from AtlantiCare EMS for all clinical portions."
    )
    assert is_teaching("Explain what candidates for office must disclose.")  # no: "candidates must" only


def test_a_lone_word_is_shown_with_the_words_around_it() -> None:
    from matcher.gaps.analyzer import _readable
    from matcher.gaps.evidence import EvidenceSpan

    text = "Dispose of sharps and biohazardous waste according to OSHA rules."

    def span(a: int, b: int, kind: str, unit: int = 0) -> EvidenceSpan:
        return EvidenceSpan(text[a:b], text, unit, a, b, kind, "statement")

    word, clause, sentence = span(0, 7, "phrase"), span(0, 17, "clause"), span(0, len(text) - 1, "sentence")
    elsewhere = span(0, 17, "clause", unit=1)  # the same words in another course: not its place
    assert _readable([word, sentence, elsewhere, clause], word).text == "Dispose of sharps"
    assert _readable([word], word) is word  # nothing wider to show
    assert _readable([word, clause], clause) is clause
    title = EvidenceSpan("Phlebotomy", "Phlebotomy", 2, 0, 10, "title", "title")
    assert _readable([title, span(0, 17, "clause", unit=2)], title) is title  # a course named after it


def test_a_lone_word_with_nothing_wider_cut_around_it_is_shown_in_its_sentence() -> None:
    from matcher.gaps.analyzer import _in_sentence
    from matcher.gaps.evidence import EvidenceSpan
    from matcher.program import SourceRef, TextUnit

    outcome = "Install, configure and upgrade desktop and laptop hardware"
    unit = TextUnit(text=f"Lab. {outcome}", source=SourceRef(field="outcome"))
    word = EvidenceSpan("Install", outcome, 0, 5, 12, "clause", "statement")
    shown = _in_sentence([unit], word)
    assert (shown.text, shown.kind) == (outcome, "sentence")
    assert unit.text[shown.start : shown.end] == outcome  # offsets in the unit's text
    two = EvidenceSpan("Install, configure", outcome, 0, 5, 23, "clause", "statement")
    assert _in_sentence([unit], two) is two  # only lone words are widened
    title = EvidenceSpan("Networking", "Networking", 0, 0, 10, "title", "title")
    assert _in_sentence([unit], title) is title


def test_evidence_spans_skip_outlook_and_prerequisites(matcher: Matcher) -> None:
    p = Program(
        title="Cardiac Monitor Technician",
        description="Students conduct 12-lead EKG tests and interpret rhythm strips. "
        "Graduates will be able to work in hospitals and physicians' offices.",
        prerequisites="Working knowledge of medical billing software.",
    )
    units = curriculum_units(p)
    assert {u.source.field for u in units} == {"title", "description"}
    analysis = matcher.extractor.analyzer.analyse([u.text for u in units], ["curriculum"] * len(units))  # type: ignore[list-item]
    spans = evidence_spans(units, analysis)
    texts = " | ".join(s.text for s in spans)
    assert "12-lead EKG tests" in texts
    assert "hospitals" not in texts and "billing" not in texts
    for s in spans:  # offsets point at the text in its unit
        assert units[s.unit].text[s.start : s.end] == s.text


@pytest.mark.parametrize(("name", "code", "taught"), SYLLABI)
def test_syllabus_report_for_its_own_occupation(
    matcher: Matcher, name: str, code: str, taught: str | None
) -> None:
    program = read_program(CURRICULA / name)
    report = matcher.gaps(program, code)
    d = report.to_dict()
    assert d["teachable_text"] and d["required_count"] <= 30
    assert d["coverage"] > 25, d["summary"]
    assert d["grader"]["read_as"].startswith("syllabus")  # graded with the syllabus thresholds
    assert d["thresholds"]["partly"] == matcher.gap_analyzer.model.thresholds(True)[0]
    assert d["covered"], "a complete program teaches some of its own occupation's competencies"
    units: dict[str, list[str]] = {}
    for u in program.iter_units():  # the outcomes of one course share a source label
        units.setdefault(u.source.label(), []).append(u.text)
    for item in d["covered"] + d["partly"]:
        ev = item["evidence"]
        assert ev["text"] and any(t[ev["start"] : ev["end"]] == ev["text"] for t in units[ev["source"]])
        assert item["grade"] in ("taught", "partly") and 0.0 <= item["confidence"] <= 1.0
        assert len(ev["text"]) <= len(ev["sentence"]) + 1
    for item in d["missing"]:
        assert item["grade"] == "not taught" and "evidence" not in item
    ranks = [m["importance"] * m["confidence"] for m in d["missing"]]  # confidence: 1 - p_partly
    assert all(a >= b - 1e-3 for a, b in zip(ranks, ranks[1:], strict=False))  # both rounded
    if taught:
        graded = {g.competency.label: g.grade for g in report.graded}
        assert graded.get(taught) in (Grade.TAUGHT, Grade.PARTLY), sorted(graded)


def test_no_sentence_stands_for_many_unrelated_competencies(matcher: Matcher) -> None:
    program = read_program(CURRICULA / "phlebotomy.md")
    d = matcher.gaps(program, "31-9097.00").to_dict()
    shown = [i["evidence"]["text"] for i in d["covered"] + d["partly"]]
    assert max(shown.count(t) for t in shown) <= 4


def test_teaching_a_trade_is_not_teaching_to_lead_its_workers(matcher: Matcher) -> None:
    an = matcher.gap_analyzer
    program = read_program(CURRICULA / "phlebotomy.md")
    report = matcher.gaps(program, "31-9097.00")
    teach = next(
        m
        for g in report.graded
        for m in g.members
        if m.requirement.label.startswith("Teach medical procedures")
    )
    assert teach.grade is Grade.NOT_TAUGHT, teach.span
    assert teach.held_by and "leading" in teach.held_by  # the grader alone would call it covered
    assert an.held_by(an.read(program), teach.requirement, teach.span, "31-9097.00")[0] is Grade.NOT_TAUGHT
    # the same requirement may be taught where the program speaks of leading people
    preceptor = Program(
        title="Phlebotomy Preceptor",
        description="Students learn to train and mentor new phlebotomy staff in venipuncture procedures.",
    )
    ev = an.read(preceptor)
    (scored,) = [f for f in an.featurize(ev, "31-9097.00", [teach.requirement]) if f is not None]
    span = an.evidence(ev, teach.requirement, scored[1])
    assert span is not None and an.held_by(ev, teach.requirement, span, "31-9097.00")[0] is Grade.TAUGHT


def test_the_occupations_own_name_is_at_most_partly_teaching(matcher: Matcher) -> None:
    an = matcher.gap_analyzer
    program = Program(
        title="Phlebotomy Technician",
        description="Students perform venipuncture and capillary punctures on training arms.",
    )
    ev = an.read(program)
    req = next(
        m for c in an.requirements("31-9097.00").competencies for m in c.members if m.taxonomy == "onet-dwa"
    )
    title = next(s for s in ev.spans if s.kind == "title")
    content = next(s for s in ev.spans if s.kind == "sentence")
    assert an.held_by(ev, req, title, "31-9097.00")[0] is Grade.PARTLY  # names the occupation
    assert an.held_by(ev, req, content, "31-9097.00")[0] is Grade.TAUGHT
    assert an.held_by(ev, req, title, "29-2061.00")[0] is Grade.TAUGHT  # not that occupation's name
    # text only loosely like the requirement is at most partly teaching (a billing syllabus had
    # "Schedule appointments" taught from "code diagnoses and procedures", similarity 0.42)
    assert an.held_by(ev, req, content, "31-9097.00", 0.42)[0] is Grade.PARTLY
    assert an.held_by(ev, req, content, "31-9097.00", 0.60)[0] is Grade.TAUGHT


def test_a_credential_named_only_by_its_kind_is_no_evidence(matcher: Matcher) -> None:
    p = Program(
        title="Cardiac Monitor Technician",
        description="Students conduct 12-lead EKG tests and interpret rhythm strips.",
        credentials=["Certificate of Completion", "Certified Rhythm Analysis Technician (CRAT)"],
    )
    units = curriculum_units(p)
    analysis = matcher.extractor.analyzer.analyse([u.text for u in units], ["curriculum"] * len(units))  # type: ignore[list-item]
    texts = {s.text for s in evidence_spans(units, analysis)}
    assert "Certified Rhythm Analysis Technician (CRAT)" in texts
    assert not any("Completion" in t for t in texts)


def test_title_only_program_says_it_cannot_be_judged(matcher: Matcher) -> None:
    d = matcher.gaps(Program(title="Phlebotomy Technician"), "31-9097.00").to_dict()
    assert d["teachable_text"] is False and d["coverage"] is None
    assert d["grader"]["read_as"] == "program description"
    assert "no curriculum text" in d["summary"]
    assert d["covered"] == []  # a title alone is at most partly teaching


def test_a_short_description_says_not_taught_may_mean_not_stated(matcher: Matcher) -> None:
    thin = Program(
        title="Certified Nursing Assistant",
        description="Our 7-week CNA class prepares you for the state exam. Classes meet weekday mornings.",
    )
    d = matcher.gaps(thin, "31-1131.00").to_dict()
    assert d["teachable_text"] and any("often means 'not stated'" in n for n in d["notes"])
    full = matcher.gaps(read_program(CURRICULA / "nursing-assistant.yaml"), "31-1131.00").to_dict()
    assert not any("not stated" in n for n in full["notes"])


def test_requirement_list_is_readable(matcher: Matcher) -> None:
    reqs = matcher.gap_analyzer.requirements("43-6013.00")
    comps = reqs.competencies
    assert 10 <= len(comps) <= 30
    keys = [m.key for c in comps for m in c.members]
    assert len(keys) == len(set(keys))  # every source id stands in one competency
    imps = [c.importance for c in comps]
    assert imps == sorted(imps, reverse=True)
    dwas = [c.importance for c in comps if c.lead.taxonomy == "onet-dwa"]
    office = [c for c in comps if c.lead.taxonomy == "onet-tech" and "Microsoft" in c.label]
    assert all(c.importance < min(dwas) for c in office)
    assert reqs.sources and reqs.sources[0] == "O*NET detailed work activities"
    assert any(len(c.members) > 1 for c in comps) or len(comps) < 30


def test_report_names_its_sources_and_ranks_competencies(matcher: Matcher) -> None:
    program = read_program(CURRICULA / "nursing-assistant.yaml")
    d = matcher.gaps(program, "31-1131.00").to_dict()
    assert "ESCO essential skills" in " ".join(d["requirement_sources"])
    assert d["grader"]["cross_validated"]["grouped_by"] == "program"
    for item in d["covered"] + d["partly"] + d["missing"]:
        assert item["sources"] and item["sources"][0]["id"] == item["id"]


def test_eval_gaps_end_to_end(matcher: Matcher, tmp_path: Path) -> None:
    from matcher.evaluation import evaluate
    from matcher.evaluation.context import EvalContext

    dwas = [lk.dwa_id for lk in matcher.catalog.dwas_by_code["31-9097.00"][:4]]
    rec = {
        "id": "t1",
        "file": "phlebotomy.md",
        "occupation": {"code": "31-9097.00"},
        "requirements": [{"taxonomy": "onet-dwa", "id": d, "label": 0, "quote": None} for d in dwas],
    }
    rec["requirements"][0]["label"] = 2
    (tmp_path / "phlebotomy.md").write_text((CURRICULA / "phlebotomy.md").read_text())
    path = tmp_path / "gaps.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    result = evaluate("gaps", path, ctx=EvalContext(matcher.settings, matcher=matcher))
    assert result.n == 1
    assert {"covered_precision", "covered_recall", "covered_f1", "missing_precision"} <= set(result.metrics)
    base = evaluate("gaps", path, "embedding", ctx=EvalContext(matcher.settings, matcher=matcher))
    assert set(base.metrics) == set(result.metrics)


def test_a_skill_only_the_second_broad_esco_match_needs_ranks_lower(matcher: Matcher) -> None:
    builder = matcher.gap_analyzer.builder
    uris, broad = builder.esco_occupations("51-4121.00")
    assert broad and len(uris) == 2  # welders: ESCO 'welder' and 'pipe welder', broad matches only
    skills = matcher.catalog.esco_occupation_skills
    first = {s for s, rel in skills[uris[0]] if rel == "essential"}
    second_only = {s for s, rel in skills[uris[1]] if rel == "essential"} - {s for s, _ in skills[uris[0]]}
    every = {r.id: r for r in builder.esco("51-4121.00", uris, broad, optional=True)}  # no top-k cut
    alone = {r.id: r for r in builder.esco("51-4121.00", uris[1:], broad, optional=True)}  # undiscounted
    assert second_only and all(every[u].importance < alone[u].importance for u in second_only)
    # so the welder's own skills fill the list: the pipe welder's alone ("use wrenches") no longer do
    kept = {r.id for r in builder.esco("51-4121.00", uris, broad)}
    assert len(kept & first) > len(kept & second_only)
