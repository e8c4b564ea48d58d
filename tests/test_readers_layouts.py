"""Layouts curriculum documents are written in that the readers once misread: length and schedule
labels, outcomes listed inside table cells, accordions, table footers, and YAML written in a
curriculum system's own words. Each document is the smallest one that showed the problem."""

from __future__ import annotations

from matcher.readers import parse_program


def _md(text: str) -> bytes:
    return text.encode()


def test_front_matter_schedule_is_no_length_and_says_the_hours_per_week() -> None:
    p = parse_program(
        _md(
            "---\ntitle: Web Developer Bootcamp\nweeks: 16\n"
            'schedule: "Full-time, Monday–Friday 9:00 am – 3:00 pm"\n---\n\n'
            "# Web Developer Bootcamp\n\nStudents build web applications with HTML, CSS and JavaScript.\n"
        ),
        "bootcamp.md",
    )
    assert p.weeks == 16  # the 9 of "9:00 am" had been read as 9 weeks
    assert p.hours_per_week == 30
    assert p.schedule and "Monday–Friday" in p.schedule


def test_a_stated_hours_per_week_beats_one_worked_out_from_the_schedule() -> None:
    p = parse_program(
        _md(
            "# HVAC Installer Certificate\n\n**Length:** 18 weeks\n\n"
            "**Schedule:** Evenings, Mon/Wed 6–10 pm, plus Saturdays 8 am–12 pm (lab)\n\n"
            "**Hours per Week:** 20\n\nStudents install and service residential HVAC systems.\n"
        ),
        "hvac.md",
    )
    assert p.weeks == 18
    assert p.hours_per_week == 20  # not 8, from "Mon/Wed 6–10 pm" alone
    assert p.read_from["hours_per_week"].text.startswith("Hours per Week")


def test_outcomes_on_lines_of_a_markdown_table_cell() -> None:
    p = parse_program(
        _md(
            "# Web Developer Bootcamp\n\nA short program.\n\n## Curriculum\n\n"
            "| Course | Title | Hours | Learning Outcomes |\n|---|---|---:|---|\n"
            "| WEB 101 | HTML & CSS Foundations | 60 | Write semantic HTML5 markup<br>"
            "Style pages with CSS Grid<br/>Apply WCAG guidelines |\n"
        ),
        "web.md",
    )
    (course,) = p.courses
    assert [o.text for o in course.outcomes] == [
        "Write semantic HTML5 markup",
        "Style pages with CSS Grid",
        "Apply WCAG guidelines",
    ]


_TABLE_PAGE = """<html><body><h1>CDL Class B</h1><p>Students learn to drive straight trucks and buses.</p>
<table><thead><tr><th>Code</th><th>Course</th><th>Hours</th><th>Outcomes</th></tr></thead>
<tbody><tr><td>CDL 100</td><td>Basic Operation</td><td>24</td>
<td><ul>
  <li>Explain air brake systems</li>
  <li>Interpret gauges and warning lights</li>
</ul></td></tr>
<tr><td>CDL 110</td><td>Pre-Trip Inspection</td><td>24</td><td><ul><li>Conduct a pre-trip inspection</li>
<li>Perform the in-cab air brake test</li></ul></td></tr></tbody>
<tfoot><tr><td colspan="2">Total</td><td>48</td><td></td></tr></tfoot></table></body></html>"""


def test_html_table_outcomes_listed_in_a_cell_and_a_footer_total() -> None:
    p = parse_program(_TABLE_PAGE.encode(), "cdl.html")
    assert [c.code for c in p.courses] == ["CDL 100", "CDL 110"]  # the Total row is no course
    assert [o.text for o in p.courses[0].outcomes] == [
        "Explain air brake systems",
        "Interpret gauges and warning lights",
    ]
    assert [o.text for o in p.courses[1].outcomes] == [
        "Conduct a pre-trip inspection",
        "Perform the in-cab air brake test",
    ]


def test_html_accordion_buttons_name_their_courses_other_buttons_are_skipped() -> None:
    page = """<html><body><h1>Surgical Technologist Preparation</h1><p>Students prepare for the CST exam.</p>
<button class="btn">Request info</button>
<div class="accordion">
 <div class="accordion-item"><button class="accordion-button" aria-expanded="false">
   SRG 101 Medical Terminology and Anatomy (60 hours)</button>
  <div class="panel"><ul><li>Use medical terms correctly</li>
  <li>Identify the major body systems</li></ul></div></div>
 <div class="accordion-item"><button aria-expanded="false" aria-controls="p2">
  SRG 110 Infection Control (40 hours)</button>
  <div id="p2" class="panel"><ul><li>Apply standard precautions</li></ul></div></div>
</div></body></html>"""
    p = parse_program(page.encode(), "surg.html")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("SRG 101", "Medical Terminology and Anatomy", 60.0),
        ("SRG 110", "Infection Control", 40.0),
    ]
    assert [o.text for o in p.courses[0].outcomes] == [
        "Use medical terms correctly",
        "Identify the major body systems",
    ]
    assert "Request info" not in p.description


_YAML = """# Exported from a curriculum system
program:
  name: Logistics and Warehouse Associate Certificate
  institution: Northfield Technical College
  total_hours: "240 hrs"
  duration: P12W
  schedule: "Monday-Friday, 8:00 am - 12:00 pm (20 hours per week)"
  certifications:
    - MSSC Certified Logistics Associate (CLA)
    - Forklift operator certification
  prerequisites:
    - High school diploma or GED
    - Age 18 or older
  description: Students train in a practice warehouse with racking, a loading dock and a WMS.
  modules:
    - code: LWA 110
      title: Forklift Operator Training
      hours: "60 hrs"
      units:
        - title: Pre-Use Inspection
          learning_objectives:
            - Perform a pre-use inspection of a counterbalanced truck.
        - title: Driving and Load Handling
          competencies:
            - Travel forward and in reverse with and without a load.
    - code: LWA 120
      title: Receiving and Inventory
      hours: 48
      learning_objectives:
        - Conduct cycle counts.
"""


