"""Misreads of published curricula left over from the layout sweeps: topics led by a figure or a
symbol, schedule rows on which no class meets, raw HTML inside Markdown, weekly schedule tables,
and a course syllabus's header line. Each document is the smallest one that showed the problem."""

from __future__ import annotations

import pytest

from matcher.readers import parse_program, parse_programs
from matcher.readers.fields import is_no_meeting, split_outcomes


def _outcomes(course: object) -> list[str]:
    return [o.text for o in course.outcomes]  # type: ignore[attr-defined]


# -- 1. ";" lists of topics led by a figure or a symbol ----------------------------------------------


def test_semicolon_topics_led_by_a_digit_or_a_symbol_are_topics_of_their_own() -> None:
    csv = (
        "Course Title,Topics\n"
        "Radiocarbon Dating,14C Basics;Calibration Background;OxCal\n"
        "Statistics,Overview;Sample & Population;χ2-test\n"
    )
    p = parse_program(csv.encode(), "archaeology.csv")
    assert [_outcomes(c) for c in p.courses] == [
        ["14C Basics", "Calibration Background", "OxCal"],
        ["Overview", "Sample & Population", "χ2-test"],
    ]


def test_a_part_that_goes_on_with_a_lower_case_word_still_continues_the_outcome() -> None:
    assert split_outcomes("Load, run and unload steam sterilizers; conduct Bowie-Dick tests") == [
        "Load, run and unload steam sterilizers; conduct Bowie-Dick tests"
    ]
    assert split_outcomes("Measure pH; Titrate acids") == ["Measure pH", "Titrate acids"]
    assert split_outcomes("Calibrate the meter; 2-point checks; Record readings") == [
        "Calibrate the meter",
        "2-point checks",
        "Record readings",
    ]


# -- 2. rows and items on which no class meets ------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("No Meeting", True),
        ("No class", True),
        ("Holiday", True),
        ("Spring Break (No class)", True),
        ("Thanksgiving Break", True),
        ("Labor Day - no classes", True),
        ("Week 9: No class", True),
        ("Holiday Baking", False),
        ("Break-even Analysis", False),
        ("Midterm review - no lecture notes", False),
        ("No-bake Desserts", False),
    ],
)
def test_is_no_meeting(title: str, expected: bool) -> None:
    assert is_no_meeting(title) is expected


def test_csv_rows_on_which_no_class_meets_are_no_courses() -> None:
    csv = (
        "Session,Course Title,Description\n"
        "1,Intro to Python,Variables and types\n"
        "2,No class,\n"
        "3,Spring Break (No class),\n"
        "4,Holiday,\n"
        "5,Thanksgiving Break,\n"
        "6,Functions,Define and call functions\n"
    )
    p = parse_program(csv.encode(), "python.csv")
    assert [c.title for c in p.courses] == ["Intro to Python", "Functions"]


def test_markdown_course_table_rows_on_which_no_class_meets_are_no_courses() -> None:
    md = (
        "# Research Methods\n\n| Date | Title | Topics |\n|---|---|---|\n"
        "| 06.12. | Field Survey | GPS;Total Station |\n| 13.12. | No Meeting | |\n"
        "| 20.12. | Presentations | Project Presentations |\n"
    )
    p = parse_program(md.encode(), "methods.md")
    assert [c.title for c in p.courses] == ["Field Survey", "Presentations"]


def test_yaml_list_of_sessions_skips_those_on_which_no_class_meets() -> None:
    text = (
        "- session: 1\n  topic: Data formats\n  description: CSV, JSON and XML\n"
        "- session: 2\n  topic: No Meeting\n"
        "- session: 3\n  topic: Spring Break (No class)\n"
        "- session: 4\n  topic: Open licences\n"
    )
    (p,) = parse_programs(text.encode(), "open-data_syllabus.yml")
    assert [(c.code, c.title) for c in p.courses] == [
        ("Session 1", "Data formats"),
        ("Session 4", "Open licences"),
    ]


# -- 3. raw HTML inside Markdown -------------------------------------------------------------------

