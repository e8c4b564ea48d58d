"""Forms the US Department of Labor's apprenticeship standards are written on (an Appendix A:
work process schedule and related instruction outline) that the readers once misread: a
sponsor's name ending in "Inc.", the stated hours of related instruction, cover notes and
"DEVELOPED FOR" lines, blank form fields. Each document is the smallest one that showed the
problem."""

from __future__ import annotations

import pytest

from matcher.program import Program
from matcher.readers import fields as F
from matcher.readers import parse_program
from matcher.readers.finish import complete
from matcher.readers.outline import related_hours

# -- a company's name ending in an abbreviation ----------------------------------------------------


def test_a_sponsor_line_ending_in_inc_is_the_provider() -> None:
    p = parse_program(
        "PLUMBER\n\nAppendix A\n\nWINN\u2019S CAREER EDUCATION, Inc.\n\n"
        "This schedule is attached to and a part of these Standards.\n".encode(),
        "plumber.txt",
    )
    assert p.title == "PLUMBER"
    assert p.provider == "WINN\u2019S CAREER EDUCATION, Inc."  # its "." had been read as a sentence's end
    assert "WINN" not in p.description


def test_a_company_line_before_the_title_is_no_prose() -> None:
    p = parse_program(
        b"Acme Plumbing Co.\n\n# Plumber\n\nThis schedule is attached to and a part of these Standards.\n",
        "plumber.md",
    )
    assert p.title == "Plumber"  # the line had counted as prose, so the heading was a section
    assert p.provider == "Acme Plumbing Co."


def test_company_abbreviations_name_an_institution() -> None:
    assert F.institution_line("Acme Plumbing Co.") == "Acme Plumbing Co."
    assert F.institution_line("Keystone Mechanical Corp.") == "Keystone Mechanical Corp."
    assert F.institution_line("Tri-County Builders Assn.") == "Tri-County Builders Assn."
    assert F.institution_line("Harbor Elevator, L.L.C.") == "Harbor Elevator, L.L.C."
    assert F.institution_line("Co. Rd. 5 north of town") is None
    assert F.institution_line("HARBOR ELEVATOR CO.") == "HARBOR ELEVATOR CO."


# -- the stated hours of related instruction -------------------------------------------------------

_ELEVATOR = (
    "# Elevator Repairer\n\n"
    "The term of the apprenticeship is 8500 hours, supplemented by the 1172 total hours of related "
    "instruction.\n\n"
    "## Related Instruction Outline\n\n"
    "- Elevator Safety (40 hours)\n- Hydraulic Elevators (60 hours)\n- Electrical Theory (80 hours)\n"
)


def test_stated_related_instruction_beats_the_sum_of_the_courses() -> None:
    p = parse_program(_ELEVATOR.encode(), "elevator.md")
    assert [c.hours for c in p.courses] == [40, 60, 80]
    assert p.clock_hours == 1172  # not the 180 the course rows add up to
    assert p.read_from["clock_hours"].text == "supplemented by the 1172 total hours of related instruction"


def test_a_total_line_beats_stated_related_instruction() -> None:
    p = parse_program((_ELEVATOR + "\nTotal Required Hours 1200\n").encode(), "elevator.md")
    assert p.clock_hours == 1200


def test_on_the_job_hours_are_never_the_clock_hours() -> None:
    p = parse_program(
        b"# Mechanical Maintenance Manager\n\n"
        b"The term of the apprenticeship is 3-4 years with an OJL attainment of 6,000-8,000 hours, "
        b"supplemented by the minimum required 915 hours of related instruction.\n\n"
        b"## ON-THE-JOB TRAINING HOURS\n\n"
        b"Troubleshoot ladder logic and make software backups.\n\n"
        b"TOTAL HOURS: 6,000 \xe2\x80\x93 8,000\n",
        "maintenance.md",
    )
    assert p.clock_hours == 915  # not 6000, the on-the-job hours' total label


def test_stated_related_instruction_in_a_description_of_a_row() -> None:
    p = complete(
        Program(
            title="Pharmacy Technician Apprenticeship",
            description="2000 hours of OJL training, and a required 145 hours of Related Instruction.",
        )
    )
    assert p.clock_hours == 145  # not the 2000 on-the-job hours "of OJL training"
    assert p.read_from["clock_hours"].text == "145 hours of Related Instruction"


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("supplemented by the minimum required 1,172 total hours of related instruction", 1172),
        ("supplemented by a minimum of 576 hours of related technical instruction.", 576),
        ("Apprentices complete 576 hours of related technical instruction.", 576),
        ("Related instruction: 288 hours", 288),
        ("Total related technical instruction hours: 432", 432),
        ("a minimum of 144 hours of related instruction per year", None),
        ("144 hours of related instruction for each year of the term", None),
        ("Related instruction: 144 hours per year", None),
        ("6,000 \u2013 8,000 hours of related instruction", None),
        ("2000 hours of OJL training", None),
        ("8,000 hours of on-the-job learning", None),
        ("1,600 hours of work experience", None),
    ],
)
def test_related_instruction_hours_in_prose(text: str, hours: float | None) -> None:
    m = related_hours(text)
    assert (float(m.group("n").replace(",", "")) if m else None) == hours


# -- cover notes ------------------------------------------------------------------------------------


def test_a_cover_note_and_a_developed_for_line_are_no_title() -> None:
    assert F.is_boilerplate_title(
        "(Sponsor(s) with multiple occupations must complete an Appendix A for each occupation)"
    )
    assert F.is_boilerplate_title("DEVELOPED FOR The University of Alabama AND APPROVED BY ALABAMA OFFICE")
    assert not F.is_boilerplate_title("Plumber (Hybrid)")
    p = parse_program(
        b"# (Sponsor(s) with multiple occupations must complete an Appendix A for each occupation)\n\n"
        b"# DEVELOPED FOR Riverbend Mechanical Contractors\n\n"
        b"# Mechanical Maintenance Manager\n\nThis schedule is attached to these Standards.\n",
        "appendix.md",
    )
    assert p.title == "Mechanical Maintenance Manager"


# -- blank form fields ------------------------------------------------------------------------------


def test_a_blank_form_field_is_no_provider() -> None:
    p = parse_program(
        b"ELEVATOR REPAIRER\n\n"
        b"Approved by: ___________________________   Date: _____________ (Registration Agency Rep)\n\n"
        b"The term of the apprenticeship is 8500 hours.\n",
        "elevator.txt",
    )
    assert p.provider is None  # the caption's "Agency" had made the form line a school's name


def test_labels_with_blank_values_fill_no_field() -> None:
    p = parse_program(
        b"# Elevator Repairer\n\nProvider: ______________\n\nCredential: ____\n\n"
        b"Clock hours: ________ (total)\n\nSponsor: [Insert sponsor name]\n\n"
        b"The term of the apprenticeship is 8500 hours.\n",
        "elevator.md",
    )
    assert p.provider is None
    assert p.credential is None
    assert p.clock_hours is None
    assert F.is_form_blank("___ Date: ____ (Registration Agency Rep)")
    assert not F.is_form_blank("Riverbend Technical College")
