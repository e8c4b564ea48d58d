"""What a format-invariance sweep showed: the 30 labelled syllabi, converted the way a curriculum
designer saves them (pandoc to Markdown, DOCX, HTML and plain text; a browser's "Print to PDF";
``pdftotext -layout`` for a text export), read differently from their originals. Each document
here is the smallest reproduction of a converted layout, written at test time (no pandoc or
browser needed): labelled lines run together into one paragraph, label values wrapped at 72
columns, a browser's print header and footer, bullets a PDF drew instead of typing, typographic
ligatures, titles and course headings wrapped over two lines."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

from matcher.readers import parse_program
from matcher.readers.fields import carries_next_label, run_on_labels
from matcher.readers.layout_text import unlayout

_FACTS = (
    "Provider: Bayview Career College, Allied Health Division Clock hours: 560 Length: 14 weeks "
    "Schedule: Monday–Friday, 8:00 am–4:00 pm Credential: NHA Certified Clinical Medical Assistant "
    "(CCMA); AHA BLS Provider card Prerequisites: High school diploma or GED, age 18 or older"
)


def _docx_bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _assert_facts(p: Any) -> None:
    assert p.provider == "Bayview Career College, Allied Health Division"
    assert p.clock_hours == 560 and p.weeks == 14
    assert p.credential == "NHA Certified Clinical Medical Assistant (CCMA); AHA BLS Provider card"
    assert p.prerequisites == "High school diploma or GED, age 18 or older"
    assert "Clock hours" not in p.description


# --- labelled lines run together -------------------------------------------------------------


def test_run_on_labels_splits_at_each_known_label() -> None:
    assert run_on_labels(_FACTS) == [
        "Provider: Bayview Career College, Allied Health Division",
        "Clock hours: 560",
        "Length: 14 weeks",
        "Schedule: Monday–Friday, 8:00 am–4:00 pm",
        "Credential: NHA Certified Clinical Medical Assistant (CCMA); AHA BLS Provider card",
        "Prerequisites: High school diploma or GED, age 18 or older",
    ]
    # one label, a clock time, an unknown label, a label in lower case: no run of facts
    assert run_on_labels("Schedule: Monday 8:00 am to 4:00 pm") is None
    assert run_on_labels("Provider: Bayview College. Note: bring boots") is None
    assert run_on_labels("Description: students learn the credential: what it takes") is None
    assert run_on_labels("Welding is taught here. Provider: Bayview College Length: 10 weeks") is None


def test_docx_paragraph_of_labelled_lines_that_pandoc_ran_together() -> None:
    """Markdown's consecutive ``Label: value`` lines are one paragraph; pandoc writes it to Word as
    one paragraph, so the provider used to swallow every fact after it."""
    d = docx.Document()
    d.add_heading("Clinical Medical Assistant Certificate", level=1)
    d.add_paragraph(_FACTS)
    d.add_paragraph("A 14-week day program that prepares graduates to work alongside physicians.")
    _assert_facts(parse_program(_docx_bytes(d), "ma.docx"))


def test_html_paragraph_of_labelled_lines() -> None:
    html = (
        "<html><body><h1>Clinical Medical Assistant Certificate</h1>\n"
        f"<p>{_FACTS.replace(' Clock hours', chr(10) + 'Clock hours')}</p>\n"
        "<p>A 14-week day program that prepares graduates to work alongside physicians.</p>"
        "</body></html>"
    )
    _assert_facts(parse_program(html.encode(), "ma.html"))


def test_plain_text_export_wraps_the_facts_paragraph_at_72_columns() -> None:
    """``pandoc -t plain`` of the same paragraph: the facts wrapped at 72 columns, a label's
    colon at the end of one line and its value on the next."""
    text = (
        "Clinical Medical Assistant Certificate\n\n"
        "Provider: Bayview Career College, Allied Health Division Clock hours:\n"
        "560 Length: 14 weeks Schedule: Monday–Friday, 8:00 am–4:00 pm\n"
        "Credential: NHA Certified Clinical Medical Assistant (CCMA); AHA BLS\n"
        "Provider card Prerequisites: High school diploma or GED, age 18 or\n"
        "older\n\n"
        "A 14-week day program that prepares graduates to work alongside\n"
        "physicians and nurses in clinics, urgent care centers and specialty\n"
        "practices.\n"
    )
    _assert_facts(parse_program(text.encode(), "ma.txt"))


def test_a_label_line_and_the_line_of_another_field_stay_apart() -> None:
    assert not carries_next_label("Credential Awarded: Certificate", "Approval Number: MA-2023-0417")
    assert carries_next_label("Provider: Bayview College Clock hours:", "560 Length: 14 weeks")
    text = (
        "Office Professional Certificate\n"
        "Credential: Certificate of Completion; Microsoft Office Specialist exam\n"
        "Approval Number: MA-2023-0417\n\nStudents learn office software.\n"
    )
    assert parse_program(text.encode(), "op.txt").credential == (
        "Certificate of Completion; Microsoft Office Specialist exam"
    )


# --- Markdown written by pandoc ----------------------------------------------------------------


def test_markdown_label_value_wrapped_at_72_columns() -> None:
    """``pandoc -t gfm`` wraps a long **Label:** value; the rest of the value used to be dropped
    from the credential and read as description."""
    md = (
        "# Home Health Aide Training Program\n\n"
        "**Clock Hours:** 160\n\n"
        "**Credential:** Certificate of Completion; eligibility for the state\n"
        "Home Health Aide competency exam; AHA Heartsaver CPR/AED and First Aid\n\n"
        "**Provider:** Tri-County Technical College, Center for Workforce &\n"
        "Continuing Education\n\n"
        "This program trains students to care for older adults in their homes.\n"
    )
    p = parse_program(md.encode(), "hha.md")
    assert p.credential == (
        "Certificate of Completion; eligibility for the state Home Health Aide competency exam; "
        "AHA Heartsaver CPR/AED and First Aid"
    )
    assert p.provider == "Tri-County Technical College, Center for Workforce & Continuing Education"
    assert "Home Health Aide competency" not in p.description


def test_markdown_short_label_lines_keep_the_lines_under_them_apart() -> None:
    md = "# Welding Certificate\n\nClock hours: 300\nWeeks: 12\nShop Safety Orientation\n"
    p = parse_program(md.encode(), "w.md")
    assert p.clock_hours == 300 and p.weeks == 12
    assert "Shop Safety Orientation" in p.description


# --- plain text: titles and course headings wrapped ----------------------------------------


def test_text_title_wrapped_over_two_lines() -> None:
    text = (
        "Customer Service and Contact Center Representative\nCertificate\n"
        "Cedar Valley Community College - Workforce and Continuing Education\n"
        "Clock Hours: 160\n\nStudents practise every channel a representative uses.\n"
    )
    p = parse_program(text.encode(), "csr.txt")
    assert p.title == "Customer Service and Contact Center Representative Certificate"
    assert p.provider == "Cedar Valley Community College - Workforce and Continuing Education"
    hyphen = parse_program(
        b"Residential Electrician Pre-\nApprenticeship Certificate\n\nClock hours: 420\n", "e.txt"
    )
    assert hyphen.title == "Residential Electrician Pre-Apprenticeship Certificate"
    # a school's name over its division is no wrapped title
    school = parse_program(
        b"NORTHGATE REGIONAL TRAINING CENTER\nWorkforce Development Division\n\n"
        b"Course Title: Forklift Operator Certificate\nClock Hours: 160\n",
        "f.txt",
    )
    assert school.provider == "NORTHGATE REGIONAL TRAINING CENTER"
    assert school.title == "Forklift Operator Certificate"


def test_text_course_heading_wrapped_before_its_hours() -> None:
    text = (
        "Clinical Medical Assistant Certificate\n\nCourses\n\n"
        "MA 100 Medical Terminology and Body Systems (60\nhours)\n\n"
        "- Build, spell and define medical terms.\n\n"
        "MA 130 Phlebotomy, Specimens and Point-of-Care\nTesting (70 hours)\n\n"
        "- Perform venipuncture and capillary sticks.\n"
    )
    p = parse_program(text.encode(), "ma.txt")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("MA 100", "Medical Terminology and Body Systems", 60),
        ("MA 130", "Phlebotomy, Specimens and Point-of-Care Testing", 70),
    ]
    assert "160hour" not in parse_program(b"T\n\nA 160-\nhour externship follows.\n", "t.txt").description


def test_text_code_and_hours_line_under_a_module_is_no_heading() -> None:
    """``pandoc -t plain`` of a DOCX module: the module title, its "HHA 100 | 16 hours" line and
    the outcomes lead-in each alone between blank lines; the code line used to close the module,
    so its outcomes became the program's."""
    text = (
        "Home Health Aide Training Program\n\nCourse Outline\n\n"
        "Module 1: The Home Health Aide Role, Client Rights and Ethics\n\n"
        "HHA 100 | 16 hours\n\nUpon completion, students will be able to:\n\n"
        "1.  Explain the aide's role on the home care team and the limits of HHA\n"
        "    practice.\n\n"
        "2.  Recognize and report signs of abuse, neglect and exploitation.\n"
    )
    p = parse_program(text.encode(), "hha.txt")
    assert not p.outcomes
    assert [o.text for o in p.courses[0].outcomes] == [
        "Explain the aide's role on the home care team and the limits of HHA practice.",
        "Recognize and report signs of abuse, neglect and exploitation.",
    ]