def test_yaml_in_a_curriculum_system_own_words() -> None:
    p = parse_program(_YAML.encode(), "logistics.yaml")
    assert p.title == "Logistics and Warehouse Associate Certificate"
    assert p.provider == "Northfield Technical College"
    assert (p.clock_hours, p.weeks, p.hours_per_week) == (240.0, 12.0, 20.0)
    assert p.credential == "MSSC Certified Logistics Associate (CLA)"
    assert p.credentials == ["MSSC Certified Logistics Associate (CLA)", "Forklift operator certification"]
    assert p.prerequisites == "High school diploma or GED\nAge 18 or older"
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("LWA 110", "Forklift Operator Training", 60.0),
        ("LWA 120", "Receiving and Inventory", 48.0),
    ]
    # a unit's title names what it teaches; its objectives are the course's outcomes
    assert [o.text for o in p.courses[0].outcomes] == [
        "Pre-Use Inspection",
        "Perform a pre-use inspection of a counterbalanced truck.",
        "Driving and Load Handling",
        "Travel forward and in reverse with and without a load.",
    ]
    assert [o.text for o in p.courses[1].outcomes] == ["Conduct cycle counts."]


def test_yaml_in_the_program_shape_is_read_as_it_is() -> None:
    p = parse_program(
        b"title: Phlebotomy Technician\nclock_hours: 180\ncourses:\n"
        b"  - code: PHL 101\n    title: Venipuncture\n    hours: 60\n    outcomes: [Perform venipuncture]\n",
        "phleb.yaml",
    )
    assert p.clock_hours == 180 and p.courses[0].code == "PHL 101"
    assert [o.text for o in p.courses[0].outcomes] == ["Perform venipuncture"]


def test_csv_schedule_label_is_no_length() -> None:
    p = parse_program(
        "Title,Medical Office Administration\nWeeks,16\nSchedule,Tue/Thu 6:00 pm – 9:30 pm\n\n"
        "Code,Course,Hours\nMOA 101,Medical Terminology,40\n".encode(),
        "moa.csv",
    )
    assert p.weeks == 16 and p.hours_per_week == 7


def test_csv_with_one_row_per_outcome_in_a_curriculum_system_words() -> None:
    rows = [
        "\ufeffProgram,Institution,Total Hours,Weeks,Module,Module Title,Contact Hours,Competency",
        "Phlebotomy Technician,Harbor Point CC,200,10,PHL 101,Introduction to Phlebotomy,20,"
        "Describe the role of the phlebotomist",
        'Phlebotomy Technician,Harbor Point CC,200,10,PHL 101,Introduction to Phlebotomy,20,"Follow OSHA '
        'bloodborne pathogens rules, including sharps disposal,\nexposure incident reporting"',
        "Phlebotomy Technician,Harbor Point CC,200,10,PHL 130,Venipuncture,60,Perform routine venipuncture",
    ]
    p = parse_program("\n".join(rows).encode(), "phlebotomy.csv")
    assert (p.title, p.provider, p.clock_hours, p.weeks) == (
        "Phlebotomy Technician",
        "Harbor Point CC",
        200,
        10,
    )
    assert [(c.code, c.title, c.hours, len(c.outcomes)) for c in p.courses] == [
        ("PHL 101", "Introduction to Phlebotomy", 20.0, 2),
        ("PHL 130", "Venipuncture", 60.0, 1),
    ]
    assert p.courses[0].outcomes[1].text == (
        "Follow OSHA bloodborne pathogens rules, including sharps disposal, exposure incident reporting"
    )


def test_outcomes_written_in_lower_case_stay_apart() -> None:
    from matcher.readers.fields import split_outcomes

    assert split_outcomes("use hand tools\nuse power tools") == ["use hand tools", "use power tools"]
    assert split_outcomes("Use hand tools safely and\nmaintain them") == [
        "Use hand tools safely and maintain them"
    ]


def test_schedules_that_meet_in_several_patterns_and_stated_weekly_hours() -> None:
    from matcher.readers.duration import length_label

    said = length_label("Tuesday and Thursday 6:00-10:00 pm and Saturday 8:00 am-5:00 pm")
    assert said["hours_per_week"] == 17  # 2 x 4 h + 9 h; the first pattern alone said 8
    assert said["schedule"] == "Tuesday and Thursday 6:00-10:00 pm and Saturday 8:00 am-5:00 pm"
    assert length_label("Mon/Wed 6–10 pm, plus Saturdays 8 am–12 pm")["hours_per_week"] == 12
    # a stated figure beats one worked out from the times (7:00 am-5:30 pm x 4 is 42)
    assert length_label("Monday–Thursday, 7:00 am–5:30 pm (40 hours a week)")["hours_per_week"] == 40
    assert length_label("Mon–Thu 6–10 pm")["hours_per_week"] == 16


_CATALOG = """Cybersecurity Support Certificate
Provider: Riverton Community College

PROGRAM OF STUDY

CSS 100   Computer Hardware                 40 Hrs
CSS 110   Network Security Fundamentals     45 Hrs

COURSE DESCRIPTIONS

CSS 100   Computer Hardware                 40 Hrs
Students install PC hardware.

CSS 110   Network Security Fundamentals     45 Hrs
Students configure firewalls.

PROGRAM OUTCOMES

Graduates of the program will be able to:
1. Configure firewalls and VPNs.
2. Monitor security logs and escalate incidents.
"""


