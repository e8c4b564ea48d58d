"""The readers on real public documents (``tests/corpus``, sources in its README): Credential
Registry records, schema.org's JobPosting examples and US Department of Labor apprenticeship
documents in DOCX and PDF; and the bad input of issue #27 (cycles, huge graphs, deep nesting,
pages of scripts, unreadable text layers), each refused with a message naming the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.errors import BadInputError, MatcherError, TooLargeError
from matcher.readers import parse_programs, read_program, read_programs

CORPUS = Path(__file__).parent / "corpus"


# -- CTDL ------------------------------------------------------------------------------------------


def test_registry_subjects_are_the_curriculum_with_their_property() -> None:
    p = read_program(CORPUS / "ctdl" / "certified-welder-courses.json")
    assert p.title == "Certified Welder Courses" and p.id == "ce-F9D584AD-9CB6-4641-B803-4C4708343772"
    subjects = [o for o in p.outcomes if o.source and o.source.path == "subject"]
    assert len(subjects) == 29 and subjects[0].text == "Accident Prevention"
    assert subjects[0].source.label() == "certified-welder-courses.json, outcome, subject"


def test_a_ctdl_array_of_unrelated_records_is_never_one_program() -> None:
    programs = read_programs(CORPUS / "ctdl" / "registry-learning-opportunities.json")
    assert len(programs) == 10
    assert programs[0].title == "Certified Safety Professional (CSP)" and programs[0].courses == []
    assert all(p.courses == [] for p in programs)  # no program became the others' "courses"
    assert len({p.id for p in programs}) == 10
    with pytest.raises(BadInputError, match=r"holds 10 programs; choose one with --id ID or --index N"):
        read_program(CORPUS / "ctdl" / "registry-learning-opportunities.json")
    biology = read_program(CORPUS / "ctdl" / "registry-learning-opportunities.json", index=9)
    assert (
        biology.title == "Bachelor of Science with a Major in Biology Coursework"
        and len(biology.outcomes) == 14
    )


def test_new_jersey_registry_records_read_as_published() -> None:
    """Two Credential Registry records of New Jersey's training explorer: a certification whose
    "Requirements" condition asks for working experience (an entry requirement, not something
    taught) and a learning opportunity with its age / diploma requirement."""
    triple = read_program(CORPUS / "ctdl" / "nj-triple-certification.json")
    assert triple.title == "Triple Certification (A+/N+ MCTS & CCNA)"
    assert (triple.clock_hours, triple.cip, triple.occupations) == (272.0, "11.0901", ["11-3021.00"])
    assert triple.prerequisites == "Working experience with systems/networking"
    assert triple.outcomes == []  # the experience asked for is no outcome
    assert "CompTIA" in triple.description
    security = read_program(CORPUS / "ctdl" / "nj-computer-security-specialist.json")
    assert security.title == "Computer Security Specialist"
    assert (security.clock_hours, security.cip, security.occupations) == (54.0, "11.1003", ["15-1212.00"])
    assert security.prerequisites == "18 years of age, or HS Diploma, or GED"


def test_keywords_assessments_credentials_and_stated_codes() -> None:
    hi = read_program(CORPUS / "ctdl" / "health-informatics-certification.json")
    keywords = [o.text for o in hi.outcomes if o.source and o.source.path == "keyword"]
    assert keywords == [
        "Diagnostic Codes",
        "Health Information Data",
        "Health Records",
        "Health Sciences",
        "Healthcare Systems",
        "Medical Terminology",
    ]
    assert hi.provider == "Indiana University Bloomington"
    exam = hi.courses[0]  # requires -> targetAssessment: an assessment read as a course
    assert (
        exam.title == "CSP Examination"
        and exam.source is not None
        and exam.source.path == "AssessmentProfile"
    )
    assert any("anatomy and physiology" in o.text for o in exam.outcomes)
    cota = read_program(CORPUS / "ctdl" / "cota-certification.json")
    assert cota.credential == "Certified Occupational Therapy Assistant (COTA®)"
    assert cota.occupations == ["29-1122.00", "31-2011.00"] and cota.weeks == 104
    assert not any("MISSING" in o.text for o in cota.outcomes)  # a Registry placeholder is no outcome
    cri = read_program(CORPUS / "ctdl" / "cri-seminars.json")
    assert cri.credential == "CRI Certification" and cri.read_from["credential"].text == "CRI Certification"


def test_ctdl_names_references_credits_and_conditions() -> None:
    occupation = {"@id": "urn:occ:1", "@type": "ceterms:Occupation", "ceterms:codedNotation": "51-4121.00"}
    doc = {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@graph": [
            {
                "@id": "urn:cert",
                "@type": "ceterms:Badge",
                "ceterms:ctid": "ce-00000000-0000-4000-8000-000000000001",
                "ceterms:name": "Welding Badge",
                "ceterms:occupationType": [
                    {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": "urn:occ:1"},
                    {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNodeName": "Pipe Fitter"},
                ],
                "ceterms:instructionalProgramType": [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:targetNode": "https://nces.ed.gov/ipeds/cipcode/cipdetail.aspx?y=56&cipid=48.0508",
                        "ceterms:codedNotation": "48.0508",
                    }
                ],
                "ceterms:creditValue": [
                    {
                        "@type": "ceterms:ValueProfile",
                        "ceterms:value": 4,
                        "ceterms:creditUnitType": [{"ceterms:targetNode": "creditUnit:QuarterHour"}],
                    }
                ],
                "ceterms:requires": [
                    {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:name": "Competencies",
                        "ceterms:description": (
                            "Weld fillet joints in all positions\nRead weld symbols\nCut with plasma"
                        ),
                    },
                    {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:name": "Admission",
                        "ceterms:description": "Applicants must be 18 or older with a high school diploma.",
                    },
                ],
            },
            occupation,
        ],
    }
    p = parse_programs(json.dumps(doc).encode(), "badge.jsonld")
    assert len(p) == 1  # the Occupation node is no program
    badge = p[0]
    assert badge.occupations == ["51-4121.00"] and badge.occupation_names == ["Pipe Fitter"]
    assert badge.cip == "48.0508" and badge.credit_hours == pytest.approx(2.67, abs=0.01)
    assert badge.read_from["credit_hours"].text == "creditValue 4 creditUnit:QuarterHour"
    assert [(o.text, o.source.path) for o in badge.outcomes if o.source] == [
        ("Weld fillet joints in all positions", "requires > description"),
        ("Read weld symbols", "requires > description"),
        ("Cut with plasma", "requires > description"),
    ]
    assert "18 or older" in badge.prerequisites


# -- schema.org JobPosting -------------------------------------------------------------------------


def test_every_schemaorg_jobposting_example_is_read_and_usable() -> None:
    from matcher.postings.readers import read_postings_file
    from matcher.postings.record import check_record

    files = sorted((CORPUS / "schemaorg").glob("*.html"))
    assert len(files) == 12
    titles = {}
    for f in files:
        fmt, result = read_postings_file(f)
        assert fmt == "html" and not result.errors, (f.name, result.errors)
        [(line, rec)] = result.records
        assert check_record(rec) is None, f.name
        titles[f.stem] = rec
    assert titles["eg-0268"].title == "Telecommute from anywhere in USA!"  # name, no title
    assert titles["eg-0251"].stated_code == "15-1132.00"  # inside relevantOccupation
    assert titles["eg-0028"].salary_currency == "USD" and titles["eg-0028"].salary_min == 100000
    assert titles["eg-0285"].description == ""  # title only: kept, coded on the title
    assert titles["eg-0465"].description == "Education: bachelor degree\nExperience: 60 months of experience"


# -- DOCX and PDF documents ------------------------------------------------------------------------


def test_dol_documents_get_their_real_titles_hours_and_credentials() -> None:
    folder = CORPUS / "syllabi"
    analyst = read_program(folder / "data-analyst-work-process-schedule.pdf")
    assert analyst.title == "DATA ANALYST"  # not "Appendix A" nor "WORK PROCESS SCHEDULE"
    assert analyst.clock_hours == 349 and analyst.read_from["clock_hours"].text == "TOTAL MINIMUM HOURS 349.0"
    assert analyst.credential == "CompTIA Data+" and analyst.credentials == ["CompTIA IT Fundamentals (ITF+)"]
    assert analyst.occupations == ["15-2041.00"] and analyst.weeks is None  # 12 weeks is the probation
    fire = read_program(folder / "wildland-fire-fighter-bulletin-2016-22.pdf")
    assert fire.title.endswith("Apprenticeable Occupation: Wildland Fire Fighter Specialist")
    assert fire.clock_hours == 3000 and fire.occupations == ["33-2011"]
    pipe = read_program(folder / "pipe-fitter-sprinkler-fitter-appendix-a.docx")
    assert pipe.title == "PIPE FITTER – SPRINKLER FITTER"  # 24 pt, under "Appendix A"
    assert pipe.provider == "AMERICAN FIRE AND SPRINKLER ASSOCIATION"
    assert pipe.clock_hours == 597.5 and len(pipe.courses) == 32  # related instruction
    assert pipe.courses[0].title == "Basic Safety" and pipe.courses[0].hours == 12.5
    assert len(pipe.outcomes) == 11 and pipe.outcomes[0].text.startswith("Plan reading and interpretation")
    assert pipe.credential is None  # none is named
    cloud = read_program(folder / "junior-cloud-engineer-bulletin-2023-50.docx")
    assert cloud.title == "New NOF Apprenticeable Occupation: Junior Cloud Engineer"
    assert cloud.occupations == ["15-1231.00"]


# -- bad input ---------------------------------------------------------------------------------------


def _graph(nodes: list[dict]) -> bytes:
    return json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": nodes}).encode()


def test_a_cycle_of_parts_is_named() -> None:
    nodes = [
        {"@id": "urn:a", "@type": "ceterms:Certificate", "ceterms:name": "A", "ceterms:hasPart": ["urn:b"]},
        {"@id": "urn:b", "@type": "ceterms:Course", "ceterms:name": "B", "ceterms:hasPart": ["urn:c"]},
        {"@id": "urn:c", "@type": "ceterms:Course", "ceterms:name": "C", "ceterms:hasPart": ["urn:b"]},
    ]
    with pytest.raises(BadInputError, match=r"in a cycle \(A → B → C → B\)") as exc:
        parse_programs(_graph(nodes), "cycle.jsonld")
    assert exc.value.details["cycle"] == ["A", "B", "C", "B"]


def test_ten_thousand_node_graphs_are_bounded() -> None:
    from matcher.readers.bounded import parse_programs_bounded

    courses = [
        {"@id": f"urn:c{i}", "@type": "ceterms:Course", "ceterms:name": f"Course {i}"} for i in range(10_000)
    ]
    cert = {"@id": "urn:x", "@type": "ceterms:Certificate", "ceterms:name": "Big"}
    linked = _graph([{**cert, "ceterms:hasPart": [c["@id"] for c in courses]}, *courses])
    with pytest.raises(TooLargeError, match="more than 500 courses; the limit is 500"):
        parse_programs_bounded(linked, "big.jsonld", seconds=30, memory_bytes=1 << 30)
    records = [
        {"@type": "ceterms:LearningOpportunityProfile", "ceterms:name": f"P{i}"} for i in range(10_000)
    ]
    with pytest.raises(TooLargeError, match="holds 10,000 programs; the limit is 1,000"):
        parse_programs(json.dumps(records).encode(), "many.json")
    orgs = [{"@type": "ceterms:CredentialOrganization", "ceterms:name": f"O{i}"} for i in range(10_000)]
    [p] = parse_programs(_graph([*orgs, cert]), "orgs.jsonld")  # 10,001 nodes, one program
    assert p.title == "Big"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"[" * 5000 + b"]" * 5000, "deep.json"),
        (
            ('{"@type": "Course", "name": "x", "teaches": ' + "[" * 100 + '"a"' + "]" * 100 + "}").encode(),
            "d.jsonld",
        ),
    ],
)
def test_deeply_nested_lists_are_refused(content: bytes, name: str) -> None:
    with pytest.raises(BadInputError, match="nested"):
        parse_programs(content, name)


def test_html_with_twenty_scripts() -> None:
    courses = "".join(
        f'<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Course", '
        f'"name": "Course {i}", "description": "Learn topic {i}."}}</script>'
        for i in range(20)
    )
    page = f"<html><body>{courses}</body></html>".encode()
    assert len(parse_programs(page, "catalog.html")) == 20
    with pytest.raises(BadInputError, match="holds 20 programs; choose one"):
        from matcher.readers import parse_program

        parse_program(page, "catalog.html")
    scripts = "".join(f"<script>var x{i} = {i};</script>" for i in range(20))
    body = "<body><h1>Welding Certificate</h1><p>MIG welding.</p></body>"
    plain = f"<html><head><title>t</title>{scripts}</head>{body}</html>"
    [p] = parse_programs(plain.encode(), "page.html")
    assert p.title == "Welding Certificate" and p.description == "MIG welding."
    broken = (
        b'<html><body><script type="application/ld+json">\n{"@type": "Course",\n "name": "x",,}\n'
        b"</script></body></html>"
    )
    with pytest.raises(BadInputError, match="at line 3, column 14"):
        parse_programs(broken, "broken.html")
    many = "".join('<script type="application/ld+json">{"@type": "Thing"}</script>' for _ in range(60))
    with pytest.raises(TooLargeError, match="60 JSON-LD scripts; the limit is 50"):
        parse_programs(f"<html>{many}</html>".encode(), "spam.html")


def test_a_pdf_with_a_garbage_text_layer_is_refused() -> None:
    import random

    from fpdf import FPDF

    rng = random.Random(7)
    junk = " ".join(
        "".join(rng.choice("qxzjkvbwpf#@%&*") for _ in range(rng.randint(3, 9))) for _ in range(400)
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, junk)
    with pytest.raises(BadInputError, match="text layer that is not readable text") as exc:
        parse_programs(bytes(pdf.output()), "junk.pdf")
    assert exc.value.details["word_share"] < 0.3


def test_every_program_document_of_the_corpus_reads() -> None:
    for f in sorted(CORPUS.rglob("*")):
        if f.is_file() and f.suffix in (".json", ".md", ".pdf", ".docx") and f.name != "README.md":
            try:
                assert read_programs(f)
            except MatcherError as exc:  # several programs are fine; nothing else may fail
                pytest.fail(f"{f.name}: {exc.message}")


def test_schema_org_program_as_job_training_pages_mark_it_up(tmp_path: Path) -> None:
    """schema.org's EducationalOccupationalProgram with the properties job-training pages use:
    a CategoryCode occupation, a CIP identifier, ISO 8601 length, evening classes and a
    prerequisite given only as a credential category."""
    doc = {
        "@context": "https://schema.org/",
        "@type": "EducationalOccupationalProgram",
        "name": "Certified Nursing Assistant Program",
        "description": "Students learn bathing, feeding, transfers and vital signs in the lab.",
        "provider": {"@type": "EducationalOrganization", "name": "Example Community College"},
        "occupationalCategory": [
            {"@type": "CategoryCode", "codeValue": "31-1131.00", "inCodeSet": {"name": "O*NET-SOC"}}
        ],
        "identifier": [{"@type": "PropertyValue", "propertyID": "CIP2010", "value": "51.3902"}],
        "timeToComplete": "P6W",
        "dayOfWeek": ["https://schema.org/Monday", "https://schema.org/Wednesday"],
        "timeOfDay": "Evening",
        "occupationalCredentialAwarded": {"@type": "EducationalOccupationalCredential", "name": "CNA"},
        "programPrerequisites": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "HighSchool",
        },
        "hasCourse": [{"@type": "Course", "name": "Nurse Aide Fundamentals", "courseCode": "CNA 101"}],
    }
    page = tmp_path / "cna.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{json.dumps(doc)}</script></head></html>'
    )
    p = read_program(page)
    assert (p.title, p.provider, p.credential) == (
        "Certified Nursing Assistant Program",
        "Example Community College",
        "CNA",
    )
    assert (p.occupations, p.cip, p.weeks) == (["31-1131.00"], "51.3902", 6.0)
    assert p.schedule == "Monday, Wednesday; Evening" and p.read_from["schedule"].text.startswith("dayOfWeek")
    assert p.prerequisites == "High School"
    assert [c.title for c in p.courses] == ["Nurse Aide Fundamentals"]


def test_schemaorg_program_and_course_examples() -> None:
    """schema.org's own published examples of programs and courses: each is one program with
    what its markup says (a stated code, a credential, a length from ISO 8601 or from its
    dates); a course without a name is titled by its description's first words."""
    folder = CORPUS / "schemaorg-programs"
    p = {f.stem: read_program(f) for f in sorted(folder.glob("*.html"))}
    assert len(p) == 7
    ibew = p["eg-0279"]
    assert (ibew.title, ibew.provider, ibew.occupations) == (
        "IBEW Apprenticeship",
        "International Brotherhood of Electrical Workers",
        ["47-2111.00"],
    )
    assert ibew.credential == "Electrical workers license"
    degree = p["eg-0278"]
    assert degree.weeks is not None and degree.weeks > 200 and degree.prerequisites == "High school diploma"
    mooc = p["eg-0332"]
    assert mooc.title.startswith("In this course you will get an introduction") and "title" in mooc.read_from
    assert mooc.weeks == 5.0 and mooc.read_from["weeks"].text == "startDate 2019-02-15 to endDate 2019-03-21"
    assert "MOOC" in mooc.features
    assert p["eg-0333"].weeks == 42.0  # the first campus's dates
    assert p["eg-0338"].provider == "University of Bristol"
