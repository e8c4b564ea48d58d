"""Reading errors found by running real published short-program pages (saved as plain text)
through the readers. Each document is the smallest one that showed the problem."""

from __future__ import annotations

from matcher.readers import parse_program


def _txt(text: str) -> bytes:
    return text.encode()


def test_hours_a_week_is_a_rate_never_a_length_of_one_week() -> None:
    p = parse_program(
        _txt(
            "EMT Basic\n\nThis is an entry level course and the first step in the EMS career ladder. "
            "Many students state that they spend at least 6 or more hours a week outside of class "
            "just on the reading assignments.\n"
        ),
        "x.txt",
    )
    assert p.weeks is None  # "a week" of "hours a week outside of class" was read as 1 week
    assert p.weeks_range is None


def test_hours_a_week_of_a_course_are_no_clock_hours_of_the_program() -> None:
    p = parse_program(
        _txt("Welding Basics\n\nExpect 20 hours per week class attendance in the shop.\n"),
        "x.txt",
    )
    assert p.clock_hours is None


def test_a_label_alone_on_its_line_takes_the_value_below_hours_and_months() -> None:
    p = parse_program(
        _txt(
            "Dental Assistant Certificate\n\nStudents practise taking digital x-rays in the classroom.\n\n"
            "Approx. Number of Hours/Months:\n\n90 hours/3 months\n\nEst. Hourly Wage:*\n\n$20 per hour\n"
        ),
        "x.txt",
    )
    assert p.clock_hours == 90
    assert p.weeks == 13
    assert p.read_from["clock_hours"].text == "Approx. Number of Hours/Months: 90 hours/3 months"


def test_a_schedule_word_in_a_sentence_about_the_job_is_no_schedule() -> None:
    p = parse_program(
        _txt(
            "Dental Assistant Certificate\n\nDental Assistant Job Overview\n\n"
            "Dental assistants play a vital role in dental offices helping dentists provide services. "
            "Hours are generally standard daytime with some evening and weekend flexibility depending "
            "on the facility. Dental assistants typically work daytime hours.\n"
        ),
        "x.txt",
    )
    assert p.schedule is None  # "daytime" says when the job is done


def test_a_schedule_word_about_the_classes_is_still_a_schedule() -> None:
    p = parse_program(
        _txt("Dental Assistant Certificate\n\nClasses meet on weekends so students who work can attend.\n"),
        "x.txt",
    )
    assert p.schedule == "weekends"


def test_a_table_written_with_bars_lists_courses_and_its_stated_total() -> None:
    p = parse_program(
        _txt(
            "Advanced Truck Driver Training Program\n\n"
            "Curriculum | CLOCK HOURS |\n---|---|\n"
            "Classroom Instruction | 80 hrs. |\n"
            "Classroom Instruction consists of introducing students to the trucking industry, its "
            "regulations, laws, taxes, and standards. | |\n"
            "Site Training | 76 hrs. |\n"
            "City and Highway Driving | 48 hrs. |\n"
            "CDL Skills Examination Preparation | 40 hrs. |\n"
            "Total Program | 244 hrs. |\n"
            "STUDENTS WILL RECEIVE A CERTIFICATE UPON GRADUATION\n"
        ),
        "x.txt",
    )
    assert p.clock_hours == 244
    assert p.read_from["clock_hours"].text == "Total Program — 244 hrs."
    assert [(c.title, c.hours) for c in p.courses] == [
        ("Classroom Instruction", 80),
        ("Site Training", 76),
        ("City and Highway Driving", 48),
        ("CDL Skills Examination Preparation", 40),
    ]
    assert p.courses[0].description.startswith("Classroom Instruction consists of")


def test_a_total_program_line_with_a_bar_or_without_gives_the_clock_hours() -> None:
    for line in ("Total Program | 244 hrs.", "Total Program 244 hrs."):
        p = parse_program(
            _txt(f"Truck Driver Training\n\nStudents learn to drive a tractor-trailer safely.\n\n{line}\n"),
            "x.txt",
        )
        assert p.clock_hours == 244, line


