"""The outline rules on small real documents: headings without codes, course words, hours in
headings, front matter, bold DOCX headings, documents without headings."""

from __future__ import annotations

import io

import pytest

from matcher.readers import fields as F
from matcher.readers import parse_program


def test_markdown_front_matter_modules_and_hours_in_headings() -> None:
    md = """---
title: Medical Assistant
provider: Example Institute
clock hours: 600
cip: 51.0801
---

Medical assistants work in physician offices.

## Module 1: Clinical Procedures (120 hours)

Vital signs, injections and specimen collection.

- Measure and record vital signs
- Perform venipuncture

## Module 2 - Medical Office Administration

Scheduling, billing and electronic health records.

## Career outlook

Graduates work in clinics.
"""
    p = parse_program(md.encode(), "ma.md")
    assert (p.title, p.provider, p.clock_hours, p.cip) == (
        "Medical Assistant",
        "Example Institute",
        600,
        "51.0801",
    )
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("Module 1", "Clinical Procedures", 120.0),
        ("Module 2", "Medical Office Administration", None),
    ]
    assert [o.text for o in p.courses[0].outcomes] == [
        "Measure and record vital signs",
        "Perform venipuncture",
    ]
    assert p.description.splitlines() == [
        "Medical assistants work in physician offices.",
        "Graduates work in clinics.",
    ]
    spans = [s.source.line for s in p.description_spans]
    assert spans == [8, 23]


def test_courses_section_subheadings_without_codes() -> None:
    md = (
        "# HVAC Technician\n\n## Courses\n\n### Refrigeration Fundamentals\n\n"
        "The refrigeration cycle.\n\n### Electrical Controls\n\nWiring diagrams and thermostats.\n\n"
        "## Admission\n\nHigh school diploma.\n"
    )
    p = parse_program(md.encode(), "hvac.md")
    assert [c.title for c in p.courses] == ["Refrigeration Fundamentals", "Electrical Controls"]
    assert p.courses[1].description == "Wiring diagrams and thermostats."
    assert "High school diploma." in p.prerequisites  # an "Admission" section: required before entry
    assert "High school diploma." not in p.description


def test_markdown_without_headings_uses_its_first_line_as_title() -> None:
    p = parse_program(b"Forklift Operator Training\n\nStudents operate sit-down forklifts safely.\n", "f.md")
    assert (
        p.title == "Forklift Operator Training"
        and p.description == "Students operate sit-down forklifts safely."
    )


def test_docx_bold_lines_are_headings_and_numbered_outcomes() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("CDL Class A Training", style="Title")
    d.add_paragraph("Tractor-trailer driving for the Class A commercial license.")
    p = d.add_paragraph()
    p.add_run("TRK-101 Pre-trip Inspection").bold = True
    d.add_paragraph("Inspect the tractor and trailer before every trip.")
    p = d.add_paragraph()
    p.add_run("Learning outcomes").bold = True
    d.add_paragraph("Check brakes, tires and lights", style="List Number")
    d.add_paragraph("Complete a driver vehicle inspection report", style="List Number")
    buf = io.BytesIO()
    d.save(buf)
    prog = parse_program(buf.getvalue(), "cdl.docx")
    assert prog.title == "CDL Class A Training"
    assert [(c.code, c.title) for c in prog.courses] == [("TRK-101", "Pre-trip Inspection")]
    c = prog.courses[0]
    assert c.description == "Inspect the tractor and trailer before every trip."
    assert [o.text for o in c.outcomes] == [
        "Check brakes, tires and lights",
        "Complete a driver vehicle inspection report",
    ]
    assert c.outcomes[0].source.label() == "cdl.docx, course TRK-101, outcome"  # no page breaks: no pages


def test_tsv_and_semicolon_csv_course_lists() -> None:
    tsv = "Course\tTitle\tObjectives\nCUL-101\tKnife Skills\tDice onions; Julienne carrots\n"
    p = parse_program(tsv.encode(), "culinary_arts.tsv")
    assert p.title == "culinary arts"  # no program row: the file name
    assert (p.courses[0].code, p.courses[0].title) == ("CUL-101", "Knife Skills")
    assert [o.text for o in p.courses[0].outcomes] == ["Dice onions", "Julienne carrots"]
    csv = (
        "Program;Culinary Arts\n\nCourse Name;Description;Clock Hours\nKnife Skills;Cutting techniques.;40\n"
        "Sauces;Mother sauces.;60\n"
    )
    p = parse_program(csv.encode(), "c.csv")
    assert p.title == "Culinary Arts" and p.clock_hours == 100 and [c.hours for c in p.courses] == [40, 60]


