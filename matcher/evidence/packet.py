"""The evidence packet of one program version, as one JSON-ready dict that the HTML, PDF and
standards renderers read: program summary, eligibility checks (each with rule, value, source and
vintage), aligned occupations with wages and outlook, skills taught and missing, employer
decisions, method and data versions, limitations."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from matcher import __version__
from matcher.db import Database
from matcher.errors import NotFoundError
from matcher.evidence import checks
from matcher.evidence.checklist import CheckInputs, pell_checks
from matcher.evidence.labour import LabourData, labour_data
from matcher.evidence.occupations import aligned_occupations
from matcher.evidence.rules import CLOCK_HOURS_PER_SEMESTER_CREDIT, MIN_ALIGNMENT_SCORE, Status
from matcher.evidence.skills import skill_tables
from matcher.evidence.state_lists import OccupationList, list_for
from matcher.program import Program
from matcher.review import Actor
from matcher.review.policy import Action
from matcher.review.programs import load_program
from matcher.review.reviews import list_reviews
from matcher.review.tables import AlignmentSnapshot, ProgramVersion
from matcher.review.views import snapshot_dict
from matcher.review.vocab import valid_id
from matcher.settings import Settings

log = logging.getLogger(__name__)

PACKET_VERSION = 1
NOTE = (
    "These checks are evidence for the state's decision on Workforce Pell eligibility, "
    "not a determination of it."
)

ATTESTATION_DECISIONS = ("Approved", "Approved with conditions", "Not approved", "More information needed")


def attestation() -> dict[str, Any]:
    """The block that closes the packet; the state reviewer fills it in on the signed copy."""
    return {
        "statement": "I reviewed this evidence packet and the program record it describes.",
        "reviewer": None,
        "date": None,
        "decision": None,
        "decisions": list(ATTESTATION_DECISIONS),
        "signature": None,
    }


def split_by_threshold(
    tables: list[dict[str, Any]], occupations: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The skill tables of occupations scored at least ``MIN_ALIGNMENT_SCORE``, and one summary
    line for the others (None when there are none)."""
    scores = {o["code"]: float(o["score"]) for o in occupations}
    kept: list[dict[str, Any]] = []
    below: list[dict[str, Any]] = []
    for t in tables:
        score = scores.get(t["code"])
        t = {**t, "score": score}
        (below if score is not None and score < MIN_ALIGNMENT_SCORE else kept).append(t)
    if not below:
        return kept, None
    rows = [
        {"code": t["code"], "title": t["title"], "score": t["score"], "coverage": t["coverage"]}
        for t in below
    ]
    line = f"Below the alignment threshold ({MIN_ALIGNMENT_SCORE}), not detailed: " + "; ".join(
        f"{r['code']} {r['title']} (score {r['score']:.2f}, coverage {r['coverage']:.0f}%)" for r in rows
    )
    return kept, {"threshold": MIN_ALIGNMENT_SCORE, "occupations": rows, "line": line}


def _load(db: Database, actor: Actor, program_id: int, version: int | None) -> dict[str, Any]:
    with db.session() as s:
        record = load_program(s, actor, program_id, Action.READ)
        q = select(ProgramVersion).where(ProgramVersion.program_id == record.id)
        if version is not None:
            if not valid_id(version):
                raise NotFoundError(f"program {program_id} has no version {version}")
            q = q.where(ProgramVersion.number == version)
        v = s.scalars(q.order_by(ProgramVersion.number.desc()).limit(1)).first()
        if v is None:
            raise NotFoundError(f"program {program_id} has no version {version}")
        snap = s.scalars(
            select(AlignmentSnapshot)
            .where(AlignmentSnapshot.program_id == record.id, AlignmentSnapshot.version_number == v.number)
            .order_by(AlignmentSnapshot.id.desc())
            .limit(1)
        ).first()
        if snap is None:
            raise NotFoundError(
                f"program {program_id} version {v.number} has no alignment snapshot yet; compute one "
                f"first (POST /programs/{program_id}/snapshots, or 'Align again' on the program page)"
            )
        return {
            "record": {
                "id": record.id,
                "title": record.title,
                "state": record.state,
                "provider": record.owner.name,
                "latest_version": record.latest_version,
            },
            "version": {
                "number": v.number,
                "content": v.content,
                "sha256": v.content_sha256,
                "created_at": v.created_at.isoformat(),
                "note": v.note,
            },
            "snapshot": snapshot_dict(snap),
        }


