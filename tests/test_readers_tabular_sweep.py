"""Course data files as course sites, lesson repositories and learning systems publish them (CSV,
YAML, JSON) that the readers once misread. Real documents with an open licence are in
``tests/corpus/tabular`` (sources in its README); the others are the smallest snippets with the
structure of the real file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.errors import BadInputError
from matcher.readers import parse_program, parse_programs, read_programs

CORPUS = Path(__file__).parent / "corpus" / "tabular"


def _outcomes(course) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.text for o in course.outcomes]


# -- CSV ------------------------------------------------------------------------------------------


def test_a_session_table_reads_its_topics_as_outcomes() -> None:
    """BernCoDALab's session table (``date, title, topics, slides, ...``) had been refused: a
    title column and nothing else it knew."""
    (p,) = read_programs(CORPUS / "berncodalab-caa-syllabus.csv")
    titles = [c.title for c in p.courses]
    assert titles[:3] == ["Introduction", "Your Computer as research tool", "Data Bases I"]
    assert _outcomes(p.courses[0]) == ["Overview", "Organisation", "Software to be used"]
    assert "Reference management tools (Zotero)" in _outcomes(p.courses[1])


def test_a_duration_column_of_a_two_day_class_counts_minutes() -> None:
    """RStudio's admin training curriculum: ``Day, Session, Topic, Contents, Duration``; sessions
    of 30 to 75 on two days are minutes, not 600 hours."""
    text = (
        "Day,Session,Product,Topic,Contents,Duration,Trainer\n"
        "1,1,General,Welcome and introduction,Welcome,30,Andrie\n"
        '1,2,RSP,Authentication and security,"Security, configure RSP with LDAP",75,Cole\n'
        "2,5,Connect,Deploy Shiny apps to Connect,RStudio Connect,35,Andrie\n"
        "2,6,Connect,Deploy APIs to Connect,RStudio Connect,20,Andrie\n"
    )
    p = parse_program(text.encode(), "admin-training.csv")
    assert [(c.title, c.hours) for c in p.courses] == [
        ("Welcome and introduction", 0.5),
        ("Authentication and security", 1.25),
        ("Deploy Shiny apps to Connect", 0.5833),
        ("Deploy APIs to Connect", 0.3333),
    ]
    assert p.courses[1].description == "Security, configure RSP with LDAP"
    assert p.clock_hours == 2.67


def test_a_duration_column_says_its_unit() -> None:
    text = "Module,Duration (min),Topics\nShop safety,90,Wear PPE\nArc welding,120,Strike an arc\n"
    assert [c.hours for c in parse_program(text.encode(), "w.csv").courses] == [1.5, 2.0]
    text = "Module,Duration\nShop safety,2 weeks\nArc welding,3 hrs\nBlueprints,45 min\n"
    assert [c.hours for c in parse_program(text.encode(), "w.csv").courses] == [None, 3.0, 0.75]


def test_a_competency_tree_of_parent_ids_is_courses_and_their_outcomes() -> None:
    """A Brightspace competency export (``Description, Short Code, ID, Parent ID``): a row without
    a parent is a course, the rows below it its outcomes; Bloom levels in brackets are no part of
    an outcome."""
    text = (
        "Description,Short Code,ID,Parent ID\n"
        "Introduction to Materials Science,Module 1,1,\n"
        "Understand the role of materials in engineering.,L1.1,1.1,1\n"
        '"Identify the classes of materials (metals, ceramics, polymers). (Remember)",L1.1.1,1.1.1,1.1\n'
        "Atomic Structure and Bonding,Module 2,2,\n"
        "Relate atomic bonding to material properties. (Analyze),L2.1.1,2.1.1,2\n"
    )
    p = parse_program(text.encode(), "competencies.csv")
    assert [(c.code, c.title, _outcomes(c)) for c in p.courses] == [
        (
            "Module 1",
            "Introduction to Materials Science",
            [
                "Understand the role of materials in engineering.",
                "Identify the classes of materials (metals, ceramics, polymers).",
            ],
        ),
        ("Module 2", "Atomic Structure and Bonding", ["Relate atomic bonding to material properties."]),
    ]


def test_one_root_of_a_competency_tree_is_the_program() -> None:
    text = (
        "Name,ID,Parent ID\nWelding Technician,W,\nSafety,S,W\nWear PPE,S1,S\n"
        "Cutting,C,W\nCut with oxy-fuel,C1,C\n"
    )
    p = parse_program(text.encode(), "tree.csv")
    assert p.title == "Welding Technician"
    assert [(c.title, _outcomes(c)) for c in p.courses] == [
        ("Safety", ["Wear PPE"]),
        ("Cutting", ["Cut with oxy-fuel"]),
    ]


def test_a_title_column_alone_says_what_else_a_course_table_needs() -> None:
    with pytest.raises(BadInputError) as exc:
        parse_program(b"date,title,slides\n1.10.21,Introduction,s1\n", "s.csv")
    assert "missing required column(s):  " not in exc.value.message  # an empty list had been named
    assert "beside its title column" in exc.value.message
    assert "'slides'" in exc.value.message


# -- YAML and JSON --------------------------------------------------------------------------------


def test_jekyll_chapters_of_lectures_are_courses_titled_by_the_file() -> None:
    """A course site's ``_data/syllabus.yml`` (``chapters:`` of ``lectures:``, no program name)
    had been refused as a program without text."""
    (p,) = read_programs(CORPUS / "celine-mentoring-syllabus.yml")
    assert p.title == "Celine mentoring syllabus"
    assert [c.title for c in p.courses] == [
        "Introduction",
        "Creating a static website",
        "WordPress",
        "Going Further",
    ]
    assert _outcomes(p.courses[1])[:3] == ["www introduction", "HTML5", "Git & Github"]


def test_a_list_of_lesson_pages_is_one_program() -> None:
    """The Carpentries' ``_data/lessons.yml`` (a ``url`` and a ``name`` per episode) had been read
    as seven programs."""
    (p,) = read_programs(CORPUS / "spreadsheet-ecology-lessons.yml")
    assert len(p.courses) == 7
    assert p.courses[3].title == "Dates as data"


def test_a_list_of_items_titled_module_n_is_one_program() -> None:
    """ELIXIR's training modules (``- id, title: "Module 1 - ...", description, objectives``)."""
    text = (
        "- id: module1\n  title: Module 1 - ELIXIR introduction and governance\n"
        "  description: This module introduces research infrastructures.\n"
        "  objectives:\n    - Understand the research infrastructure landscape\n"
        "  url: modules/module1/main\n"
        "- id: module2\n  title: Module 2 - Node data management strategy\n"
        "  objectives: [Navigate the data management portfolio]\n"
    )
    (p,) = parse_programs(text.encode(), "modules.yml")
    assert [(c.code, c.title, _outcomes(c)) for c in p.courses] == [
        (
            "Module 1",
            "ELIXIR introduction and governance",
            ["Understand the research infrastructure landscape"],
        ),
        ("Module 2", "Node data management strategy", ["Navigate the data management portfolio"]),
    ]


