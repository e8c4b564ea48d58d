"""A third format-invariance sweep: course tables whose title cells wrap over lines while a short
cell (the code, the hours) sits in the middle or at the top of its row, as a browser or Word
prints a table to PDF and as ``pdftotext -layout`` sets that PDF as text. Each document is
written at test time (fpdf2 for the PDFs, strings for the text); no pandoc or browser needed."""

from __future__ import annotations

from matcher.program import Program
from matcher.readers import parse_program
from matcher.readers.pdf_tables import Chunk, find_tables

_NET = [
    ("NET 100", "IT Fundamentals and Help Desk Operations", 36, []),
    ("NET 110", "Networking Concepts: OSI and TCP/IP", 48, []),
    ("NET 120", "Ethernet Cabling and Switching", 44, []),
]
_SPT = [
    (
        "SPT 101",
        "Introduction to Central Service",
        32,
        [
            "Describe the central service workflow.",
            "Use medical and surgical terminology.",
            "Communicate with staff.",
        ],
    ),
    ("SPT 110", "Microbiology and Infection Prevention", 40, ["Explain how microbes spread."]),
]


def _courses(p: Program) -> list[tuple[str | None, str, float | None, list[str]]]:
    return [(c.code, c.title, c.hours, [o.text for o in c.outcomes]) for c in p.courses]


