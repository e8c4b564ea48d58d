"""The hand-labelled syllabi the gap grader is fitted and measured on: every record names a
document the readers parse into courses and outcomes, and every label follows the protocol
(``../shared/eval/gaps-labelling.md``): 2/1 carry an exact quote of the document, 0 none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matcher.program import Program
from matcher.readers import read_program

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "tests/fixtures/curricula/labels.jsonl", ROOT / "datasets/fixtures/syllabi/labels.jsonl"]
RECORDS = [(f, json.loads(line)) for f in FILES for line in f.read_text().splitlines() if line.strip()]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _program_text(program: Program) -> str:
    """What the reader made of a document (DOCX and PDF labels quote this text)."""
    parts = [program.title or "", program.description or "", program.features or "", program.credential or ""]
    parts += [*program.credentials, *(o.text for o in program.outcomes)]
    for c in program.courses:
        parts += [c.title or "", c.description or "", *(o.text for o in c.outcomes)]
    return _norm(" \n ".join(parts))


@pytest.mark.parametrize(("labels", "record"), RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_labelled_syllabus_follows_the_protocol(labels: Path, record: dict) -> None:  # type: ignore[type-arg]
    doc = labels.parent / record["file"]
    program = read_program(doc)
    binary = doc.suffix in (".docx", ".pdf", ".html")
    raw = _program_text(program) if binary else doc.read_text(encoding="utf-8")
    assert len(program.courses) >= 3, "the reader finds the course list"
    assert len(program.outcomes) + sum(len(c.outcomes) for c in program.courses) >= 7
    reqs = record["requirements"]
    assert len({(q["taxonomy"], q["id"]) for q in reqs}) == len(reqs) >= 25
    for q in reqs:
        assert q["taxonomy"] in ("onet-dwa", "esco")
        assert q["label"] in (0, 1, 2)
        if q["label"] == 0:
            assert q["quote"] is None
        else:
            quote = _norm(q["quote"]) if binary else q["quote"]
            assert q["quote"] and len(q["quote"]) <= 200 and quote in raw, q


def test_every_syllabus_is_labelled_once() -> None:
    for f in FILES:
        named = [r["file"] for g, r in RECORDS if g == f]
        docs = sorted(
            p.name
            for p in f.parent.iterdir()
            if p.suffix in (".md", ".yaml", ".txt", ".csv", ".docx", ".pdf", ".html")
        )
        assert sorted(named) == [d for d in docs if d != "README.md"]


LAYOUTS = {  # file -> (courses, provider's first words) as the writers laid them out
    "administrative-assistant.pdf": (8, "Harborview Career Institute"),
    "cnc-machinist.pdf": (7, "IRONWOOD VALLEY CAREER"),
    "line-cook.pdf": (7, "Harbor Ridge Community College"),
    "maintenance-technician.pdf": (8, "Riverbend Technical College"),
    "construction-laborer.docx": (7, "Tri-County Building Trades Training Center"),
    "cybersecurity-analyst.docx": (8, "Tri-County Technical College"),
    "home-health-aide.docx": (7, "Keystone Valley Health Careers Center"),
    "plumbing.docx": (8, "Lakeshore Building Trades Training Center"),
    "sterile-processing.docx": (7, "Riverbend Technical College"),  # outcomes in a table
    "network-support.docx": (7, "Summit Ridge Technical Institute - School of Information Technology"),
    "customer-service.pdf": (7, "Cedar Valley Community College"),
    "veterinary-assistant.pdf": (8, "Riverbend Community College"),  # "Module 1: VAS 101 ..."
    "carpentry.html": (8, "Harmon Valley Community College"),
    "fiber-optic-technician.html": (7, "Tri-Rivers Technical College"),
    "diesel-technician.txt": (7, "CEDAR BLUFF TECHNICAL INSTITUTE"),  # lettered outcomes per course
    # a wrapped credential line is no "OSHA 29" course
    "forklift-warehouse.txt": (7, "NORTHGATE REGIONAL TRAINING CENTER"),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_docx_pdf_html_and_text_syllabi_read_as_laid_out(name: str) -> None:
    """A course table followed by a section per course gives each course once (no "Total" row),
    bold section headings in a PDF separate the admission text from the description, and a
    school's name under the title is the provider."""
    program = read_program(ROOT / "datasets/fixtures/syllabi" / name)
    courses, provider = LAYOUTS[name]
    assert len(program.courses) == courses
    assert all(c.outcomes or c.description for c in program.courses)
    assert not any(re.match(r"[A-Z]{2,5} ?\d{3}\b", c.title) for c in program.courses)  # the code is no title
    assert not any(c.title.lower().startswith("total") for c in program.courses)
    assert "admission" not in program.description.lower()
    if provider is not None:
        assert (program.provider or "").startswith(provider)