def _program_summary(loaded: dict[str, Any], program: Program, alignment: dict[str, Any]) -> dict[str, Any]:
    rec, ver = loaded["record"], loaded["version"]
    cips = alignment.get("cip", [])
    stated = next((c for c in cips if c.get("stated")), None)
    cip = (
        {"code": program.cip, "title": (stated or {}).get("title", ""), "stated": True}
        if program.cip
        else None
    )
    if cip is None and cips:
        top = cips[0]
        cip = {"code": top["code"], "title": top.get("title", ""), "stated": False, "score": top.get("score")}
    return {
        "id": rec["id"],
        "title": program.title or rec["title"],
        # The organisation that owns the record offers the program; a provider name typed into
        # the program is a claim nobody checked, shown as "stated provider" only.
        "provider": rec["provider"],
        "owner": rec["provider"],
        "stated_provider": _stated_provider(program.provider, rec["provider"]),
        "state": rec["state"],
        "version": ver["number"],
        "latest_version": rec["latest_version"],
        "version_created_at": ver["created_at"],
        "content_sha256": ver["sha256"],
        "credential": program.credential,
        "credentials": program.all_credentials(),
        "clock_hours": program.clock_hours,
        "credit_hours": program.credit_hours,
        "weeks": program.weeks,
        "cip": cip,
        "description": program.description,
        "outcomes": [o.text for o in program.outcomes],
        "courses": [c.title for c in program.courses],
    }


def _sources(
    labour: LabourData, snapshot: dict[str, Any], occupation_list: OccupationList
) -> list[dict[str, str]]:
    data = (snapshot.get("data_versions") or {}).get("data", {})
    out = [
        {
            "name": "O*NET",
            "publisher": "National Center for O*NET Development, USDOL/ETA",
            "vintage": str(data.get("onet", "")),
            "used_for": "occupations, tasks, work activities, skills, alternate titles",
            "url": "https://www.onetcenter.org/database.html",
        },
        {
            "name": "ESCO",
            "publisher": "European Commission",
            "vintage": str(data.get("esco", "")),
            "used_for": "skills and the ESCO-O*NET crosswalk",
            "url": "https://esco.ec.europa.eu/en/use-esco/download",
        },
        {
            "name": "CIP 2020 and the CIP-SOC 2018 crosswalk",
            "publisher": "NCES and BLS",
            "vintage": str(data.get("cip", "2020")),
            "used_for": "the program's instructional program type and the occupations it leads to",
            "url": "https://nces.ed.gov/ipeds/cipcode/resources.aspx",
        },
        {
            "name": "Occupational Employment and Wage Statistics (OEWS)",
            "publisher": "BLS",
            "vintage": labour.oews_version,
            "used_for": "state and national median annual wages",
            "url": "https://www.bls.gov/oes/tables.htm",
        },
        {
            "name": "Employment Projections",
            "publisher": "BLS",
            "vintage": labour.projections_version,
            "used_for": "national growth, annual openings, typical entry education; the default list",
            "url": "https://www.bls.gov/emp/data/occupational-data.htm",
        },
    ]
    if not occupation_list.derived:
        out.append(
            {
                "name": occupation_list.name,
                "publisher": f"State of {occupation_list.state}",
                "vintage": occupation_list.vintage,
                "used_for": "the state's in-demand occupations",
                "url": occupation_list.source,
            }
        )
    return out


def _limitations(
    program: Program, occupation_list: OccupationList, occupations: list[dict[str, Any]]
) -> list[str]:
    out = [
        "Crosswalk SOC sets are broad: a CIP code often leads to teachers of the subject as well as "
        "practitioners. Occupations whose typical entry education is a bachelor's degree or more, or whose "
        f"alignment score is below {MIN_ALIGNMENT_SCORE}, are listed but not counted by the checks.",
        "Wages are cross-industry OEWS medians for the whole state (no metro or industry detail); the "
        "outlook is national (BLS Employment Projections), not the state's own projections.",
        "Length checks read the program's stated clock hours, credit hours and weeks; the matcher does not "
        "verify instructional time.",
        "Alignment scores and skill coverage come from a sentence-embedding model over O*NET and ESCO text; "
        "they point a reviewer to evidence and can be wrong.",
        "Completion, placement and earnings figures are those imported (provider-reported or the state's "
        "ETPL performance data); the matcher does not verify them. Workforce Pell also requires a year of "
        "operation, which this packet does not check.",
        "Employer decisions belong to the alignment snapshot they were made on; they do not carry over to "
        "later versions of the program.",
    ]
    if occupation_list.derived:
        out.insert(
            1,
            "No state list is loaded: the in-demand check uses a default derived from national BLS "
            "Employment Projections (growth and openings), not the state's own designation.",
        )
    if program.clock_hours in (None, 0) and program.credit_hours:
        out.append(
            f"Credit hours are taken as semester hours ({CLOCK_HOURS_PER_SEMESTER_CREDIT} clock hours each); "
            "quarter hours would give fewer clock hours."
        )
    if any(o["state_wage"] is None for o in occupations):
        out.append("Some occupations have no OEWS row for the state (estimate not released or aggregated).")
    return out


