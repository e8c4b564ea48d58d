"""A second format-invariance sweep: layouts the first one left reading differently from their
originals. Each document is the smallest reproduction of a converted layout, written at test time
(no pandoc or browser needed): a plain text opened in Word (one paragraph a line, lines wrapped
by hand), and the grid and multiline tables of a plain-text export (``pandoc -t plain``) whose
cells wrap over several lines."""

from __future__ import annotations

import io

import docx

from matcher.readers import parse_program
from matcher.readers.docx import typed_text

_TYPED = """NORTHGATE REGIONAL TRAINING CENTER
Workforce Development Division

PROGRAM SYLLABUS
Course Title: Forklift Operator Certificate
Clock Hours: 160
Credentials: Powered industrial truck operator certification (sit-down
counterbalanced, stand-up reach truck) evaluated per OSHA 29 CFR
1910.178(l); MSSC Certified Logistics Associate (CLA)

PROGRAM DESCRIPTION
This program prepares students to work safely as forklift operators
and material handlers in distribution centers and retail warehouses.

COURSE OUTLINE

WLO 100  Warehouse Safety (24 hours)
- Identify the hazards of a warehouse and the controls that keep
  pedestrians and operators apart
- Read a load capacity plate

WLO 110  Forklift Operation (40 hours)
- Inspect a truck before each shift and report defects
"""


def _docx_of_lines(lines: list[str]) -> bytes:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- a text file opened in Word -----------------------------------------------------------------


def test_text_opened_in_word_reads_as_the_text() -> None:
    as_text = parse_program(_TYPED.encode(), "forklift.txt")
    p = parse_program(_docx_of_lines(_TYPED.splitlines()), "forklift.docx")
    assert p.credential == as_text.credential
    assert p.credential is not None and p.credential.endswith("Logistics Associate (CLA)")
    assert [c.title for c in p.courses] == ["Warehouse Safety", "Forklift Operation"]
    assert p.courses[0].outcomes[0].text.endswith("keep pedestrians and operators apart")
    assert len(p.courses[0].outcomes) == 2


def test_word_document_of_whole_paragraphs_is_no_typed_text() -> None:
    paragraphs = [
        "Forklift Operator Certificate",
        "",
        "Students learn to drive powered industrial trucks safely.",
        "",
        "Graduates earn the operator card.",
    ]
    assert typed_text(docx.Document(io.BytesIO(_docx_of_lines(paragraphs)))) is None
    d = docx.Document()
    d.add_heading("Forklift Operator Certificate", 0)
    for line in _TYPED.splitlines()[1:]:
        d.add_paragraph(line)
    assert typed_text(d) is None  # a styled heading: a Word document, read by its styles


# --- pandoc's plain-text tables with wrapped cells ---------------------------------------------

_GRID = """Sterile Processing Technician Certificate

Courses and Learning Outcomes

+-----------------+-----------------+-----------------+-----------------+
| Course          | Title           | Clock Hours     | Learning        |
|                 |                 |                 | Outcomes        |
+=================+=================+=================+=================+
| SPT 101         | Introduction to | 32              | -   Describe    |
|                 | Central Service |                 |     the central |
|                 | and Medical     |                 |     service     |
|                 | Terminology     |                 |     workflow    |
|                 |                 |                 |     through     |
|                 |                 |                 |     d           |
|                 |                 |                 | econtamination. |
|                 |                 |                 |                 |
|                 |                 |                 | -   Use medical |
|                 |                 |                 |     terminology |
+-----------------+-----------------+-----------------+-----------------+
| SPT 130         | Surgical        | 48              | -   Identify    |
|                 | I               |                 |     surgical    |
|                 | nstrumentation, |                 |     instruments |
|                 | Inspection and  |                 |                 |
|                 | Assembly        |                 |                 |
+-----------------+-----------------+-----------------+-----------------+
"""


def test_grid_table_with_wrapped_cells() -> None:
    p = parse_program(_GRID.encode(), "spt.txt")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("SPT 101", "Introduction to Central Service and Medical Terminology", 32),
        ("SPT 130", "Surgical Instrumentation, Inspection and Assembly", 48),
    ]
    assert [o.text for o in p.courses[0].outcomes] == [
        "Describe the central service workflow through decontamination.",
        "Use medical terminology",
    ]


_MULTILINE = """Sterile Processing Technician Certificate

  -----------------------------------------------------------------------
  Program Code                        HLTH-SPT-C
  ----------------------------------- -----------------------------------
  Total Clock Hours                   400 (224 classroom/lab + 176
                                      clinical externship)

  Credential                          Riverbend Certificate of
                                      Completion; prepares graduates to
                                      sit for the HSPA CRCST exam
  -----------------------------------------------------------------------

Courses

  -----------------------------------------------------------------------
  Code                    Course Title            Clock Hours
  ----------------------- ----------------------- -----------------------
  NET 100                 IT Fundamentals and     36
                          Help Desk Operations

  NET 130                 Routing and IP Services 48

                          Total                   84
  -----------------------------------------------------------------------

  ------------- ---------------------------------------------
  Provider      Riverbend Technical College
  Length        12 weeks
  ------------- ---------------------------------------------

Course Outcomes
"""


def test_multiline_tables_with_wrapped_cells() -> None:
    p = parse_program(_MULTILINE.encode(), "spt.txt")
    assert p.clock_hours == 400
    assert p.credential == (
        "Riverbend Certificate of Completion; prepares graduates to sit for the HSPA CRCST exam"
    )
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("NET 100", "IT Fundamentals and Help Desk Operations", 36),
        ("NET 130", "Routing and IP Services", 48),
    ]
    assert p.provider == "Riverbend Technical College" and p.weeks == 12


def test_dash_rule_without_a_table_stays_text() -> None:
    text = "Welding Certificate\n\n  -------------------------\nStudents weld.\n\nWLD 110 Safety (40 hours)\n"
    p = parse_program(text.encode(), "w.txt")
    assert [c.title for c in p.courses] == ["Safety"]
