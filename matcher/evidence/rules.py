"""The Workforce Pell rules the evidence packet checks, and the shape of one check.

Every number here is documented in ``docs/evidence.md``. The packet reports evidence; it never
decides eligibility (the state does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Length (HEA section 401, Workforce Pell, as amended in 2025): 150-599 clock hours of instruction
# over at least 8 and fewer than 15 weeks.
MIN_CLOCK_HOURS = 150.0
MAX_CLOCK_HOURS = 599.0
MIN_WEEKS = 8.0
MAX_WEEKS_EXCLUSIVE = 15.0
# Credit hours -> clock hours (34 CFR 668.8(l)(1): at least 37.5 clock hours per semester or
# trimester hour, 25 per quarter hour). A program's credit hours are taken as semester hours.
CLOCK_HOURS_PER_SEMESTER_CREDIT = 37.5

# Which aligned occupations the occupation-list and wage checks consider: alignment score (the
# calibrated chance the occupation fits the program) at least this, and typical entry education
# below a bachelor's degree (BLS Employment Projections), since a 150-599 hour program does not
# lead there directly (the CIP crosswalk often adds teachers of the subject).
MIN_ALIGNMENT_SCORE = 0.5
DEGREE_EDUCATION = ("Bachelor's degree", "Master's degree", "Doctoral or professional degree")
# ... nor occupations BLS lists as entered after work in a related occupation (first-line
# supervisors, managers, chefs and head cooks): a short program does not lead there either.
PRIOR_EXPERIENCE = ("Less than 5 years", "5 years or more")

# Employer validation: the rule is a setting (``matcher.settings.EmployerRule``, per state).


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass
class Check:
    """One eligibility check: what was tested (``rule``), on what (``value``), where the value
    came from (``source``) and how current that source is (``vintage``)."""

    id: str
    name: str
    status: Status
    rule: str
    value: Any
    source: str
    vintage: str
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "rule": self.rule,
            "value": self.value,
            "source": self.source,
            "vintage": self.vintage,
            "reason": self.reason,
            "details": self.details,
        }