# --- text exported from a PDF with its layout (pdftotext -layout) ------------------------------

_HEADER = "12/7/26, 4:54 PM                                      Phlebotomy Technician Certificate"


def _layout_page(body: list[str], page: int, pages: int) -> str:
    footer = f"file:///home/designer/phlebotomy.html{' ' * 40}{page}/{pages}"
    return "\n".join([_HEADER, "", "", *body, footer])


def test_layout_text_export_drops_the_print_header_and_reads_drawn_bullets() -> None:
    margin, item = " " * 16, " " * 21
    page1 = [
        f"{margin}Phlebotomy Technician Certificate",
        f"{margin}Provider: Riverside Community College",
        f"{margin}Clock hours: 180",
        "",
        f"{margin}PHL 101 Venipuncture (60 hours)",
        "",
        f"{item}Perform venipuncture with evacuated tubes, syringes and butterfly",
        f"{item}needles.",
        f"{item}Label specimens at the bedside.",
    ]
    page2 = [
        f"{margin}PHL 102 Specimen Processing (40 hours)",
        "",
        f"{item}Centrifuge and aliquot specimens.",
        f"{item}Package specimens for transport.",
    ]
    text = "\f".join([_layout_page(page1, 1, 2), _layout_page(page2, 2, 2)]) + "\f"
    p = parse_program(text.encode(), "phlebotomy.txt")
    assert p.title == "Phlebotomy Technician Certificate"
    assert p.provider == "Riverside Community College" and p.clock_hours == 180
    assert [[o.text for o in c.outcomes] for c in p.courses] == [
        [
            "Perform venipuncture with evacuated tubes, syringes and butterfly needles.",
            "Label specimens at the bedside.",
        ],
        ["Centrifuge and aliquot specimens.", "Package specimens for transport."],
    ]
    assert "4:54 PM" not in p.description and "file://" not in p.description
    # one page: the browser's header still goes
    one = parse_program((_layout_page(page1, 1, 1) + "\f").encode(), "one.txt")
    assert one.title == "Phlebotomy Technician Certificate"


