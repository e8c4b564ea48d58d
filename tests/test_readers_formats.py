"""Every input format, written at test time, reads into the same welding program: the same
courses, the same top-3 occupations from the real matcher, and evidence that points back to the
page, line or course it came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import readers_welding as W

from matcher.program import Program
from matcher.readers import read_program

FORMATS = list(W.WRITERS)


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("welding")


@pytest.fixture(scope="module")
def programs(fixture_dir: Path) -> dict[str, Program]:
    return {name: read_program(write(fixture_dir), W.FORMATS.get(name)) for name, write in W.WRITERS.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_yields_the_same_courses(programs: dict[str, Program], fmt: str) -> None:
    p = programs[fmt]
    assert p.title == W.TITLE
    assert [c.code for c in p.courses] == W.CODES
    assert [c.title for c in p.courses] == W.TITLES
    assert p.provider == W.PROVIDER
    assert p.cip == W.CIP
    assert p.clock_hours == W.CLOCK_HOURS
    assert W.CREDENTIAL in p.all_credentials() or fmt == "ctdl"


@pytest.mark.parametrize("fmt", [f for f in FORMATS if not f.startswith("etpl")])
def test_course_descriptions_outcomes_and_hours(programs: dict[str, Program], fmt: str) -> None:
    p = programs[fmt]
    assert p.description.split() == W.DESCRIPTION.split()
    for course, want in zip(p.courses, W.COURSES, strict=True):
        assert course.description.split() == want["description"].split()
        assert [o.text for o in course.outcomes] == want["outcomes"]
        assert course.hours == want["hours"]


def _top3(result) -> list[str]:  # type: ignore[no-untyped-def]
    """Top three codes, ranking ties (equal to 2 decimals) by code: the two career/technical
    teacher rows reach the welding program only through the same CIP 48.0508 crosswalk and tie
    at 0.018, so their mutual order is noise, not a difference between readers."""
    ranked = sorted(result.occupations, key=lambda o: (-round(o.score, 2), o.code))
    return [o.code for o in ranked[:3]]


def test_the_same_top_three_occupations(programs: dict[str, Program], matcher) -> None:  # type: ignore[no-untyped-def]
    tops = {fmt: _top3(matcher.align(p, top_k=6)) for fmt, p in programs.items()}
    reference = tops["markdown"]
    assert reference[:2] == ["51-4121.00", "51-4122.00"]
    assert {fmt: top for fmt, top in tops.items() if top != reference} == {}


def test_pdf_evidence_names_page_and_course(programs: dict[str, Program], matcher) -> None:  # type: ignore[no-untyped-def]
    p = programs["pdf"]
    assert [c.source.page for c in p.courses] == [2, 3, 4, 5]
    by_field = {u.source.field: u.source for u in p.iter_units()}
    assert by_field["description"].page == 1
    result = matcher.align(p, top_k=1).to_dict()
    sources = [e["source"] for e in result["occupations"][0]["evidence"] if e["kind"] in ("task", "dwa")]
    assert sources and all(
        re.fullmatch(r"welding\.pdf, p\. [2-5], course WLD-1[1-4]0, .+", s) for s in sources
    )
    gaps = matcher.gaps(p, "51-4121.00").to_dict()
    covered = [c["evidence"]["source"] for c in gaps["covered"]]
    assert any(re.match(r"welding\.pdf, p\. [2-5], course WLD-1[1-4]0, outcome", s) for s in covered)


def test_docx_pages_from_page_breaks_and_markdown_lines(programs: dict[str, Program]) -> None:
    assert [c.source.page for c in programs["docx"].courses] == [1, 2, 3, 3]
    outcome = programs["docx"].courses[1].outcomes[0].source
    assert outcome.label() == "welding.docx, p. 2, course WLD-120, outcome"
    md = programs["markdown"]
    assert [c.source.line for c in md.courses] == [14, 26, 37, 48]
    assert md.courses[0].outcomes[0].source.label() == "welding.md, line 22, course WLD-110, outcome"
    csv_outcome = programs["csv"].courses[2].outcomes[1].source
    assert csv_outcome.label() == "welding_courses.csv, line 10, course WLD-130, outcome"


def test_jsonld_fields(programs: dict[str, Program]) -> None:
    ctdl, sdo = programs["ctdl"], programs["schemaorg"]
    assert ctdl.occupations == ["51-4121"] and sdo.occupations == ["51-4121.00"]
    assert ctdl.credential == W.TITLE  # a ceterms:Certificate is itself the credential
    assert sdo.weeks == 12 and sdo.features == "Program mode: in-person."
    # the CTDL property an outcome was read from is part of its source
    assert ctdl.courses[0].outcomes[0].source.label() == "welding.jsonld, course WLD-110, outcome, teaches"


def test_etpl_listing_becomes_courses_and_leaves_the_rest(programs: dict[str, Program]) -> None:
    p = programs["etpl-jsonl"]
    assert p.features == "" and p.prerequisites == "High school diploma or GED"
    assert p.courses[0].source.label() == "welding.jsonl, features"
    assert programs["etpl-csv"].courses[0].source.label() == "welding_etpl.csv, line 2, features"
