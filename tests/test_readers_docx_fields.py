"""Fields of Word course syllabi misread before (a sweep of five public syllabi in DOCX): an
"At the completion of the course, the student will:" lead-in, "Course Prerequisites" and
"Corequisite" sections, grading sections ("EVALUATION", "SPECIAL INSTRUCTIONS", "Grading
Rubric", "Assessment: Project Based"), resource lists ("REQUIRED RESOURCES"), a
dateline ("Updated for Spring 2026") before the title, "the weekend before final exams" (no
schedule) and a "Course Outline" list of topics. Each document is built here with the layout of
the syllabus it stands for."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from matcher.readers import parse_program
from matcher.readers.duration import find_lengths
from matcher.readers.fields import is_boilerplate_title, not_curriculum_section


def _bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _texts(items: list[Any]) -> list[str]:
    return [o.text for o in items]


def test_at_the_completion_of_the_course_leads_in_outcomes() -> None:
    """TCCD's ITSE 1430: "At the completion of the course, the student will:" under "UNITS OF
    INSTRUCTION", then a numbered list: the outcomes, not the description."""
    d = docx.Document()
    d.add_paragraph("Introduction to C# Programming", style="Title")
    d.add_paragraph("DESCRIPTION OF COURSE", style="Subtitle")
    d.add_paragraph("This class introduces the C# language, its data types and control structures.")
    d.add_paragraph("UNITS OF INSTRUCTION", style="Subtitle")
    d.add_paragraph("At the completion of the course, the student will:")
    items = [
        "Design and develop C# programs using structured programming techniques.",
        "Have working experience using Windows Forms to create applications.",
        "Be able to use ADO.NET to work with databases in an application.",
    ]
    for item in items:
        d.add_paragraph(item, style="List Number")
    p = parse_program(_bytes(d), "itse1430.docx")
    assert _texts(p.outcomes) == items
    assert "completion of the course" not in p.description
    assert "Windows Forms" not in p.description


@pytest.mark.parametrize(
    "heading", ["Course Prerequisites", "Corequisite(s)", "Co-requisites", "Prerequisites / Corequisites"]
)
def test_course_prerequisites_and_corequisites_open_the_prerequisites(heading: str) -> None:
    """The Big Data syllabus's "Course Prerequisites" heading, a "Co-requisites" one: what is
    under it is the prerequisites, not the description."""
    d = docx.Document()
    d.add_paragraph("Big Data Orientation", style="Title")
    d.add_paragraph("An orientation to big data technologies for analysts.")
    d.add_heading(heading, 1)
    d.add_paragraph("Some knowledge of basic programming constructs and database concepts.")
    p = parse_program(_bytes(d), "bigdata.docx")
    assert p.prerequisites == "Some knowledge of basic programming constructs and database concepts."
    assert "database concepts" not in p.description


def test_corequisite_and_recommended_prerequisite_labels() -> None:
    """Reno's "Corequisite" row of the course table, TCCD's "Recommended prerequisite:" line."""
    d = docx.Document()
    d.add_paragraph("Reno Technology Academy")
    table = d.add_table(rows=0, cols=2)
    for label, value in [
        ("Class", "CIS104: Coding in Python (3 credits)"),
        ("Instructor", "Lindsay Spencer"),
        ("Term", "Spring 2019"),
        ("Course Description", "This course will teach students how to use Python 3."),
        ("Corequisite", "CIS108: Introduction to Software Development"),
        ("Objectives", "Use Python data types.\nIdentify object types in Python."),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    p = parse_program(_bytes(d), "cis104.docx")
    assert p.prerequisites == "CIS108: Introduction to Software Development"
    assert "CIS108" not in p.description

    text = (
        b"Introduction to C# Programming\n\nThis class introduces C#.\nRecommended prerequisite: COSC 1436.\n"
    )
    p = parse_program(text, "x.txt")
    assert p.prerequisites == "COSC 1436."
    assert "COSC" not in p.description


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Methods of Evaluation", "attendance and policies"),
        ("EVALUATION", "attendance and policies"),
        ("SPECIAL INSTRUCTIONS", "attendance and policies"),
        ("ORIGINAL WORK", "attendance and policies"),
        ("Coursework and Grading", "attendance and policies"),
        ("Grading Distribution", "attendance and policies"),
        ("Grading Rubric", "attendance and policies"),
        ("Grading Criteria Standards", "attendance and policies"),
        ("Extra Credit", "attendance and policies"),
        ("Assessment: Project Based", "attendance and policies"),
        ("REQUIRED RESOURCES", "materials"),
        ("Additional Resources", "materials"),
        ("Textbook/Software/Hardware Requirements", "materials"),
        ("Required Textbooks", "materials"),
    ],
)
def test_grading_methods_and_resources_are_not_curriculum(heading: str, kind: str) -> None:
    """TCCD's "EVALUATION" / "SPECIAL INSTRUCTIONS", Reno's "Grading Rubric" / "Extra Credit",
    the PHP syllabus's "Assessment: Project Based": what follows is no description."""
    d = docx.Document()
    d.add_paragraph("Introduction to C# Programming", style="Title")
    d.add_paragraph("This class introduces the C# language, its data types and control structures.")
    d.add_heading(heading, 1)
    d.add_paragraph("Labs count for sixty percent of the grade and quizzes for twenty.")
    d.add_paragraph("Stack Overflow", style="List Bullet")
    p = parse_program(_bytes(d), "syllabus.docx")
    assert "sixty percent" not in p.description
    assert "Stack Overflow" not in p.description
    assert "Stack Overflow" not in _texts(p.outcomes)
    assert {o.source.field for o in p.not_curriculum if o.source} == {kind}


