"""The CTDL and schema.org exports parse as JSON-LD (pyld expands them offline, with no remote
context), use CTDL terms for the occupation and the instructional program type, and read back
through the matcher's own JSON-LD reader."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from evidence_support import make_world
from pyld import jsonld

from matcher.evidence import build_packet, to_ctdl, to_schema_org
from matcher.readers.jsonld import program_from_jsonld

CTDL = "https://purl.org/ctdl/terms/"
SDO = "https://schema.org/"


@pytest.fixture(scope="module")
def packet(settings, matcher, etpl, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    world = make_world(settings, matcher, etpl, tmp_path_factory.mktemp("standards"), names=("welding",))
    yield build_packet(world.db, world.partnership.actors["rev_nj"], world.ids["welding"], world.settings)
    world.db.dispose()


def _values(node: dict[str, Any], term: str) -> list[Any]:
    return [v.get("@value", v.get("@id")) for v in node.get(term, [])]


def test_ctdl_expands_as_json_ld_with_ctdl_terms(packet: dict[str, Any]) -> None:
    doc = to_ctdl(packet)
    expanded = jsonld.expand(doc)
    assert len(expanded) == 1
    node = expanded[0]
    assert node["@type"] == [CTDL + "LearningProgram"]
    occupations = node[CTDL + "occupationType"]
    assert all(o["@type"] == [CTDL + "CredentialAlignmentObject"] for o in occupations)
    socs = [v for o in occupations for v in _values(o, CTDL + "codedNotation")]
    assert "51-4121" in socs
    assert _values(occupations[0], CTDL + "framework") == ["https://www.bls.gov/soc/2018/"]
    programs = node[CTDL + "instructionalProgramType"]
    assert _values(programs[0], CTDL + "codedNotation") == [packet["program"]["cip"]["code"]]
    assert _values(programs[0], CTDL + "framework") == ["https://nces.ed.gov/ipeds/cipcode/"]
    durations = node[CTDL + "estimatedDuration"]
    assert _values(durations[0], CTDL + "exactDuration") == ["PT360H"]
    assert node[CTDL + "teaches"], "competencies the alignment found taught"
    (name,) = node[CTDL + "name"]  # a language map: pyld lower-cases the tag
    assert name["@value"] == "Welding I & II" and name["@language"].lower() == "en-us"
    quads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert f"<{CTDL}occupationType>" in quads


def test_ctdl_reads_back_through_the_matchers_json_ld_reader(packet: dict[str, Any]) -> None:
    program = program_from_jsonld(to_ctdl(packet), "export.jsonld")
    assert program.title == "Welding I & II"
    assert program.clock_hours == 360
    assert program.cip == packet["program"]["cip"]["code"]
    assert "51-4121" in program.occupations
    assert program.provider == packet["program"]["provider"]
    assert program.credential == "SENSE Training: Entry Level Welder - Level I Certification"


def test_schema_org_expands_as_an_educational_occupational_program(packet: dict[str, Any]) -> None:
    doc = to_schema_org(packet)
    node = jsonld.expand(doc)[0]
    assert node["@type"] == [SDO + "EducationalOccupationalProgram"]
    categories = node[SDO + "occupationalCategory"]
    assert "51-4121" in [v for c in categories for v in _values(c, SDO + "codeValue")]
    assert _values(node, SDO + "timeRequired") == ["PT360H"]
    assert SDO + "educationalCredentialAwarded" in node
    back = program_from_jsonld(doc, "export.jsonld")
    assert back.clock_hours == 360 and "51-4121" in back.occupations


def test_exports_of_a_program_without_length_or_cip_stay_valid(packet: dict[str, Any]) -> None:
    bare = {
        **packet,
        "program": {**packet["program"], "clock_hours": None, "weeks": None, "cip": None, "credentials": []},
        "skills": [],
        "occupations": [],
    }
    doc = to_ctdl(bare)
    assert "ceterms:estimatedDuration" not in doc and doc["ceterms:occupationType"] == []
    assert jsonld.expand(doc)[0]["@type"] == [CTDL + "LearningProgram"]
    assert jsonld.expand(to_schema_org(bare))[0]["@type"] == [SDO + "EducationalOccupationalProgram"]
