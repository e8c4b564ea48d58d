"""Length checks: 150-599 clock hours, and 8 to fewer than 15 weeks.

A program that does not state its length gets ``unknown`` (never a guess); credit hours are
converted to clock hours at :data:`~matcher.evidence.rules.CLOCK_HOURS_PER_SEMESTER_CREDIT`.
The weeks are those the readers found (:mod:`matcher.readers.finish`): a field, a label, or a
phrase that says it is the program's length ("a 10-week evening certificate", "Mon–Thu 6–10 pm
for 12 weeks"); the check names the phrase and where it was read. A range ("12-14 weeks")
passes or fails only when both ends do. Other week counts of the prose ("a 6-week
apprenticeship") are reported as a hint, not used.
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
    clock_hours: float | None,
    credit_hours: float | None,
    *,
    source: str,
    vintage: str,
    read_from: str | None = None,
) -> Check:
    """``pass`` for 150-599 clock hours (inclusive), ``fail`` outside, ``unknown`` when the
    program states neither clock nor credit hours (0 counts as not stated). ``read_from`` names
    the phrase and place a reader found the hours in (a sum of course hours says so)."""
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
    if read_from:
        reason += f" (read from {read_from})"
    return Check(
        "length_hours",
        "Length in clock hours",
        Status.PASS if ok else Status.FAIL,
        HOURS_RULE,
        value,
        source,
        vintage,
        reason=reason,
        details={"read_from": read_from} if read_from else {},
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


def check_weeks(
    weeks: float | None,
    *,
    source: str,
    vintage: str,
    hints: list[str] | None = None,
    weeks_range: tuple[float, float] | None = None,
    read_from: str | None = None,
) -> Check:
    """``pass`` for 8 <= weeks < 15, ``fail`` outside, ``unknown`` when not stated. ``read_from``
    is the phrase (and place) the weeks were read from; a ``weeks_range`` decides when both of its
    ends agree."""
    w = _positive(weeks)
    details: dict = {"mentioned_in_text": hints} if hints else {}
    if read_from:
        details["read_from"] = read_from
    if w is None and weeks_range is not None:
        return _check_range(weeks_range, source=source, vintage=vintage, details=details)
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
        if read_from:
            reason += f" (read from {read_from})"
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


def _check_range(weeks_range: tuple[float, float], *, source: str, vintage: str, details: dict) -> Check:
    lo, hi = sorted(weeks_range)
    inside = [MIN_WEEKS <= x < MAX_WEEKS_EXCLUSIVE for x in (lo, hi)]
    status = (
        Status.PASS
        if all(inside)
        else Status.FAIL
        if not any(inside) and (hi < MIN_WEEKS or lo >= MAX_WEEKS_EXCLUSIVE)
        else Status.UNKNOWN
    )
    if status is Status.PASS:
        reason = f"{lo:g} to {hi:g} weeks is within {MIN_WEEKS:.0f} to fewer than {MAX_WEEKS_EXCLUSIVE:.0f}"
    elif status is Status.FAIL:
        reason = f"{lo:g} to {hi:g} weeks is outside {MIN_WEEKS:.0f} to fewer than {MAX_WEEKS_EXCLUSIVE:.0f}"
    else:
        reason = (
            f"the program lasts {lo:g} to {hi:g} weeks, partly outside {WEEKS_RULE}; a reviewer must confirm"
        )
    if details.get("read_from"):
        reason += f" (read from {details['read_from']})"
    return Check(
        "length_weeks",
        "Length in weeks",
        status,
        WEEKS_RULE,
        {"weeks_range": [lo, hi]},
        source,
        vintage,
        reason=reason,
        details=details,
    )