def test_layout_text_with_typed_bullets_keeps_hanging_indents_as_wraps() -> None:
    text = (
        "    Welding Certificate\n\n    Courses\n\n    WLD 110 Shielded Metal Arc Welding (80 hours)\n"
        "    • Strike and maintain an arc on carbon steel in the flat and horizontal\n"
        "      positions.\n    • Inspect welds.\n\f"
    )
    assert "      positions." not in unlayout(text) and "• Inspect welds." in unlayout(text)
    p = parse_program(text.encode(), "w.txt")
    assert [o.text for o in p.courses[0].outcomes] == [
        "Strike and maintain an arc on carbon steel in the flat and horizontal positions.",
        "Inspect welds.",
    ]
    assert unlayout("No form feed\n    indented\n    lines\n") == "No form feed\n    indented\n    lines\n"


# --- PDF printed by a browser ------------------------------------------------------------------


def _pdf(pages: list[list[tuple[float, float, float, str]]], font: Path | None = None) -> bytes:
    """A PDF of lines (x, y, size, text) in the order given (Helvetica, or a TrueType font)."""
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(False)
    if font is not None:
        pdf.add_font("Body", fname=str(font))
    for lines in pages:
        pdf.add_page()
        for x, y, size, text in lines:
            pdf.set_font("Body" if font is not None else "Helvetica", size=size)
            pdf.text(x, y, text)
    return bytes(pdf.output())


def _browser_page(body: list[tuple[float, float, str]], page: int, pages: int) -> list:
    """A page as Chromium prints it: the body, then its print header and footer (last in the
    text layer)."""
    lines = [(x, 80 + 18 * i, size, text) for i, (x, size, text) in enumerate(body)]
    return [
        *lines,
        (24, 20, 8, "12/7/26, 4:54 PM Clinical Medical Assistant Certificate"),
        (24, 775, 8, f"file:///home/designer/ma.html {page}/{pages}"),
    ]


