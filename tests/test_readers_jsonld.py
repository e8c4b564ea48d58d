"""CTDL and schema.org shapes beyond the welding graph: a single LearningOpportunityProfile,
credit values in clock hours, a Registry envelope, a schema.org Course, language maps."""

from __future__ import annotations

import json

import pytest

from matcher.readers import parse_program
from matcher.readers.fields import iso_duration


def _parse(doc: dict, name: str = "doc.json"):  # type: ignore[no-untyped-def]
    return parse_program(json.dumps(doc).encode(), name)


def test_ctdl_learning_opportunity_in_a_registry_envelope() -> None:
    lopp = {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@id": "https://credentialengineregistry.org/resources/ce-11111111-2222-4333-8444-555555555555",
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:name": {"en": "Phlebotomy Technician", "es": "Técnico de flebotomía"},
        "ceterms:description": {"en": "Venipuncture, capillary collection and specimen handling."},
        "ceterms:offeredBy": [
            {"@type": "ceterms:CredentialOrganization", "ceterms:name": {"en": "Example Health Academy"}}
        ],
        "ceterms:estimatedDuration": [
            {"@type": "ceterms:DurationProfile", "ceterms:maximumDuration": "P10W"}
        ],
        "ceterms:creditValue": [
            {
                "@type": "schema:QuantitativeValue",
                "schema:value": 120,
                "ceterms:creditUnitType": [{"ceterms:targetNode": "creditUnit:ClockHour"}],
            }
        ],
        "ceterms:teaches": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNodeName": {"en": "Perform venipuncture"},
                "ceterms:targetNodeDescription": {"en": "Draw blood with vacutainer and butterfly methods."},
            }
        ],
        "ceterms:isPreparationFor": [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:targetCredential": [
                    {
                        "@type": "ceterms:Certification",
                        "ceterms:name": {"en": "Certified Phlebotomy Technician"},
                    }
                ],
            }
        ],
        "ceterms:instructionalProgramType": [
            {"@type": "ceterms:CredentialAlignmentObject", "ceterms:codedNotation": "51.1009"}
        ],
    }
    p = _parse({"envelope_type": "resource_data", "decoded_resource": lopp})
    assert p.title == "Phlebotomy Technician" and p.provider == "Example Health Academy"
    assert (p.weeks, p.clock_hours, p.cip) == (10, 120, "51.1009")
    assert p.credential == "Certified Phlebotomy Technician"
    assert [o.text for o in p.outcomes] == [
        "Perform venipuncture: Draw blood with vacutainer and butterfly methods."
    ]


def test_schemaorg_course_alone_and_full_iris() -> None:
    doc = {
        "@context": {"@vocab": "http://schema.org/"},
        "@type": "http://schema.org/Course",
        "http://schema.org/name": "Forklift Operator Safety",
        "http://schema.org/courseCode": "FLT-100",
        "http://schema.org/description": "Operate sit-down counterbalanced forklifts safely.",
        "http://schema.org/teaches": ["Inspect a forklift before use", "Stack loads on racks"],
        "http://schema.org/timeRequired": "PT16H",
    }
    p = _parse(doc, "course.jsonld")
    assert (p.title, p.clock_hours) == ("Forklift Operator Safety", 16)
    assert [o.text for o in p.outcomes] == ["Inspect a forklift before use", "Stack loads on racks"]


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("P12W", (12, None)),
        ("PT300H", (None, 300)),
        ("P3M", (13.0, None)),
        ("P1DT4H30M", (0.14, 4.5)),
        ("12 weeks", (None, None)),
        ("P", (None, None)),
    ],
)
def test_iso_durations(value: str, want: tuple) -> None:
    assert iso_duration(value) == want
