"""Word syllabi laid out as real colleges publish them (a sweep of public course syllabi in
DOCX): a course information table of labels and values, sections set in the ``Subtitle``
style, a ``COURSE TITLE`` heading over the title, body text sized only by the document's
defaults, a dateline set large under the title. Each document is built here with the layout of
the syllabus it stands for."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from matcher.readers import parse_program


def _bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _sized(d: Any, text: str, pt: float, *, bold: bool = False) -> None:
    run = d.add_paragraph().add_run(text)
    run.font.size = Pt(pt)
    run.bold = bold


def _default_size(d: Any, half_points: int) -> None:
    """Set the document's default font size (``w:docDefaults``) and clear the Normal style's."""
    d.styles["Normal"].font.size = None
    rpr = d.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    sz = rpr.find(qn("w:sz"))
    if sz is None:
        sz = OxmlElement("w:sz")
        rpr.append(sz)
    sz.set(qn("w:val"), str(half_points))


def test_course_information_table_of_labels_and_values() -> None:
    """Reno Technology Academy's CIS104 syllabus: the course is a table of labels and values."""
    d = docx.Document()
    _sized(d, "Reno Technology Academy", 20, bold=True)
    rows = [
        ("Class", "CIS104: Coding in Python (3 credits)"),
        ("Instructor", "Lindsay Spencer\nlindsay.spencer@example.edu"),
        ("Term", "Spring 2019"),
        ("Course Description", "This course will teach students how to use Python 3."),
        ("Objectives", "Use Python data types.\nIdentify object types in Python.\nWrite Python functions."),
        ("Required Textbook(s)", "Lutz, Mark, Learning Python (5th Edition), 2013.\nISBN: 9781449355739"),
    ]
    table = d.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    d.add_heading("Grading Distribution", 1)
    d.add_paragraph("Labs count for 30% of the grade.")
    p = parse_program(_bytes(d), "cis104.docx")
    assert p.title == "CIS104: Coding in Python"
    assert p.credit_hours == 3.0
    assert p.provider == "Reno Technology Academy"
    assert [o.text for o in p.outcomes] == [
        "Use Python data types.",
        "Identify object types in Python.",
        "Write Python functions.",
    ]
    assert "This course will teach students how to use Python 3." in p.description
    assert "Lutz" not in p.description and "lindsay" not in p.description.lower()
    assert not p.courses


def test_subtitle_style_sections_are_headings() -> None:
    """Tarrant County College's ITSE 1430 course information document sets every section
    heading in the Subtitle style: the section after "OBJECTIVES" is not an outcome."""
    d = docx.Document()
    d.add_paragraph("Introduction to C# Programming", style="Title")
    d.add_paragraph("OBJECTIVES", style="Subtitle")
    d.add_paragraph("The student will develop a structured approach to solving problems using C#.")
    d.add_paragraph("METHODS OF PRESENTATION", style="Subtitle")
    d.add_paragraph("The instructional methods used will include reading and demonstrations.")
    p = parse_program(_bytes(d), "itse1430.docx")
    assert [o.text for o in p.outcomes] == [
        "The student will develop a structured approach to solving problems using C#."
    ]
    assert "The instructional methods used will include reading and demonstrations." in p.description


def test_one_subtitle_under_the_title_stays_text() -> None:
    d = docx.Document()
    d.add_paragraph("Welding Technology", style="Title")
    d.add_paragraph("A 12-week certificate in structural welding", style="Subtitle")
    d.add_heading("Objectives", 1)
    d.add_paragraph("Weld plate in all positions.")
    p = parse_program(_bytes(d), "welding.docx")
    assert p.title == "Welding Technology"
    assert "A 12-week certificate in structural welding" in p.description


def test_course_title_heading_over_its_value() -> None:
    """ "COURSE TITLE" set as a heading with the title as the paragraph under it."""
    d = docx.Document()
    for text in ("COURSE INFORMATION DOCUMENT", "ITSE 1430", "TARRANT COUNTY COLLEGE - NE"):
        d.add_paragraph().add_run(text).bold = True
    d.add_heading("COURSE TITLE", 2)
    d.add_paragraph("Introduction to C# Programming")
    d.add_heading("DESCRIPTION OF COURSE", 2)
    d.add_paragraph("This class introduces the C# language including syntax and semantics.")
    p = parse_program(_bytes(d), "itse1430.docx")
    assert p.title == "Introduction to C# Programming"
    assert p.provider == "TARRANT COUNTY COLLEGE - NE"
    assert "COURSE TITLE" not in p.description


def test_heading_sizes_against_the_documents_default_size() -> None:
    """Yavapai College's CSC211 syllabus: body runs carry no size (12 pt from the document's
    defaults), section headings are set in 21.5 pt; a heading closes the textbook section."""
    d = docx.Document()
    _default_size(d, 24)
    _sized(d, "Programming: PHP and MySQL", 18, bold=True)
    d.add_paragraph("Principles and techniques of developing database applications for the web.")
    _sized(d, "Textbook", 21.5)
    d.add_paragraph("PHP and MySQL Web Development, Fifth Edition")
    _sized(d, "Course Overview", 21.5)
    d.add_paragraph("Students build web pages that read and write a MySQL database.")
    p = parse_program(_bytes(d), "csc211.docx")
    assert p.title == "Programming: PHP and MySQL"
    assert "Students build web pages that read and write a MySQL database." in p.description
    assert "Fifth Edition" not in p.description


def test_dateline_set_large_is_not_the_title() -> None:
    d = docx.Document()
    _default_size(d, 24)
    _sized(d, "Course Syllabus", 21.5)
    _sized(d, "Updated for Spring 2026", 18)
    _sized(d, "Programming: PHP and MySQL", 18, bold=True)
    d.add_paragraph("Principles and techniques of developing database applications for the web.")
    p = parse_program(_bytes(d), "csc211.docx")
    assert p.title == "Programming: PHP and MySQL"
