"""Reading errors found by running a second set of real published short-program pages (saved as
plain text) through the readers. Each document is the smallest one that showed the problem."""

from __future__ import annotations

from matcher.readers import parse_program


def _read(text: str):  # noqa: ANN202 - the Program the readers return
    return parse_program(text.encode(), "x.txt")


def test_a_semester_hour_is_a_unit_of_credit_never_a_length() -> None:
    p = _read(
        "Welding\n\nWelding is a 60 semester hour program combining classroom theory with "
        "hands-on practice in the laboratory.\n"
    )
    assert p.weeks is None  # was 900 weeks: "60 semester" read as 60 semesters of 15 weeks


def test_how_long_a_check_stays_valid_is_no_length() -> None:
    p = _read(
        "Sterile Processing Technician\n\nStudents must initiate a background check (good for 1 year) "
        "and complete a drug screen before enrolling.\n"
    )
    assert p.weeks is None  # was 52 weeks


def test_a_credits_column_is_no_part_of_the_course_titles() -> None:
    p = _read(
        "Welding Certificate\n\nRequired Program Courses\n\nCourse Title Credit Hours\n"
        "WDT108 SMAW Fillet/OFC 3\nWDT119 GMA/Flux Cored Arc Welding 3\n"
    )
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("WDT108", "SMAW Fillet/OFC", None),
        ("WDT119", "GMA/Flux Cored Arc Welding", None),
    ]


def test_a_units_column_glued_to_its_header_is_no_part_of_the_titles() -> None:
    p = _read(
        "Sterile Processing\n\nPlan of Study Grid\n1st semesterUnits\n"
        "SRGT 110 Introduction to Sterile Processing 1\nSRGT 111 Sterile Processing 4\n"
    )
    assert [c.title for c in p.courses] == ["Introduction to Sterile Processing", "Sterile Processing"]


def test_the_total_hours_column_of_a_flattened_table_gives_each_course_its_hours() -> None:
    p = _read(
        "Patient Care Technician\n\nProgram Breakdown by Course\n\n"
        "Course Code Course Title Clock Hours Lab Hours Externship Hours Total Hours\n"
        "NAT100 Nursing Assistant & Home Health Aide 51 18 0 69\n"
        "MAS116 Specialized Medical Exams II (EKG/ECG)* 15 15 0 30\n"
    )
    assert [(c.title, c.hours) for c in p.courses] == [
        ("Nursing Assistant & Home Health Aide", 69.0),
        ("Specialized Medical Exams II (EKG/ECG)*", 30.0),
    ]


def test_figures_that_do_not_fill_the_columns_stay_in_the_title() -> None:
    p = _read("Machining\n\nCourse Title Credit Hours\nMCH 101 Machining 1 2\n")
    assert p.courses[0].title == "Machining 1 2"  # two figures, one column: not the table's row