def test_a_catalog_with_aligned_hours_a_course_summary_and_program_outcomes() -> None:
    p = parse_program(_CATALOG.encode(), "cyber.txt")
    # hours set after the title with spaces; the summary list and the descriptions are one course
    # each; "COURSE DESCRIPTIONS" is no course's description
    assert [(c.code, c.title, c.hours, c.description) for c in p.courses] == [
        ("CSS 100", "Computer Hardware", 40.0, "Students install PC hardware."),
        ("CSS 110", "Network Security Fundamentals", 45.0, "Students configure firewalls."),
    ]
    assert p.clock_hours == 85
    # a lead-in line under "PROGRAM OUTCOMES" is no description text
    assert [o.text for o in p.outcomes] == [
        "Configure firewalls and VPNs.",
        "Monitor security logs and escalate incidents.",
    ]


def test_docx_outcomes_with_bullets_typed_by_hand() -> None:
    import io

    import docx

    d = docx.Document()
    d.add_heading("Medical Office Administration", 0)
    d.add_paragraph("A 16-week evening certificate in front-office skills.")
    d.add_heading("MOA 101 Medical Terminology (40 clock hours)", 2)
    d.add_paragraph("• Define common prefixes, suffixes and roots")
    d.add_paragraph("- Spell and pronounce medical terms")
    d.add_paragraph("3. Interpret abbreviations in patient charts")
    buf = io.BytesIO()
    d.save(buf)
    p = parse_program(buf.getvalue(), "moa.docx")
    (course,) = p.courses
    assert (course.code, course.hours) == ("MOA 101", 40.0)
    assert [o.text for o in course.outcomes] == [
        "Define common prefixes, suffixes and roots",
        "Spell and pronounce medical terms",
        "Interpret abbreviations in patient charts",
    ]


def test_docx_program_at_a_glance_table_with_rows_no_label_names() -> None:
    import io

    import docx

    d = docx.Document()
    d.add_heading("Industrial Electrician Pre-Apprenticeship", 0)
    table = d.add_table(rows=0, cols=2)
    for key, value in [
        ("Hours per week:", "15"),
        ("Provider:", "Metro Technical Institute"),
        ("Clock Hours:", "250"),
        ("Tuition:", "$3,450"),
        ("Delivery:", "In person, evenings"),
    ]:
        row = table.add_row().cells
        row[0].text, row[1].text = key, value
    d.add_paragraph("Students learn circuits, the National Electrical Code and conduit bending.")
    buf = io.BytesIO()
    d.save(buf)
    p = parse_program(buf.getvalue(), "elec.docx")
    # a row the readers know no label for ("Delivery") no longer drops the whole table, and the
    # first row's hours no longer make it a course list
    assert (p.provider, p.clock_hours, p.hours_per_week, p.tuition_and_fees) == (
        "Metro Technical Institute",
        250,
        15,
        3450,
    )
    assert p.courses == []
    assert "Delivery: In person, evenings" in p.description


def test_html_definition_list_of_program_facts_and_an_offered_by_line() -> None:
    page = """<html><body><h1>Surgical Technologist Preparation</h1>
<p class="lead">Offered by Pinecrest College, Division of Health Sciences</p>
<dl><dt>Credential</dt><dd>Certificate of Completion</dd><dt>Clock hours</dt><dd>560</dd>
<dt>Length</dt><dd>28 weeks</dd></dl>
<p>Students prepare operating rooms and keep the sterile field.</p></body></html>"""
    p = parse_program(page.encode(), "surg.html")
    assert (p.provider, p.credential, p.clock_hours, p.weeks) == (
        "Pinecrest College, Division of Health Sciences",
        "Certificate of Completion",
        560,
        28,
    )


def test_a_list_item_ending_in_an_upper_case_word_is_not_joined_to_the_next() -> None:
    from matcher.text.normalise import join_wrapped_lines

    text = "Explain legal and ethical responsibilities in the OR\nCommunicate within the surgical team"
    assert join_wrapped_lines(text) == text
    assert join_wrapped_lines("Work in hospitals and\nclinics.") == "Work in hospitals and clinics."


def test_course_table_codes_in_the_title_cell_group_rows_and_a_total_hours_column() -> None:
    p = parse_program(
        _md(
            "# Pharmacy Technician Certificate\n\nA 20-week evening program.\n\n"
            "| Course | Lecture Hrs | Lab Hrs | Total Hrs | Learning Outcomes |\n|---|---|---|---|---|\n"
            "| Phase 1: Classroom | Phase 1: Classroom | Phase 1: Classroom | Phase 1: Classroom "
            "| Phase 1: Classroom |\n"
            "| PHT 105 Pharmacy Law and Ethics | 20 | 10 | 30 | Explain federal and state pharmacy law |\n"
            "| PHT 130 Pharmacy Calculations | 30 | 20 | 50 | Calculate doses and days' supply |\n"
        ),
        "pharm.md",
    )
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("PHT 105", "Pharmacy Law and Ethics", 30.0),
        ("PHT 130", "Pharmacy Calculations", 50.0),
    ]


def test_combined_prerequisites_heading_and_a_course_heading_wrapped_before_its_hours() -> None:
    p = parse_program(
        b"Early Childhood Education: CDA Preparation\n\nA 13-week evening program.\n\n"
        b"Admission Requirements / Prerequisites\n- High school diploma or GED\n- Background check\n\n"
        b"Module 2: Advancing Children's Physical and Intellectual Development\n(16 hours)\n"
        b"Upon completion, students will be able to:\na) Plan activities that build motor skills.\n",
        "ece.txt",
    )
    assert p.prerequisites == "High school diploma or GED\nBackground check"
    (course,) = p.courses
    assert (course.code, course.hours) == ("Module 2", 16.0)
    assert course.title == "Advancing Children's Physical and Intellectual Development"
    assert [o.text for o in course.outcomes] == ["Plan activities that build motor skills."]


