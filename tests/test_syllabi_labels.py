"""The hand-labelled syllabi the gap grader is fitted and measured on: every record names a
document the readers parse into courses and outcomes, and every label follows the protocol
(``../shared/eval/gaps-labelling.md``): 2/1 carry an exact quote of the document, 0 none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.readers import read_program

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "tests/fixtures/curricula/labels.jsonl", ROOT / "datasets/fixtures/syllabi/labels.jsonl"]
RECORDS = [(f, json.loads(line)) for f in FILES for line in f.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize(("labels", "record"), RECORDS, ids=[r["id"] for _, r in RECORDS])
def test_labelled_syllabus_follows_the_protocol(labels: Path, record: dict) -> None:  # type: ignore[type-arg]
    doc = labels.parent / record["file"]
    raw = doc.read_text(encoding="utf-8")
    program = read_program(doc)
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
            assert q["quote"] and len(q["quote"]) <= 200 and q["quote"] in raw, q


def test_every_syllabus_is_labelled_once() -> None:
    for f in FILES:
        named = [r["file"] for g, r in RECORDS if g == f]
        docs = sorted(p.name for p in f.parent.iterdir() if p.suffix in (".md", ".yaml", ".txt", ".csv"))
        assert sorted(named) == [d for d in docs if d != "README.md"]
