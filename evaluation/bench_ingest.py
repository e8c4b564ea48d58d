"""Ingestion benchmark: how long a 30-page PDF catalog of course pages takes to parse.

    .venv/bin/python -m evaluation.bench_ingest [--pages 30] [--runs 3]

Writes the PDF with fpdf2 (a dev dependency) into a temporary folder: a title page, then one
full page per course (heading, hours, two description paragraphs, eight learning outcomes,
running footer). Reports the time of ``parse_program`` (pypdf text extraction + outline),
of the text extraction alone, and what was parsed. Target: under 5 s for 30 pages.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0
TOPICS = [
    ("Shielded Metal Arc Welding", "SMAW equipment, electrodes and carbon steel plate"),
    ("Gas Metal Arc Welding", "MIG machines, wire feed, shielding gas, steel and aluminum"),
    ("Gas Tungsten Arc Welding", "TIG torches, tungsten electrodes, filler rod, stainless steel"),
    ("Blueprint Reading and Weld Symbols", "prints, weld symbols, fabrication drawings and layout"),
    ("Oxy-fuel and Plasma Cutting", "cutting torches, plasma systems, bevels and gouging"),
    ("Pipe Welding", "pipe fit-up, root passes, 2G, 5G and 6G positions"),
]


def write_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(
                0, 10, f"Example Community College - Welding Catalog - Page {self.page_no()}", align="C"
            )

    pdf = Doc(format="letter")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Welding Technology Certificate", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in ("Provider: Example Community College", "Credential: AWS Certified Welder", "CIP: 48.0508"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        "Students learn shielded metal arc, MIG and TIG welding of carbon steel, stainless steel and "
        "aluminum in all positions, blueprint reading, cutting processes and shop safety. " * 4,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for n in range(pages - 1):
        title, subject = TOPICS[n % len(TOPICS)]
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, f"WLD-{101 + n} {title} {n // len(TOPICS) + 1}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "Hours: 40", new_x="LMARGIN", new_y="NEXT")
        for _ in range(2):
            pdf.multi_cell(
                0,
                6,
                f"This course covers {subject}. Students practise in the shop under supervision, "
                "follow written procedures, inspect their welds visually and by destructive bend "
                "tests, and keep a log of their work. Safety, ventilation, fire watch and personal "
                "protective equipment are reviewed before every lab session.",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(2)
        pdf.multi_cell(0, 6, "Learning outcomes:", new_x="LMARGIN", new_y="NEXT")
        for k in range(8):
            pdf.multi_cell(
                0,
                6,
                f"- Outcome {k + 1}: set up, operate and maintain equipment for {subject} to "
                "industry standards.",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.output(str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from matcher.readers import parse_program
    from matcher.readers.pdf import page_texts

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.pdf"
        write_pdf(path, args.pages)
        content = path.read_bytes()
    parse_program(content, "catalog.pdf")  # warm-up: imports
    totals, extract = [], []
    program = None
    for _ in range(args.runs):
        t0 = time.perf_counter()
        texts = page_texts(content, "catalog.pdf")
        t1 = time.perf_counter()
        program = parse_program(content, "catalog.pdf")
        t2 = time.perf_counter()
        extract.append(t1 - t0)
        totals.append(t2 - t1)
    assert program is not None
    chars = sum(len(t) for t in texts)
    median = statistics.median(totals)
    print(f"PDF: {args.pages} pages, {len(content):,} bytes, {chars:,} characters of text")
    print(f"parsed: {len(program.courses)} courses, {sum(len(c.outcomes) for c in program.courses)} outcomes")
    print(
        f"parse_program: median {median:.2f} s, min {min(totals):.2f} s over {args.runs} runs "
        f"(text extraction alone: median {statistics.median(extract):.2f} s)"
    )
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"{verdict} the {TARGET_SECONDS:.0f} s target ({median / args.pages * 1000:.0f} ms per page)")


if __name__ == "__main__":
    main()