def test_field_lines_stay_apart_and_are_no_provider() -> None:
    p = parse_program(
        b"Automotive Service Technician Certificate\n"
        b"Delivery: In person; lecture and shop lab\nLocation: Transportation Center, Bay 4\n"
        b"Length: 24 weeks\n\nThis program prepares adults for entry-level work in auto repair shops.\n",
        "auto.txt",
    )
    assert p.provider is None  # "Location: Transportation Center" names a place, not a school
    assert (
        "Delivery: In person; lecture and shop lab\nLocation: Transportation Center, Bay 4" in p.description
    )
    assert p.weeks == 24


def test_a_credential_body_spelled_out_before_its_acronym() -> None:
    from matcher.readers.credential_names import credential_mentions

    text = (
        "Graduates are eligible to sit for the North American Board of Certified Energy Practitioners "
        "(NABCEP) PV Associate examination."
    )
    assert [c.name for c in credential_mentions(text)] == ["NABCEP PV Associate"]


def test_markdown_total_line_and_copyright_footer_are_no_course_text() -> None:
    p = parse_program(
        _md(
            "# HVAC Installer\n\nStudents install residential systems.\n\n## Courses\n\n"
            "- **HVAC 190 – Field Installation Practicum** (50 hrs)\n"
            "  - Complete a supervised residential installation\n"
            "  - Complete work orders and invoices\n\n**Total:** 360 clock hours\n\n---\n\n"
            "© 2025 Ridgeview Technical College · 1200 Harbor Drive\n"
        ),
        "hvac.md",
    )
    (course,) = p.courses
    assert course.description == "" and len(course.outcomes) == 2
    assert p.clock_hours == 360
    assert "©" not in p.description


