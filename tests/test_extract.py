"""Skill extraction on real sentences, with the real spaCy pipeline, encoder and FAISS indexes
over the data slice."""

from __future__ import annotations

import pytest

from matcher.engine import Matcher
from matcher.errors import BadInputError, TooLargeError
from matcher.extract import MAX_TEXT_CHARS, ExtractedSkill, SkillExtractor

WELDING = (
    "Welding Certificate. Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon "
    "steel and aluminum in flat, horizontal and vertical positions. Blueprint reading and weld "
    "symbols. Oxy-fuel and plasma cutting. Shop safety and OSHA 10."
)
EEO = (
    "We are an equal opportunity employer and all qualified applicants will receive consideration "
    "for employment without regard to race, color, religion, sex, national origin, disability "
    "status, protected veteran status, or any other characteristic protected by law."
)


@pytest.fixture(scope="module")
def extractor(matcher: Matcher) -> SkillExtractor:
    return matcher.extractor


def _check_offsets(text: str, skills: list[ExtractedSkill]) -> None:
    for s in skills:
        assert text[s.start : s.end] == s.text, s
        assert s.text in s.sentence and s.sentence in text


def test_welding_course_yields_welding_process_skills(extractor: SkillExtractor) -> None:
    skills = extractor.extract(WELDING, kind="curriculum")
    _check_offsets(WELDING, skills)
    labels = " | ".join(s.label.lower() for s in skills)
    assert any(w in labels for w in ("arc weld", "inert gas", "metal inert", "tungsten"))
    welding = [s for s in skills if "weld" in s.label.lower()]
    assert {s.taxonomy for s in welding} & {"esco", "onet-tool", "onet-dwa"}
    assert len({s.taxonomy for s in welding}) >= 2  # ESCO and O*NET both


def test_eeo_statement_yields_nothing(extractor: SkillExtractor) -> None:
    assert extractor.extract(EEO) == []
    assert extractor.extract(EEO, kind="curriculum") == []


def test_every_result_carries_its_evidence(extractor: SkillExtractor) -> None:
    text = "You will operate a forklift, keep accurate records and use Microsoft Excel daily."
    skills = extractor.extract(text, kind="posting")
    assert skills
    _check_offsets(text, skills)
    for s in skills:
        d = s.to_dict()
        assert set(d) == {"taxonomy", "id", "label", "text", "start", "end", "sentence", "score", "method"}
        assert d["taxonomy"] in {"onet-tech", "onet-tool", "onet-dwa", "esco"}
        assert d["method"] in {"exact", "pattern", "model", "semantic"}
        assert 0.0 < d["score"] <= 1.0 + 1e-6
    assert any(s.method == "exact" and s.text == "Microsoft Excel" for s in skills)


def test_empty_and_too_large(extractor: SkillExtractor) -> None:
    assert extractor.extract("") == []
    assert extractor.extract("   \n ") == []
    with pytest.raises(TooLargeError):
        extractor.extract("a" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(BadInputError):
        extractor.extract("Operate a forklift.", kind="résumé")


def test_extract_many_matches_extract(extractor: SkillExtractor) -> None:
    texts = [WELDING, "", EEO, "Keep accurate records and operate a forklift."]
    many = extractor.extract_many(texts, kind="auto")
    assert len(many) == 4
    assert many[1] == [] and many[2] == []
    one = extractor.extract(texts[3], kind="auto")
    # bfloat16 batches pad differently, so scores may differ in the 3rd decimal
    assert [(s.taxonomy, s.id, s.start, s.end, s.method) for s in many[3]] == [
        (s.taxonomy, s.id, s.start, s.end, s.method) for s in one
    ]
    assert all(abs(a.score - b.score) < 0.01 for a, b in zip(many[3], one, strict=True))
    assert all(type(s.taxonomy) is str and type(s.method) is str for s in one)


def test_gaps_show_extracted_evidence(matcher: Matcher) -> None:
    from matcher.program import Program

    program = Program(title="Welding Certificate", description=WELDING + " " + EEO)
    d = matcher.gaps(program, "51-4121.00").to_dict()
    assert d["covered"]
    units = {u.source.label(): u.text for u in program.iter_units()}
    for c in d["covered"]:
        ev = c["evidence"]
        assert c["method"] == "graded" and c["grade"] == "taught"
        assert ev["text"] and ev["sentence"] and c["matched_text"] == ev["text"]
        assert units[ev["source"]][ev["start"] : ev["end"]] == ev["text"]
        assert "equal opportunity" not in ev["sentence"].lower()
    assert any("weld" in c["label"].lower() for c in d["covered"])
