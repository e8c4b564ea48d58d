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
    assert "High school diploma." in p.description


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