def test_outcomes_in_a_table_row_of_their_own_under_the_course_row() -> None:
    p = parse_program(
        _md(
            "# Pharmacy Technician\n\nA 20-week program.\n\n| Course | Hours |\n|---|---|\n"
            "| PHT 105 Pharmacy Law and Ethics | 30 |\n"
            "| Explain federal and state pharmacy law<br>Classify controlled substances |  |\n"
            "| PHT 130 Pharmacy Calculations | 50 |\n"
        ),
        "pharm.md",
    )
    assert [(c.code, c.hours, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("PHT 105", 30.0, ["Explain federal and state pharmacy law", "Classify controlled substances"]),
        ("PHT 130", 50.0, []),
    ]


def test_csv_total_row_and_numbered_outcome_columns() -> None:
    p = parse_program(
        b"Code,Course Title,Hours,Outcome 1,Outcome 2\n"
        b"WLD 101,Welding Safety,10,Wear PPE,Inspect hoses\n"
        b"WLD 110,Oxy-fuel Cutting,20,Set up a torch,Make straight cuts\n"
        b",Total,30,,\n",
        "welding.csv",
    )
    assert [(c.code, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("WLD 101", ["Wear PPE", "Inspect hoses"]),
        ("WLD 110", ["Set up a torch", "Make straight cuts"]),
    ]
    assert p.clock_hours == 30  # the Total row had been a course, and the sum 60


def test_clock_hours_said_in_prose() -> None:
    def hours(sentence: str) -> float | None:
        return parse_program(
            f"CNA Training\n\nA short program.\n\n{sentence}\n".encode(), "cna.txt"
        ).clock_hours

    assert hours("Total clock hours of instruction for this course is 188 hours.") == 188
    assert hours("The program is 188 clock hours over 7 weeks.") == 188
    assert hours("This 300-hour program prepares students for the state exam.") == 300
    assert hours("A 14-week, 420-clock-hour certificate.") == 420
    assert hours("It includes 40 clock hours of clinical externship.") is None
    assert hours("Students attend 20 clock hours per week.") is None


def test_a_syllabus_banner_is_no_title_and_slo_lines_are_outcomes() -> None:
    p = parse_program(
        b"COURSE SYLLABUS | Spring 2026\n\nMedical Coding Specialist Certificate\n"
        b"Provider: Northgate Community College\n\nA 20-week evening certificate.\n\n"
        b"MCS 120 ICD-10-CM Coding (100 hours)\nSLO 1: Apply the official guidelines.\n"
        b"SLO 2: Assign codes to the highest specificity.\n",
        "coding.txt",
    )
    assert p.title == "Medical Coding Specialist Certificate"
    assert [o.text for o in p.courses[0].outcomes] == [
        "Apply the official guidelines.",
        "Assign codes to the highest specificity.",
    ]


def test_skills_to_demonstrate_are_outcomes() -> None:
    p = parse_program(
        b"CNA Two-Week Program\n\nStudents prepare for the state CNA exam.\n\n"
        b"Required Skills (Michigan Mock Skills)\n"
        b"Students must demonstrate competency in the following skills:\n- Handwashing\n"
        b"- Measuring and Recording Vital Signs\n",
        "cna.txt",
    )
    assert [o.text for o in p.outcomes] == ["Handwashing", "Measuring and Recording Vital Signs"]


def test_a_page_is_titled_by_its_h1_and_a_minutes_long_program_is_no_length() -> None:
    page = """<html><head><title>Phlebotomy | Fast Response</title></head><body>
<h3>Course Start Dates</h3><p>April 1st, 2013</p><h1>Phlebotomy</h1>
<p>Students learn venipuncture and capillary collection in a 100 hour program.</p></body></html>"""
    p = parse_program(page.encode(), "phleb.html")
    assert p.title == "Phlebotomy" and p.clock_hours == 100
    ld = b"""{"@context": "https://schema.org", "@type": "EducationalOccupationalProgram",
        "name": "Data Analyst Training", "description": "Python, SQL and dashboards.",
        "timeToComplete": "PT3M"}"""
    assert parse_program(ld, "da.json").clock_hours is None


def test_xlsx_program_sheet_beside_the_course_sheet() -> None:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    courses = wb.active
    assert courses is not None
    courses.title = "Courses"
    rows: list[list[object]] = [
        ["Code", "Course Title", "Hours", "Learning Outcomes"],
        ["WLD 101", "Welding Safety", 10, "Wear PPE\nInspect hoses"],
        ["WLD 110", "Oxy-fuel Cutting", 20, "Set up a torch"],
    ]
    for row in rows:
        courses.append(row)
    program = wb.create_sheet("Program")
    facts: list[list[object]] = [
        ["Program Title", "Welding Basics"],
        ["Provider", "Acme Technical College"],
        ["Weeks", 3],
    ]
    for fact in facts:
        program.append(fact)
    buf = io.BytesIO()
    wb.save(buf)
    p = parse_program(buf.getvalue(), "welding.xlsx")
    assert (p.title, p.provider, p.weeks, p.clock_hours) == (
        "Welding Basics",
        "Acme Technical College",
        3,
        30,
    )
    assert [c.source.line for c in p.courses if c.source] == [2, 3]  # the course sheet's own rows


def test_docx_course_blocks_of_two_table_rows() -> None:
    import io

    import docx

    d = docx.Document()
    d.add_heading("Welding Basics", 0)
    d.add_paragraph("Students learn to weld safely in a 30-hour course.")
    table = d.add_table(rows=4, cols=2)
    for r, (head, outcomes) in enumerate(
        [
            ("WLD 101 Welding Safety (10 hours)", ["Wear PPE", "Inspect hoses"]),
            ("WLD 102 Blueprints (20 hours)", ["Read welding symbols", "Measure parts"]),
        ]
    ):
        top = table.rows[2 * r].cells[0].merge(table.rows[2 * r].cells[1])
        top.text = head
        cell = table.rows[2 * r + 1].cells[0].merge(table.rows[2 * r + 1].cells[1])
        cell.text = outcomes[0]
        for o in outcomes[1:]:
            cell.add_paragraph(o, style="List Bullet")
    buf = io.BytesIO()
    d.save(buf)
    p = parse_program(buf.getvalue(), "weld.docx")
    assert [(c.code, c.hours, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("WLD 101", 10.0, ["Wear PPE", "Inspect hoses"]),
        ("WLD 102", 20.0, ["Read welding symbols", "Measure parts"]),
    ]


def test_program_administration_is_no_curriculum() -> None:
    p = parse_program(
        _md(
            "# Phlebotomy Technician\n\nStudents learn venipuncture.\n\n## Instructor Qualifications\n\n"
            "Minimum 3 years clinical phlebotomy experience.\n\n## Support Services\n\n"
            "- Resume and interview preparation\n- Transportation support\n\n"
            "## Program Completion Requirements\n\n- Attend 90% of sessions\n"
        ),
        "phleb.md",
    )
    assert p.description == "Students learn venipuncture."
    assert {o.text for o in p.not_curriculum} >= {
        "Resume and interview preparation",
        "Attend 90% of sessions",
    }


def test_labels_with_brackets_and_ampersands_tuition_and_total_program_hours() -> None:
    p = parse_program(
        _md(
            "# CNA Program\n\nStudents learn patient care in a clinical lab.\n\n"
            "- **SOC Code(s):** 31-1131\n- **Length (weeks):** 8\n- **Total program hours:** 160\n"
            "- **Tuition & fees:** $1,295 (includes textbook, scrubs and first exam attempt)\n"
            "- **Sponsor:** Tri-County Health Careers Center\n\n"
            "### CNA 101 | Fundamentals of Nursing Care | 40 hours\n\n"
            "By the end of this course you will:\n\n- Provide personal care\n- Take vital signs\n"
        ),
        "cna.md",
    )
    assert (p.occupations, p.weeks, p.clock_hours, p.tuition_and_fees) == (["31-1131"], 8, 160, 1295)
    assert p.provider == "Tri-County Health Careers Center"
    (course,) = p.courses
    assert (course.code, course.title, course.hours) == ("CNA 101", "Fundamentals of Nursing Care", 40.0)
    assert [o.text for o in course.outcomes] == ["Provide personal care", "Take vital signs"]


def test_html_course_table_credits_semester_rows_and_a_dl_course_list() -> None:
    table = """<html><body><h1>Computer Support Specialist Certificate</h1><p>Students support users.</p>
<table><tr><th>Course</th><th>Title</th><th>Credits</th></tr>
<tr><th colspan="3">Fall Semester</th></tr>
<tr><td>CIS 110</td><td>Introduction to Information Technology</td><td>3</td></tr>
<tr><td>CIS 121</td><td>PC Hardware</td><td>4</td></tr></table></body></html>"""
    p = parse_program(table.encode(), "css.html")
    assert [c.code for c in p.courses] == ["CIS 110", "CIS 121"] and p.credit_hours == 7
    dl = """<html><body><h1>Welding Technology</h1><p>Students weld plate and pipe.</p><dl>
<dt>WLD 110 Shielded Metal Arc Welding I</dt><dd>Fundamentals of SMAW on plate.</dd>
<dt>WLD 120 Gas Metal Arc Welding</dt><dd>Short-circuit and spray transfer.</dd></dl></body></html>"""
    p = parse_program(dl.encode(), "weld.html")
    assert [(c.code, c.title, c.description) for c in p.courses] == [
        ("WLD 110", "Shielded Metal Arc Welding I", "Fundamentals of SMAW on plate."),
        ("WLD 120", "Gas Metal Arc Welding", "Short-circuit and spray transfer."),
    ]


def test_markdown_course_lines_with_credits() -> None:
    p = parse_program(
        _md(
            "# Medical Assistant\n\nStudents assist physicians.\n\n## Courses\n\n"
            "**MAS 101** Medical Terminology — 3 cr.\n\n**MAS 105** Anatomy and Physiology (4 credits)\n"
        ),
        "ma.md",
    )
    assert [(c.code, c.title) for c in p.courses] == [
        ("MAS 101", "Medical Terminology"),
        ("MAS 105", "Anatomy and Physiology"),
    ]


def test_json_in_a_curriculum_system_own_keys() -> None:
    p = parse_program(
        b'{"program_id": "TRK-CDL-A", "program_name": "CDL Class A", '
        b'"school": "Eastfield Technical College", "total_clock_hours": 200, "duration_weeks": 5, '
        b'"award_type": "Certificate of Completion", "modules": [{"module_name": "Range Training", '
        b'"duration_hours": 60, "objectives": ["Back a trailer"]}]}',
        "cdl.json",
    )
    assert (p.id, p.title, p.provider, p.clock_hours, p.weeks) == (
        "TRK-CDL-A",
        "CDL Class A",
        "Eastfield Technical College",
        200,
        5,
    )
    assert p.credential == "Certificate of Completion"
    assert [(c.title, c.hours, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("Range Training", 60.0, ["Back a trailer"])
    ]


def test_weeks_the_author_gives_in_brackets_beat_a_conversion() -> None:
    from matcher.readers.duration import program_length

    assert program_length(["Length: 2 semesters (32 weeks)"]).weeks == 32  # not 2 x 15
    assert program_length(["Program length: 3 months (approx. 13 weeks), Tuesday evenings"]).weeks == 13


def test_a_pdf_facts_grid_without_colons() -> None:
    from matcher.readers.outline import build_program
    from matcher.readers.pdf import pdf_blocks

    page = (
        "Program Information Sheet\nProgram Name Medical Assistant Certificate\n"
        "Provider Riverbend Technical Institute\nCIP Code 51.0801\nSOC Code(s) 31-9092; 31-9099\n"
        "Total Clock Hours 480\nLength (weeks) 24\nTuition $4,850.00\nSchedule Mon-Thu 5:30-9:30 pm\n"
        "Program Description\nStudents learn to take vital signs and perform phlebotomy.\n"
    )
    p = build_program(pdf_blocks([page]), "sheet.pdf")
    assert (p.title, p.provider, p.cip, p.clock_hours, p.weeks, p.tuition_and_fees) == (
        "Medical Assistant Certificate",
        "Riverbend Technical Institute",
        "51.0801",
        480,
        24,
        4850,
    )
    assert p.occupations == ["31-9092", "31-9099"]


def test_a_page_with_no_provider_in_its_text_is_its_site_and_week_lines_stay_apart() -> None:
    page = """<html><head><title>Welding Certificate | Lakeshore Community College</title></head><body>
<h1>Welding Certificate</h1><p>Students learn SMAW, GMAW and GTAW on plate and pipe.</p></body></html>"""
    p = parse_program(page.encode(), "weld.html")
    assert p.provider == "Lakeshore Community College"
    assert p.read_from["provider"].text.startswith("<title>")
    t = parse_program(
        b"CDL Class A\n\nA 160-hour course for new drivers.\n"
        b"Week 1 (40 hrs): Classroom theory, hours of service and trip planning\n"
        b"Week 2 (40 hrs): Range work, pre-trip inspection and backing\n",
        "cdl.txt",
    )
    assert "planning\nWeek 2 (40 hrs): Range work" in t.description


def test_tab_labels_are_navigation() -> None:
    page = """<html><body><h1>Computer Support Specialist</h1>
<div role="tablist"><button role="tab" aria-controls="t1">Overview</button>
<button role="tab" aria-controls="t2">Careers</button></div>
<div role="tabpanel" id="t1"><p>Students support users and networks.</p></div>
<div role="tabpanel" id="t2"><p>Help desk technicians resolve tickets.</p></div></body></html>"""
    p = parse_program(page.encode(), "css.html")
    assert p.description == "Students support users and networks.\nHelp desk technicians resolve tickets."


def test_a_pdf_course_table_whose_cells_come_out_line_by_line() -> None:
    from matcher.readers.outline import build_program
    from matcher.readers.pdf import pdf_blocks

    page = (
        "Automotive Service Technician Certificate\nStudents service cars and light trucks.\n"
        "Course Clock Hours Learning Outcomes\nAUT 101\nShop Safety, Tools and\nEquipment\n24\n"
        "• Follow shop safety rules.\n• Use hand and power tools safely.\nAUT 110\nEngine Repair (A1) 64\n"
        "• Explain four-stroke engine operation.\n"
    )
    p = build_program(pdf_blocks([page]), "auto.pdf")
    assert [(c.code, c.title, c.hours, len(c.outcomes)) for c in p.courses] == [
        ("AUT 101", "Shop Safety, Tools and Equipment", 24.0, 2),
        ("AUT 110", "Engine Repair (A1)", 64.0, 1),
    ]
    assert "Learning Outcomes" not in p.description


def test_competency_based_layouts() -> None:
    # a DACUM duty table: tasks with their ids are the duty's outcomes
    dacum = parse_program(
        _md(
            "# Combination Welder Competency Profile\n\nA 480-hour welding program.\n\n"
            "| Duty | Tasks | Hours |\n|---|---|---|\n"
            "| A. Maintain Safety | A-1 Wear PPE<br>A-2 Inspect equipment | 40 |\n"
        ),
        "dacum.md",
    )
    assert [o.text for o in dacum.courses[0].outcomes] == ["Wear PPE", "Inspect equipment"]
    # a CSV checklist, one competency a row with its own hours: a module's hours add up
    csv_rows = (
        "Competency ID,Competency,Module,Hours\n"
        "IC-1,Demonstrate hand hygiene,Infection Control,4\n"
        "IC-2,Apply standard precautions,Infection Control,4\n"
        "IC-3,Don and doff PPE,Infection Control,2\n"
        "BN-1,Measure vital signs,Basic Nursing Skills,8\n"
    )
    p = parse_program(csv_rows.encode(), "cna.csv")
    assert [(c.title, c.hours, len(c.outcomes)) for c in p.courses] == [
        ("Infection Control", 10.0, 3),
        ("Basic Nursing Skills", 8.0, 1),
    ]
    # an indented outline: lettered objectives under Roman-numeral units; labels after a ";" list
    outline = parse_program(
        b"Medical Assistant Certificate Program\nSponsoring Institution: Eastfield Career Academy\n"
        b"Credential Awarded: Certificate of Completion; eligible for the CCMA exam\n"
        b"Approval Number: MA-2023-0417\nTotal Hours: 360 clock hours over 18 weeks\n\n"
        b"I. Introduction to Healthcare (20 hours)\n    A. Describe the roles of the healthcare team\n"
        b"        1. Identify protected health information\n    B. Describe informed consent\n",
        "ma.txt",
    )
    assert outline.provider == "Eastfield Career Academy"
    assert outline.credential == "Certificate of Completion; eligible for the CCMA exam"
    assert (outline.clock_hours, outline.weeks) == (360, 18)
    assert [o.text for o in outline.courses[0].outcomes] == [
        "Describe the roles of the healthcare team",
        "Identify protected health information",
        "Describe informed consent",
    ]


def test_a_catalog_of_programs_set_apart_by_separator_lines() -> None:
    from matcher.readers import parse_programs

    catalog = (
        "MIDLANDS STATE TECHNICAL COLLEGE\n\nNon-credit certificate programs.\n\n" + "=" * 40 + "\n\n"
        "EMERGENCY MEDICAL TECHNICIAN\n\nClock Hours: 190\n\nEMS 1119  EMT Foundations  40 Clock Hours\n"
        "- Maintain an open airway.\n\n" + "=" * 40 + "\n\n"
        "PHLEBOTOMY TECHNICIAN\n\nClock Hours: 150\n\nPHL 101  Venipuncture  60 Clock Hours\n"
        "- Perform routine venipuncture.\n"
    )
    programs = parse_programs(catalog.encode(), "catalog.txt")
    assert [(p.title, p.clock_hours, p.provider) for p in programs] == [
        ("EMERGENCY MEDICAL TECHNICIAN", 190, "MIDLANDS STATE TECHNICAL COLLEGE"),
        ("PHLEBOTOMY TECHNICIAN", 150, "MIDLANDS STATE TECHNICAL COLLEGE"),
    ]
    assert programs[1].courses[0].source is not None and programs[1].courses[0].source.line == 20


_LINEWORKER = """Electrical Lineworker Pre-Apprenticeship
Provider: Midstate Technical College | Credential: Certificate of Completion | Length: 10 weeks | Hours: 320

The program prepares students for entry-level work on overhead and underground distribution lines.

Course Outline

1. Climbing and Pole Safety (80 hours)
1.1 Inspect climbing gear and fall protection before each use
1.2 Climb wood poles using gaffs and a fall-restriction device

2. Electrical Theory (60 hours)
2.1 Apply Ohm's law to series and parallel circuits

3. Rigging and Equipment (120-160 Hours)
3.1 Tie knots and hitches used in line work

Graduates may sit for the CDL Class A permit test.
"""


def test_an_outline_with_numbered_sub_units_a_facts_line_and_an_hours_range() -> None:
    p = parse_program(_LINEWORKER.encode(), "lineworker.txt")
    # one line of facts set apart by bars is four facts, not the provider's name
    assert p.provider == "Midstate Technical College"
    assert p.credential == "Certificate of Completion"
    assert (p.weeks, p.clock_hours) == (10, 320)
    # "1.1 ..." lines are the outcomes of the course above them, not description
    assert [(c.title, c.hours, [o.text for o in c.outcomes]) for c in p.courses] == [
        (
            "Climbing and Pole Safety",
            80,
            [
                "Inspect climbing gear and fall protection before each use",
                "Climb wood poles using gaffs and a fall-restriction device",
            ],
        ),
        ("Electrical Theory", 60, ["Apply Ohm's law to series and parallel circuits"]),
        # a range of hours is no one figure, but the line is still a course
        ("Rigging and Equipment", None, ["Tie knots and hitches used in line work"]),
    ]
    # the paragraph after the last course's items belongs to the program again
    assert "CDL Class A permit" in p.description
    assert "Inspect climbing gear" not in p.description


def test_a_decimal_number_of_hours_or_credits_is_no_sub_unit() -> None:
    p = parse_program(
        b"Phlebotomy Technician\n\nStudents draw blood.\n\n1.5 Hours of CPR are included.\n2.0 Credits\n",
        "phleb.txt",
    )
    assert not any(o.text.startswith(("Hours", "Credits")) for o in p.outcomes)


def test_numbered_sub_units_under_markdown_headings() -> None:
    md = (
        "# Electrical Lineworker Pre-Apprenticeship\n\nLine work for distribution utilities.\n\n"
        "## Course Outline\n\n### 1. Climbing and Pole Safety (80 hours)\n\n"
        "1.1 Inspect climbing gear and fall protection\n1.2 Perform pole-top rescue\n\n"
        "### 2. CDL Class A Preparation (60 hours)\n\n2.1 Conduct a pre-trip vehicle inspection\n"
    )
    p = parse_program(md.encode(), "lineworker.md")
    # Markdown joins the numbered lines into one paragraph; each is an outcome of its course,
    # and the heading's own number is no part of the course's title
    assert [(c.title, c.hours, [o.text for o in c.outcomes]) for c in p.courses] == [
        (
            "Climbing and Pole Safety",
            80,
            ["Inspect climbing gear and fall protection", "Perform pole-top rescue"],
        ),
        ("CDL Class A Preparation", 60, ["Conduct a pre-trip vehicle inspection"]),
    ]


def test_a_yaml_list_of_class_sessions_is_one_program() -> None:
    from matcher.readers import parse_programs

    text = (
        "- session: 1\n  topic: Introduction to open data\n  description: Why governments publish data.\n"
        "- session: 2\n  topic: Data formats\n  description: CSV, JSON and APIs.\n"
    )
    (p,) = parse_programs(text.encode(), "open-data-syllabus.yml")
    assert p.title == "Open data syllabus"  # from the file name: no item names the program
    assert [(c.code, c.title, c.description) for c in p.courses] == [
        ("Session 1", "Introduction to open data", "Why governments publish data."),
        ("Session 2", "Data formats", "CSV, JSON and APIs."),
    ]


def test_a_yaml_list_of_programs_stays_several_programs() -> None:
    from matcher.readers import parse_programs

    text = (
        "- title: Welding I\n  description: Arc welding.\n- title: Welding II\n  description: Pipe welding.\n"
    )
    assert [p.title for p in parse_programs(text.encode(), "welding.yml")] == ["Welding I", "Welding II"]


def test_a_yaml_list_of_titled_weeks_is_one_program() -> None:
    from matcher.readers import parse_programs

    text = "- week: 1\n  title: Shop safety\n- week: 2\n  title: Arc welding\n  objectives: [Strike an arc]\n"
    (p,) = parse_programs(text.encode(), "welding_weeks.yaml")
    assert [(c.code, c.title, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("Week 1", "Shop safety", []),
        ("Week 2", "Arc welding", ["Strike an arc"]),
    ]


def test_a_plan_that_names_each_course_with_a_course_name_label() -> None:
    text = (
        "Related Technical Instruction Plan\n\n"
        "The apprentice completes the courses below.\n\n"
        "COURSE NAME: Principles of Financial Accounting Course Number:\nACC 101\n\n"
        "LEARNING OBJECTIVES\n\nPrepare basic financial statements.\n\n"
        "COURSE NAME: Accounting Software Course Number: ACC 203\n\n"
        "LEARNING OBJECTIVES\n\nRecord transactions in QuickBooks.\n"
    )
    p = parse_program(text.encode(), "rti.txt")
    assert [(c.code, c.title, [o.text for o in c.outcomes]) for c in p.courses] == [
        ("ACC 101", "Principles of Financial Accounting", ["Prepare basic financial statements."]),
        ("ACC 203", "Accounting Software", ["Record transactions in QuickBooks."]),
    ]
    assert p.title == "Related Technical Instruction Plan"


def test_one_course_name_label_is_the_title_of_a_one_course_syllabus() -> None:
    p = parse_program(b"Course Name: Welding Safety\n\nStudents learn to weld safely.\n", "w.txt")
    assert p.title == "Welding Safety" and not p.courses


def test_a_course_syllabus_headed_by_its_course_is_titled_by_it() -> None:
    one = parse_program(
        b"# MAD9013 Cross-Platform Web Design\n\nStudents build responsive web apps.\n\n"
        b"## Learning Outcomes\n\n- Create effective user interfaces\n",
        "outline.md",
    )
    assert one.title == "MAD9013 Cross-Platform Web Design"
    several = parse_program(
        b"# WLD 101 Shielded Metal Arc Welding\n\nStrike an arc.\n\n"
        b"# WLD 102 Gas Metal Arc Welding\n\nRun beads.\n",
        "welding-courses.md",
    )
    assert not several.title.startswith("WLD 101")  # a list of courses: no one of them is the title


def test_outcome_codes_and_notices_are_no_courses_and_a_vision_is_no_title() -> None:
    from matcher.readers import fields as F

    assert F.course_heading("VLO 3 Create effective user interfaces") is None
    assert F.course_heading("EES 11 Take responsibility for one's own actions") is None
    assert F.course_heading("COVID-19 Notice") is None
    assert F.course_heading("WLD 110 Shielded Metal Arc Welding") is not None
    assert F.is_boilerplate_title("Our Vision") and F.is_boilerplate_title("Mission Statement")
    assert not F.is_boilerplate_title("Welding Vision Systems")


def test_a_list_of_training_topics_after_its_lead_in_is_outcomes() -> None:
    p = parse_program(
        b"Pre-Apprentice Lineworker Academy\n\nOur 7 week course prepares line workers.\n\n"
        b"Students receive training in the following:\n\n- Digger-Derrick/Pole Setting\n- Rigging\n"
        b"- Underground distribution\n",
        "lineworker.txt",
    )
    assert [o.text for o in p.outcomes] == [
        "Digger-Derrick/Pole Setting",
        "Rigging",
        "Underground distribution",
    ]