@pytest.mark.parametrize(
    "heading",
    [
        "Assessment of Welding Skills",
        "Assessment Criteria",
        "Evaluation and Management Coding",
        "Methods of Presentation",
        "assessment.",
    ],
)
def test_only_whole_grading_headings_are_not_curriculum(heading: str) -> None:
    """A competency-based "Assessment Criteria" list, a course on evaluation, the wrapped end of
    a sentence ("... the college placement / assessment.") open no grading section; "Methods of
    Presentation" stays description (tests/test_readers_docx_sweep.py reads it so)."""
    assert not_curriculum_section(heading) is None


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Last updated: 08/2024\n\nWelding Fundamentals\n\nStudents learn to weld.\n", "x.txt"),
        (b"Updated for Spring 2026\n\nWelding Fundamentals\n\nStudents learn to weld.\n", "x.txt"),
        (b"# Revised 1/15/2025\n\n## Welding Fundamentals\n\nStudents learn to weld.\n", "x.md"),
        (
            b"<h1>Updated for Fall 2025</h1><h2>Welding Fundamentals</h2><p>Students learn to weld.</p>",
            "x.html",
        ),
    ],
)
def test_a_dateline_is_never_the_title(content: bytes, name: str) -> None:
    """The PHP syllabus's "Updated for Spring 2026" above its title, in any format."""
    assert parse_program(content, name).title == "Welding Fundamentals"


def test_a_dateline_is_boilerplate_but_not_a_revised_program() -> None:
    assert is_boilerplate_title("Updated for Spring 2026")
    assert is_boilerplate_title("Last revised: 1/15/2025")
    assert not is_boilerplate_title("Revised Welding Curriculum")


def test_the_weekend_before_final_exams_is_no_schedule() -> None:
    """TCCD: "The cut-off date for all assignments and makeup work is the weekend before final
    exams." says when work is due, not that the class meets on weekends."""
    text = (
        b"Introduction to C# Programming\n\nThis class introduces the C# language.\n"
        b"The cut-off date for all assignments and makeup work is the weekend before final exams.\n"
        b"Students present their projects on the evening of the last class.\n"
    )
    p = parse_program(text, "x.txt")
    assert p.schedule is None


@pytest.mark.parametrize(
    ("phrase", "word"),
    [
        ("A 10-week evening certificate", "evening"),
        ("A 6 month program with evening classes", "evening"),
        ("We offer evening and weekend classes.", "evening"),
        ("Classes meet in the evening.", "evening"),
        ("18 weeks (evening)", "evening"),
        ("Weekend cohort: 10 Saturdays over 10 weeks", "weekend"),
        ("This evening program trains entry-level technicians.", "evening"),
        ("Part-time evenings and weekends available", "part-time"),
        ("Evening", "evening"),
    ],
)
def test_schedule_words_in_schedule_context(phrase: str, word: str) -> None:
    found = [f.schedule for f in find_lengths(phrase) if f.schedule]
    assert found and word in found[0].lower()


def _outline_doc(*, courses: bool) -> bytes:
    d = docx.Document()
    d.add_paragraph("Big Data Orientation", style="Title")
    d.add_paragraph("An orientation to big data technologies for analysts.")
    d.add_heading("Course Outline", 1)
    topics = [
        "Data Fundamentals",
        "Introduction to Relational Databases",
        "Introduction to NoSQL Databases",
    ]
    for topic in topics:
        d.add_paragraph(topic, style="List Number")
    if courses:
        d.add_heading("DAT 101 Data Fundamentals", 1)
        d.add_paragraph("Describe the kinds of data an organisation keeps.", style="List Bullet")
    return _bytes(d)


def test_course_outline_items_are_outcomes() -> None:
    """The Big Data syllabus's "Course Outline" list of topics, in a document that names no
    courses: what the program teaches."""
    p = parse_program(_outline_doc(courses=False), "bigdata.docx")
    assert _texts(p.outcomes) == [
        "Data Fundamentals",
        "Introduction to Relational Databases",
        "Introduction to NoSQL Databases",
    ]
    assert "Relational" not in p.description
    assert all(o.source is not None and o.source.field == "outcome" for o in p.outcomes)


def test_course_outline_items_stay_description_when_courses_follow() -> None:
    p = parse_program(_outline_doc(courses=True), "bigdata.docx")
    assert [c.title for c in p.courses] == ["Data Fundamentals"]
    assert "Introduction to Relational Databases" in p.description
    assert "Introduction to Relational Databases" not in _texts(p.outcomes)