def test_section_headings_with_hours_are_courses_and_their_bullets_outcomes() -> None:
    md = """# Commercial Driver's License Class A

Provider: Example Truck School

## Theory (40 hours)
- Explain the hours-of-service rules.
- Plan trips and read truck routes.

## Road Driving - 80 hrs
- Operate a tractor-trailer on city streets and highways.

## Total (120 hours)
"""
    p = parse_program(md.encode(), "cdl.md")
    assert [(c.title, c.hours) for c in p.courses] == [("Theory", 40), ("Road Driving", 80)]
    assert [o.text for o in p.courses[0].outcomes] == [
        "Explain the hours-of-service rules.",
        "Plan trips and read truck routes.",
    ]
    assert p.courses[1].outcomes[0].text.startswith("Operate a tractor-trailer")


def test_plain_text_numbered_course_list_with_hours_and_outcomes() -> None:
    text = """Medical Billing and Coding Specialist
Provider: Example Institute
Clock hours: 360

This 360-hour program prepares students to code diagnoses.

Courses
1. Medical Terminology (60 hours): build, spell and define medical terms.
2. Anatomy and Physiology (45 hours): describe the structure and function of the body
   systems and common disease processes.
3. Coding Practicum: code real de-identified charts.
"""
    p = parse_program(text.encode(), "billing.txt")
    assert [(c.title, c.hours) for c in p.courses] == [
        ("Medical Terminology", 60),
        ("Anatomy and Physiology", 45),
        ("Coding Practicum", None),
    ]
    assert p.courses[1].outcomes[0].text.endswith("common disease processes.")
    assert "Courses" not in p.description


def test_a_course_code_before_a_month_word_is_still_a_course() -> None:
    text = """Bookkeeping Specialist

Courses

BKP 150 Payroll (30 hours)
- Calculate gross pay and withholdings.

BKP 160 Month-End Close (25 hours)
- Reconcile bank statements.
"""
    p = parse_program(text.encode(), "bookkeeping.txt")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("BKP 150", "Payroll", 30),
        ("BKP 160", "Month-End Close", 25),
    ]


def test_csv_course_hours_column_wins_over_the_program_clock_hours_column() -> None:
    csv = (
        "program_title,clock_hours,course_code,course_title,course_hours,outcomes\n"
        "IT Support,420,ITS101,PC Hardware,90,Install desktop hardware\n"
        "IT Support,420,ITS110,Help Desk,60,Answer user requests\n"
    )
    p = parse_program(csv.encode(), "it.csv")
    assert [(c.title, c.hours) for c in p.courses] == [("PC Hardware", 90), ("Help Desk", 60)]
    assert p.clock_hours == 420


def test_a_short_hours_line_opens_a_course_but_a_labelled_total_does_not() -> None:
    text = """CDL Class A Training
Training term: 3,000 hours
A 4-week, 160-hour program that meets the FMCSA entry-level training requirements.
Theory (40 hours)
- Explain the hours-of-service rules.
Road Driving (80 hours)
- Operate a tractor-trailer on city streets and highways.
"""
    p = parse_program(text.encode(), "cdl.txt")
    assert [(c.title, c.hours) for c in p.courses] == [("Theory", 40), ("Road Driving", 80)]
    assert p.courses[1].outcomes[0].text.startswith("Operate a tractor-trailer")
    assert p.weeks == 4


def _docx_bytes(document) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_outcome_cells_split_at_semicolons_only_between_outcomes() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Home Health Aide Training", style="Title")
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Course", "Title", "Learning Outcomes"], strict=True):
        cell.text = text
    code, title, outcomes = table.rows[1].cells
    code.text, title.text = "HHA 130", "Vital Signs"
    outcomes.paragraphs[0].text = "Measure and record vital signs; report changes to the nurse."
    outcomes.add_paragraph("Weigh clients; Record intake and output.")
    p = parse_program(_docx_bytes(d), "hha.docx")
    assert [o.text for o in p.courses[0].outcomes] == [
        "Measure and record vital signs; report changes to the nurse.",  # one outcome in two clauses
        "Weigh clients",  # each part written as an outcome of its own
        "Record intake and output.",
    ]


@pytest.mark.parametrize("bold", ["school", "all", "none"])
def test_docx_school_and_department_line_under_the_title_is_the_provider(bold: str) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Network Support Technician Certificate", style="Title")
    line = d.add_paragraph()
    line.add_run("Summit Ridge Technical Institute").bold = bold in ("school", "all")
    line.add_run(" | School of Information Technology").bold = bold == "all"
    d.add_paragraph("Students configure switches and routers.")
    p = parse_program(_docx_bytes(d), "net.docx")
    assert p.title == "Network Support Technician Certificate"
    assert p.provider == "Summit Ridge Technical Institute - School of Information Technology"
    written = p.read_from["provider"].text
    assert written == "Summit Ridge Technical Institute | School of Information Technology"
    assert p.description == "Students configure switches and routers."


