"""Outline misreads found reading published course pages: the University of Toronto Data Sciences
Institute's module READMEs (``tests/corpus/web/uoft-dsi-sql.md``) and a community college's
certificate and class pages (github.com/michaelrisher/csc-pathways). Each document here is the
smallest one of the same structure."""

from __future__ import annotations

import pytest

from matcher.readers import parse_program

README = b"""# SQL

## Description

SQL is a fundamental skill for data scientists. This module covers query design.

## Learning Outcomes
By the end of the module, participants will be able to:

### DC Cohorts
**Week 1:**
* Describe the structure of a database.
* Use SQL querying techniques to formulate queries.

**Week 2:**
* Use advanced techniques such as NULL Management.

### Microcredential Cohorts

**Week 1:**
* Describe the structure of a database.
* Examine the legal framework around sharing data.

## Contacts

**Questions can be submitted to the #questions channel on Slack**

* Technical Facilitator:
  * **Thomas Rosenthal** (he/him)

## Resources

### Concept Map
![sql-concept-map.jpeg](https://example.org/SQL-concept-maps.jpg)

### Videos
- [What is SQLite?](https://www.youtube.com/watch?v=1)

### How to Get Help
#### 1. Gather information about your problem
- Copy and paste your error message

## Folder Structure

* **.github**: Contains issue templates for the repository.
* **LICENSE**: The license for this repository.
"""


def test_contacts_and_a_repository_s_furniture_are_not_curriculum() -> None:
    """ "## Contacts" (not only "Contact"), "## Resources", "### Videos", "### How to Get Help"
    (with its own sub-headings) and "## Folder Structure" list what is not taught."""
    p = parse_program(README, "sql.md")
    assert p.description == "SQL is a fundamental skill for data scientists. This module covers query design."
    kinds = {u.text: u.source.field for u in p.not_curriculum}
    assert kinds["Thomas Rosenthal (he/him)"] == "attendance and policies"
    assert kinds["Questions can be submitted to the #questions channel on Slack"] == "attendance and policies"
    assert kinds["What is SQLite?"] == "resources"
    assert kinds["Copy and paste your error message"] == "resources"
    assert kinds["LICENSE: The license for this repository."] == "resources"
    assert p.credential is None


def test_resource_headings_that_are_not_curriculum() -> None:
    from matcher.readers.fields import not_curriculum_section

    furniture = ["Folder Structure", "Repository structure", "How to Get Help", "Getting Help", "Resources"]
    furniture += ["Videos", "Documents", "Cheat sheet", "Cheatsheets", "Self Assessments", "Self-assessment"]
    for heading in [*furniture, "Contacts", "Contact Information"]:
        assert not_curriculum_section(heading) is not None, heading
    for heading in ("Human Resources Management", "Video Production", "Document Control", "Self-Care"):
        assert not_curriculum_section(heading) is None, heading


def test_a_licence_label_that_reads_as_a_sentence_is_no_credential() -> None:
    for line in (
        "License: The license for this repository.",
        "License: This work is licensed under CC BY 4.0",
        "Licence: Materials may be shared and adapted for any purpose with attribution to the authors",
        "LICENSE: MIT License.",
    ):
        p = parse_program(f"# Data Basics\n\nStudents query databases.\n\n{line}\n".encode(), "d.md")
        assert p.credential is None, line
        assert line in p.description
    p = parse_program(b"# CDL Training\n\nLicense: Class A CDL\n\nStudents drive trucks.\n", "cdl.md")
    assert p.credential == "Class A CDL"


def test_outcomes_grouped_under_deeper_headings_stay_outcomes() -> None:
    """ "## Learning Outcomes" / "### DC Cohorts" / "**Week 1:**" / items: the items are
    outcomes (each once), the "Week 1:" captions are not."""
    p = parse_program(README, "sql.md")
    assert [o.text for o in p.outcomes] == [
        "Describe the structure of a database.",
        "Use SQL querying techniques to formulate queries.",
        "Use advanced techniques such as NULL Management.",
        "Examine the legal framework around sharing data.",
    ]
    assert "Week 1:" not in p.description and "DC Cohorts" not in p.description


def test_a_deeper_heading_after_outcomes_listed_under_the_outcomes_heading_ends_them() -> None:
    doc = b"""# Web Bootcamp

## Week 3

### Learning Objectives

* Learn Git to commit and push code
* Learn Node to create projects

#### Tools

* Atom
* HyperTerminal

## Week 4

Students build a web server.
"""
    p = parse_program(doc, "w.md")
    assert [o.text for o in p.outcomes] == [
        "Learn Git to commit and push code",
        "Learn Node to create projects",
    ]
    assert "Atom\nHyperTerminal" in p.description


