"""Syllabi as colleges write them, and what the rest of the matcher does with what was read:
titles under document furniture, hour ranges and "N-Hour" phrases that are no course codes,
credentials named in the text, materials and site lists that are never evidence, plain text
wrapped by hand read as whole sentences; a Registry learning opportunity against the same
content in Markdown; schema.org JobPostings stored; lists of programs on the CLI and the API."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matcher.readers import parse_program, read_program
from matcher.text.normalise import split_sentences
from service.app import create_app

CORPUS = Path(__file__).parent / "corpus"

SYLLABUS = """# COURSE INFORMATION DOCUMENT

## Welding Technology Certificate

**Provider:** Example Technical Institute
**Duration:** 12 Weeks (360 Hours)

Students learn MIG, TIG and stick welding. Graduates test for the AWS Certified Welder credential.

## Course Outline

### OSHA 10-Hour Construction Safety

- Hazard recognition on construction sites

### Clinical Practicum (40-80 hours)

Supervised welding practice in a fabrication shop.

### WLD-110 Shielded Metal Arc Welding (120 hours)

- Strike and maintain an arc on carbon steel plate
- Welding textbook (provided)

## Required Materials

- Welding helmet and gloves

## Clinical Sites

- Example Fabrication Works, Newark
"""


def test_a_syllabus_as_colleges_write_it() -> None:
    p = parse_program(SYLLABUS.encode(), "welding.md")
    assert p.title == "Welding Technology Certificate"  # not the document's furniture
    assert (p.provider, p.clock_hours, p.weeks) == ("Example Technical Institute", 360, 12)
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        (None, "OSHA 10-Hour Construction Safety", None),  # "OSHA 10" is no course code
        (None, "Clinical Practicum", None),  # an hour range is no course's hours, nor its title
        ("WLD-110", "Shielded Metal Arc Welding", 120),
    ]
    assert p.credential == "AWS Certified Welder" and p.read_from["credential"].source.line == 8
    assert p.credentials == []  # "OSHA 10-Hour" is a safety card the course teaches, no credential
    other = {(o.text, o.source.field) for o in p.not_curriculum}
    assert other == {
        ("Welding textbook (provided)", "materials"),
        ("Welding helmet and gloves", "materials"),
        ("Example Fabrication Works, Newark", "sites"),
    }
    texts = [u.text for u in p.iter_units()]
    assert not any("textbook" in t or "helmet" in t or "Newark" in t for t in texts)


@pytest.mark.parametrize(
    ("line", "credential"),
    [
        ("Certification: CPT", "CPT"),
        ("Graduates are eligible to sit for the NHA CPT exam.", "NHA CPT"),
        ("Students earn the EPA 608 Universal certification.", "EPA 608 Universal certification"),
        ("Prepares you for the CompTIA A+ exams.", "CompTIA A+"),
    ],
)
def test_credential_lines_and_known_names(line: str, credential: str) -> None:
    p = parse_program(f"# Program\n\nStudents learn the trade.\n\n{line}\n".encode(), "p.md")
    assert p.credential == credential


def test_cpt_coding_is_no_credential() -> None:
    p = parse_program(b"# Medical Billing\n\nStudents learn CPT coding and ICD-10.\n", "p.md")
    assert p.credential is None


def test_plain_text_reads_header_lines_and_wrapped_sentences() -> None:
    text = (
        "Phlebotomy Technician\n"
        "Provider: Example Health Academy\n"
        "Credential: NHA Certified Phlebotomy Technician (CPT)\n"
        "Clock hours: 180\n"
        "\n"
        "This program prepares students to collect blood specimens by venipuncture and\n"
        "capillary puncture, to label and process samples, and to follow infection-control\n"
        "procedures in hospital settings. Students practise on training arms first.\n"
        "\n"
        "Learning outcomes:\n"
        "- Perform venipuncture using evacuated tube, syringe and butterfly methods on\n"
        "  adult patients.\n"
        "- Label blood samples at the bedside.\n"
        "Shop safety\n"
    )
    p = parse_program(text.encode(), "phleb.txt")
    assert (p.title, p.provider, p.clock_hours) == ("Phlebotomy Technician", "Example Health Academy", 180)
    assert p.credential == "NHA Certified Phlebotomy Technician (CPT)"
    [desc] = [u for u in p.iter_units() if u.source.field == "description"]
    sentences = [s.text for s in split_sentences(desc.text)]
    assert sentences == [
        "This program prepares students to collect blood specimens by venipuncture and capillary puncture, "
        "to label and process samples, and to follow infection-control procedures in hospital settings.",
        "Students practise on training arms first.",
    ]
    assert [o.text for o in p.outcomes] == [
        "Perform venipuncture using evacuated tube, syringe and butterfly methods on adult patients.",
        "Label blood samples at the bedside.",
        "Shop safety",  # a short line after a list stays its own unit
    ]
    assert desc.source.line == 6


# -- with the matcher (slice of the real data) -------------------------------------------------------


def test_materials_are_never_evidence_for_a_skill(matcher) -> None:  # type: ignore[no-untyped-def]
    md = (
        "# Phlebotomy Technician\n\nStudents learn venipuncture and specimen collection.\n\n"
        "## Learning outcomes\n\n- Perform venipuncture\n- Phlebotomy textbook (provided)\n\n"
        "## Clinical Sites\n\n- Draw blood at Example Hospital laboratory\n"
    )
    p = parse_program(md.encode(), "phleb.md")
    report = matcher.gaps(p, "31-9097.00").to_dict()
    evidence = [c["evidence"]["sentence"] or "" for c in report["covered"]]
    assert evidence and not any("textbook" in e or "Example Hospital" in e for e in evidence)


def test_registry_subjects_align_like_the_same_markdown(matcher) -> None:  # type: ignore[no-untyped-def]
    ctdl = read_program(CORPUS / "ctdl" / "certified-welder-courses.json")
    md = read_program(CORPUS / "ctdl" / "certified-welder-courses.md")
    top_ctdl, top_md = (matcher.align(p, top_k=1).occupations[0].code for p in (ctdl, md))
    assert top_ctdl == top_md == "51-4121.00"
    cov = [matcher.gaps(p, top_md).to_dict()["coverage"] for p in (ctdl, md)]
    assert abs(cov[0] - cov[1]) <= 10, cov


# -- postings ------------------------------------------------------------------------------------------

# fixtures: db_url (SQLite and PostgreSQL), database; run (the CLI as a subprocess on the slice)
pytest_plugins = ("test_db_support", "test_readers_service")


def test_all_schemaorg_jobposting_examples_are_stored(database, matcher) -> None:  # type: ignore[no-untyped-def]
    from matcher.postings.coding import OccupationCoder
    from matcher.postings.readers import read_postings_file
    from matcher.postings.record import ReadResult
    from matcher.postings.store import PostingStore

    coder = OccupationCoder.from_matcher(matcher)
    result = ReadResult()
    for f in sorted((CORPUS / "schemaorg").glob("*.html")):
        result.extend(read_postings_file(f)[1])
    report = PostingStore(database, coder).import_result(result, source="schema.org examples", fmt="html")
    assert report.received == 12 and report.errors == []
    assert report.stored + report.duplicates == 12  # "Systems Research Engineer" title-only repeats merge


def test_jobposting_as_boards_write_it() -> None:
    from matcher.postings.readers import parse_postings

    page = {
        "@context": "https://schema.org/",
        "@type": "schema:JobPosting",
        "schema:title": "Welder",
        "http://schema.org/description": "<p>MIG welding of steel frames.</p>",
        "schema:jobLocation": [
            {"@type": "Place", "address": {"addressLocality": "Newark", "addressRegion": "NJ"}},
            {"@type": "Place", "address": {"addressLocality": "Camden", "addressRegion": "NJ"}},
        ],
        "jobLocationType": "TELECOMMUTE",
        "applicantLocationRequirements": {"@type": "Country", "name": "USA"},
        "baseSalary": {"@type": "QuantitativeValue", "minValue": 22, "maxValue": 28, "unitText": "HOUR"},
        "salaryCurrency": "USD",
    }
    _, result = parse_postings(json.dumps(page).encode(), "p.jsonld")
    [(_, rec)] = result.records
    assert (rec.title, rec.description) == ("Welder", "MIG welding of steel frames.")
    assert rec.location == "Newark, NJ, US; Camden, NJ, US" and (rec.city, rec.state) == ("Newark", "NJ")
    assert rec.remote and rec.extra["remote"] and rec.location != "TELECOMMUTE" and rec.country == "US"
    assert (rec.salary_min, rec.salary_max, rec.salary_currency, rec.salary_period) == (22, 28, "USD", "HOUR")
    text = {"@type": "JobPosting", "title": "Cook", "description": "x", "baseSalary": "$50,000 - $60,000"}
    _, result = parse_postings(json.dumps(text).encode(), "p.jsonld")
    assert (result.records[0][1].salary_min, result.records[0][1].salary_max) == (50000, 60000)
    _, result = parse_postings(b'{"@type": "JobPosting",\n "title": "x",\n "description": }', "bad.jsonld")
    assert result.errors[0].line == 3 and "line 3, column 17" in result.errors[0].message


# -- CLI and API -----------------------------------------------------------------------------------------


def test_cli_lists_several_programs_and_picks_one(run) -> None:  # type: ignore[no-untyped-def]
    f = str(CORPUS / "ctdl" / "registry-learning-opportunities.json")
    r = run("ingest", f)
    assert r.returncode == 0, r.stderr
    assert "10 programs in" in r.stdout and "choose" not in r.stderr
    listing = json.loads(run("ingest", f, "--json").stdout)
    assert listing["count"] == 10 and listing["programs"][0]["title"] == "Certified Safety Professional (CSP)"
    r = run("align", f, "--top", "1")
    assert r.returncode == 2 and "holds 10 programs; choose one with --id ID or --index N" in r.stderr
    assert "Traceback" not in r.stderr
    r = run("gaps", f, "--occupation", "51-4121.00", "--index", "99")
    assert r.returncode == 2 and "--index must be 1 to 10" in r.stderr
    r = run("ingest", f, "--id", "ce-32cf4120-867e-4d6f-939f-d5c6ed85cf78", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["title"] == "Evaluating Your Course Design"
    r = run("align", str(CORPUS / "ctdl" / "certified-welder-courses.json"), "--json", "--top", "1")
    assert r.returncode == 0 and json.loads(r.stdout)["occupations"][0]["code"] == "51-4121.00"


def test_cli_reads_html_pages_with_json_ld(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    course = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": "Welding Certificate",
        "description": "Shielded metal arc, MIG and TIG welding of carbon steel.",
        "timeRequired": "PT300H",
    }
    page = tmp_path / "welding.html"
    page.write_text(
        f'<html><body><script type="application/ld+json">{json.dumps(course)}</script></body></html>'
    )
    r = run("ingest", str(page), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (d["title"], d["clock_hours"]) == ("Welding Certificate", 300)
    r = run("align", str(page), "--json", "--top", "1")
    assert r.returncode == 0 and json.loads(r.stdout)["occupations"][0]["code"] == "51-4121.00"


def test_parse_route_returns_every_program(settings, matcher) -> None:  # type: ignore[no-untyped-def]
    data = (CORPUS / "ctdl" / "registry-learning-opportunities.json").read_bytes()
    with TestClient(create_app(settings, matcher)) as client:
        r = client.post("/programs/parse", files={"file": ("lopps.json", io.BytesIO(data))})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["count"] == 10 and len(body["programs"]) == 10
        assert body["programs"][8]["title"] == "Bachelor of Science with a Major in Biology Coursework"
        one = client.post(
            "/programs/parse",
            files={"file": ("w.json", (CORPUS / "ctdl" / "certified-welder-courses.json").read_bytes())},
        )
        assert one.status_code == 200 and one.json()["title"] == "Certified Welder Courses"