_NCCER = (
    "Solar Photovoltaic Training\n\n"
    "Mod # Solar Photovoltaic Installer, Prerequisites for Year One Hours Comments\n\n"
    " 26101-08Orientation to the Electrical Trade2.5 \n\n"
    " 26102-08Electrical Safety10 \n\n"
    " Total Hours:12.5\n\n"
    " 26209-08Grounding and Bonding15 \n\n"
    " 26413-08Introductory Skills for the Crew Leader16Include only if we need the hours (MJT: Yes)\n\n"
    " Total Hours:31\n\n"
    "Solar Photovoltaic Specialist\n\n"
    " 57102-11 Site Assessment 10 \n\n"
    " 57103-11 System Design 25 \n\n"
    " Total Hours:35 \n"
)


def test_nccer_module_rows_are_courses_with_their_hours() -> None:
    p = parse_program(_txt(_NCCER), "x.txt")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("26101-08", "Orientation to the Electrical Trade", 2.5),
        ("26102-08", "Electrical Safety", 10),
        ("26209-08", "Grounding and Bonding", 15),
        ("26413-08", "Introductory Skills for the Crew Leader", 16),
        ("57102-11", "Site Assessment", 10),
        ("57103-11", "System Design", 25),
    ]
    assert p.courses[3].description == "Include only if we need the hours (MJT: Yes)"


def test_several_subtotals_and_no_grand_total_add_up_to_the_clock_hours() -> None:
    # three blocks of modules, each closed by its own "Total Hours": the program is all three
    # (12.5 + 31 + 35), not the first block; a subtotal is never the hours of the module above it
    p = parse_program(_txt(_NCCER), "x.txt")
    assert p.clock_hours == 78.5
    assert p.read_from["clock_hours"].text == "sum of 3 subtotals: 12.5 + 31 + 35"
    assert p.courses[1].hours == 10


def test_subtotals_that_the_courses_do_not_account_for_give_no_clock_hours() -> None:
    p = parse_program(
        _txt(
            "Solar Training\n\n57102-11 Site Assessment 10\n\nTotal Hours: 10\n\n"
            "Day track and evening track differ in length.\n\nTotal Hours: 40\n"
        ),
        "x.txt",
    )
    assert p.clock_hours is None  # 10 or 50? the second total closes no block of courses


def test_course_lines_glued_to_their_code_are_courses() -> None:
    p = parse_program(
        _txt(
            "Culinary Arts Certificate\n\nFirst Semester - 7 Credits\n\n"
            "CULA 100Intro to Culinary Arts/Baking I 6.00\nCULA 110Sanitation Principles 1.00\n\n"
            "Second Semester - 5 Credits\n\n"
            "CULA 110Sanitation and Safety 2 credits\nCULA 125Nutrition and Menu Planning 3.00\n"
        ),
        "x.txt",
    )
    assert [(c.code, c.title) for c in p.courses] == [
        ("CULA 100", "Intro to Culinary Arts/Baking I"),
        ("CULA 110", "Sanitation Principles"),
        ("CULA 110", "Sanitation and Safety"),
        ("CULA 125", "Nutrition and Menu Planning"),
    ]


def test_credits_required_and_academic_credits_are_the_credit_hours() -> None:
    for text, credits in (
        ("Credits Required: 34 (2017-2018 Academic Year)", 34),
        ("Credits Required: 24", 24),
        ("Program Hours: 810\nAcademic Credits 60", 60),
    ):
        p = parse_program(
            _txt(f"Culinary Arts Certificate\n\n{text}\n\nStudents learn commercial kitchen functions.\n"),
            "x.txt",
        )
        assert p.credit_hours == credits, text


def test_phone_lines_and_application_deadlines_are_no_curriculum() -> None:
    p = parse_program(
        _txt(
            "Medical Assistant Certificate\n\n"
            "The program prepares multi-skilled health care practitioners for urgent care and "
            "physician's offices, with clinical and administrative duties.\n\n"
            "The deadline for applying to the program for the class beginning in August is May 1st. "
            "All transcripts must be received before May 1st.\n\n"
            "757-789-1720\n\nStudents perform ECG, phlebotomy and patient preparation.\n"
        ),
        "x.txt",
    )
    assert "757-789-1720" not in p.description
    assert "deadline" not in p.description
    assert "phlebotomy" in p.description
    kept = {n.text: n.source.field for n in p.not_curriculum}
    assert kept["757-789-1720"] == "attendance and policies"
    assert any(t.startswith("The deadline for applying") for t in kept)