def test_a_deeper_heading_that_names_a_section_of_its_own_ends_grouped_outcomes() -> None:
    doc = b"""# Web Bootcamp

## Week 2

### Learning Objectives

#### Outline

* Functions
* Data Structures

#### Exercises

* Create a utility library

#### Tools

* Tonic
"""
    p = parse_program(doc, "w.md")
    assert [o.text for o in p.outcomes] == ["Functions", "Data Structures"]
    assert p.description == "Create a utility library\nTonic"


def test_a_deeper_heading_of_another_kind_still_closes_the_outcomes() -> None:
    doc = b"""# Welding

## Learning Outcomes

### Week 1

* Weld a fillet joint.

### Materials

* Safety glasses

### Prerequisites

A high school diploma.
"""
    p = parse_program(doc, "w.md")
    assert [o.text for o in p.outcomes] == ["Weld a fillet joint."]
    assert [u.text for u in p.not_curriculum] == ["Safety glasses"]
    assert p.prerequisites == "A high school diploma."


CERTIFICATE_PAGE = b"""<div>
<p class="title">Relational Database Certificate (CE 816)</p>
<p>Provides the skills necessary to manage relational databases.</p>
<p class="bold">Program Learning Outcomes</p>
<p>Upon successful completion of this program, students should be able to:</p>
<ul>
<li>Present the data to the user as a set of relations.</li>
<li>Provide relational operators to manipulate the data in tabular form.</li>
<li>Use a modeling language to define the schema of each database.</li>
</ul>
<p>One Year Completion - Online</p>
<table>
<tr><th>Year</th><th>Summer</th><th>Fall</th><th>Winter</th><th>Spring</th></tr>
<tr><td>Year 1</td><td></td><td>CIS-1A</td><td></td><td>CIS-22A</td></tr>
</table>
</div>
"""


def test_a_paragraph_after_outcome_items_ends_the_outcomes() -> None:
    p = parse_program(CERTIFICATE_PAGE, "ce816.html")
    assert [o.text for o in p.outcomes] == [
        "Present the data to the user as a set of relations.",
        "Provide relational operators to manipulate the data in tabular form.",
        "Use a modeling language to define the schema of each database.",
    ]
    assert "One Year Completion - Online" in p.description


def test_text_after_outcome_items_is_description_but_a_last_short_line_stays_an_outcome() -> None:
    doc = b"""# Phlebotomy Technician

## Learning Outcomes

- Perform venipuncture on adult patients.
- Label blood samples at the bedside.

Graduates may continue to the Medical Assistant certificate.

Classes meet on Tuesdays.
"""
    p = parse_program(doc, "p.md")
    assert [o.text for o in p.outcomes] == [
        "Perform venipuncture on adult patients.",
        "Label blood samples at the bedside.",
    ]
    assert (
        p.description
        == "Graduates may continue to the Medical Assistant certificate.\nClasses meet on Tuesdays."
    )
    # a short line that ends the section after a list stays with it (see test_readers_syllabi)
    last = doc.split(b"\n\nGraduates")[0] + b"\n\nShop safety\n\n## Schedule\n\nClasses meet on Tuesdays.\n"
    assert [o.text for o in parse_program(last, "p.md").outcomes][-1] == "Shop safety"


def test_table_rows_read_as_lines_are_never_outcomes() -> None:
    """Outcomes written as paragraphs, then a schedule table: its rows stay out of them."""
    page = (
        CERTIFICATE_PAGE.replace(b"<p>One Year Completion - Online</p>", b"")
        .replace(b"<ul>", b"")
        .replace(b"</ul>", b"")
        .replace(b"<li>", b"<p>")
        .replace(b"</li>", b"</p>")
    )
    p = parse_program(page, "ce816.html")
    assert len(p.outcomes) == 3
    assert "Year — Summer — Fall — Winter — Spring" in p.description


def test_outcomes_written_as_paragraphs_stay_outcomes() -> None:
    doc = b"""# Phlebotomy Technician

## Learning Outcomes

Perform venipuncture on adult patients.

Label and process specimens.

Follow infection control procedures.

## Schedule

Classes meet on Tuesdays.
"""
    p = parse_program(doc, "p.md")
    assert [o.text for o in p.outcomes] == [
        "Perform venipuncture on adult patients.",
        "Label and process specimens.",
        "Follow infection control procedures.",
    ]
    assert p.description == "Classes meet on Tuesdays."