@pytest.mark.parametrize(
    ("line", "provider"),
    [
        (
            "Riverside Technical College | School of Health Sciences",
            "Riverside Technical College - School of Health Sciences",
        ),
        ("Riverside Technical College | 100 Main Street | (555) 555-0100", "Riverside Technical College"),
        ("Riverside Technical College | Surgical Technology Certificate", None),  # a program's name
        ("Riverbend College - School of Nursing", "Riverbend College - School of Nursing"),  # as written
        # school names that hold a program word
        ("Lakeshore Building Trades Training Center", "Lakeshore Building Trades Training Center"),
        ("NORTHGATE REGIONAL TRAINING CENTER", "NORTHGATE REGIONAL TRAINING CENTER"),
        ("Ironwood Institute of Technology", "Ironwood Institute of Technology"),
        ("Welding Technology Certificate", None),
        ("Forklift Training Program", None),
    ],
)
def test_institution_lines(line: str, provider: str | None) -> None:
    assert F.institution_line(line) == provider


@pytest.mark.parametrize(
    ("line", "continues"),
    [
        ("CNC Turning: Operations; OSHA 10-Hour General Industry card", True),  # the rest of an item
        ("Location: Building C, Room 12", False),  # a header label of its own
        ("Note: exam fees are paid by the student", False),
        ("Schedule: Monday-Friday, 7:00 a.m.-1:30 p.m.", False),  # a program field
        ("Week 1: Orientation and shop safety", False),  # a numbered part
        ("Module 1: Shop Safety (30 hours)", False),  # a course
        ("Program Description", False),
        ("This hands-on program trains entry-level machinists.", False),  # a new paragraph
    ],
)
def test_a_wrapped_label_list_goes_on_with_an_item_of_its_own_colon(line: str, continues: bool) -> None:
    prev = "Credentials: NIMS Measurement, Materials & Safety; NIMS CNC Milling: Operations; NIMS"
    assert F.continues_label(prev, line) is continues
    assert not F.continues_label("Credentials: NIMS CNC Milling", "CNC Turning: Operations")  # no list


def test_pdf_label_line_wrapped_before_an_item_with_a_colon() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "CNC Machining Technology Certificate", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10.5)
    for text in [
        "Credentials: NIMS Measurement, Materials & Safety; NIMS CNC Milling: Operations; NIMS",
        "CNC Turning: Operations; OSHA 10-Hour General Industry card",
        "Location: Building C, Room 12",
    ]:
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Program Description", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10.5)
    pdf.multi_cell(0, 6, "This hands-on program trains entry-level machinists and CNC operators.")
    p = parse_program(bytes(pdf.output()), "cnc.pdf")
    assert p.credential == (
        "NIMS Measurement, Materials & Safety; NIMS CNC Milling: Operations; "
        "NIMS CNC Turning: Operations; OSHA 10-Hour General Industry card"
    )
    assert p.description.splitlines() == [
        "Location: Building C, Room 12",
        "This hands-on program trains entry-level machinists and CNC operators.",
    ]


def test_plain_text_label_list_goes_on_over_a_line_but_not_over_a_blank_one() -> None:
    text = (
        "CNC Machining Technology Certificate\n"
        "Credentials: NIMS Measurement; NIMS CNC Milling: Operations; NIMS\n"
        "CNC Turning: Operations; OSHA 10-Hour General Industry card\n"
        "Schedule: Monday-Friday; 7:00 am-1:30 pm\n"
        "\n"
        "Shop Access: students use the machine shop after class.\n"
    )
    p = parse_program(text.encode(), "cnc.txt")
    assert p.credential == (
        "NIMS Measurement; NIMS CNC Milling: Operations; NIMS CNC Turning: Operations; "
        "OSHA 10-Hour General Industry card"
    )
    assert p.description == "Shop Access: students use the machine shop after class."


def test_a_college_web_page_without_its_breadcrumb_and_provider_line() -> None:
    """A program page as colleges publish it: the logo names the school, a breadcrumb trail and
    the school's longer name sit above the description; neither is description text."""
    page = """<html><body>
<header><a class="logo" href="/">Harmon Valley Community College</a>
<nav aria-label="Main"><ul><li><a href="/apply/">Apply Now</a></li></ul></nav></header>
<main>
<p class="breadcrumb"><a href="/workforce/">Workforce Institute</a> &rsaquo; Carpentry</p>
<div role="navigation"><a href="#content">Skip to content</a></div>
<h1>Carpentry Pre-Apprenticeship</h1>
<p class="provider">Harmon Valley Community College &ndash; Workforce Institute</p>
<h2>Program Description</h2>
<p>Students frame floors, walls and stairs in the shop.</p>
<div class="share-bar"><a href="#">Share on Facebook</a></div>
</main></body></html>"""
    p = parse_program(page.encode(), "carpentry.html")
    assert p.title == "Carpentry Pre-Apprenticeship"
    assert p.provider == "Harmon Valley Community College"
    assert p.description == "Students frame floors, walls and stairs in the shop."
