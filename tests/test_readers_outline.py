"""The outline rules on small real documents: headings without codes, course words, hours in
headings, front matter, bold DOCX headings, documents without headings."""

from __future__ import annotations

import io

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
