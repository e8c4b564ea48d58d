"""Length checks: 150-599 clock hours, and 8 to fewer than 15 weeks.

A program that does not state its length gets ``unknown`` (never a guess); credit hours are
converted to clock hours at :data:`~matcher.evidence.rules.CLOCK_HOURS_PER_SEMESTER_CREDIT`.
Week counts that appear only in the program's prose are reported as a hint, not used: "4 to 12
weeks" or "a 6-week apprenticeship" say too little about the program's own length.
"""

from __future__ import annotations

import re

from matcher.evidence.rules import (
    CLOCK_HOURS_PER_SEMESTER_CREDIT,
    MAX_CLOCK_HOURS,
    MAX_WEEKS_EXCLUSIVE,
    MIN_CLOCK_HOURS,
    MIN_WEEKS,
    Check,
    Status,
)

HOURS_RULE = (
    f"{MIN_CLOCK_HOURS:.0f} to {MAX_CLOCK_HOURS:.0f} clock hours of instruction "
    f"(credit hours x {CLOCK_HOURS_PER_SEMESTER_CREDIT} clock hours per semester credit hour)"
)
WEEKS_RULE = f"at least {MIN_WEEKS:.0f} and fewer than {MAX_WEEKS_EXCLUSIVE:.0f} weeks"
_WEEKS_IN_TEXT = re.compile(r"[^.;\n]{0,60}\b\d{1,2}(?:\.\d+)?\s*-?\s*(?:weeks?|wks?)\b[^.;\n]{0,40}", re.I)


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def check_clock_hours(
    clock_hours: float | None, credit_hours: float | None, *, source: str, vintage: str
) -> Check:
    """``pass`` for 150-599 clock hours (inclusive), ``fail`` outside, ``unknown`` when the
    program states neither clock nor credit hours (0 counts as not stated)."""
    clock, credit = _positive(clock_hours), _positive(credit_hours)
    if clock is None and credit is None:
        stated = "0 clock hours (taken as not stated)" if clock_hours == 0 else "no clock or credit hours"
        return Check(
            "length_hours",
            "Length in clock hours",
            Status.UNKNOWN,
            HOURS_RULE,
            None,
            source,
            vintage,
            reason=f"the program states {stated}",
        )
    if clock is not None:
        hours, value = clock, {"clock_hours": clock, "stated_as": "clock hours"}
    else:
        assert credit is not None
        hours = round(credit * CLOCK_HOURS_PER_SEMESTER_CREDIT, 1)
        value = {"credit_hours": credit, "clock_hours": hours, "stated_as": "semester credit hours"}
    ok = MIN_CLOCK_HOURS <= hours <= MAX_CLOCK_HOURS
    if ok:
        reason = f"{hours:g} clock hours is within {MIN_CLOCK_HOURS:.0f}-{MAX_CLOCK_HOURS:.0f}"
    elif hours < MIN_CLOCK_HOURS:
        reason = f"{hours:g} clock hours is fewer than {MIN_CLOCK_HOURS:.0f}"
    else:
        reason = f"{hours:g} clock hours is more than {MAX_CLOCK_HOURS:.0f}"
    if clock is None:
        reason += f" ({credit:g} credit hours x {CLOCK_HOURS_PER_SEMESTER_CREDIT})"
    return Check(
        "length_hours",
        "Length in clock hours",
        Status.PASS if ok else Status.FAIL,
        HOURS_RULE,
        value,
        source,
        vintage,
        reason=reason,
    )


def weeks_in_text(*texts: str, limit: int = 3) -> list[str]:
    """Phrases of the program's prose that mention a number of weeks (for the reviewer)."""
    found: list[str] = []
    for text in texts:
        for m in _WEEKS_IN_TEXT.finditer(text or ""):
            found.append(" ".join(m.group(0).split()))
            if len(found) >= limit:
                return found
    return found


def check_weeks(weeks: float | None, *, source: str, vintage: str, hints: list[str] | None = None) -> Check:
    """``pass`` for 8 <= weeks < 15, ``fail`` outside, ``unknown`` when not stated."""
    w = _positive(weeks)
    details = {"mentioned_in_text": hints} if hints else {}
    if w is None:
        reason = "the program does not state its length in weeks"
        if hints:
            reason += "; its text mentions weeks (see details), which a reviewer can confirm"
        return Check(
            "length_weeks",
            "Length in weeks",
            Status.UNKNOWN,
            WEEKS_RULE,
            None,
            source,
            vintage,
            reason=reason,
            details=details,
        )
    ok = MIN_WEEKS <= w < MAX_WEEKS_EXCLUSIVE
    if ok:
        reason = f"{w:g} weeks is at least {MIN_WEEKS:.0f} and fewer than {MAX_WEEKS_EXCLUSIVE:.0f}"
    elif w < MIN_WEEKS:
        reason = f"{w:g} weeks is fewer than {MIN_WEEKS:.0f}"
    else:
        reason = f"{w:g} weeks is not fewer than {MAX_WEEKS_EXCLUSIVE:.0f}"
    return Check(
        "length_weeks",
        "Length in weeks",
        Status.PASS if ok else Status.FAIL,
        WEEKS_RULE,
        {"weeks": w},
        source,
        vintage,
        reason=reason,
        details=details,
    )