def _pdf(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    """A PDF of pieces of text (x, y from the top, size, text) in the order given."""
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        for x, y, size, text in lines:
            pdf.set_font("Helvetica", size=size)
            pdf.text(x, y, text)
    return bytes(pdf.output())


_INTRO = [
    (90, 60, 24, "Network Support Technician Certificate"),
    (90, 100, 12, "Provider: Summit Ridge Technical Institute"),
    (90, 140, 18, "Course Sequence"),
]


def _centred_rows(top: float) -> list[tuple[float, float, float, str]]:
    """Rows of a table whose code and hours sit in the middle of a title wrapped over lines,
    the code first in the text layer (as Chromium prints a web page's table)."""
    rows = [
        ("NET 100", ["IT Fundamentals and", "Help Desk", "Operations"], "36"),
        ("NET 110", ["Networking", "Concepts: OSI and", "TCP/IP"], "48"),
        ("NET 120", ["Ethernet Cabling and", "Switching"], "44"),
    ]
    out: list[tuple[float, float, float, str]] = []
    y = top
    for code, title, hours in rows:
        middle = y + 18 * (len(title) - 1) / 2
        out.append((96, middle, 12, code))
        out += [(240, y + 18 * k, 12, line) for k, line in enumerate(title)]
        out.append((384, middle, 12, hours))
        y += 18 * len(title) + 4.5
    out += [(240, y, 12, "Total"), (384, y, 12, "128")]
    return out


def test_pdf_table_with_codes_centred_on_wrapped_titles() -> None:
    header = [(145, 170, 12, "Code"), (265, 170, 12, "Course Title"), (408, 170, 12, "Clock Hours")]
    body = _centred_rows(195)
    after = [(90, 420, 18, "Admission Requirements"), (90, 445, 12, "High school diploma or GED.")]
    p = parse_program(_pdf([_INTRO + header + body + after]), "net.pdf")
    assert _courses(p) == _NET


def _outcome_lines(x: float, y: float, paragraphs: list[list[str]]) -> tuple[list, float]:
    out = []
    for para in paragraphs:
        out += [(x, y + 18 * k, 12, line) for k, line in enumerate(para)]
        y += 18 * len(para) + 12
    return out, y


def test_pdf_table_with_an_outcomes_column_over_two_pages() -> None:
    """A Word table printed from a browser: code, title and hours at the top of their row, the
    outcomes one paragraph each in the last column; the table goes on over the page under its
    header repeated, an outcome broken by the page break."""
    header = [
        (111, 170, 12, "Course"),
        (222, 170, 12, "Title"),
        (321, 161, 12, "Clock"),
        (319, 179, 12, "Hours"),
        (422, 161, 12, "Learning"),
        (419, 179, 12, "Outcomes"),
    ]
    row1 = [(96, 200, 12, "SPT 101"), (186, 200, 12, "Introduction to"), (186, 218, 12, "Central Service")]
    row1 += [(302, 200, 12, "32")]
    outs1, _ = _outcome_lines(
        410, 212, [["Describe the", "central service", "workflow."], ["Use medical", "and surgical"]]
    )
    page1 = [(90, 60, 24, "Sterile Processing Technician Certificate"), *header, *row1, *outs1]
    outs2, y = _outcome_lines(410, 200, [["terminology."], ["Communicate", "with staff."]])
    row2 = [
        (96, y, 12, "SPT 110"),
        (186, y, 12, "Microbiology and"),
        (186, y + 18, 12, "Infection Prevention"),
    ]
    row2 += [(302, y, 12, "40")]
    outs3, _ = _outcome_lines(410, y + 12, [["Explain how", "microbes spread."]])
    page2 = [*header, *outs2, *row2, *outs3]
    p = parse_program(_pdf([page1, page2]), "spt.pdf")
    assert _courses(p) == _SPT


# --- pdftotext -layout ----------------------------------------------------------------------------

_LAYOUT_CENTRED = (
    "12/7/26, 4:54 PM                          syl-network-support\n\n"
    "                Network Support Technician Certificate\n\n"
    "                Provider: Summit Ridge Technical Institute\n\n"
    "                Course Sequence\n"
    "                             Code                         Course Title                   Clock Hours\n"
    "                                                      IT Fundamentals and\n"
    "                   NET 100                            Help Desk                    36\n"
    "                                                      Operations\n"
    "                                                      Networking\n"
    "                   NET 110                            Concepts: OSI and            48\n"
    "                                                      TCP/IP\n"
    "                                                      Ethernet Cabling and\n"
    "                   NET 120                                                         44\n"
    "                                                      Switching\n"
    "                                                      Total                        128\n"
    "\n\n\n\n"
    "                Admission Requirements\n"
    "                High school diploma or GED.\n"
    "file:///tmp/syl-network-support.html                                                    1/2\n"
    "\f12/7/26, 4:54 PM                          syl-network-support\n\n"
    "                Graduates are ready for entry-level help desk work.\n"
    "file:///tmp/syl-network-support.html                                                    2/2\n"
)


def test_layout_text_table_with_codes_centred_on_wrapped_titles() -> None:
    p = parse_program(_LAYOUT_CENTRED.encode(), "net.txt")
    assert _courses(p) == _NET
    assert "Total" not in " ".join(c.title for c in p.courses)


_LAYOUT_TOP = (
    "                Sterile Processing Technician Certificate\n\n"
    "                Provider: Riverbend Technical College\n\n"
    "                                                                Clock                 Learning\n"
    "                      Course                      Title\n"
    "                                                                Hours                 Outcomes\n"
    "                   SPT 101               Introduction to   32\n"
    "                                         Central Service                             Describe the\n"
    "                                                                                     central service\n"
    "                                                                                     workflow.\n"
    "                                                                                     Use medical\n"
    "                                                                                     and surgical\n"
    "file:///tmp/spt.html                                                                       1/2\n"
    "\f                                                                Clock                 Learning\n"
    "                      Course                      Title\n"
    "                                                                Hours                 Outcomes\n"
    "                                                                                     terminology.\n"
    "                                                                                     Communicate\n"
    "                                                                                     with staff.\n"
    "\n"
    "                   SPT 110               Microbiology      40\n"
    "                                         and Infection                               Explain how\n"
    "                                         Prevention                                  microbes spread.\n"
    "file:///tmp/spt.html                                                                       2/2\n"
)


def test_layout_text_table_with_an_outcomes_column_over_two_pages() -> None:
    p = parse_program(_LAYOUT_TOP.encode(), "spt.txt")
    assert _courses(p) == _SPT


def test_rows_set_without_space_between_them_split_at_their_codes() -> None:
    """Top-aligned rows a line apart: each title line goes with the code at or above it."""
    chunks = [Chunk(0, 1.25, "Code", 0), Chunk(0, 1.25, "Title", 10), Chunk(0, 1.25, "Hours", 30)]
    for y, texts in enumerate(
        [("A 101", "Safety and", "8"), ("", "Tools", ""), ("B 102", "Welding", "16")], 1
    ):
        chunks += [Chunk(-y, 1.25, t, x) for t, x in zip(texts, (0, 10, 30), strict=True) if t]
    (table,) = find_tables(chunks)
    assert table.cells()[1:] == (("A 101", "Safety and Tools", "8"), ("B 102", "Welding", "16"))


def test_a_table_without_column_words_is_left_alone() -> None:
    chunks = [Chunk(0, 12, "Course", 0), Chunk(0, 12, "Title", 100), Chunk(-18, 12, "Intro", 0)]
    assert find_tables(chunks) == []


# --- a web page's navigation printed with it ----------------------------------------------------

_NAV_PLAIN = """Carpentry Pre-Apprenticeship | Harmon Valley Community College Workforce
Institute

Harmon Valley Community College

-   Admissions
-   Workforce Institute
-   Skilled Trades
-   Financial Aid
-   Calendar
-   Apply Now

Workforce Institute › Skilled Trades › Carpentry

Carpentry Pre-Apprenticeship

Program Description

This hands-on program gives new entrants the skills a contractor expects on day one.
"""

_NAV_LAYOUT = (
    "12/7/26, 4:54 PM        Carpentry Pre-Apprenticeship | Harmon Valley Community College\n\n"
    "  Harmon Valley Community College\n\n"
    "          Admissions\n"
    "          Workforce Institute\n"
    "          Skilled Trades\n"
    "          Financial Aid\n"
    "          Calendar\n"
    "          Apply Now\n\n"
    "  Workforce Institute › Skilled Trades › Carpentry\n\n\n"
    "  Carpentry Pre-Apprenticeship\n\n"
    "  Program Description\n"
    "  This hands-on program gives new entrants the skills a contractor expects on day one.\n"
    "file:///tmp/carpentry.html                                                 1/2\n"
    "\f12/7/26, 4:54 PM        Carpentry Pre-Apprenticeship | Harmon Valley Community College\n\n"
    "  Graduates receive direct-entry interviews with partner contractors.\n"
    "file:///tmp/carpentry.html                                                 2/2\n"
)


def test_site_menu_and_breadcrumb_are_no_part_of_the_program() -> None:
    for text, name in ((_NAV_PLAIN, "carpentry.txt"), (_NAV_LAYOUT, "carpentry.txt")):
        p = parse_program(text.encode(), name)
        assert p.title == "Carpentry Pre-Apprenticeship"
        assert p.provider is not None and p.provider.startswith("Harmon Valley Community College")
        assert "Admissions" not in p.description and "›" not in p.description


def test_a_short_list_of_topics_is_no_menu() -> None:
    text = "Welding Basics\n\nTopics\n\n- Safety\n- Tools\n- Cutting\n- Joints\n\nA 40-hour course.\n"
    p = parse_program(text.encode(), "weld.txt")
    assert "Safety" in p.description or any(o.text == "Safety" for o in p.outcomes)
