"""Property tests (hypothesis) of the ingestion parsers, text cleaning and evaluation metrics:
whatever the input, a parser returns a program or raises a :class:`MatcherError` (never another
exception), what it reads back is what was written, offsets point at the text they name, and
metrics stay in range and move the right way."""

from __future__ import annotations

import csv
import io
import json
import os
import string
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from matcher.errors import MatcherError  # noqa: E402
from matcher.evaluation.tasks.spans import bio_spans, score  # noqa: E402
from matcher.postings.html_text import html_to_text  # noqa: E402
from matcher.postings.readers import parse_postings  # noqa: E402
from matcher.program import Program  # noqa: E402
from matcher.readers import parse_program  # noqa: E402
from matcher.readers.fields import is_no_meeting, is_total_row, norm_key  # noqa: E402
from matcher.readers.jsonld import program_from_jsonld  # noqa: E402
from matcher.readers.tabular import COLUMNS, map_columns  # noqa: E402
from matcher.scoring.metrics import (  # noqa: E402
    first_hit_rank,
    hit_at,
    r_precision_at,
    recall_at,
    reciprocal_rank,
)
from matcher.scoring.records import Record  # noqa: E402
from matcher.text.normalise import fold, fragments, normalise_space, split_sentences  # noqa: E402

FAST = settings(
    max_examples=int(os.environ.get("MATCHER_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Printable words (no control characters), as people type them in course lists.
WORD = st.text(alphabet=string.ascii_letters + string.digits + "éñü-'&/", min_size=1, max_size=12)
PHRASE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=40,
)
LD_KEYS = st.sampled_from(
    [
        "@type",
        "@id",
        "@graph",
        "name",
        "ceterms:name",
        "description",
        "hasPart",
        "ceterms:hasPart",
        "estimatedDuration",
        "teaches",
        "occupationType",
        "codedNotation",
        "hasCourse",
        "timeToComplete",
        "creditValue",
        "exactDuration",
        "targetCompetency",
        "decoded_resource",
    ]
)
LD_TYPES = st.sampled_from(
    ["ceterms:Certificate", "Course", "ceterms:Course", "EducationalOccupationalProgram", "Thing", "Person"]
)
LD_LIKE = st.recursive(
    st.none() | st.integers(-5, 10_000) | st.text(max_size=20) | LD_TYPES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(LD_KEYS, inner, max_size=6),
    max_leaves=40,
)


def _program_or_matcher_error(call: Any) -> Program | None:
    try:
        program = call()
    except MatcherError:
        return None
    assert isinstance(program, Program)
    return program


# -- JSON-LD ----------------------------------------------------------------------------------------
@FAST
@given(data=st.one_of(JSON, LD_LIKE))
@example(data={"@type": "Course", "@id": ["a"], "name": "x", "description": "y"})  # a list as @id
def test_jsonld_reader_never_fails_unexpectedly(data: Any) -> None:
    _program_or_matcher_error(lambda: program_from_jsonld(data, "x.jsonld"))
    _program_or_matcher_error(lambda: parse_program(json.dumps(data).encode(), "x.jsonld"))


@FAST
@given(
    name=PHRASE,
    description=PHRASE,
    hours=st.integers(1, 2000),
    courses=st.lists(st.tuples(PHRASE, PHRASE), max_size=8),
    ctdl=st.booleans(),
)
def test_jsonld_reads_back_what_was_written(
    name: str, description: str, hours: int, courses: list[tuple[str, str]], ctdl: bool
) -> None:
    if ctdl:
        doc: dict[str, Any] = {
            "@type": "ceterms:Certificate",
            "ceterms:name": {"en-US": name},
            "ceterms:description": description,
            "ceterms:estimatedDuration": [{"ceterms:exactDuration": f"PT{hours}H"}],
            "ceterms:hasPart": [
                {"@type": "ceterms:Course", "ceterms:name": t, "ceterms:description": d} for t, d in courses
            ],
        }
    else:
        doc = {
            "@context": "https://schema.org",
            "@type": "EducationalOccupationalProgram",
            "name": name,
            "description": description,
            "timeToComplete": f"PT{hours}H",
            "hasCourse": [{"@type": "Course", "name": t, "description": d} for t, d in courses],
        }
    program = parse_program(json.dumps(doc).encode(), "program.jsonld")
    assert program.title == normalise_space(name) or program.title == name
    assert program.clock_hours == hours
    assert [c.title for c in program.courses] == [t for t, _ in courses]


# -- CSV course lists -------------------------------------------------------------------------------
@FAST
@given(
    header=st.lists(st.sampled_from([a for aliases in COLUMNS.values() for a in aliases]) | WORD, max_size=10)
)
def test_column_mapping_is_one_to_one_and_by_alias(header: list[str]) -> None:
    mapping = map_columns(header)
    assert len(set(mapping.values())) == len(mapping)  # no column serves two fields
    for fld, idx in mapping.items():
        assert norm_key(header[idx]) in COLUMNS[fld]


@FAST
@given(
    rows=st.lists(
        st.tuples(
            st.from_regex(r"[A-Z]{3}-1[0-9]{2}", fullmatch=True),
            # "Total", "TOTAL hours" are a table's sum and "Holiday" a day without class: no course
            PHRASE.filter(lambda t: not is_total_row(t) and not is_no_meeting(t)),
            PHRASE,
            st.integers(1, 400),
        ),
        min_size=1,
        max_size=20,
    ),
    order=st.permutations(["Course Code", "Course Title", "Description", "Clock Hours"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_course_list_round_trips(
    rows: list[tuple[str, str, str, int]], order: list[str], delimiter: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(order)
    for code, title, description, hours in rows:
        by_name = {
            "Course Code": code,
            "Course Title": title,
            "Description": description,
            "Clock Hours": hours,
        }
        writer.writerow([by_name[c] for c in order])
    program = parse_program(out.getvalue().encode(), "courses.csv")
    assert [(c.code, c.title, c.description, c.hours) for c in program.courses] == [
        (code, title, description, float(hours)) for code, title, description, hours in rows
    ]
    assert program.clock_hours == sum(r[3] for r in rows)


@FAST
@given(content=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
def test_csv_and_postings_readers_never_fail_unexpectedly(content: bytes) -> None:
    _program_or_matcher_error(lambda: parse_program(content, "courses.csv"))
    try:
        parse_postings(content, "postings.csv", "csv")
        parse_postings(content, "postings.jsonl", "jsonl")
    except MatcherError:
        pass


# -- text cleaning ----------------------------------------------------------------------------------
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(list(".!?;,\n •-1 ")),
    max_size=800,
)


@FAST
@given(text=TEXT, max_chars=st.integers(20, 600))
def test_sentence_spans_point_at_their_text(text: str, max_chars: int) -> None:
    spans = split_sentences(text, max_chars=max_chars)
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.start >= previous_end and span.end - span.start <= max_chars
        assert span.text == span.text.strip() and span.text
        previous_end = span.end


@FAST
@given(text=TEXT)
def test_fragments_and_folding(text: str) -> None:
    for span in fragments(text):
        assert text[span.start : span.end] == span.text
    assert normalise_space(normalise_space(text)) == normalise_space(text)
    assert "  " not in normalise_space(text)
    assert fold(fold(text)) == fold(text)


@FAST
@given(text=TEXT, tag=st.sampled_from(["p", "li", "b", "script", "div"]))
def test_html_to_text_removes_markup(text: str, tag: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    plain = html_to_text(f"<{tag}>{escaped}</{tag}>")
    assert f"<{tag}>" not in plain
    if tag == "li":  # list items read as "- item"
        assert plain.startswith("-")
        plain = plain[1:]
    if tag != "script":
        assert normalise_space(plain) == normalise_space(text)


# -- metrics ----------------------------------------------------------------------------------------
LABELS = st.sampled_from([f"c{i}" for i in range(12)])


@FAST
@given(
    predicted=st.lists(LABELS, max_size=15, unique=True),
    gold=st.sets(LABELS, max_size=6),
    k=st.integers(1, 15),
)
def test_ranking_metrics_in_range_and_monotone(predicted: list[str], gold: set[str], k: int) -> None:
    for metric in (recall_at, r_precision_at, hit_at):
        value, wider = metric(predicted, gold, k), metric(predicted, gold, k + 1)
        assert 0.0 <= value <= 1.0 and (metric is r_precision_at or wider >= value)
    rank = first_hit_rank(predicted, gold)
    assert reciprocal_rank(predicted, gold) == (1.0 / rank if rank else 0.0)
    assert hit_at(predicted, gold, k) == (1.0 if rank is not None and rank <= k else 0.0)
    if gold and set(predicted[:k]) >= gold:
        assert recall_at(predicted, gold, k) == 1.0


TAGS = st.lists(st.sampled_from(["O", "B", "I"]), max_size=20)


@FAST
@given(skill=TAGS, knowledge=TAGS)
def test_span_scores_are_perfect_on_gold_and_bounded(skill: list[str], knowledge: list[str]) -> None:
    n = max(len(skill), len(knowledge))
    skill, knowledge = skill + ["O"] * (n - len(skill)), knowledge + ["O"] * (n - len(knowledge))
    record = Record(
        line=1, inputs={"tokens": ["t"] * n}, gold={"tags_skill": skill, "tags_knowledge": knowledge}
    )
    gold = [(s, e, "skill") for s, e in bio_spans(skill)] + [
        (s, e, "knowledge") for s, e in bio_spans(knowledge)
    ]
    for s, e in bio_spans(skill):
        assert 0 <= s < e <= n
    perfect = score([record], [gold])
    if gold:
        assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0
    half = score([record], [gold[: len(gold) // 2]])
    assert all(0.0 <= v <= 1.0 for v in half.values())
    assert half["precision"] in (0.0, 1.0) and half["recall"] <= perfect["recall"]
