"""What a sweep of published CTDL and schema.org records found the JSON-LD reader misreading.

Real records are in ``tests/corpus/ctdl/`` (their sources in ``tests/corpus/README.md``); the
others are reproduced here as small snippets of the same structure: New Jersey's training
explorer records (github.com/newjersey/dol-mcnj-main), Credential Engine's ingest examples and
Schema-Development examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matcher.readers import parse_programs, read_program
from matcher.readers.jsonld import programs_from_jsonld

CORPUS = Path(__file__).parent / "corpus"
CONTEXT = "https://credreg.net/ctdl/schema/context/json"


def _read(doc: dict[str, Any]) -> Any:
    return programs_from_jsonld(doc, "record.json")[0]


def _cost(name: str, price: float | None, cost_type: str, currency: str = "USD") -> dict[str, Any]:
    profile: dict[str, Any] = {
        "@type": "ceterms:CostProfile",
        "ceterms:name": {"en-US": name},
        "ceterms:currency": currency,
        "ceterms:directCostType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/CostType",
            "ceterms:targetNode": f"costType:{cost_type}",
        },
    }
    if price is not None:
        profile["ceterms:price"] = price
    return profile


def _eldt(costs: list[dict[str, Any]]) -> dict[str, Any]:
    """The shape of New Jersey's "ELDT Training" record (a truck-driving school)."""
    return {
        "@context": CONTEXT,
        "@id": "https://sandbox.credentialengineregistry.org/resources/ce-58ea4f49-08ab-493d-b88d-cf36d507e536",
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:ctid": "ce-58ea4f49-08ab-493d-b88d-cf36d507e536",
        "ceterms:name": {"en-US": "ELDT Training"},
        "ceterms:description": {
            "en-US": "If you do not yet hold a CLP, you must complete entry-level driver training "
            "before you will be permitted to take your CDL skills test."
        },
        "ceterms:estimatedCost": costs,
        "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "P10W"}],
    }


# -- cost (estimatedCost, offers) ------------------------------------------------------------------


def test_the_aggregate_cost_profile_is_the_programs_cost() -> None:
    p = _read(
        _eldt(
            [
                _cost("Total Cost", 4409.0, "AggregateCost"),
                _cost("Tuition", 3600.0, "Tuition"),
                _cost("Fees", 450.0, "MixedFees"),
                _cost("Books and Materials", 150.0, "LearningResource"),
            ]
        )
    )
    assert p.tuition_and_fees == 4409.0
    assert "Total Cost" in p.read_from["tuition_and_fees"].text
    assert p.weeks == 10


def test_without_an_aggregate_the_programs_own_costs_are_summed() -> None:
    p = _read(
        _eldt(
            [
                _cost("Tuition", 3600.0, "Tuition"),
                _cost("Fees", 450.0, "MixedFees"),
                _cost("Books and Materials", 150.0, "LearningResource"),
                _cost("Housing", 2000.0, "RoomOrResidency"),  # not the program's cost
                _cost("Tuition (EUR)", 9000.0, "Tuition", currency="EUR"),  # not dollars
            ]
        )
    )
    assert p.tuition_and_fees == 4200.0
    assert "3,600.00" in p.read_from["tuition_and_fees"].text


def test_a_cost_profile_without_a_price_or_of_a_renewal_is_no_cost() -> None:
    wgu = read_program(CORPUS / "ctdl" / "wgu-bs-accounting.json")  # "WGU Tuition": no price
    assert wgu.tuition_and_fees is None
    cota = read_program(CORPUS / "ctdl" / "cota-certification.json")  # a renewal's cost only
    assert cota.tuition_and_fees is None


def test_registry_records_state_their_total_cost() -> None:
    assert read_program(CORPUS / "ctdl" / "nj-triple-certification.json").tuition_and_fees == 4074.0
    assert read_program(CORPUS / "ctdl" / "nj-computer-security-specialist.json").tuition_and_fees == 4899.0
    cri = read_program(CORPUS / "ctdl" / "cri-seminars.json")  # "US Dollar"
    assert cri.tuition_and_fees == 1640.0


def test_schema_org_offers_in_dollars_are_the_cost() -> None:
    acme = read_program(CORPUS / "schemaorg-programs" / "eg-0278.html")  # resident tuition first
    assert acme.tuition_and_fees == 16278.0
    assert "Resident Tuition" in acme.read_from["tuition_and_fees"].text
    gbp = read_program(CORPUS / "schemaorg-programs" / "eg-0334.html")  # prices in pounds
    assert gbp.tuition_and_fees is None


# -- names -----------------------------------------------------------------------------------------


