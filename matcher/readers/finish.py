"""What every reader does last: read the program's length, schedule and credential from its
own text when no field stated them, and record where each was read.

- **Length**: :func:`~matcher.readers.duration.program_length` over the title, description and
  features (not the courses: "a 3-week module" is not the program's length). A stated
  ``weeks`` (a label, a column, an ISO 8601 duration) is kept; prose fills what is missing.
- **Clock hours**: "a 300-hour program", "420-clock-hour certificate", "188 clock hours" (not
  hours per week nor hours of externship), "Total clock hours ... is 188", and first an
  apprenticeship's "supplemented by the minimum required 576 hours of related instruction"
  (see :data:`~matcher.readers.outline.RELATED_HOURS`), when no field stated them (a sum of
  the courses' hours gives way to them); failing those, lecture, laboratory and clinical hours
  stated together ("54 hours lecture and 18 hours laboratory": 72).
- **Credential**: when the program names none in a field, the first named industry
  certification or licence of the title, description, features, program outcomes and then the
  courses becomes ``credential``; the others join ``credentials``. Safety cards and first-aid
  courses (OSHA 10, CPR, ServSafe) are topics of a program, never its credential.

Each value read from prose is recorded in :attr:`Program.read_from` with the phrase and its
source, so a reviewer sees "weeks: 'a 10-week evening certificate' (syllabus.md, line 3)".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from matcher.program import Program, Provenance, SourceRef, TextUnit
from matcher.readers import fields as F
from matcher.readers.credential_names import credential_mentions
from matcher.readers.duration import program_length, weeks_spanned
from matcher.readers.outline import SUMMED_HOURS, related_hours
from matcher.text.normalise import split_sentences

_PROGRAM_FIELDS = {"title", "description", "features"}


def _program_units(program: Program) -> list[TextUnit]:
    return [u for u in program.iter_units() if u.source.field in _PROGRAM_FIELDS and not u.source.course]


def _fill_length(program: Program, updates: dict[str, Any], read_from: dict[str, Provenance]) -> None:
    # each sentence on its own: "14 weeks" alone on a line of a description says the length
    units = [
        TextUnit(text=span.text, source=u.source)
        for u in _program_units(program)
        for line in u.text.splitlines()
        for span in split_sentences(line)
    ]
    found = program_length([u.text for u in units])
    stated = program.weeks is not None or program.weeks_range is not None
    if not stated and found.weeks_text is not None:
        updates["weeks"] = found.weeks
        updates["weeks_range"] = found.weeks_range
        read_from.setdefault(
            "weeks", Provenance(text=found.weeks_phrase or "", source=units[found.weeks_text].source)
        )
    elif not stated and (dated := _dated_weeks(units)) is not None:
        updates["weeks"] = dated[0]
        read_from.setdefault("weeks", dated[1])
    if program.hours_per_week is None and found.hours_text is not None:
        updates["hours_per_week"] = found.hours_per_week
        read_from.setdefault(
            "hours_per_week", Provenance(text=found.hours_phrase or "", source=units[found.hours_text].source)
        )
    if program.schedule is None and found.schedule_text is not None:
        updates["schedule"] = found.schedule
        read_from.setdefault(
            "schedule", Provenance(text=found.schedule or "", source=units[found.schedule_text].source)
        )


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = r"(?P<{0}>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
# A class's dates: "May 21, 2025 - August 13, 2025", "Sept. 21 - Nov. 7".
_DATE_RANGE = re.compile(
    _MONTH.format("m1")
    + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{4}))?\s*(?:-|–|—|to|through)\s*"
    + _MONTH.format("m2")
    + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?\b",
    re.I,
)
# Dates of something else than the classes: applying, registering, paying, holidays.
_NOT_CLASS_DATES = re.compile(
    r"\b(?:appl\w*|registration\s+(?:opens|closes|period|deadline)|deadline|enrol\w*\s+(?:period|"
    r"opens|closes)|payment|tuition\s+due|holiday|break|closed|no\s+class)",
    re.I,
)


def _dated_weeks(units: list[TextUnit]) -> tuple[float, Provenance] | None:
    """The program's length from the dates its classes run ("May 21, 2025 - August 13, 2025":
    12 weeks), when its text states no length in words: the first date range of 3 to 104 weeks
    that is not about applying, registering, paying or a break."""
    for u in units:
        if _NOT_CLASS_DATES.search(u.text):
            continue
        for m in _DATE_RANGE.finditer(u.text):
            y1 = int(m.group("y1") or m.group("y2") or 2001)
            y2 = int(m.group("y2") or y1)
            try:
                start = date(y1, _MONTHS[m.group("m1")[:3].lower()], int(m.group("d1")))
                end = date(y2, _MONTHS[m.group("m2")[:3].lower()], int(m.group("d2")))
            except ValueError:
                continue
            if end < start and not m.group("y2"):
                end = date(end.year + 1, end.month, end.day)  # "Nov. 2 - Jan. 28": over new year
            weeks = weeks_spanned(start, end)
            if 3 <= weeks <= 104:
                return weeks, Provenance(text=f"dates {m.group(0)}", source=u.source)
    return None


# The program's clock hours said in prose: "a 300-hour program", "a 14-week, 420-clock-hour
# certificate", "188 clock hours", "Total clock hours of instruction for this course is 188 hours".
_NUMBER = r"(?P<n>\d{1,2},\d{3}|\d{2,4})"
_NOT_WEEKLY = r"(?!\s+(?:per|a|each|every)\s+(?:week|wk|day)\b|\s+weekly\b)"  # "... training per week"
_PROSE_HOURS = [
    re.compile(
        rf"(?<![\d.,–-]){_NUMBER}[\s-](?:total[\s-])?(?:clock[\s-]|contact[\s-]|instructional[\s-])?"
        r"hours?[\s-](?!(?:per|a|each|every)[\s-]+(?:week|wk|day)\b)(?:\w+[\s-]){0,2}?(?:program|course|certificate|certification|training|curriculum|class)\b"
        + _NOT_WEEKLY,
        re.I,
    ),
    re.compile(
        rf"(?<![\d.,–-]){_NUMBER}\s+(?:total\s+)?(?:clock|contact|instructional)\s+hours\b"
        r"(?!\s+(?:per|a|each)\s+(?:week|day)|\s+of\s+(?:\w+\s+)?(?:externship|clinical|practicum|internship)"
        r"|\s+of\s+\w+\s+(?:per|a|each|every)\s+(?:week|wk|day)\b)",
        re.I,
    ),
    # "the following courses, totaling 634 hours of instruction": the sum the page states
    re.compile(
        rf"\btotal(?:l?ing|\s+of)\s+{_NUMBER}\s+(?:clock\s+|contact\s+|instructional\s+)?hours\b"
        r"(?!\s+(?:per|a|each|every)\s+(?:week|wk|day)\b"
        r"|\s+of\s+(?:\w+\s+)?(?:externship|clinical|practicum|internship))",
        re.I,
    ),
    re.compile(
        r"\btotal\s+(?:of\s+)?(?:clock\s+|contact\s+|instructional\s+)?hours(?:\s+of\s+instruction)?"
        rf"(?:\s+for\s+th(?:is|e)\s+(?:course|program))?\s+(?:is|are|equals?|:)\s*{_NUMBER}\b",
        re.I,
    ),
    F.HOURS_ONLY_LINE,  # "300 Clock Hours", "192.5 Hours Standardized" on a line of their own
    # "84 hours of classroom study", "100 hours of instruction" (not "... a week", not clinical)
    re.compile(
        rf"(?<![\d.,–-]){_NUMBER}\s+(?:clock\s+|contact\s+)?hours\s+of\s+(?:(?:classroom|class|online|in-person)\s+)?"
        r"(?:instruction|study|coursework|training)\b" + _NOT_WEEKLY,
        re.I,
    ),
]


# Lecture, laboratory and clinical hours stated together: "54 hours lecture and 18 hours
# laboratory" (72), "30 lecture hours, 20 lab hours and 40 clinical hours" (90); not hours a week.
_PART_HOURS = (
    r"\d{1,4}\s+(?:(?:clock|contact)\s+)?(?:hours?|hrs?\.?)\s+(?:of\s+)?(?:(?:classroom|didactic|theory|"
    r"supervised|hands-on|skills)\s+)?(?:lecture|laboratory|lab|clinicals?|instruction|practicum)\b"
    r"(?:\s+(?:laboratory|lab|experience|training|practice|instruction)\b)?"
    r"|\d{1,4}\s+(?:lecture|laboratory|lab|clinical|classroom|practicum)\s+(?:hours?|hrs?\.?)"
    # "a supervised 40-hour practicum", "an 80-hour clinical externship"
    r"|(?:an?\s+)?(?:(?:supervised|unpaid|paid|clinical|hands-on)\s+)?\d{1,4}-(?:clock-)?hours?\s+"
    r"(?:(?:supervised|clinical|hands-on)\s+)?(?:practicum|externship|internship|clinicals?|lab(?:oratory)?)\b"
)
_SPLIT_HOURS = re.compile(
    rf"(?<![\d.,–-])(?>(?:{_PART_HOURS})(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+plus\s+|\+\s*)(?:{_PART_HOURS}))+)"
    r"(?!\s*(?:per|a|each|every)\s+(?:week|wk)\b|\s*weekly\b|\s*/\s*(?:week|wk)\b)",
    re.I,
)


def _split_hours(units: list[TextUnit]) -> tuple[float, Provenance] | None:
    """The sum of lecture, laboratory and clinical hours stated together in one phrase (see
    :data:`_SPLIT_HOURS`), when the program's text states one such sum (a page listing several
    classes each with its own split states none)."""
    found = [
        (float(sum(map(int, re.findall(r"\d+", m.group(0))))), Provenance(text=m.group(0), source=u.source))
        for u in units
        for m in _SPLIT_HOURS.finditer(u.text)
    ]
    return found[0] if found and len({n for n, _ in found}) == 1 else None


def _fill_clock_hours(program: Program, updates: dict[str, Any], read_from: dict[str, Provenance]) -> None:
    """Clock hours the program's own text states in prose, when no field did (a sum of the
    courses' hours gives way to them)."""
    summed = (got := read_from.get("clock_hours")) is not None and got.text.startswith(SUMMED_HOURS)
    if program.clock_hours is not None and not summed:
        return
    units = _program_units(program)
    # the stated hours of related instruction of an apprenticeship, before any other hours
    for u in units:
        if (m := related_hours(u.text)) is not None:
            updates["clock_hours"] = float(m.group("n").replace(",", ""))
            read_from["clock_hours"] = Provenance(text=m.group(0), source=u.source)
            return
    split = _split_hours(units)
    prose = _prose_hours(units)
    if prose is not None and (split is None or prose[1].text not in split[1].text):  # not a part of the split
        updates["clock_hours"], read_from["clock_hours"] = prose
    elif split is not None:
        updates["clock_hours"], read_from["clock_hours"] = split