def test_browser_pdf_lists_without_typed_bullets_and_its_print_header() -> None:
    h, body, item = 90.0, 12.0, 110.4
    page1 = [
        (h, 24, "Clinical Medical Assistant Certificate"),
        (h, body, "Provider: Bayview Career College, Allied Health Division Clock hours:"),
        (h, body, "560 Length: 14 weeks"),
        (h, body, "A 14-week program that prepares graduates to work in clinics and offices."),
        (h, 18, "MA 110 Patient Intake and Exam Room Procedures"),
        (h, 18, "(80 hours)"),
        (item, body, "Take and chart vital signs, height, weight and BMI for adult and"),
        (item, body, "pediatric patients."),
        (item, body, "Prepare the exam room."),
    ]
    page2 = [
        (h, 18, "MA 120 Pharmacology and Medication Administration (60 hours)"),
        (item, body, "Calculate doses accurately."),
        (item, body, "Give oral and topical medications."),
        (h, body, "Graduates are ready for the CCMA exam and for work in busy outpatient clinics."),
    ]
    pdf = _pdf([_browser_page(page1, 1, 2), _browser_page(page2, 2, 2)])
    p = parse_program(pdf, "ma.pdf")
    assert p.provider == "Bayview Career College, Allied Health Division"
    assert p.clock_hours == 560 and p.weeks == 14
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        ("MA 110", "Patient Intake and Exam Room Procedures", 80),
        ("MA 120", "Pharmacology and Medication Administration", 60),
    ]
    assert [[o.text for o in c.outcomes] for c in p.courses] == [
        [
            "Take and chart vital signs, height, weight and BMI for adult and pediatric patients.",
            "Prepare the exam room.",
        ],
        ["Calculate doses accurately.", "Give oral and topical medications."],
    ]
    assert "4:54 PM" not in p.description + " ".join(c.description for c in p.courses)


def test_pdf_with_typed_bullets_keeps_indented_lines_as_their_wraps() -> None:
    pdf = _pdf(
        [
            [
                (60, 60, 20, "Data Analyst Certificate"),
                (60, 100, 11, "Course outline"),
                (60, 120, 14, "DAT 101 Data Governance (40 hours)"),
                (60, 140, 11, "- Data Governance: Apply data governance and Master Data"),
                (78, 155, 11, "Management (MDM) concepts and best practices."),
                (60, 170, 11, "- Data Analysis: Apply descriptive statistical methods."),
            ]
        ]
    )
    p = parse_program(pdf, "da.pdf")
    assert [o.text for o in p.courses[0].outcomes] == [
        "Data Governance: Apply data governance and Master Data Management (MDM) concepts and best "
        "practices.",
        "Data Analysis: Apply descriptive statistical methods.",
    ]


def test_pdf_ligatures_read_as_letters() -> None:
    """Browsers, Word and LaTeX set "fi", "fl", "ffi" as one glyph that the text layer keeps as
    U+FB01 etc.: "Certiﬁcate" is no "Certificate" to a label, a credential name or the grader."""
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = _pdf(
        [
            [
                (60, 60, 20, "Phlebotomy Technician Certi\ufb01cate"),
                (60, 100, 11, "Credential: NHA Certi\ufb01ed Phlebotomy Technician (CPT)"),
                (60, 120, 11, "Students work in a busy o\ufb03ce and a \ufb02u clinic."),
            ]
        ],
        font=font,
    )
    p = parse_program(pdf, "ph.pdf")
    assert p.title == "Phlebotomy Technician Certificate"
    assert p.credential == "NHA Certified Phlebotomy Technician (CPT)"
    assert "office" in p.description and "flu clinic" in p.description


# --- titles and codes that only looked like something else -------------------------------------


def test_a_page_title_keeps_no_site_name() -> None:
    """pandoc carries an HTML page's ``<title>`` ("Program | College") into the front matter of
    the Markdown (escaping the bar) and the Title paragraph of the DOCX it writes."""
    md = (
        "---\ntitle: Carpentry Pre-Apprenticeship \\| Harmon Valley Community College\n"
        "  Workforce Institute\n"
        "---\n\n# Carpentry Pre-Apprenticeship\n\nClock hours: 360\n"
    )
    assert parse_program(md.encode(), "c.md").title == "Carpentry Pre-Apprenticeship"
    d = docx.Document()
    d.add_paragraph("Carpentry Pre-Apprenticeship | Harmon Valley Community College", style="Title")
    d.add_paragraph("Clock hours: 360")
    assert parse_program(_docx_bytes(d), "c.docx").title == "Carpentry Pre-Apprenticeship"
    # a program named after its school stays whole
    same = parse_program(b"# Welding Certificate | Evening Cohort\n\nClock hours: 300\n", "w.md")
    assert same.title == "Welding Certificate | Evening Cohort"


def test_a_coding_system_name_is_no_course_code() -> None:
    """ "ICD-10-CM Diagnosis Coding (60 hours): ..." names a course, not course "ICD-10" titled
    "CM Diagnosis Coding"."""
    text = (
        "Medical Billing and Coding Specialist\n\nCourses\n"
        "1. Medical Terminology (60 hours): build, spell and define medical terms.\n"
        "2. ICD-10-CM Diagnosis Coding (60 hours): assign diagnosis codes\n"
        "3. CPT and HCPCS Procedure Coding (60 hours): assign procedure codes.\n"
    )
    p = parse_program(text.encode(), "mb.txt")
    assert [(c.code, c.title, c.hours) for c in p.courses] == [
        (None, "Medical Terminology", 60),
        (None, "ICD-10-CM Diagnosis Coding", 60),
        (None, "CPT and HCPCS Procedure Coding", 60),
    ]