CLASS_PAGE = b"""<div>
<p class="title">CIS-1A - Introduction to Computer Information Systems</p>
<p class="floatright">3 units</p>
<p>Examination of information systems and their role in business. 54 hours lecture and 18 hours
laboratory. (TBA option)</p>
</div>
"""


def test_lecture_and_laboratory_hours_stated_together_add_up() -> None:
    p = parse_program(CLASS_PAGE, "c1a.html")
    assert p.clock_hours == 72
    assert p.read_from["clock_hours"].text == "54 hours lecture and 18 hours laboratory"


@pytest.mark.parametrize(
    ("sentence", "hours"),
    [
        ("It has 30 lecture hours, 20 lab hours and 40 clinical hours.", 90),
        ("It has 40 hours of lecture plus 40 hours of clinicals.", 80),
        ("It meets 3 hours lecture and 3 hours lab per week.", None),
        ("It has 54 hours lecture.", None),
        # a CHW program after COMAR 10.68.02.03 (100 hours of instruction, a 40-hour practicum)
        ("It provides 100 hours of classroom instruction and a supervised 40-hour practicum.", 140),
        ("It has 120 hours of instruction plus an 80-hour clinical externship.", 200),
        ("It consists of 84 hours of classroom study.", 84),
        ("Students attend 20 hours of training per week.", None),
        ("Students complete 15 clock hours of training each week.", None),
    ],
)
def test_split_hours(sentence: str, hours: float | None) -> None:
    p = parse_program(f"# Nursing Aide\n\nStudents care for residents. {sentence}\n".encode(), "n.md")
    assert p.clock_hours == hours


def test_a_page_that_gives_several_splits_gives_no_clock_hours() -> None:
    doc = (
        b"# Classes\n\nCIS-1A covers systems. 54 hours lecture and 18 hours laboratory.\n\n"
        b"CIS-5 covers programming. 54 hours lecture and 54 hours laboratory.\n"
    )
    assert parse_program(doc, "c.md").clock_hours is None


def test_a_line_of_units_gives_the_credit_hours() -> None:
    p = parse_program(CLASS_PAGE, "c1a.html")
    assert p.credit_hours == 3
    assert p.read_from["credit_hours"].text == "3 units"
    doc = b"# Classes\n\nSystems basics\n\n3 units\n\nProgramming basics\n\n4 units\n"
    assert parse_program(doc, "c.md").credit_hours is None  # two classes: no one figure


def test_a_title_s_award_word_alone_is_no_credential() -> None:
    """ "Programming Certificate (CE 728)" names a kind of award, not a credential: credentials
    read from prose are named certifications or licences only (see ``finish._fill_credential``)."""
    old, new = b"Relational Database Certificate (CE 816)", b"Programming Certificate (CE 728)"
    page = CERTIFICATE_PAGE.replace(old, new)
    assert parse_program(page, "ce728.html").credential is None


def test_classroom_laboratory_and_clinical_hours_in_one_sentence_add_up() -> None:
    p = parse_program(
        b"Nursing Assistant Certificate\n\nThe program provides 48 hours of classroom instruction, "
        b"24 hours of clinical laboratory, and 72 hours of supervised clinical in direct care.\n",
        "na.txt",
    )
    assert p.clock_hours == 144
    weekly = parse_program(
        b"Welding Basics\n\nClasses include 20 hours of classroom instruction per week "
        b"and 10 hours of lab per week.\n",
        "w.txt",
    )
    assert weekly.clock_hours is None  # hours a week are a rate, not the program's hours


def test_the_dates_classes_run_give_the_length_when_no_length_is_stated() -> None:
    p = parse_program(
        b"EMT Basic\n\nClass dates: May 21, 2025 - August 13, 2025. "
        b"Classes meet Tuesday and Thursday evenings.\n",
        "emt.txt",
    )
    assert p.weeks == 12 and p.read_from["weeks"].text.startswith("dates May 21")
    applying = parse_program(
        b"Welding\n\nApplications are accepted March 1 - April 30.\n\nStudents weld.\n", "w.txt"
    )
    assert applying.weeks is None  # dates of applying are no class dates
    stated = parse_program(b"CNA\n\nA 6-week class. Session: May 1 - June 30.\n", "cna.txt")
    assert stated.weeks == 6  # a length stated in words wins