def _prose_hours(units: list[TextUnit]) -> tuple[float, Provenance] | None:
    """The first figure of :data:`_PROSE_HOURS` in reading order (each unit, pattern by pattern)."""
    for u in units:
        for rx in _PROSE_HOURS:
            if (m := rx.search(u.text)) is not None:
                return float(m.group("n").replace(",", "")), Provenance(text=m.group(0), source=u.source)
    return None


def _credential_units(program: Program) -> list[TextUnit]:
    """Title, description, features, program outcomes, then courses (reading order)."""
    units = list(program.iter_units())
    first = [u for u in units if u.source.field in _PROGRAM_FIELDS | {"outcome"} and not u.source.course]
    rest = [u for u in units if u not in first and u.source.field != "credential"]
    return first + rest


def _fill_credential(program: Program, updates: dict[str, Any], read_from: dict[str, Provenance]) -> None:
    if program.credential or program.credentials:
        return
    named: list[tuple[str, SourceRef]] = []
    for u in _credential_units(program):
        for m in credential_mentions(u.text):
            if not m.minor and not any(m.name.casefold() == n.casefold() for n, _ in named):
                named.append((m.name, u.source))
    if not named:
        return
    updates["credential"] = named[0][0]
    updates["credentials"] = [n for n, _ in named[1:]]
    read_from.setdefault("credential", Provenance(text=named[0][0], source=named[0][1]))


def complete(program: Program) -> Program:
    """``program`` with length, schedule and credential read from its prose where missing."""
    updates: dict[str, Any] = {}
    read_from = dict(program.read_from)
    _fill_length(program, updates, read_from)
    _fill_clock_hours(program, updates, read_from)
    _fill_credential(program, updates, read_from)
    if not updates and read_from == program.read_from:
        return program
    updates["read_from"] = read_from
    return program.model_copy(update=updates)
