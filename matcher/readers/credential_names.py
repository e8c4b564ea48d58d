"""Credentials a program names: "AWS Certified Welder", "NHA CPT", "CompTIA A+", "CDL Class A".

:func:`credential_mentions` finds, in order, the named industry certifications and licences of
a text (the names as the text writes them) and the phrases that say a program leads to one
("eligible to sit for the NHA CPT exam", "earn your EPA 608 certification"). Safety cards and
first-aid courses (OSHA 10, CPR/BLS, ServSafe food handler) are marked *minor*: they are
topics a program teaches, never its credential (:mod:`matcher.readers.finish` leaves them out).

Bare acronyms that mean other things are only read where the text says they are credentials:
"CPT" is a Certified Phlebotomy Technician in "CPT certification" or "Credential: CPT", never in
"CPT coding" (Current Procedural Terminology).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (pattern, minor). Case-sensitive where an acronym must be written in capitals.
_NAMES: list[tuple[str, bool]] = [
    (
        r"(?i:AWS\s+Certified\s+(?:Welder|Welding\s+(?:Inspector|Educator|Supervisor)|Cloud\s+Practitioner))",
        False,
    ),
    (r"(?i:Certified\s+Welding\s+Inspector)|\bCWI\b", False),
    (r"(?i:AWS\s+D1\.1\s+(?:\w+\s+)?(?:certification|qualification))", False),
    (r"(?i:NCCER\s+(?:Core\s+)?(?:Level\s+\d\s+)?(?:\w+\s+){0,3}?(?:certification|credential))", False),
    (
        r"CompTIA\s+(?:A\+|Network\+|Security\+|Data\+|Linux\+|Cloud\+|Server\+|CySA\+|PenTest\+|Tech\+|ITF\+"
        r"|IT\s+Fundamentals(?:\+|\s*\(ITF\+\))?)",
        False,
    ),
    (r"(?i:Cisco\s+(?:Certified\s+)?(?:CCNA|CCST|CCNP)|\bCCNA\b)", False),
    (
        r"(?i:Google\s+(?:IT\s+Support|Data\s+Analytics|Cybersecurity)\s+(?:Professional\s+)?Certificate)",
        False,
    ),
    (r"(?i:Microsoft\s+Office\s+Specialist(?:\s*\(MOS\))?)", False),
    (r"(?i:(?:NHA\s+)?Certified\s+Phlebotomy\s+Technician(?:\s*\(CPT\))?)|\bNHA\s+CPT\b", False),
    (r"(?i:(?:NHA\s+)?Certified\s+Clinical\s+Medical\s+Assistant(?:\s*\(CCMA\))?)|\bCCMA\b", False),
    (r"(?i:Certified\s+Medical\s+Administrative\s+Assistant(?:\s*\(CMAA\))?)|\bCMAA\b", False),
    (r"(?i:(?:Certified|Registered)\s+Medical\s+Assistant(?:\s*\((?:CMA|RMA)\))?)", False),
    (r"(?i:Certified\s+EKG\s+Technician(?:\s*\(CET\))?)", False),
    (r"(?i:Certified\s+Billing\s+and\s+Coding\s+Specialist(?:\s*\(CBCS\))?)|\bCBCS\b", False),
    (r"(?i:Certified\s+Professional\s+Coder(?:\s*\(CPC\))?)|\bCPC\b(?!\s*cod)", False),
    (r"(?i:Certified\s+Pharmacy\s+Technician(?:\s*\(CPhT\))?)|\bCPhT\b|\bExCPT\b", False),
    (r"(?i:Certified\s+Registered\s+Central\s+Service\s+Technician)|\bCRCST\b", False),
    (r"(?i:Certified\s+(?:Nursing|Nurse)\s+(?:Assistant|Aide)(?:\s*\(CNA\))?)", False),
    (r"\bCNA\b(?=\s+(?i:certification|certificate|license|licence|exam|credential|state\s+exam))", False),
    (r"(?i:(?:State\s+)?Nurse\s+Aide\s+(?:Registry|Certification|Competency\s+Exam(?:ination)?))", False),
    (r"(?i:Home\s+Health\s+Aide\s+(?:Certification|Certificate|Training\s+Certificate))", False),
    (
        r"(?i:National\s+Registry\s+(?:of\s+Emergency\s+Medical\s+Technicians|EMT)|EMT[\s-]Basic)|\bNREMT\b",
        False,
    ),
    (
        r"(?i:(?:Class\s+[AB]\s+)?Commercial\s+Driver'?s?\s+Licen[cs]e(?:\s*\(CDL\))?(?:,?\s*Class\s+[AB])?)"
        r"|\bCDL[\s-]*(?:(?i:Class)\s*)?[AB]\b|\b(?i:Class)\s+[AB]\s+CDL\b",
        False,
    ),
    (
        r"(?i:EPA\s+(?:Section\s+)?608(?:\s+(?:Universal|Type\s+(?:I{1,3}|[123])))?(?:\s+Certification)?)",
        False,
    ),
    (r"(?i:NATE\s+(?:Certification|Ready[\s-]to[\s-]Work|Core))|\bHVAC\s+Excellence\b", False),
    (
        r"(?i:MSSC\s+(?:Certified\s+)?(?:Production|Logistics)\s+Technician(?:\s*\(C[PL]T\))?)|\bMSSC\s+C[PL]T\b",
        False,
    ),
    (r"(?i:Certified\s+Logistics\s+(?:Technician|Associate))", False),
    (r"(?i:Forklift\s+(?:Operator\s+)?Certification)", False),
    (r"(?i:Six\s+Sigma\s+(?:Yellow|Green|Black)\s+Belt)", False),
    (
        r"(?i:Journey(?:man|worker)\s+(?:Electrician\s+)?Licen[cs]e|Certificate\s+of\s+Completion\s+of\s+Apprenticeship)",
        False,
    ),
    (
        r"(?i:OSHA[\s-]*(?:10|30)(?:[\s-]*Hour)?(?:\s+(?:Construction|General\s+Industry))?(?:\s+(?:Safety\s+)?(?:Card|Certification|Training))?)",
        True,
    ),
    (
        r"(?i:ServSafe(?:\s+(?:Food\s+Handler|Manager|Food\s+Protection\s+Manager))?(?:\s+Certification)?)",
        True,
    ),
    (
        r"(?i:(?:AHA\s+)?(?:BLS|Basic\s+Life\s+Support)(?:\s+(?:Provider|CPR))?(?:\s+Certification)?|(?:Adult\s+)?CPR(?:\s*/\s*AED)?(?:\s+(?:and|&)\s+First\s+Aid)?\s+Certification)",
        True,
    ),
]
NAMES = [(re.compile(p), minor) for p, minor in _NAMES]
# "eligible to sit for the NHA CPT exam", "prepares students for the EPA 608 certification",
# "earn your AWS Certified Welder credential"
_LEADS_TO = re.compile(
    r"(?:(?:eligible|prepared?s?|qualif\w+|ready|preparation)\s+(?:\w+\s+){0,2}?(?:to\s+(?:sit|test|take|apply)(?:\s+for)?|for)"
    r"|(?:earn|obtain|receive|achieve|attain|award(?:ed)?|sit\s+for|take)(?:s|ing|ed)?(?:\s+(?:the|a|an|their|your|his|her))?)"
    r"\s+(?:the\s+)?(?:national\s+|state\s+|industry[\s-]recognized\s+)?"
    r"(?P<name>(?:[A-Z][\w+&./'()-]*)(?:\s+(?:[A-Z][\w+&./'()-]*|\([A-Z][\w+&./-]*\)|\d{2,3}|of|and|&|in))*?)"
    r"\s+(?:certification|certificate|credential|licen[cs]e|exam(?:ination)?|test)\b"
)
# A body spelled out before its acronym is named by the acronym: "North American Board of
# Certified Energy Practitioners (NABCEP) PV Associate" -> "NABCEP PV Associate".
_SPELLED_OUT = re.compile(r"(?:[A-Z][\w&.-]*\s+(?:(?:of|and|&|for|in)\s+)?){2,}\((?P<acronym>[A-Z]{2,10})\)")
# An acronym alone names a credential only in these cases ("Credential: CPT", "CPT exam").
_CPT = re.compile(r"\bCPT\b(?=\s*(?:\)|$|(?i:certification|certificate|credential|exam|national)))")
_ACRONYM_OR_CERTIFIED = re.compile(r"\b(?:[A-Z]{2,}[+]?|Certified|Licensed|Registered)\b")


@dataclass(frozen=True)
class CredentialMention:
    name: str
    start: int
    end: int
    minor: bool = False


def credential_mentions(text: str) -> list[CredentialMention]:
    """Named credentials in ``text``, in order, without repeats (as the text writes them)."""
    found: list[CredentialMention] = []
    for rx, minor in NAMES:
        for m in rx.finditer(text):
            found.append(
                CredentialMention(" ".join(m.group(0).split()).strip(" ,."), m.start(), m.end(), minor)
            )
    for m in _CPT.finditer(text):
        found.append(CredentialMention("CPT", m.start(), m.end()))
    for m in _LEADS_TO.finditer(text):
        name = _SPELLED_OUT.sub(r"\g<acronym>", m.group("name").strip(" ,."))
        if _ACRONYM_OR_CERTIFIED.search(name) and len(name) <= 80:
            found.append(CredentialMention(name, m.start("name"), m.end("name")))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[CredentialMention] = []
    for c in found:
        if any(c.start < o.end and o.start < c.end for o in out):
            continue  # overlaps a longer or earlier mention
        if any(c.name.casefold() == o.name.casefold() for o in out):
            continue
        out.append(c)
    return out
