"""Program length and schedule read from the text, in every reader's format: forty duration
phrases as program documents write them ("a 10-week evening certificate", "Mon–Thu 6–10 pm for
12 weeks", "two semesters", ...), each written at test time into a Markdown, YAML, text, JSON,
ETPL, CSV, DOCX, PDF and CTDL file; the weeks must be found in at least 95 % of them per format,
with the phrase and its place recorded. Durations of something else are never the length."""

from __future__ import annotations

import csv
import io
import json

import pytest

from matcher.evidence.length import check_weeks
from matcher.evidence.rules import Status
from matcher.readers import parse_program
from matcher.readers.duration import program_length

PHRASES: list[tuple[str, float]] = [
    ("a 10-week evening certificate", 10),
    ("14 weeks", 14),
    ("Mon–Thu 6–10 pm for 12 weeks", 12),
    ("3 months", 13),
    ("two semesters", 30),
    ("The program runs 12 weeks.", 12),
    ("Complete the program in just 9 weeks.", 9),
    ("This 16-week course meets twice a week.", 16),
    ("Twelve-week accelerated bootcamp", 12),
    ("Students finish in 4 months.", 17.3),
    ("Program length: 11 weeks", 11),
    ("Duration: 10 weeks (300 clock hours)", 10),
    ("One semester, 16 credit hours", 15),
    ("A 6 month program with evening classes", 26),
    ("8 wks, Saturdays 8am-4pm", 8),
    ("Classes meet Tuesday and Thursday evenings for ten weeks.", 10),
    ("Full-time: 13 weeks; part-time evenings available", 13),
    ("The course lasts 15 weeks and includes a clinical rotation.", 15),
    ("Over 12 weeks you will learn to weld.", 12),
    ("a twelve week program", 12),
    ("Training is 9 weeks long.", 9),
    ("In 10 weeks of hands-on training you will earn your CDL.", 10),
    ("This is a one-year certificate.", 52),
    ("two quarters of coursework", 20),
    ("3-month phlebotomy training", 13),
    ("90-day training program", 12.9),
    ("a 14-week, 420-hour program", 14),
    ("10 weeks, Monday–Friday 8:00 am–2:30 pm", 10),
    ("Mon-Thu 5:30-9:30 pm, 11 weeks", 11),
    ("Program is completed in two terms", 30),
    ("An 8-week intensive course", 8),
    ("18 weeks (evening)", 18),
    ("6 weeks of classroom instruction", 6),
    ("The 20-week program meets 20 hours per week.", 20),
    ("Approx. 12 weeks", 12),
    ("Length: 3 months", 13),
    ("Students attend for 13 weeks, 25 hours a week.", 13),
    ("The class runs for fourteen weeks.", 14),
    ("Weekend cohort: 10 Saturdays over 10 weeks", 10),
    ("Graduate in 12 weeks and start your career", 12),
    ("A 4-week, 160-hour program that meets the FMCSA Entry-Level Driver Training requirements.", 4),
    ("A 180-hour program (12 weeks) that trains students to collect blood for laboratory testing.", 12),
]
TITLE = "Phlebotomy Technician"
INTRO = "Students learn venipuncture, capillary puncture and specimen handling."


def _markdown(phrase: str) -> tuple[bytes, str]:
    return f"# {TITLE}\n\n{INTRO}\n\n{phrase}\n".encode(), "p.md"


def _text(phrase: str) -> tuple[bytes, str]:
    return f"{TITLE}\n\n{INTRO}\n\n{phrase}\n".encode(), "p.txt"


def _yaml(phrase: str) -> tuple[bytes, str]:
    import yaml

    return yaml.safe_dump({"title": TITLE, "description": f"{INTRO}\n{phrase}"}).encode(), "p.yaml"


def _json(phrase: str) -> tuple[bytes, str]:
    return json.dumps({"title": TITLE, "description": INTRO, "features": phrase}).encode(), "p.json"


def _etpl(phrase: str) -> tuple[bytes, str]:
    row = {"program name": TITLE, "provider name": "Example Academy", "description": f"{INTRO}\n{phrase}"}
    return (json.dumps(row) + "\n").encode(), "p.jsonl"


def _csv(phrase: str) -> tuple[bytes, str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerows(
        [
            ["Program", TITLE],
            ["Description", INTRO],
            ["Description", phrase],
            [],
            ["Course title", "Hours"],
            ["Venipuncture", "40"],
        ]
    )
    return buf.getvalue().encode(), "p.csv"


def _docx(phrase: str) -> tuple[bytes, str]:
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE, style="Title")
    d.add_paragraph(INTRO)
    d.add_paragraph(phrase)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), "p.docx"


def _pdf(phrase: str) -> tuple[bytes, str]:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, INTRO, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    text = phrase.replace("–", "-")  # the core fonts are Latin-1
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), "p.pdf"


def _ctdl(phrase: str) -> tuple[bytes, str]:
    doc = {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:name": {"en-US": TITLE},
        "ceterms:description": {"en-US": INTRO},
        "ceterms:estimatedDuration": [
            {"@type": "ceterms:DurationProfile", "ceterms:description": {"en-US": phrase}}
        ],
    }
    return json.dumps(doc).encode(), "p.jsonld"


