"""What a sweep of real US Department of Labor apprenticeship documents (work process schedules
and related-instruction outlines, Appendix A of national guideline standards) showed the PDF
reader misread: tables of hours the text layer flattens into loose lines, work processes that
are outcomes and not courses, bullets set in a Symbol font, and the occupation's name under a
cover page."""

from __future__ import annotations

from pathlib import Path

from matcher.readers import parse_program, read_program
from matcher.readers.outline import build_program
from matcher.readers.pdf import pdf_blocks

CORPUS = Path(__file__).parent / "corpus" / "syllabi"


def _pdf(pages: list[list[tuple[float, str]]]) -> bytes:
    """A PDF of lines, each set in its font size (Helvetica)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        for size, text in lines:
            pdf.set_font("Helvetica", size=size)
            pdf.cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_related_instruction_rows_whose_hours_follow_their_bullets() -> None:
    """Data Analyst, Appendix A: each row of the related-instruction table is a course name, its
    topics as bullets and its hours alone on a line (before the last bullets when the row is
    split over two pages); the hours used to be dropped as page numbers and no course read."""
    p = read_program(CORPUS / "data-analyst-work-process-schedule.pdf")
    assert [c.title for c in p.courses][:3] == [
        "New Employee Skills",
        "Business Acumen",
        "Employability Skills",
    ]
    assert [c.hours for c in p.courses] == [15, 3, 60, 176, 41.5, 28.5, 25]
    assert p.courses[4].title.endswith("(ITF+) Coursework and Certification")  # wrapped over two lines
    assert [o.text for o in p.courses[0].outcomes][0] == "Safety training"
    assert len(p.courses[2].outcomes) == 11 and p.clock_hours == 349


def _plumber() -> bytes:
    body = 10.0
    return _pdf(
        [
            [(14, "Appendix A"), (body, "WINN'S CAREER EDUCATION, Inc."), (16, "PLUMBER"),
             (body, "O*NET-SOC CODE: 47-2152.00 RAPIDS CODE: 0432HY"), (14, "WORK PROCESS SCHEDULE")],
            [(14, "WORK PROCESS SCHEDULE"), (body, "This work process schedule is attached to and a "
             "part of the Apprenticeship Standards for the above identified occupation."),
             (body, "Work Process: Approximate Hours:"),
             (body, "Proper/safe use of tools, materials, and equipment"),
             (body, "- Basic awareness as well as use of industry tools & equipment"),
             (body, "1,060 - 1,330"),
             (body, "Job layouts, material planning, and job-related math"),
             (body, "- Blueprint & other industry drawing interpretation"),
             (body, "1,063 - 1,334"),
             (body, "New installations/projects"),
             (body, "- System planning, sizing, and configuration"),
             (body, "1,063 - 1,334"),
             (body, "Total Required Hours 6,375 - 8,000")],
            [(14, "RELATED INSTRUCTION OUTLINE"),
             (body, "Related Instruction Descriptions: Approximate Hours:"),
             (body, "Area of Instruction Hours"),
             (body, "Year 1"),
             (body, "Introduction to the Plumbing Profession 05"),
             (body, "Plumbing & General Construction Safety 22"),
             (body, "Introduction to Drain, Waste & Vent (DWV) Systems 10"),
             (body, "Total Year 1, Level One Curriculum 37"),
             (body, "Area of Instruction Hours"),
             (body, "Year 2"),
             (body, "Plumbing Math Two 15"),
             (body, "Beginning Keyboarding, Part 1   1   54"),
             (body, "Total Required Hours 106")],
        ]
    )  # fmt: skip


def test_rows_of_a_title_and_its_hours_are_courses_and_work_processes_are_outcomes() -> None:
    """Plumber, Appendix A (Winn's Career Education): the related instruction lists "Title 12"
    rows under an "Area of Instruction Hours" header, year by year; the work process schedule
    above it lists work processes with hour ranges, which are what is learnt on the job."""
    p = parse_program(_plumber(), "plumber.pdf")
    assert [(c.title, c.hours) for c in p.courses] == [
        ("Introduction to the Plumbing Profession", 5),
        ("Plumbing & General Construction Safety", 22),
        ("Introduction to Drain, Waste & Vent (DWV) Systems", 10),  # seven words: a row, not prose
        ("Plumbing Math Two", 15),
        ("Beginning Keyboarding, Part 1", 54),  # its units column goes, its part number stays
    ]
    assert [o.text for o in p.outcomes] == [
        "Proper/safe use of tools, materials, and equipment",
        "Job layouts, material planning, and job-related math",
        "New installations/projects",
    ]
    assert p.clock_hours == 106  # the related instruction, not 8,000 hours of work
    assert p.title == "PLUMBER"  # the sponsor's "Inc." line above it is no sentence that hides it
    assert p.occupations == ["47-2152.00"]


def test_an_hours_header_without_rows_leaves_the_text_alone() -> None:
    text = "Program Hours\nStudents attend class four evenings a week.\nLabs are held on Saturdays.\n"
    p = build_program(pdf_blocks(["Welding Basics\n" + text]), "w.pdf")
    assert p.courses == [] and "Labs are held on Saturdays." in p.description


def test_symbol_font_bullets_are_bullets() -> None:
    """Word's PDF export writes Symbol-font bullets as private-use characters (U+F0B7)."""
    page = (
        "Pipe Fitting Basics\nStudents will be able to:\n\uf0b7 Identify pipe and fittings\n"
        "\uf0b7 Cut and thread steel pipe\n\uf0a7 Read an isometric drawing\n"
    )
    p = build_program(pdf_blocks([page]), "pipe.pdf")
    assert [o.text for o in p.outcomes] == [
        "Identify pipe and fittings",
        "Cut and thread steel pipe",
        "Read an isometric drawing",
    ]


def test_the_occupation_over_its_onet_code_is_the_title_not_a_cover_note() -> None:
    """A cover page in large type with a note to sponsors in parentheses (Mechanical Maintenance
    Manager, Appendix A) or "DEVELOPED FOR ... AND APPROVED BY ..." (Elevator Repairer): the
    title is the occupation set over the "O*NET-SOC CODE:" line."""
    cover = [
        (18, "Appendix A"),
        (18, "(Sponsor(s) with multiple occupations must complete an Appendix A for each occupation)"),
        (18, "WORK PROCESS SCHEDULE"),
    ]
    schedule = [
        (18, "WORK PROCESS SCHEDULE"),
        (14, "Mechanical Maintenance Manager"),
        (10, "O*NET-SOC CODE: 49-9071.00 RAPIDS CODE: 0311HY"),
        (
            10,
            "This schedule is attached to and a part of these Standards for the above identified occupation.",
        ),
    ]
    p = parse_program(_pdf([cover, schedule]), "mmm.pdf")
    assert p.title == "Mechanical Maintenance Manager"
    assert p.occupations == ["49-9071.00"]


def test_an_outcome_broken_by_a_page_break_is_one_outcome() -> None:
    p = parse_program(
        _pdf(
            [
                [
                    (18, "HVAC-R Technician Certificate"),
                    (11, "Students install and service heating and cooling systems."),
                    (14, "Learning Outcomes"),
                    (11, "- Braze copper tubing to industry standards"),
                    (11, "- Explain the function of each component of the"),
                ],
                [
                    (11, "vapor-compression refrigeration cycle"),
                    (11, "- Recover refrigerant under EPA Section 608 rules"),
                ],
            ]
        ),
        "hvac.pdf",
    )
    texts = [o.text for o in p.outcomes]
    assert "Explain the function of each component of the vapor-compression refrigeration cycle" in texts
    assert not any(t.startswith("vapor-compression") for t in texts)
    assert "vapor-compression" not in p.description


def test_a_section_heading_of_column_words_is_no_table_header() -> None:
    # "Learning Outcomes" is made of words a course table's header uses, but names no column of
    # figures or codes: it is the heading of the list under it
    p = parse_program(
        _pdf(
            [
                [
                    (18, "Pharmacy Technician Certificate"),
                    (11, "Students prepare and dispense medications under a pharmacist."),
                    (14, "Learning Outcomes"),
                    (11, "- Calculate dosages"),
                    (11, "- Compound sterile preparations"),
                ]
            ]
        ),
        "pharm.pdf",
    )
    assert [o.text for o in p.outcomes] == ["Calculate dosages", "Compound sterile preparations"]


def test_a_label_value_wrapped_at_the_page_width_before_a_capital() -> None:
    line = "Credential: North American Board of Certified Energy Practitioners (NABCEP) PV"
    p = parse_program(
        _pdf(
            [
                [
                    (18, "Solar PV Installer Certificate"),
                    (11, line),
                    (11, "Associate"),
                    (11, "Clock hours: 240"),
                    (11, "Students design and install residential photovoltaic systems on roofs."),
                ]
            ]
        ),
        "solar.pdf",
    )
    assert p.credential is not None and p.credential.endswith("PV Associate")
    assert "Associate" not in p.description.split()[:1]
    assert p.clock_hours == 240
