"""What a sweep of curriculum documents published on GitHub found the Markdown and HTML readers
misreading.

The University of Toronto Data Sciences Institute's certificate module outline is in
``tests/corpus/web/`` (its source in ``tests/corpus/README.md``); a community college's
certificate page (github.com/michaelrisher/csc-pathways, GPL) is reproduced here as a small
snippet of the same structure.
"""

from __future__ import annotations

from pathlib import Path

from matcher.readers import parse_program, read_program

CORPUS = Path(__file__).parent / "corpus" / "web"


def test_markdown_table_of_contents_is_not_the_description() -> None:
    """A README opening with a list of links to its own sections ("* [Description](#description)")
    is a table of contents: the description is the text under "Description"."""
    doc = b"""# SQL

## Content

* [Description](#description)
* [Learning Outcomes](#learning-outcomes)
  + [Concept Map](#concept-map)

## Description

SQL is used across the machine learning pipeline. This module covers query design.

## Learning Outcomes

* Describe the structure of a database.
* Use SQL querying techniques to formulate queries.
"""
    p = parse_program(doc, "sql.md")
    assert p.description.startswith("SQL is used across the machine learning pipeline.")
    assert "Concept Map" not in p.description and "Learning Outcomes" not in p.description
    assert [o.text for o in p.outcomes] == [
        "Describe the structure of a database.",
        "Use SQL querying techniques to formulate queries.",
    ]


def test_markdown_items_that_link_to_a_section_within_a_sentence_are_kept() -> None:
    doc = b"""# Welding Basics

## Learning Outcomes

- Weld a fillet joint; see [Schedule](#schedule) for the lab days.
- [Read a welding symbol](symbols.md) on a shop drawing.
"""
    p = parse_program(doc, "weld.md")
    assert [o.text for o in p.outcomes] == [
        "Weld a fillet joint; see Schedule for the lab days.",
        "Read a welding symbol on a shop drawing.",
    ]


def test_uoft_dsi_module_outline_description_starts_at_its_description() -> None:
    p = read_program(CORPUS / "uoft-dsi-sql.md")
    assert p.title == "SQL"
    assert p.description.startswith("SQL is used across the machine learning pipeline")
    assert "\nAssignments\n" not in p.description and "Folder Structure" not in p.description


CERTIFICATE_PAGE = b"""<div>
  <div class="aligncenter">
    <div class="clearfix margin10">
      <p class="info">Certification Information <img class="floatright back" src="" /></p>
      <p class="title">Relational Database Certificate (CE 816)</p>
      <div class="alignjustify">
        <p>Provides the skills necessary to manage relational databases based on a variety of data
        models.</p>
        <p class="bold margin15Top">Program Learning Outcomes</p>
        <p>Upon successful completion of this program, students should be able to:</p>
        <ul>
          <li>Present the data to the user as a set of relations.</li>
          <li>Provide relational operators to manipulate the data in tabular form.</li>
        </ul>
      </div>
    </div>
  </div>
</div>
"""


def test_html_page_without_h1_is_titled_by_its_title_styled_block() -> None:
    p = parse_program(CERTIFICATE_PAGE, "ce816.html")
    assert p.title == "Relational Database Certificate (CE 816)"
    assert p.read_from["title"].text == "heading: Relational Database Certificate (CE 816)"
    assert p.description.endswith("based on a variety of data models.")
    assert [o.text for o in p.outcomes] == [
        "Present the data to the user as a set of relations.",
        "Provide relational operators to manipulate the data in tabular form.",
    ]


def test_html_title_styled_blocks_give_way_to_an_h1_and_to_the_first_of_them() -> None:
    page = b"""<html><body><main>
<p class="page-title">Site News</p>
<h1>Phlebotomy Technician</h1>
<p>Students learn venipuncture and specimen handling in 10 weeks.</p>
<div class="title">Clinical Practice</div>
</main></body></html>"""
    p = parse_program(page, "phleb.html")
    assert p.title == "Phlebotomy Technician"
    assert "Clinical Practice" in p.description
    no_h1 = page.replace(b"<h1>Phlebotomy Technician</h1>", b"")
    assert parse_program(no_h1, "phleb.html").title == "Site News"
