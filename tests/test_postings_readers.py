"""Posting readers on inputs written here: schema.org JobPosting JSON-LD (as the specification
describes it), JSON Lines, CSV with aliases and a mapping, HTML, text, and bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from matcher.errors import TooLargeError, UnsupportedFormatError
from matcher.postings import dedupe
from matcher.postings.html_text import html_to_text
from matcher.postings.location import area_values, parse_location
from matcher.postings.readers import parse_postings
from matcher.postings.record import check_record
from matcher.postings.title_text import drop_principal, expand_abbreviations, normalise_title

# Built from https://schema.org/JobPosting (its properties and the example of the specification).
JOB_POSTING = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Welder / Fabricator",
    "description": "<p>Join our shop as a <b>MIG and TIG welder</b>.</p><ul><li>Read blueprints</li>"
    "<li>Weld carbon steel &amp; aluminum</li></ul>",
    "identifier": {"@type": "PropertyValue", "name": "Acme Fabrication", "value": "ACME-1234"},
    "datePosted": "2024-03-18",
    "validThrough": "2024-04-30T00:00",
    "employmentType": ["FULL_TIME", "CONTRACTOR"],
    "hiringOrganization": {
        "@type": "Organization",
        "name": "Acme Fabrication",
        "sameAs": "https://example.com",
    },
    "jobLocation": {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 Industrial Way",
            "addressLocality": "Newark",
            "addressRegion": "NJ",
            "postalCode": "07102",
            "addressCountry": "US",
        },
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 22.5, "maxValue": 30, "unitText": "HOUR"},
    },
    "occupationalCategory": {
        "@type": "CategoryCode",
        "codeValue": "51-4121.00",
        "name": "Welders, Cutters, Solderers, and Brazers",
        "inCodeSet": "https://www.onetcenter.org/taxonomy.html",
    },
    "skills": [
        {"@type": "DefinedTerm", "name": "gas metal arc welding"},
        "blueprint reading",
    ],
    "industry": "Manufacturing",
}


def _one(content: bytes | str, name: str, fmt: str | None = None):  # type: ignore[no-untyped-def]
    data = content.encode() if isinstance(content, str) else content
    used, result = parse_postings(data, name, fmt)
    return used, result


def test_jsonld_object_has_every_field() -> None:
    used, result = _one(json.dumps(JOB_POSTING), "job.jsonld")
    assert used == "jsonld" and not result.errors
    [(line, rec)] = result.records
    assert line == 1
    assert rec.title == "Welder / Fabricator"
    assert "MIG and TIG welder" in rec.description and "<b>" not in rec.description
    assert "Weld carbon steel & aluminum" in rec.description
    assert rec.employer == "Acme Fabrication"
    assert (rec.city, rec.state, rec.postal_code, rec.country) == ("Newark", "NJ", "07102", "US")
    assert rec.date_posted == date(2024, 3, 18)
    assert (rec.salary_min, rec.salary_max, rec.salary_currency, rec.salary_period) == (
        22.5,
        30.0,
        "USD",
        "HOUR",
    )
    assert rec.stated_code == "51-4121.00"
    assert rec.stated_category.startswith("51-4121.00 Welders")
    assert rec.stated_skills == "gas metal arc welding; blueprint reading"
    assert rec.employment_type == "FULL_TIME; CONTRACTOR"
    assert rec.external_id == "ACME-1234"
    assert rec.extra["industry"] == "Manufacturing" and rec.extra["validThrough"] == "2024-04-30T00:00"


def test_jsonld_arrays_graphs_and_html() -> None:
    other = {**JOB_POSTING, "title": "Truck Driver", "identifier": "T-1"}
    arr = json.dumps([JOB_POSTING, other], indent=1)
    _, result = _one(arr, "jobs.json")
    assert [r.title for _, r in result.records] == ["Welder / Fabricator", "Truck Driver"]
    assert result.records[1][0] > result.records[0][0]  # each element keeps its own line
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "Organization", "name": "x"}, JOB_POSTING],
    }
    _, result = _one(json.dumps(graph), "g.jsonld")
    assert [r.title for _, r in result.records] == ["Welder / Fabricator"]
    page = (
        "<!doctype html><html><head><title>Jobs</title>\n"
        f'<script type="application/ld+json">\n{json.dumps(JOB_POSTING)}\n</script>\n'
        "</head><body><h1>Careers</h1><p>Apply now</p></body></html>"
    )
    used, result = _one(page, "job.html")
    assert used == "html" and [r.title for _, r in result.records] == ["Welder / Fabricator"]
    assert result.records[0][0] == 3  # the line the JSON object starts on


def test_html_without_markup_is_the_posting() -> None:
    page = (
        "<html><head><title>Nurse</title><style>p{}</style></head><body><h1>Registered Nurse</h1>"
        "<p>Care for patients.<br>Night shifts.</p><script>var x=1;</script></body></html>"
    )
    _, result = _one(page, "nurse.htm")
    [(_, rec)] = result.records
    assert rec.title == "Registered Nurse"
    assert rec.description.splitlines()[-2:] == ["Care for patients.", "Night shifts."]
    assert "var x" not in rec.description
    assert html_to_text("<ul><li>a</li><li>b &amp; c</li></ul>") == "- a\n- b & c"


def test_malformed_jsonld_reports_the_line_and_keeps_earlier_records() -> None:
    text = "[\n" + json.dumps(JOB_POSTING) + ',\n{"@type": "JobPosting", "title": }\n]'
    _, result = _one(text, "bad.json")
    assert [r.title for _, r in result.records] == ["Welder / Fabricator"]
    assert result.errors[0].line == 3 and "malformed JSON-LD" in result.errors[0].message
    _, result = _one('{"@type": "JobPosting",\n "title": "x",\n "description": }', "bad.jsonld")
    assert not result.records and result.errors[0].line == 3
    _, result = _one(json.dumps({"@type": "Organization", "name": "x"}), "org.jsonld")
    assert "no schema.org JobPosting" in result.errors[0].message
    _, result = _one(json.dumps({**JOB_POSTING, "datePosted": "someday"}), "date.jsonld")
    assert "unreadable date" in result.errors[0].message and not result.records


CSV = (
    "Job Title,Company,Job Description,City State,Posted,Salary,SOC,Extra\n"
    'Welder,Acme,Welds steel frames.,"Newark, NJ",2024-02-01,"$40,000 - $50,000",51-4121,a\n'
    'Driver,Beta,,"Trenton, NJ",2024-02-02,,,b\n'
    '"Nurse",Gamma,"Cares for patients.\nNights.","Camden, New Jersey",2024-02-03,,29-1141.00,c\n'
    "Cook,Delta,Cooks food.,Surrey,03/04/2024,,,d\n"
)


def test_csv_aliases_mapping_and_per_record_errors() -> None:
    used, result = _one(CSV, "jobs.csv", None)
    assert used == "csv"
    # "City State" is no alias of location: map it; the empty description is an error later.
    _, result = parse_postings(CSV.encode(), "jobs.csv", mapping={"location": "City State"})
    titles = [r.title for _, r in result.records]
    assert titles == ["Welder", "Driver", "Nurse", "Cook"]
    lines = [line for line, _ in result.records]
    assert lines == [2, 3, 4, 6]  # the quoted field spans lines 4-5
    welder = result.records[0][1]
    assert (welder.employer, welder.city, welder.state, welder.stated_code) == (
        "Acme",
        "Newark",
        "NJ",
        "51-4121",
    )
    assert (welder.salary_min, welder.salary_max) == (40000.0, 50000.0)
    assert welder.extra == {"Extra": "a"}
    assert result.records[2][1].state == "NJ" and result.records[3][1].date_posted == date(2024, 3, 4)
    assert check_record(result.records[1][1]) == "the posting has an empty description"


def test_csv_missing_mapped_columns() -> None:
    _, result = _one("Name,Company\nWelder,Acme\n", "x.csv")
    assert not result.records
    assert result.errors[0].line == 1 and "no column for description" in result.errors[0].message
    _, result = parse_postings(b"Title,Content\nWelder,Welds\n", "x.csv", mapping={"description": "Text"})
    assert "description (mapped to 'Text')" in result.errors[0].message
    _, result = _one("title,description,employer\nWelder\nCook,Cooks,Delta\n", "short.csv")
    assert [line for line, _ in result.records] == [3]
    assert result.errors[0].line == 2 and "1 of 3 columns" in result.errors[0].message


def test_non_utf8_bytes_fail_only_their_records() -> None:
    data = b"title,description\nWelder,Welds steel\nCaf\xe9 cook,Cooks \xe9clairs\nDriver,Drives trucks\n"
    _, result = _one(data, "latin1.csv")
    assert [r.title for _, r in result.records] == ["Welder", "Driver"]
    assert result.errors[0].line == 3 and "UTF-8" in result.errors[0].message
    jl = (
        b'{"title": "A", "description": "x"}\n'
        b'{"title": "B\xff", "description": "y"}\n'
        b'{"title": "C", "description": "z"}\n'
    )
    _, result = _one(jl, "x.jsonl")
    assert [r.title for _, r in result.records] == ["A", "C"] and result.errors[0].line == 2
    _, result = _one(b"<html><body><h1>Caf\xe9</h1></body></html>", "p.html")
    assert result.errors[0].line == 1 and not result.records


def test_jsonl_flat_and_jobposting_lines() -> None:
    lines = [
        json.dumps(
            {"id": "a1", "title": "Cook", "description": "Cooks.", "location": "Surrey", "source_board": "x"}
        ),
        "{not json",
        json.dumps(JOB_POSTING),
        json.dumps([1, 2]),
    ]
    used, result = _one("\n".join(lines) + "\n", "p.jsonl")
    assert used == "jsonl"
    assert [(line, r.title) for line, r in result.records] == [(1, "Cook"), (3, "Welder / Fabricator")]
    assert [e.line for e in result.errors] == [2, 4]
    cook = result.records[0][1]
    assert cook.external_id == "a1" and cook.source == "x" and cook.city == "Surrey"


def test_text_files_and_formats() -> None:
    used, result = _one("Welder\nWelds things.\n---\nCook\nCooks food.\n", "jobs.txt")
    assert used == "text" and [(line, r.title) for line, r in result.records] == [(1, "Welder"), (4, "Cook")]
    with pytest.raises(UnsupportedFormatError):
        _one("hello", "jobs.docx")
    with pytest.raises(UnsupportedFormatError):
        _one("x", "a.txt", "xml")
    _, result = _one(b"   \n", "empty.csv")
    assert result.errors and not result.records
    from matcher.postings import readers

    with pytest.raises(TooLargeError):
        parse_postings(b"x" * (readers.MAX_FILE_BYTES + 1), "big.txt")


def test_locations() -> None:
    loc = parse_location("Newark, NJ 07102")
    assert (loc.city, loc.state, loc.postal_code, loc.country) == ("Newark", "NJ", "07102", "US")
    loc = parse_location("Bergen County, New Jersey")
    assert (loc.county, loc.state) == ("Bergen County", "NJ")
    assert parse_location("New York-Newark-Jersey City, NY-NJ-PA MSA").metro.endswith("MSA")
    assert parse_location("UK").country == "GB"
    assert set(area_values("New Jersey")) == {"new jersey", "nj"}


def test_dedupe_hashes_and_signatures() -> None:
    a = (
        "Registered Nurse. We are looking for a registered nurse to join our friendly team on a busy "
        "surgical ward. You will care for patients before and after their operations, give medicines, "
        "keep accurate records, support families and work closely with doctors and therapists. Nights "
        "and weekends on a rota. You hold a current registration and have at least one year of hospital "
        "experience. We offer excellent pay, a pension, paid training and free parking at the hospital."
    )
    assert dedupe.text_hash("Nurse", a) == dedupe.text_hash("NURSE ", a.replace(",", " ,"))
    assert dedupe.text_hash("Nurse", a, "Leeds") != dedupe.text_hash("Nurse", a, "York")
    near = a.replace("excellent pay", "very good pay")
    far = "Truck driver wanted for long haul routes across the country with a clean licence and experience."
    s_a, s_near, s_far = (dedupe.signature(t) for t in (a, near, far))
    assert dedupe.similarity(s_a, s_near) >= dedupe.NEAR_THRESHOLD > 0.2 > dedupe.similarity(s_a, s_far)
    idx = dedupe.NearDuplicateIndex()
    idx.add(7, s_a, "Leeds")
    assert idx.query(s_a, "Leeds") == 7 and idx.query(s_a, "York") is None and idx.query(s_far, None) is None
    assert dedupe.from_bytes(dedupe.to_bytes(s_a)).tolist() == s_a.tolist()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Java Developer (m/w/d) - Berlin, 60k", "java developer"),
        ("KITCHEN ASSISTANT (Bangi)", "kitchen assistant"),
        ("Vacancy for Shop Assistant ", "shop assistant"),
        ("Digital Sales Exec", "digital sales executive"),
        ("Care Assistant - Nights £9.50ph", "care assistant"),
    ],
)
def test_title_normalisation(title: str, expected: str) -> None:
    assert normalise_title(title) == expected


@pytest.mark.parametrize(
    ("title", "core", "expanded"),
    [
        ("PA to  Managing Director", "PA", "personal assistant"),
        ("Secretary to the CEO", "Secretary", None),
        ("Driver for Director (Kuala Lumpur)", "Driver", None),
        ("HR Admin Assistant", "HR Admin Assistant", "human resources administrative Assistant"),
        ("Welcome Host for Events", "Welcome Host for Events", None),
        ("Vacancy for Manager Post", "Vacancy for Manager Post", None),
        ("RGN / RMN", "RGN / RMN", "registered general nurse / registered mental health nurse"),
        ("Tech Lead", "Tech Lead", None),
        ("Path Lab Assistant", "Path Lab Assistant", None),
    ],
)
def test_title_principal_and_abbreviations(title: str, core: str, expanded: str | None) -> None:
    assert drop_principal(title) == core
    assert expand_abbreviations(core) == expanded