def test_a_course_named_by_a_string_with_weeks_of_milestones() -> None:
    """A bootcamp's ``syllabus.json``: ``course`` is the name, each week a ``theme`` with
    ``milestones`` (a ``label`` and ``topics``)."""
    doc = {
        "course": "AWS Solutions Architect (Associate)",
        "description": "Intensive course for backend developers preparing for SAA-C03.",
        "duration_weeks": 10,
        "modules": [
            {
                "week": 1,
                "theme": "AWS Fundamentals & IAM",
                "milestones": [
                    {"id": "w1d1", "label": "Global Infrastructure", "topics": ["Regions and AZs"]},
                    {"id": "w1d2", "label": "IAM Policies", "topics": ["Managed vs inline policies"]},
                ],
            }
        ],
    }
    p = parse_program(json.dumps(doc).encode(), "syllabus.json")
    assert p.title == "AWS Solutions Architect (Associate)"
    assert p.weeks == 10
    (c,) = p.courses
    assert (c.code, c.title) == ("Week 1", "AWS Fundamentals & IAM")
    assert _outcomes(c) == [
        "Global Infrastructure",
        "Regions and AZs",
        "IAM Policies",
        "Managed vs inline policies",
    ]


def test_a_meta_mapping_names_the_program() -> None:
    text = (
        "meta:\n  name: Java Engineering Academy\n  description: Complete Java curriculum\n"
        "modules:\n  - id: fundamentals\n    title: Software Engineering Fundamentals\n"
    )
    p = parse_program(text.encode(), "curriculum.yml")
    assert (p.title, p.description) == ("Java Engineering Academy", "Complete Java curriculum")
    assert [c.title for c in p.courses] == ["Software Engineering Fundamentals"]


def test_sections_of_module_slugs() -> None:
    """A course's ``sections:`` each list their modules by file slug; a list of plain strings
    under a course had raised a KeyError."""
    text = (
        "title: GitHub for Developers\ndescription: A two-part class.\nsections:\n"
        "  - title: Getting Started with Collaboration\n    description: Introduces GitHub.\n"
        "    modules:\n      - COLL-00_Introducing-github\n      - COLL-02_Using-issues\n"
        "  - title: Using Git Locally\n    lessons: [Cloning a repository]\n"
    )
    p = parse_program(text.encode(), "github-for-developers.yml")
    assert [(c.title, c.description, _outcomes(c)) for c in p.courses] == [
        ("Getting Started with Collaboration", "Introduces GitHub.", ["Introducing github", "Using issues"]),
        ("Using Git Locally", "", ["Cloning a repository"]),
    ]
