"""A sector partnership with real NJ ETPL dev programs aligned and reviewed, for the evidence
packet tests (helpers, no tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_support import Partnership, build_partnership

from matcher.db import Database
from matcher.program import Program
from matcher.review import programs, reviews, snapshots
from matcher.settings import Settings

# Programs whose second employer also decides on half the top occupation's taught competencies,
# so employer validation passes under the default rule (the others fail it).
VALIDATED = ("welding",)
# A welding certificate, a CDL program and a medical assistant program (programs_nj_etpl.dev.jsonl).
DEV_PROGRAMS = {"welding": "nj-37324", "cdl": "nj-48270", "medical_assistant": "nj-38894"}


@dataclass
class EvidenceWorld:
    settings: Settings
    db: Database
    partnership: Partnership
    ids: dict[str, int] = field(default_factory=dict)  # name -> program id
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)


def make_world(
    settings: Settings,
    matcher: Any,
    etpl: dict[str, dict],
    home: Path,
    *,
    names: tuple[str, ...],
    passwords=(),
) -> EvidenceWorld:  # type: ignore[no-untyped-def]
    """Provider A's programs (NJ) shared with employers 1 and 2 and aligned; employer 1 marks the
    top occupation and two taught skills required at hire, employer 2 one taught skill nice to have
    (for ``VALIDATED`` programs: half the top occupation's taught competencies, rounded up)."""
    s = Settings(data_dir=settings.data_dir, home=home, database_url=f"sqlite:///{home / 'evidence.db'}")
    db = Database(s.db_url)
    world = EvidenceWorld(s, db, build_partnership(db, passwords=passwords))
    actors = world.partnership.actors
    for name in names:
        record = etpl[DEV_PROGRAMS[name]] if name in DEV_PROGRAMS else EXTRA[name]
        pid = programs.create_program(db, actors["prov_a"], Program.model_validate(record))["id"]
        for org in ("Employer 1", "Employer 2"):
            programs.share_program(db, actors["prov_a"], pid, world.partnership.orgs[org]["id"])
        snap = snapshots.compute_snapshot(db, actors["prov_a"], pid, matcher)
        world.ids[name], world.snapshots[name] = pid, snap
        top = snap["subjects"][0]
        reviews.create_review(
            db,
            actors["emp1"],
            pid,
            occupation=top["occupation"],
            decision="required_at_hire",
            comment="We hire.",
        )
        taught = [x for x in snap["subjects"] if x["kind"] == "skill" and x["covered"]]
        for x in taught[:2]:
            reviews.create_review(
                db,
                actors["emp1"],
                pid,
                occupation=x["occupation"],
                skill=x["skill"],
                decision="required_at_hire",
            )
        skills = [x for x in snap["subjects"] if x["kind"] == "skill"]
        top_taught = [
            x for x in skills if x["occupation"] == top["occupation"] and x.get("grade") == "taught"
        ]
        second = top_taught[: -(-len(top_taught) // 2)] if name in VALIDATED else (taught or skills)[:1]
        for x in second:  # a program that teaches nothing readable: a gap instead
            reviews.create_review(
                db, actors["emp2"], pid, occupation=x["occupation"], skill=x["skill"], decision="nice_to_have"
            )
    return world


EXTRA: dict[str, dict[str, Any]] = {
    # No clock hours, credit hours or weeks.
    "no_length": {
        "title": "Phlebotomy Technician",
        "provider": "Example Career Institute",
        "description": "Venipuncture and capillary puncture, specimen handling and labeling.",
    },
    # A territory with no OEWS rows (American Samoa).
    "no_oews_state": {
        "title": "CDL Class A",
        "description": "Tractor trailer driving, pre-trip inspection, backing and coupling.",
        "clock_hours": 160,
        "state": "AS",
    },
}