def test_long_lines_of_a_saved_web_page_are_paragraphs_of_their_own() -> None:
    long_line = "The Medical Assistant certificate program prepares multi-skilled practitioners. " * 4
    p = parse_program(
        _txt(
            f"Medical Assistant Certificate\n\nPurpose\n{long_line.strip()}\n"
            "Program Requirements and Special Conditions\nInformation packets may be requested.\n"
        ),
        "x.txt",
    )
    assert "\nProgram Requirements and Special Conditions\n" in p.description


def test_numbered_outcomes_after_a_long_lead_in_paragraph_and_a_program_code() -> None:
    p = parse_program(
        _txt(
            "Help Desk Technician (Technical Certificate)\n\n"
            "Award: Technical Certificate\nProgram Code: 1117\n\n"
            "All technical certificate graduates are expected to demonstrate proficiency in specialized "
            "knowledge, communication fluency, and critical thinking. In addition to these campus-wide "
            "student learning outcomes, graduates of this major will be able to:\n\n"
            "  1. Apply business communication needed for entry level employment. (Communication Fluency)\n"
            "  2. Apply Mathematical concepts to meet employment requirements. (Quantitative Fluency)\n"
            "  3. Demonstrate the skills necessary for entry-level employment as a help desk technician\n\n"
            "Each section below contains details about the requirements for this program. Select a "
            "header to expand the information\n"
        ),
        "x.txt",
    )
    assert [o.text[:22] for o in p.outcomes] == [
        "Apply business communi",
        "Apply Mathematical con",
        "Demonstrate the skills",
    ]
    assert "Each section below" in p.description
    assert p.id == "1117"  # the school's number for the program, no attendance policy
    assert not any(n.text == "1117" for n in p.not_curriculum)


def test_a_source_url_line_is_never_the_title_nor_description() -> None:
    for first in ("Source: https://www.gcc.mass.edu/ems/emt", "https://www.gcc.mass.edu/ems/emt"):
        p = parse_program(
            _txt(
                f"{first}\nEMT Basic\n\nThis is an entry level course in the EMS career ladder.\n\n"
                "www.gcc.mass.edu/ems\n"
            ),
            "x.txt",
        )
        assert p.title == "EMT Basic", first
        assert "gcc.mass.edu" not in p.description
        assert "entry level course" in p.description


def test_a_trade_academy_is_the_program_not_its_provider() -> None:
    p = parse_program(
        _txt(
            "Pre-Apprentice Lineworker Academy\n\nFall 2020: Sept. 21 - Nov. 7\n\n"
            "Our 7 week course provides the following nationally recognized certificates:\n\n"
            "  • Commercial Driver's License – Class A\n  • OSHA 10 General Industry/Construction\n"
        ),
        "x.txt",
    )
    assert p.title == "Pre-Apprentice Lineworker Academy"
    assert p.provider is None
    assert not p.courses  # "OSHA 10" names a safety card, not a course code


def test_the_title_under_a_source_line_is_the_title_and_a_badge_is_none() -> None:
    p = parse_program(
        _txt(
            "Source: https://pathwayscollege.com/classes/cna/\nCertified Nursing Assistant (CNA)\n\n"
            "This course prepares the student to be an entry level health care worker.\n"
        ),
        "x.txt",
    )
    assert p.title == "Certified Nursing Assistant (CNA)"  # had been the URL, the name only the credential
    assert not p.description.startswith("Certified Nursing Assistant")
    p = parse_program(
        _txt(
            "NABCEP Registered Provider_Photovoltaic\n\nSolar Photovoltaic Training\n\n"
            "Students install residential solar photovoltaic systems.\n"
        ),
        "x.txt",
    )
    assert p.title == "Solar Photovoltaic Training"