_DETAILS_MD = """# Unix Shell Workshop

Learn to work at the command line.

## Curriculum

<details><summary>Week 1: Shell basics</summary>

<ul><li>Navigate the file system</li><li>Use pipes and redirection</li></ul>
</details>

<details>
<summary>Week 2: Scripting</summary>

- Write shell scripts
- Use loops and variables

</details>

<table>
<tr><th>Code</th><th>Title</th><th>Hours</th></tr>
<tr><td>UNX 190</td><td>Capstone Project</td><td>10</td></tr>
</table>
"""


def test_html_blocks_inside_markdown_give_headings_items_and_tables() -> None:
    p = parse_program(_DETAILS_MD.encode(), "shell.md")
    assert p.title == "Unix Shell Workshop"
    assert [(c.code, c.title, _outcomes(c)) for c in p.courses] == [
        (None, "Week 1: Shell basics", ["Navigate the file system", "Use pipes and redirection"]),
        (None, "Week 2: Scripting", ["Write shell scripts", "Use loops and variables"]),
        ("UNX 190", "Capstone Project", []),
    ]
    assert p.courses[2].hours == 10
    week1 = p.courses[0]
    # the Markdown's own lines: the <summary>'s, the <li>'s, the <table>'s first
    assert week1.source.line == 7 and week1.outcomes[0].source.line == 9
    assert p.courses[1].source.line == 13 and p.courses[2].source.line == 20


def test_a_summary_is_a_heading_one_level_below_the_markdown_heading() -> None:
    from matcher.readers.markdown import markdown_blocks

    blocks = markdown_blocks(
        "## Weeks\n\n<details><summary>Week 1</summary>\n<details><summary>Day 1</summary>\n"
        "<p>Shell basics</p>\n</details>\n</details>\n"
    )
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("heading", "Weeks", 2),
        ("heading", "Week 1", 3),
        ("heading", "Day 1", 4),
        ("para", "Shell basics", 0),
    ]


# -- 4. weekly schedule tables ------------------------------------------------------------------------

_WEEKLY_MD = """# Introduction to Data Science

A first course in data analysis with Python.

## Schedule

| Week # | Week Of Date | Class Description | Format | Homework |
|---|---|---|---|---|
| 1 | Jan 8 | Introduction to data science. We meet the course and its tools. | Lecture | HW0 |
| 2 | Jan 15 | Data wrangling with pandas<br>Reshaping and merging tables | Lab | HW1 |
| 3 | Jan 22 | Spring Break (No class) | | |
| 4 | Jan 29 | Visualization. Plotting with matplotlib. | Lecture | HW2 |
"""


def test_a_weekly_schedule_table_lists_the_weeks_as_units() -> None:
    p = parse_program(_WEEKLY_MD.encode(), "ds.md")
    assert [(c.code, c.title, c.description) for c in p.courses] == [
        ("Week 1", "Introduction to data science", "We meet the course and its tools."),
        ("Week 2", "Data wrangling with pandas", "Reshaping and merging tables"),
        ("Week 4", "Visualization", "Plotting with matplotlib."),
    ]
    assert "Week Of Date" not in p.description and "HW0" not in p.description
    assert p.description == "A first course in data analysis with Python."


def test_a_weekly_schedule_csv_lists_the_weeks_as_units() -> None:
    csv = (
        "Week #,Week Of Date,Class Description,Format,Homework\n"
        "1,Jan 8,Introduction to data science. We meet the course.,Lecture,HW0\n"
        "2,Jan 15,Data wrangling with pandas,Lab,HW1\n"
    )
    p = parse_program(csv.encode(), "ds_schedule.csv")
    assert [(c.code, c.title, c.description) for c in p.courses] == [
        ("Week 1", "Introduction to data science", "We meet the course."),
        ("Week 2", "Data wrangling with pandas", ""),
    ]