def test_a_catalog_code_at_the_end_of_the_name_is_not_the_title() -> None:
    wgu = read_program(CORPUS / "ctdl" / "wgu-bs-accounting.json")
    assert wgu.title == "Bachelor of Science, Accounting"
    assert wgu.credential == "Bachelor of Science, Accounting"
    assert wgu.occupations == ["13-2011.00"] and wgu.cip == "52.0301"
    assert wgu.weeks == 208
    nursing = _read(
        {
            "@context": CONTEXT,
            "@type": "ceterms:MasterDegree",
            "ceterms:name": {"en-US": "Master of Science, Nursing - Education (BSN to MSN) (MSNUED_202003)"},
            "ceterms:alternateName": {"en-US": ["MSNUED_202003"]},
        }
    )
    assert nursing.title == "Master of Science, Nursing - Education (BSN to MSN)"
    kept = _read(
        {"@context": CONTEXT, "@type": "ceterms:Certification", "ceterms:name": "Certified Welder (CW)"}
    )
    assert kept.title == "Certified Welder (CW)"


# -- outcomes of a badge's criteria ----------------------------------------------------------------


def test_badge_criteria_headings_lead_in_and_accreditation_are_not_outcomes() -> None:
    badge = read_program(CORPUS / "ctdl" / "wgu-aws-cloud-devops-badge.json")
    texts = [o.text for o in badge.outcomes]
    assert "The learner defines cloud security and compliance." in texts
    assert "The learner performs root cause analysis on testing or production failures." in texts
    assert "Credential Detail" not in texts
    assert not any(t.endswith(":") for t in texts)
    assert not any("accredit" in t.lower() for t in texts)
    assert len(texts) == 24


# -- occupations it prepares for -------------------------------------------------------------------


def test_occupations_a_credential_prepares_for_are_read_from_their_records() -> None:
    doc = {
        "@context": CONTEXT,
        "@graph": [
            {
                "@id": "https://credentialengineregistry.org/resources/ce-727764d7-b909-4e5c-b26a-c4d0fced2159",
                "@type": "ceterms:OpenBadge",
                "ceterms:name": {"en-US": "WGU Certificate: AWS Cloud DevOps v1.1"},
                "ceterms:isPreparationFor": [
                    {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:name": {"en-US": "Occupations"},
                        "ceterms:targetOccupation": ["_:devops", "_:cloud", "_:missing"],
                    }
                ],
            },
            {
                "@id": "_:devops",
                "@type": "ceterms:Occupation",
                "ceterms:name": {"en-US": "DevOps Engineer"},
                "ceterms:occupationType": [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:codedNotation": "15-1244.00",
                        "ceterms:targetNodeName": {"en-US": "Network and Computer Systems Administrators"},
                    }
                ],
            },
            {"@id": "_:cloud", "@type": "ceterms:Occupation", "ceterms:name": {"en-US": "Cloud Architect"}},
        ],
    }
    p = _read(doc)
    assert p.title == "WGU Certificate: AWS Cloud DevOps v1.1"
    assert p.occupations == ["15-1244.00"]
    assert p.occupation_names == ["Cloud Architect"]


# -- alternative conditions and records known by identifier alone ----------------------------------


def test_alternative_conditions_name_courses_and_bare_references_are_no_programs() -> None:
    """The shape of Credential Engine's "degree with concentration" example: one condition with
    alternatives ("Requirements for Business Analytics" or "for GIS"), each naming courses, and
    learning opportunities that are references alone."""

    def lop(ctid: str, name: str | None = None) -> dict[str, Any]:
        node: dict[str, Any] = {"@type": "ceterms:LearningOpportunityProfile", "@id": f"res:{ctid}"}
        if name:
            node["ceterms:name"] = {"en": name}
        return node

    doc = {
        "@context": CONTEXT,
        "@graph": [
            {
                "@type": "ceterms:BachelorOfScienceDegree",
                "@id": "res:ce-d4884357",
                "ceterms:name": {"en": "B.S. in Data Science"},
                "ceterms:requires": {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetLearningOpportunity": "res:core",
                    "ceterms:alternativeCondition": [
                        {
                            "@type": "ceterms:ConditionProfile",
                            "ceterms:name": {"en": "Requirements for Business Analytics"},
                            "ceterms:targetLearningOpportunity": ["res:ba1", "res:ba2"],
                        },
                        {
                            "@type": "ceterms:ConditionProfile",
                            "ceterms:name": {"en": "Requirements for GIS"},
                            "ceterms:targetLearningOpportunity": ["res:gis1"],
                        },
                    ],
                },
            },
            lop("core", "Foundations of Data Science"),
            lop("ba1", "Business Analytics I"),
            lop("ba2"),
            lop("gis1", "Spatial Analysis"),
            lop("stray"),
        ],
    }
    programs = programs_from_jsonld(doc, "degree.json")
    assert len(programs) == 1
    p = programs[0]
    assert p.title == "B.S. in Data Science"
    assert [c.title for c in p.courses] == [
        "Foundations of Data Science",
        "Business Analytics I",
        "Spatial Analysis",
    ]


def test_a_stub_record_does_not_fail_the_document() -> None:
    doc = {
        "@context": CONTEXT,
        "@graph": [
            {"@type": "ceterms:Certificate", "@id": "res:a", "ceterms:name": "Welding Certificate"},
            {"@type": "ceterms:LearningOpportunityProfile", "@id": "res:b"},
        ],
    }
    programs = parse_programs(json.dumps(doc).encode(), "stub.jsonld")
    assert [p.title for p in programs] == ["Welding Certificate"]
