"""Reading errors found by running a third set of real published short-program pages (saved as
plain text) through the readers. Each document is the smallest one that showed the problem."""

from __future__ import annotations

from matcher.readers import parse_program

_PROSE = (
    "The trade asks for a great deal of care, and technicians are expected to keep on training "
    "for as long as they work in it."
)


def _read(text: str):  # noqa: ANN202 - the Program the readers return
    return parse_program(text.encode(), "x.txt")


def test_a_dashed_hours_fact_beside_a_second_one_is_the_clock_hours() -> None:
    p = _read(
        "Patient Care Tech\n\nCredential: Diploma\nClock Hours – 120 Theory Hours – 80\nLab Hours – 40\n"
    )
    assert p.clock_hours == 120
    assert p.read_from["clock_hours"].text == "Clock Hours: 120"


def test_a_line_of_standardized_hours_is_the_clock_hours() -> None:
    p = _read("Plumbing – Level 1\n\n95.5 Hours Standardized\n\nThe level covers piping and safety.\n")
    assert p.clock_hours == 95.5


def test_courses_totaling_hours_of_instruction_give_the_clock_hours() -> None:
    p = _read(
        "Medical Coder\n\nYou will need to complete the following required courses, totaling 480 hours of "
        "instruction and practice:\n\n"
        "MED 101 Terminology\nMED 102 Coding\n"
    )
    assert p.clock_hours == 480


def test_a_total_row_captioned_credit_hours_is_credits_never_clock_hours() -> None:
    p = _read(
        "Child Care\n\nECE  101  Orientation\nECE  102  Foundations\nTotal      7\n\n"
        "Credit Hours\n\nMore text.\n"
    )
    assert p.clock_hours is None
    assert p.credit_hours == 7


def test_hours_a_week_at_a_job_are_not_the_programs() -> None:
    p = _read(
        "Child Care\n\nCandidates should be employed or volunteering at an approved center at least "
        "12 hours per week while in training.\n"
    )
    assert p.hours_per_week is None


def test_a_section_marker_is_no_title() -> None:
    p = _read(":: Certificate Programs\n\nDental Assistant Program—FAQs\n\nWhat is it?\nA program.\n")
    assert p.title == "Dental Assistant Program"


def test_a_banner_and_a_caption_are_no_title() -> None:
    p = _read(
        "Need help paying? Apply for a loan\n\nSmiling Nurse. Happy Patient. Clinic\n\n"
        "Program Objective/Description\n\nThe program trains patient care technicians for hospitals.\n"
    )
    assert p.title == "x"  # the file name: the page names no title of its own


def test_a_faq_question_names_the_program_it_asks_about() -> None:
    p = _read("What is the Network Support Certificate?\nThe certificate prepares students for help desks.\n")
    assert p.title == "Network Support Certificate"


def test_a_first_paragraph_is_no_title_the_heading_under_it_is() -> None:
    p = _read(f"{_PROSE}\n\nPlumbing – Level 1\n\nThe level covers piping.\n")
    assert p.title == "Plumbing – Level 1"
    assert p.description.startswith("The trade asks")


def test_a_first_paragraph_before_a_list_is_no_title() -> None:
    p = _read(f"{_PROSE}\n\n  1. Age 18 or older;\n  2. A diploma.\n")
    assert p.title == "x"


def test_the_school_a_you_are_here_breadcrumb_starts_at_is_the_provider() -> None:
    p = _read("Machining Basics\n\nYou are here : Lakeside Community College / Machining Basics\n\nText.\n")
    assert p.provider == "Lakeside Community College"


def test_nccer_modules_with_their_hours_in_brackets_are_courses() -> None:
    p = _read(
        "HVAC – Level 1\n\n04101-13 Introduction to Piping (7.5 Hours)\nCovers the basics of piping.\n\n"
        "04102-13 Trade Math (10 Hours)\nExplains measurement.\n"
    )
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("04101-13", "Introduction to Piping", 7.5),
        ("04102-13", "Trade Math", 10),
    ]
    assert p.courses[0].description == "Covers the basics of piping."


def test_a_page_without_a_title_is_named_by_its_opening_sentence() -> None:
    p = _read("Need help paying? Apply now\n\nThe Dental Assistant (DA) program is designed for beginners.\n")
    assert p.title == "Dental Assistant (DA)"
    p = _read("Need help paying? Apply now\n\nCarpentry (CRP) is a 30 credit program of shop practice.\n")
    assert p.title == "Carpentry (CRP)"