def test_an_ordinary_course_table_is_no_weekly_schedule() -> None:
    md = (
        "# Welding Certificate\n\n| Code | Title | Hours | Description |\n|---|---|---|---|\n"
        "| WLD 110 | Shielded Metal Arc Welding | 75 | Strike an arc. Run stringer beads. |\n"
        "| WLD 120 | Gas Metal Arc Welding | 60 | Set up a MIG welder. |\n"
    )
    p = parse_program(md.encode(), "welding.md")
    assert [(c.code, c.title, c.hours, c.description) for c in p.courses] == [
        ("WLD 110", "Shielded Metal Arc Welding", 75, "Strike an arc. Run stringer beads."),
        ("WLD 120", "Gas Metal Arc Welding", 60, "Set up a MIG welder."),
    ]


def test_a_table_of_week_columns_without_text_or_numbers_is_no_weekly_schedule() -> None:
    md = (
        "# SQL Course\n\nA short course.\n\n| | Day 1 | Day 2 |\n|---|---|---|\n"
        "| Week 1 | Live Session 1: Queries | Work Period |\n"
    )
    p = parse_program(md.encode(), "sql.md")
    assert p.courses == []
    assert "Live Session 1: Queries" in p.description


def test_a_weekly_calendar_of_the_courses_named_above_stays_text() -> None:
    md = (
        "# Home Health Aide\n\nCare for clients at home.\n\n"
        "## Module 1: Client Rights\n\nRights and ethics.\n\n"
        "## Module 2: Infection Control\n\nHand hygiene.\n\n"
        "## Pacing\n\n| Week | Topics |\n|---|---|\n| 1 | Module 1; begin Module 2 |\n| 2 | Module 2 |\n"
    )
    p = parse_program(md.encode(), "hha.md")
    assert [c.code for c in p.courses] == ["Module 1", "Module 2"]
    assert "1 — Module 1; begin Module 2" in p.description


def test_a_weekly_calendar_before_the_courses_goes_back_to_text() -> None:
    md = (
        "# Home Health Aide\n\nCare for clients at home.\n\n"
        "| Week | Topics |\n|---|---|\n| 1 | Module 1 |\n| 2 | Module 2 |\n\n"
        "## Module 1: Client Rights\n\nRights and ethics.\n\n"
        "## Module 2: Infection Control\n\nHand hygiene.\n"
    )
    p = parse_program(md.encode(), "hha.md")
    assert [c.code for c in p.courses] == ["Module 1", "Module 2"]
    assert p.description.splitlines() == [
        "Care for clients at home.",
        "Week — Topics",
        "1 — Module 1",
        "2 — Module 2",
    ]


# -- 5. a course syllabus's header line ----------------------------------------------------------------


def test_credits_in_a_syllabus_header_line() -> None:
    md = (
        "# Introduction to Programming\n\nCSC211, 3 Credits, CRN 12345 | Online Format\n\n"
        "Students learn to program in Python.\n"
    )
    p = parse_program(md.encode(), "csc211.md")
    assert p.credit_hours == 3
    assert p.read_from["credit_hours"].text.startswith("CSC211, 3 Credits")


@pytest.mark.parametrize(
    "line",
    [
        "Students who finish this course earn 3 credits, which transfer to most colleges.",
        "Composition, 3 Credits, College Algebra, 3 Credits",
    ],
)
def test_a_sentence_or_a_list_with_credits_gives_no_credits(line: str) -> None:
    md = f"# General Education Core\n\n{line}\n"
    assert parse_program(md.encode(), "core.md").credit_hours is None


@pytest.mark.parametrize(
    "line",
    ["1st 8 Weeks", "Second 8-week session", "Term: 2nd 8 weeks"],
)
def test_a_part_of_a_term_is_no_length(line: str) -> None:
    md = (
        f"# Introduction to Programming\n\nCSC211 | 3 Credits\n\n{line}\n\n"
        "Students learn to program in Python.\n"
    )
    p = parse_program(md.encode(), "csc211.md")
    assert p.weeks is None and p.weeks_range is None
    assert p.credit_hours == 3


def test_an_eight_week_course_still_says_its_length() -> None:
    md = "# Introduction to Programming\n\nThis 8-week course teaches programming in Python.\n"
    assert parse_program(md.encode(), "csc211.md").weeks == 8