WRITERS = {
    "markdown": _markdown,
    "text": _text,
    "yaml": _yaml,
    "json": _json,
    "etpl": _etpl,
    "csv": _csv,
    "docx": _docx,
    "pdf": _pdf,
    "ctdl": _ctdl,
}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_weeks_found_in_95_percent_of_the_phrases(fmt: str) -> None:
    found, missed = 0, []
    for phrase, weeks in PHRASES:
        content, name = WRITERS[fmt](phrase)
        p = parse_program(content, name)
        if p.weeks is not None and abs(p.weeks - weeks) < 0.6:
            found += 1
            assert "weeks" in p.read_from and p.read_from["weeks"].text, phrase
        else:
            missed.append((phrase, p.weeks))
    assert found >= 0.95 * len(PHRASES), missed


def test_the_phrase_and_its_place_are_recorded() -> None:
    md = (
        f"# {TITLE}\n\nProvider: Example Academy\n\n{INTRO}\n\n"
        "A 10-week evening certificate. Classes meet Mon–Thu 6–10 pm.\n"
    )
    p = parse_program(md.encode(), "phleb.md")
    assert (p.weeks, p.hours_per_week) == (10, 16)
    assert p.schedule is not None and p.schedule.startswith("Mon–Thu 6–10 pm")
    found = p.read_from["weeks"]
    assert found.text == "A 10-week evening certificate"
    assert found.source is not None and found.source.label() == "phleb.md, line 7, description"


@pytest.mark.parametrize(
    "text",
    [
        "Students complete 12 weeks of externship after the classroom phase.",
        "Every applicant serves a probationary period of 12 weeks.",
        "Register within 2 weeks of the start date.",
        "Apprentices are paid more every 6 months or 1000 hours.",
        "Graduates must have 6 months of work experience.",
        "The recertification cycle is every five years.",
    ],
)
def test_durations_of_something_else_are_not_the_length(text: str) -> None:
    p = parse_program(f"# {TITLE}\n\n{INTRO} {text}\n".encode(), "p.md")
    assert p.weeks is None and p.weeks_range is None and "weeks" not in p.read_from


def test_a_range_is_a_range_and_courses_do_not_set_the_length() -> None:
    module = "## Module 1: Safety\n\nThis 3-week module covers OSHA rules.\n"
    md = f"# {TITLE}\n\nDuration: 12-24 Weeks (480-960 Hours)\n\n{module}"
    p = parse_program(md.encode(), "p.md")
    assert p.weeks is None and p.weeks_range == (12, 24) and p.clock_hours is None
    course_only = f"# {TITLE}\n\n{module}"
    assert parse_program(course_only.encode(), "p.md").weeks is None


def test_ctdl_iso_durations_and_hours_per_week() -> None:
    doc = {
        "@type": "ceterms:Certificate",
        "ceterms:name": "Welding Certificate",
        "ceterms:description": "Shielded metal arc welding.",
        "ceterms:estimatedDuration": [
            {
                "@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": "P12W",
                "ceterms:description": "Evenings, 20 hours per week.",
            }
        ],
    }
    p = parse_program(json.dumps(doc).encode(), "w.jsonld")
    assert (p.weeks, p.hours_per_week) == (12, 20)
    assert p.read_from["weeks"].text == "estimatedDuration exactDuration P12W"


def test_the_pell_weeks_check_uses_what_was_read() -> None:
    p = parse_program(f"{TITLE}\n\n{INTRO}\n\nMon–Thu 6–10 pm for 12 weeks\n".encode(), "p.txt")
    found = p.read_from["weeks"]
    where = f"{found.text!r} ({found.source.label()})"
    check = check_weeks(p.weeks, source="test", vintage="now", read_from=where)
    assert check.status is Status.PASS and "Mon–Thu 6–10 pm for 12 weeks" in check.reason
    assert check.details["read_from"] == where
    ranged = check_weeks(None, source="test", vintage="now", weeks_range=(4, 12))
    assert ranged.status is Status.UNKNOWN and ranged.value == {"weeks_range": [4, 12]}
    assert check_weeks(None, source="t", vintage="n", weeks_range=(9, 12)).status is Status.PASS
    assert check_weeks(None, source="t", vintage="n", weeks_range=(20, 30)).status is Status.FAIL
    unsaid = parse_program(f"{TITLE}\n\n{INTRO}\n".encode(), "p.txt")
    assert check_weeks(unsaid.weeks, source="t", vintage="n").status is Status.UNKNOWN


def test_program_length_alone() -> None:
    assert program_length(["Three quarters, one course per quarter"]).weeks == 30


def test_stated_hours_per_week_beat_hours_worked_out_from_the_schedule() -> None:
    from matcher.readers.duration import program_length

    got = program_length(["Schedule: Monday-Friday, 8:30 a.m.-3:00 p.m. (30 hours per week) for 12 weeks."])
    assert got.hours_per_week == 30 and got.weeks == 12
    assert program_length(["Monday-Friday, 8:00 a.m.-2:00 p.m."]).hours_per_week == 30  # worked out
