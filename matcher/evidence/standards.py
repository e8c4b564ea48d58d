"""The program in the credential-data standards reviewers and registries read:

- **CTDL** (Credential Engine): a ``ceterms:LearningProgram`` with ``ceterms:occupationType``
  (SOC 2018 codes), ``ceterms:instructionalProgramType`` (CIP 2020), ``ceterms:estimatedDuration``
  (a ``ceterms:DurationProfile`` per stated length), ``ceterms:creditValue`` in clock hours,
  ``ceterms:teaches`` (the competencies the alignment found taught, with their ESCO or O*NET
  node) and ``ceterms:isPreparationFor`` the named credential;
- **schema.org**: an ``EducationalOccupationalProgram`` with ``occupationalCategory`` (SOC
  ``CategoryCode``), ``timeToComplete`` (weeks), ``timeRequired`` (hours), ``numberOfCredits``,
  ``educationalCredentialAwarded``, ``teaches``, ``provider`` and the CIP as an ``identifier``.

Both carry an inline ``@context`` (no remote context to fetch), so any JSON-LD processor expands
them offline. The occupations are the ones the eligibility checks count (else the best aligned).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

CTDL = "https://purl.org/ctdl/terms/"
SOC_FRAMEWORK = "https://www.bls.gov/soc/2018/"
CIP_FRAMEWORK = "https://nces.ed.gov/ipeds/cipcode/"
ONET_NODE = "https://www.onetonline.org/link/summary/"
ESCO_FRAMEWORK = "http://data.europa.eu/esco/skill"
ONET_FRAMEWORK = "https://www.onetcenter.org/database.html"
CTDL_CONTEXT: dict[str, Any] = {
    "ceterms": CTDL,
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ceterms:ctid": {"@type": "xsd:string"},
    "ceterms:name": {"@container": "@language"},
    "ceterms:description": {"@container": "@language"},
    "ceterms:targetNodeName": {"@container": "@language"},
    "ceterms:frameworkName": {"@container": "@language"},
    "ceterms:targetNode": {"@type": "@id"},
    "ceterms:framework": {"@type": "@id"},
    "ceterms:subjectWebpage": {"@type": "@id"},
    "ceterms:exactDuration": {"@type": "xsd:duration"},
    "ceterms:weight": {"@type": "xsd:float"},
    "schema:value": {"@type": "xsd:float"},
}
SCHEMA_CONTEXT: dict[str, Any] = {"@vocab": "https://schema.org/"}
EN = "en-US"


def _occupations(packet: dict[str, Any]) -> list[dict[str, Any]]:
    occs = [o for o in packet.get("occupations", []) if o["counted"]]
    return occs or packet.get("occupations", [])[:1]


def _ctid(packet: dict[str, Any]) -> str:
    prog = packet["program"]
    return "ce-" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"skills-matcher:program:{prog['id']}:{prog['content_sha256']}")
    )


def _credentials(prog: dict[str, Any]) -> list[str]:
    """Each credential on its own (ETPL lists several in one field, separated by ';')."""
    parts = (p.strip() for c in prog.get("credentials", []) for p in re.split(r"[;|]", c or ""))
    return list(dict.fromkeys(p for p in parts if p))


def _lang(text: str) -> dict[str, str]:
    return {EN: text}


def _alignment(framework: str, framework_name: str, code: str, name: str, **extra: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": framework,
        "ceterms:frameworkName": _lang(framework_name),
        "ceterms:codedNotation": code,
        "ceterms:targetNodeName": _lang(name),
    }
    node.update(extra)
    return node


def _competencies(packet: dict[str, Any]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for table in packet.get("skills", []):
        for m in table["taught"]:
            key = f"{m['taxonomy']}:{m['id']}"
            if key in out:
                continue
            node: dict[str, Any] = {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNodeName": _lang(m["label"]),
            }
            if m["taxonomy"] == "esco":
                node["ceterms:framework"] = ESCO_FRAMEWORK
                node["ceterms:frameworkName"] = _lang("ESCO skills pillar")
                if str(m["id"]).startswith("http"):
                    node["ceterms:targetNode"] = m["id"]
            else:
                node["ceterms:framework"] = ONET_FRAMEWORK
                node["ceterms:frameworkName"] = _lang(f"O*NET ({m['taxonomy']})")
                node["ceterms:codedNotation"] = str(m["id"])
            out[key] = node
    for text in packet["program"].get("outcomes", []):
        out.setdefault(
            f"outcome:{text}",
            {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNodeName": _lang(text)},
        )
    return list(out.values())


def to_ctdl(packet: dict[str, Any]) -> dict[str, Any]:
    """The program as a CTDL ``ceterms:LearningProgram`` (JSON-LD)."""
    prog = packet["program"]
    ctid = _ctid(packet)
    doc: dict[str, Any] = {
        "@context": CTDL_CONTEXT,
        "@id": f"urn:ctid:{ctid}",
        "@type": "ceterms:LearningProgram",
        "ceterms:ctid": ctid,
        "ceterms:name": _lang(prog["title"]),
        "ceterms:description": _lang(prog["description"] or prog["title"]),
        "ceterms:inLanguage": [EN],
        "ceterms:offeredBy": [
            {"@type": "ceterms:CredentialOrganization", "ceterms:name": _lang(prog["provider"])}
        ],
        "ceterms:availableAt": [{"@type": "ceterms:Place", "ceterms:addressRegion": prog["state"]}],
        "ceterms:occupationType": [
            _alignment(
                SOC_FRAMEWORK,
                "Standard Occupational Classification (SOC) 2018",
                o["soc"],
                o["title"],
                **{"ceterms:targetNode": ONET_NODE + o["code"], "ceterms:weight": float(o["score"])},
            )
            for o in _occupations(packet)
        ],
    }
    cip = prog.get("cip")
    if cip:
        doc["ceterms:instructionalProgramType"] = [
            _alignment(
                CIP_FRAMEWORK,
                "Classification of Instructional Programs (CIP) 2020",
                cip["code"],
                cip["title"] or cip["code"],
            )
        ]
    durations = []
    if prog.get("clock_hours"):
        durations.append(
            {
                "@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": f"PT{prog['clock_hours']:g}H",
                "ceterms:description": _lang(f"{prog['clock_hours']:g} clock hours of instruction"),
            }
        )
        doc["ceterms:creditValue"] = [
            {
                "@type": "ceterms:ValueProfile",
                "schema:value": float(prog["clock_hours"]),
                "ceterms:creditUnitType": [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:framework": "https://credreg.net/ctdl/terms/CreditUnit",
                        "ceterms:targetNode": "https://purl.org/ctdl/vocabs/creditUnit/ClockHour",
                        "ceterms:targetNodeName": _lang("Clock Hour"),
                    }
                ],
            }
        ]
    if prog.get("weeks"):
        durations.append(
            {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": f"P{prog['weeks']:g}W"}
        )
    if durations:
        doc["ceterms:estimatedDuration"] = durations
    teaches = _competencies(packet)
    if teaches:
        doc["ceterms:teaches"] = teaches
    named = _credentials(prog)
    if named:
        doc["ceterms:isPreparationFor"] = [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:targetCredential": [
                    {"@type": "ceterms:Certificate", "ceterms:name": _lang(c)} for c in named
                ],
            }
        ]
    return doc


def to_schema_org(packet: dict[str, Any]) -> dict[str, Any]:
    """The program as a schema.org ``EducationalOccupationalProgram`` (JSON-LD)."""
    prog = packet["program"]
    doc: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "EducationalOccupationalProgram",
        "@id": f"urn:ctid:{_ctid(packet)}",
        "name": prog["title"],
        "description": prog["description"] or prog["title"],
        "provider": {
            "@type": "EducationalOrganization",
            "name": prog["provider"],
            "address": {"@type": "PostalAddress", "addressRegion": prog["state"]},
        },
        "occupationalCategory": [
            {
                "@type": "CategoryCode",
                "codeValue": o["soc"],
                "name": o["title"],
                "inCodeSet": {"@type": "CategoryCodeSet", "name": "SOC 2018", "url": SOC_FRAMEWORK},
            }
            for o in _occupations(packet)
        ],
    }
    if prog.get("weeks"):
        doc["timeToComplete"] = f"P{prog['weeks']:g}W"
    if prog.get("clock_hours"):
        doc["timeRequired"] = f"PT{prog['clock_hours']:g}H"
    if prog.get("credit_hours"):
        doc["numberOfCredits"] = prog["credit_hours"]
    cip = prog.get("cip")
    if cip:
        doc["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "CIP 2020",
            "value": cip["code"],
            "name": cip["title"],
        }
    if _credentials(prog):
        doc["educationalCredentialAwarded"] = [
            {"@type": "EducationalOccupationalCredential", "name": c} for c in _credentials(prog)
        ]
    taught = [m["label"] for t in packet.get("skills", []) for m in t["taught"]]
    taught += prog.get("outcomes", [])
    if taught:
        doc["teaches"] = list(dict.fromkeys(taught))
    return doc
