"""The list of Workforce Pell checks, built in one place: the evidence packet and list screening
(:mod:`matcher.screening`) both call :func:`pell_checks`, so a check added here appears in both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher.db import Database
from matcher.evidence import checks, length
from matcher.evidence.labour import LabourData
from matcher.evidence.rules import Check
from matcher.evidence.state_lists import OccupationList
from matcher.outcomes.checks import outcome_checks, program_tuition
from matcher.outcomes.store import outcome_for
from matcher.program import Program
from matcher.settings import Settings


@dataclass(frozen=True)
class CheckInputs:
    """Everything the checks read about one program version and its alignment snapshot."""

    db: Database
    program_id: int
    version: dict[str, Any]  # number, created_at (ISO), ...
    program: Program
    state: str
    snapshot: dict[str, Any]  # snapshot_dict(...)
    decisions: list[dict[str, Any]]  # employer decisions on the snapshot
    occupations: list[dict[str, Any]]  # aligned_occupations(...)
    occupation_list: OccupationList
    labour: LabourData
    settings: Settings


def _read_from(program: Program, field: str) -> str | None:
    """``"'a 10-week evening certificate' (syllabus.md, line 3)"`` for a field a reader found."""
    found = program.read_from.get(field)
    if found is None:
        return None
    where = found.source.label() if found.source else ""
    return f"{found.text!r} ({where})" if where else repr(found.text)


def pell_checks(inp: CheckInputs) -> list[Check]:
    """Every eligibility check of the program, in the packet's order."""
    program, ver = inp.program, inp.version
    where = f"program version {ver['number']}"
    when = f"version {ver['number']} of {ver['created_at'][:10]}"
    hints = length.weeks_in_text(program.description, program.features)
    field = (
        "clock_hours" if program.clock_hours else "credit_hours" if program.credit_hours else "clock_hours"
    )
    with inp.db.session() as s:
        outcome = outcome_for(s, inp.state, inp.program_id, program.id)
    return [
        length.check_clock_hours(
            program.clock_hours,
            program.credit_hours,
            source=f"{where}, field {field}",
            vintage=when,
            read_from=_read_from(program, "clock_hours" if program.clock_hours else "credit_hours"),
        ),
        length.check_weeks(
            program.weeks,
            source=f"{where}, field weeks",
            vintage=when,
            hints=hints,
            weeks_range=program.weeks_range,
            read_from=_read_from(program, "weeks"),
        ),
        checks.occupation_list_check(inp.occupations, inp.occupation_list),
        checks.wage_check(inp.occupations, inp.state, inp.labour, inp.settings.wage_bar),
        checks.employer_check(inp.snapshot, inp.decisions, inp.settings.employer_rule_for(inp.state)),
        checks.credential_check(program, source=f"{where}, credential and description", vintage=when),
        *outcome_checks(
            outcome,
            program_tuition(program.tuition_and_fees, where, outcome),
            inp.settings.outcome_rule_for(inp.state),
        ),
    ]