def build_packet(
    db: Database,
    actor: Actor,
    program_id: int,
    settings: Settings,
    *,
    version: int | None = None,
    labour: LabourData | None = None,
) -> dict[str, Any]:
    """The packet of a program version (default: the newest) the actor may read, from its newest
    alignment snapshot, every employer decision on that snapshot and the reference data."""
    loaded = _load(db, actor, program_id, version)
    labour = labour or labour_data(settings.data_dir)
    snapshot, ver = loaded["snapshot"], loaded["version"]
    program = Program.model_validate(ver["content"])
    state = loaded["record"]["state"]
    decisions = list_reviews(db, actor, program_id, snapshot["id"])
    occupation_list = list_for(db, state, labour)
    coverage = {g["occupation"]["code"]: g["coverage"] for g in snapshot.get("gaps", [])}
    occupations = aligned_occupations(snapshot["alignment"], coverage, state, labour, occupation_list)

    check_list = pell_checks(
        CheckInputs(
            db=db,
            program_id=program_id,
            version=ver,
            program=program,
            state=state,
            snapshot=snapshot,
            decisions=decisions,
            occupations=occupations,
            occupation_list=occupation_list,
            labour=labour,
            settings=settings,
        )
    )
    counts = {s.value: sum(c.status is s for c in check_list) for s in Status}
    aligner = snapshot["alignment"].get("versions") or {}
    tables, below = split_by_threshold(skill_tables(db, snapshot.get("gaps", []), state), occupations)
    packet = {
        "packet_version": PACKET_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generator": f"skills-matcher {__version__}",
        "program": _program_summary(loaded, program, snapshot["alignment"]),
        "summary": {**counts, "note": NOTE},
        "checks": [c.to_dict() for c in check_list],
        "occupations": occupations,
        "skills": tables,
        "skills_below_threshold": below,
        "employers": checks.employer_summaries(decisions),
        "employer_decisions": [
            {
                "occupation": d["occupation"],
                "skill": d["skill"],
                "subject": d["subject"],
                "decision": d["decision"],
                "decision_label": d["decision_label"],
                "comment": d["comment"],
                "organisation": d["organisation"]["name"],
                "person": d["updated_by"]["name"],
                "decided_at": d["updated_at"],
                "version": d["version"],
            }
            for d in decisions
        ],
        "method": {
            "alignment": "skills-matcher alignment (docs/method.md): title, task, work-activity, credential, "
            "CIP-crosswalk and similar-program signals, Platt-calibrated scores",
            "checks": "docs/evidence.md",
            "snapshot": {
                "id": snapshot["id"],
                "created_at": snapshot["created_at"],
                "program_version": snapshot["version"],
            },
            "model": snapshot["model_version"],
            # The alignment model's weights and program memory the aligner used for this snapshot.
            "weights": aligner.get("weights") or "not recorded in this snapshot",
            "program_memory": aligner.get("program_memory") or "not recorded in this snapshot",
            "data": snapshot.get("data_versions", {}),
            "labour_data": {"oews": labour.oews_version, "projections": labour.projections_version},
            "occupation_list": occupation_list.to_dict(),
            "wage_bar": settings.wage_bar,
            "outcome_rule": settings.outcome_rule_for(state).model_dump(),
        },
        "sources": _sources(labour, snapshot, occupation_list),
        "limitations": _limitations(program, occupation_list, occupations),
        "attestation": attestation(),
    }
    log.info("evidence packet for program %s v%s: %s", program_id, ver["number"], counts)
    return packet


def _stated_provider(typed: str | None, owner: str) -> str | None:
    """The provider name typed into the program, when it says something the owner's name does not."""
    typed = " ".join((typed or "").split())
    return typed if typed and typed.casefold() != owner.casefold() else None
