"""The aligned occupations of a packet: score, evidence sentences, state and national wages,
national outlook, the state list, and whether the eligibility checks count the occupation
(see :data:`~matcher.evidence.rules.MIN_ALIGNMENT_SCORE`)."""

from __future__ import annotations

from typing import Any

from matcher.align.signals import NO_MATCH_CODE
from matcher.evidence.labour import LabourData
from matcher.evidence.rules import DEGREE_EDUCATION, MIN_ALIGNMENT_SCORE, PRIOR_EXPERIENCE
from matcher.evidence.state_lists import OccupationList

MAX_EVIDENCE = 4


def _evidence(occ: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for e in occ.get("evidence", [])[:MAX_EVIDENCE]:
        out.append(
            {
                "kind": e.get("kind"),
                "program_text": e.get("program_text"),
                "matched": e.get("matched"),
                "similarity": e.get("similarity"),
                "source": e.get("source"),
                "note": e.get("note"),
            }
        )
    return out


def _exclusion(score: float, education: str | None, experience: str | None = None) -> str:
    if score < MIN_ALIGNMENT_SCORE:
        return f"alignment score {score:.2f} is below {MIN_ALIGNMENT_SCORE}"
    if education in DEGREE_EDUCATION:
        return f"typical entry education is a {education.lower()} (BLS), beyond a short program"
    if experience in PRIOR_EXPERIENCE:
        return (
            f"entered after {experience.lower()} of work in a related occupation (BLS), not from a "
            "short program"
        )
    return ""


def aligned_occupations(
    alignment: dict[str, Any],
    coverage: dict[str, float],
    state: str,
    labour: LabourData,
    occupation_list: OccupationList,
) -> list[dict[str, Any]]:
    """One row per aligned occupation of the snapshot (the no-specific-occupation row left out)."""
    rows: list[dict[str, Any]] = []
    for occ in alignment.get("occupations", []):
        if occ["code"] == NO_MATCH_CODE:
            continue
        soc = occ.get("soc") or occ["code"][:7]
        outlook = labour.outlook(soc)
        state_wage = labour.state_wage(state, soc)
        national = labour.national_wage(soc)
        listed = occupation_list.find(soc)
        excluded = _exclusion(
            float(occ["score"]),
            (outlook or {}).get("typical_entry_education"),
            (outlook or {}).get("work_experience"),
        )
        rows.append(
            {
                "code": occ["code"],
                "soc": soc,
                "title": occ["title"],
                "score": occ["score"],
                "job_zone": occ.get("job_zone"),
                "counted": not excluded,
                "not_counted_because": excluded,
                "coverage": coverage.get(occ["code"]),
                "evidence": _evidence(occ),
                "state_wage": state_wage.to_dict() if state_wage else None,
                "national_wage": national.to_dict() if national else None,
                "outlook": outlook,
                "on_state_list": listed is not None,
                "list_entry": listed,
            }
        )
    return rows
