"""What a sweep of real college course syllabi and course outlines in PDF (a state university's
course syllabus, a college's course outline, a community college syllabus, a course outline
printed from a browser) showed the PDF reader misread: headings missed because the text layer
spaces a line's chunks apart, a field's line set large taken for a heading, running footers of
two-page documents, a browser's print header, and a labelled value wrapped onto a second line."""

from __future__ import annotations

from pathlib import Path

from matcher.readers import parse_program, read_program

SYLLABI = Path(__file__).parent.parent / "datasets" / "fixtures" / "syllabi"


def _pdf(pages: list[list[tuple[float, str, bool]]]) -> bytes:
    """A PDF of lines, each set in its font size (Helvetica, bold when asked)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        for size, text, bold in lines:
            pdf.set_font("Helvetica", style="B" if bold else "", size=size)
            pdf.cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _runs_pdf(lines: list[tuple[float, list[str]]]) -> bytes:
    """A one-page PDF whose lines are set in runs, each run its own text-showing operation after
    a font operator, with the spaces between words as runs of their own (as Word writes them):
    ``(size, ["CTC 362", " ", "Communication"])``."""
    ops = []
    for k, (size, runs) in enumerate(lines):
        shows = " ".join(f"/F1 {size:g} Tf ({run}) Tj" for run in runs)
        ops.append(f"BT 72 {740 - 24 * k} Td {shows} ET")
    stream = "\n".join(ops)
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_heading_set_in_several_runs_is_found() -> None:
    """ "CTC 362 – Communication Systems Security" set in 18 pt in runs, the spaces runs of their
    own: the font sizes were read without the spaces ("CTC 362–Communication Systems Security")
    while the text layer has them, so no line was a heading and the title came from the first
    line of small print."""
    body = 10.0
    content = _runs_pdf(
        [
            (body, ["SPRING 2019"]),
            (18, ["Medical Billing", " ", "and Coding"]),
            (body, ["This course introduces the coding systems used to bill for medical services."]),
            (body, ["Students code diagnoses and procedures from patient records."]),
            (14, ["Course", " ", "Outcomes"]),
            (body, ["- Assign ICD-10-CM codes to diagnoses."]),
            (body, ["- Prepare and submit a clean claim."]),
        ]
    )
    p = parse_program(content, "billing.pdf")
    assert p.title == "Medical Billing and Coding"
    assert [o.text for o in p.outcomes] == [
        "Assign ICD-10-CM codes to diagnoses.",
        "Prepare and submit a clean claim.",
    ]


def test_field_lines_set_large_or_bold_are_no_headings() -> None:
    """A cover's "O*NET-SOC CODE: 47-2152.00" set as large as the occupation over it joined the
    title ("PLUMBER O*NET-SOC CODE: ...") and gave no occupation; a bold "Total Hours 720" under a
    table was a heading, so it gave no clock hours."""
    body = 10.0
    content = _pdf(
        [
            [
                (16, "PLUMBER", True),
                (16, "O*NET-SOC CODE: 47-2152.00", True),
                (body, "This schedule is attached to and a part of these Standards.", False),
                (body, "Related instruction covers plumbing codes, blueprint reading and safety.", False),
                (body, "Total Hours 720", True),
            ]
        ]
    )
    p = parse_program(content, "plumber.pdf")
    assert p.title == "PLUMBER"
    assert p.occupations == ["47-2152.00"]
    assert p.clock_hours == 720


def test_footer_of_a_two_page_document_is_dropped() -> None:
    """The labelled Office Professional syllabus has two pages, each ending "Harborview Career
    Institute - Office Professional Certificate - page N": running footers were only found on
    three pages or more, so each page's footer was an outcome of the course above it."""
    p = read_program(SYLLABI / "administrative-assistant.pdf")
    texts = [o.text for c in p.courses for o in c.outcomes]
    assert not any("page" in t.lower() for t in texts)
    assert [len(c.outcomes) for c in p.courses] == [4, 3, 3, 3, 3, 4, 3, 2]
    assert "Harborview" not in p.description


def test_browser_print_header_is_dropped() -> None:
    """A course outline printed from a browser: each page opens with the date and page title,
    then the page's address and "1/2"; both were read as the description."""
    body = 10.0

    def header(n: int) -> list[tuple[float, str, bool]]:
        return [
            (8, "5/2/2019 CourseOutline", False),
            (8, f"file://localhost/Users/someone/Desktop/CourseOutline.html {n}/2", False),
        ]

    content = _pdf(
        [
            [
                *header(1),
                (18, "Data Validation in R", False),
                (body, "A short course on checking data quality with rule sets.", False),
                (14, "Learning Objectives", True),
                (body, "- Summarize a dataset and identify data quality errors.", False),
            ],
            [*header(2), (body, "- Store validation results as a data frame.", False)],
        ]
    )
    p = parse_program(content, "outline.pdf")
    assert p.title == "Data Validation in R"
    assert "file://" not in p.description and "CourseOutline" not in p.description
    assert [o.text for o in p.outcomes] == [
        "Summarize a dataset and identify data quality errors.",
        "Store validation results as a data frame.",
    ]


def test_label_value_wrapped_short_of_full_width_goes_on() -> None:
    """The labelled Customer Service syllabus: "Credentials: ... prepares students for the NRF
    Foundation Customer" ends a little short of the page's widest line, and its second line
    ("Service and Sales Certification exam; keyboarding speed certificate at 35+ wpm") was the
    first line of the description."""
    p = read_program(SYLLABI / "customer-service.pdf")
    assert p.credential is not None and p.credential.endswith(
        "Service and Sales Certification exam; keyboarding speed certificate at 35+ wpm"
    )
    assert p.description.startswith("This certificate prepares adults")


def test_a_school_heading_is_not_joined_with_the_title_under_it() -> None:
    from tests.test_readers_dol_sweep import _pdf

    p = parse_program(
        _pdf(
            [
                [
                    (16, "DAWSON COLLEGE"),
                    (16, "Science Program"),
                    (11, "Students write Python programs to model physical systems."),
                ]
            ]
        ),
        "dawson.pdf",
    )
    assert p.title == "Science Program"
    assert p.provider == "DAWSON COLLEGE"
