"""Program length and schedule written in prose: "a 10-week evening certificate", "14 weeks",
"Mon–Thu 6–10 pm for 12 weeks", "3 months", "two semesters", "20 hours per week".

:func:`find_lengths` returns every phrase of a text that states a duration (weeks, months,
terms, days, years; single values or ranges), hours per week or a schedule, with its offsets.
:func:`program_length` picks, across a program's own text (title, description, features; not
its courses), the phrase that states the program's length:

- a phrase that says it is the program's length wins ("a 10-week certificate", "the program
  runs 14 weeks", "for 12 weeks", "completed in 3 months", "Length: 3 months");
- otherwise a bare duration ("3 months") counts only when it is the only one the text gives;
- durations of something else are never the program's: "within 2 weeks of enrolment",
  "12 weeks of externship", "a probationary period of 12 weeks", "6 months or 1000 hours";
  nor is a part of a term named by its place in it, "1st 8 Weeks", "Second 8-week session"
  (when in a semester a class meets: a syllabus gives it beside the term, and a program's
  schedule for each of its courses, so it is never read as the length, not even in a label).

Conversions to weeks: month = 52/12 weeks, year = 52, semester and trimester = 15, quarter = 10
(typical US academic calendars), day = 1/7. A range ("12-14 weeks") is kept as a range, not
as a number of weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matcher.readers.fields import parse_length

WEEKS_PER_UNIT = {
    "week": 1.0,
    "month": 52 / 12,
    "year": 52.0,
    "semester": 15.0,
    "trimester": 15.0,
    "term": 15.0,
    "quarter": 10.0,
    "day": 1 / 7,
}
_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
}
_NUM = (
    r"(?:\d{1,3}(?:\.\d+)?|"
    + "|".join(sorted((w for w in _WORDS if len(w) > 2), key=len, reverse=True))
    + ")"
)
_NUM_OR_A = r"(?:" + _NUM + r"|an?)"
_UNIT = (
    r"(?P<unit>weeks?|wks?\.?|months?|mos?\.?|years?|yrs?\.?|semesters?|trimesters?|terms?"
    r"|(?:academic\s+)?quarters?(?!\s+of\s+(?:the|a|an|all|its|their|our|students|participants|graduates)\b)|days?)"
)
_SEP = r"\s*(?:-|–|—|to|or)\s*"
# "a 60 semester hour program", "45 quarter credits": a unit of credit, never a length
_CREDIT_UNIT = r"[\s-]+(?:credit[\s-]+)?(?:hours?|hrs?\.?|credits?|units?)\b"
DURATION = re.compile(
    rf"(?<![\w.])(?:(?P<lo>{_NUM}){_SEP})?(?P<n>{_NUM_OR_A})(?:\s*-\s*|\s+|(?<=\d))(?:full[\s-]time\s+|part[\s-]time\s+)?"
    rf"{_UNIT}(?![\w])(?!{_CREDIT_UNIT})",
    re.I,
)
HOURS_PER_WEEK = re.compile(
    rf"(?<![\w.])(?:(?P<lo>{_NUM}){_SEP})?(?P<n>{_NUM})\s*(?:clock\s+|contact\s+|instructional\s+)?"
    r"(?:hours?|hrs?\.?)\s*(?:of\s+(?:\w+\s+){1,2})?(?:per|a|/|each|every)\s*(?:week|wk)\b"
    rf"|(?<![\w.])(?P<n2>{_NUM})\s*(?:hours?|hrs?\.?)\s+weekly\b",
    re.I,
)
_DAY = (
    r"(?:mon(?:day)?s?|tue(?:s(?:day)?)?s?|wed(?:nesday)?s?|thu(?:r(?:s(?:day)?)?)?s?|fri(?:day)?s?"
    r"|sat(?:urday)?s?|sun(?:day)?s?)\.?"
)
DAY_RANGE = re.compile(rf"\b(?P<a>{_DAY})\s*(?:-|–|—|to|through|thru)\s*(?P<b>{_DAY})(?![\w])", re.I)
DAY_LIST = re.compile(rf"\b{_DAY}(?:\s*(?:,|/|&|and)\s*{_DAY})+(?![\w])", re.I)
TIME_RANGE = re.compile(
    r"\b(?P<h1>\d{1,2})(?::(?P<m1>\d\d))?\s*(?P<p1>[ap]\.?m\.?)?\s*(?:-|–|—|to)\s*"
    r"(?P<h2>\d{1,2})(?::(?P<m2>\d\d))?\s*(?P<p2>[ap]\.?m\.?)(?![\w])",
    re.I,
)
SCHEDULE_WORDS = re.compile(
    r"\b(evenings?|nights?|weekends?|saturdays?|sundays?|mornings?|afternoons?|daytime|"
    r"full[\s-]time|part[\s-]time|self[\s-]paced)\b",
    re.I,
)
# A schedule word in the singular is also an ordinary noun ("the cut-off date is the weekend
# before final exams", "on the evening of the ceremony"): it says how the program meets only in
# schedule context (see :func:`_schedule_words`).
_SINGULAR_NOUN = re.compile(r"(?:evening|weekend|night|morning|afternoon)", re.I)
_TIME_WORDS = (
    r"(?:weekends?|evenings?|nights?|mornings?|afternoons?|days?|daytime|weekdays?|saturdays?|sundays?)"
)
# "evening classes", "evening and weekend classes", "weekend-only cohort", "a 10-week evening certificate"
_SCHEDULE_AFTER = re.compile(
    rf"^(?:\s*(?:-|and|or|&|/|,)\s*{_TIME_WORDS}|[\s-]+(?:only|based|hybrid|online|part[\s-]time|full[\s-]time)){{0,3}}"
    r"[\s-]+(?:classes|class|sessions?|courses?|programs?|programmes?|cohorts?|schedules?|formats?|options?"
    r"|tracks?|sections?|shifts?|students|school|certificates?|certification|training|bootcamp|study"
    r"|instruction|meetings?|labs?|lectures?|offerings?|delivery|attendance|hours)\b"
    # "evening, 6-9 pm", "Evening (6:00-10:00)", "evening from 6 pm"
    r"|^\s*[,(:–—-]?\s*(?:from\s+)?\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\b|-|–|to\b)",
    re.I,
)
# "Classes meet in the evening", "at night", "(evening)", "Schedule: evening"
_SCHEDULE_BEFORE = re.compile(r"(?:\b(?:in|during)\s+the\s+|\bat\s+|\(\s*|:\s*)$", re.I)


def _schedule_words(text: str) -> list[re.Match[str]]:
    """The schedule words of ``text`` ("evenings", "weekends", "Saturday", "part-time"); a
    singular "evening" / "weekend" / "night" / "morning" / "afternoon" only in schedule context:
    in a short text of its own (a label's value, a line "Evening"), at the start of a short
    line ("Weekend cohort: ..."), before what meets ("evening classes", "evening and weekend
    sessions", "a 10-week evening certificate") or a time ("evening, 6-9 pm"), after "in the",
    "at" or in brackets ("18 weeks (evening)")."""
    out = []
    short = len(text.strip()) <= 40
    for m in SCHEDULE_WORDS.finditer(text):
        if short or not _SINGULAR_NOUN.fullmatch(m.group(0)):
            out.append(m)
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        before, after = text[line_start : m.start()], text[m.end() : m.end() + 80]
        if (
            (not before.strip(" \t-•*") and len(line.strip()) <= 60)
            or _SCHEDULE_AFTER.match(after)
            or _SCHEDULE_BEFORE.search(before[-30:])
        ):
            out.append(m)
    return out


_DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

# A duration that says it is the program's length.
_PROGRAM_NOUN = (
    r"(?:certificate|certification|program(?:me)?|course|training|bootcamp|boot camp|class(?:es)?|"
    r"curriculum|academy|track|pathway|apprenticeship|cohort|session|instruction|study|coursework)"
)
_AFTER_STRONG = re.compile(
    rf"^[\s-]*(?:long\b|in\s+length\b|,?\s*(?:\w+[\s-]+){{0,3}}{_PROGRAM_NOUN}\b|of\s+(?:\w+[\s-]+){{0,2}}"
    rf"(?:training|instruction|classes|coursework|study|classroom|lab|hands-on)\b)",
    re.I,
)
_BEFORE_STRONG = re.compile(
    r"(?:(?:\b(?:runs?|lasts?|takes?|spans?|is|are|over|for|in|within\s+just|just|only|duration|length|"
    r"complete[ds]?|finish(?:ed)?|graduate|meets?|held)\b|\b(?:full|part)[\s-]time:|(?:^|[.\n;])\s*[^:.\n;]{1,30}:)[:\s]*"
    r"(?:approximately\s+|approx\.\s+|about\s+|just\s+|only\s+|roughly\s+|a\s+total\s+of\s+|"
    r"a\s+period\s+of\s+|the\s+course\s+of\s+)?$)",
    re.I,
)
# "A 180-hour program (12 weeks)": the length in brackets right after the program noun.
_BEFORE_BRACKET = re.compile(rf"\b{_PROGRAM_NOUN}\s*\(\s*$", re.I)
# A duration of something else.
_BEFORE_OTHER = re.compile(
    r"(?:\b(?:within|after|every|first|last|each|per|past|previous|before|prior\s+to|up\s+to|least|"
    r"probationary\s+period\s+of|probation\s+of|notice\s+of|minimum\s+of|age|aged|ages|"
    # how long a document or card stays valid: "a background check (good for 1 year)"
    r"good\s+for|valid\s+for|expires?\s+in)\s*$)",
    re.I,
)
# A part of a term named by its place in it: "1st 8 Weeks", "Second 8-week session", "late-start
# 8 weeks": when in the term a class meets, never how long the program runs.
_BEFORE_PART_OF_TERM = re.compile(
    r"\b(?:1st|2nd|3rd|4th|first|second|third|fourth|last|final|latter|late[\s-]start|early[\s-]start)"
    r"[\s-]*(?:half\s+(?:of\s+(?:the\s+)?)?)?$",
    re.I,
)
# A rate, not a length: "6 hours a week", "three times a week", "$150 a month" (the "a week" of a
# rate is never a length of one week).
_BEFORE_RATE = re.compile(
    r"(?:\b(?:hours?|hrs?\.?|minutes?|mins?\.?|days?|nights?|evenings?|mornings?|afternoons?|times|once|twice"
    r"|sessions?|classes|meetings?|lessons?|credits?|pages?|students)|\$\s*[\d,.]+)\s*$",
    re.I,
)
_AFTER_OTHER = re.compile(
    r"^[\s']*(?:of\s+(?:\w+[\s-]+){0,2}(?:externship|clinicals?|practicum|internship|on[\s-]the[\s-]job|"
    r"ojt|ojl|probation|vacation|notice|experience|employment|work|paid)\b|before|after|prior|ago|"
    r"notice|old\b|of\s+age|or\s+\d[\d,]*\s*(?:hours|hrs)|\+|or\s+more|or\s+longer|from\s+(?:the\s+)?(?:start|date))",
    re.I,
)


@dataclass(frozen=True)
class LengthFound:
    """One phrase about length or schedule, with what it says."""

    phrase: str
    start: int
    end: int
    weeks: float | None = None
    weeks_range: tuple[float, float] | None = None
    hours_per_week: float | None = None
    schedule: str | None = None
    strong: bool = False  # says it is the program's length
    other: bool = False  # a duration of something else (externship, probation, ...)
    part_of_term: bool = False  # which part of a term ("1st 8 Weeks"): also other


def _number(text: str) -> float | None:
    t = text.strip().lower()
    if t in _WORDS:
        return float(_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def _unit(text: str) -> str:
    t = text.lower().replace("academic", "").strip(" .")
    for key in ("week", "wk", "month", "mo", "year", "yr", "semester", "trimester", "term", "quarter", "day"):
        if t.startswith(key):
            return {"wk": "week", "mo": "month", "yr": "year"}.get(key, key)
    return "week"


def _round(weeks: float) -> float:
    return round(weeks, 1) if abs(weeks - round(weeks)) > 0.05 else float(round(weeks))


def _durations(text: str) -> list[LengthFound]:
    out = []
    for m in DURATION.finditer(text):
        n = _number(m.group("n"))
        if n is None or n <= 0:
            continue
        factor = WEEKS_PER_UNIT[_unit(m.group("unit"))]
        lo = _number(m.group("lo")) if m.group("lo") else None
        before, after = text[max(0, m.start() - 60) : m.start()], text[m.end() : m.end() + 60]
        strong = bool(
            _AFTER_STRONG.match(after) or _BEFORE_STRONG.search(before) or _BEFORE_BRACKET.search(before)
        )
        part_of_term = bool(_BEFORE_PART_OF_TERM.search(before))
        other = bool(_BEFORE_OTHER.search(before) or _AFTER_OTHER.match(after)) or part_of_term
        if m.group("n").lower() in ("a", "an") and _BEFORE_RATE.search(before):
            continue  # "6 or more hours a week": a rate
        if m.group("n").lower() in ("a", "an") and not re.match(
            r"\s*(?:semester|year|term|quarter)", m.group("unit"), re.I
        ):
            if not strong:
                continue  # "a week" alone says little
        if lo is not None and lo < n:
            rng = (_round(lo * factor), _round(n * factor))
            out.append(
                LengthFound(
                    m.group(0),
                    m.start(),
                    m.end(),
                    weeks_range=rng,
                    strong=strong,
                    other=other,
                    part_of_term=part_of_term,
                )
            )
        else:
            out.append(
                LengthFound(
                    m.group(0),
                    m.start(),
                    m.end(),
                    weeks=_round(n * factor),
                    strong=strong,
                    other=other,
                    part_of_term=part_of_term,
                )
            )
    return out


def _clock(h: str, minutes: str | None, period: str | None, default: str | None) -> float:
    hour = int(h) % 12
    p = (period or default or "").lower().replace(".", "")
    if p.startswith("p"):
        hour += 12
    return hour + (int(minutes) / 60 if minutes else 0)


def _days(text: str) -> int | None:
    m = DAY_RANGE.search(text)
    if m:
        a, b = _DAY_INDEX[m.group("a")[:3].lower()], _DAY_INDEX[m.group("b")[:3].lower()]
        return (b - a) % 7 + 1
    m = DAY_LIST.search(text)
    if m:
        found = {d[:3].lower() for d in re.findall(_DAY, m.group(0), re.I)}
        return len(found)
    m = re.search(rf"\b(?P<n>{_NUM})\s+(?:days?|nights?|evenings?)\s+(?:a|per|each)\s+week\b", text, re.I)
    if m:
        n = _number(m.group("n"))
        return int(n) if n else None
    return None


def _span_hours(t: re.Match[str]) -> float:
    end = _clock(t.group("h2"), t.group("m2"), t.group("p2"), None)
    start = _clock(t.group("h1"), t.group("m1"), t.group("p1"), t.group("p2"))
    if start >= end and not t.group("p1"):
        start -= 12  # "10-2 pm"
    return end - start


_ONE_DAY = re.compile(rf"\b{_DAY}(?![\w])", re.I)


def _meeting_patterns(text: str) -> list[tuple[int, int, float]]:
    """Each "days, then their times" of a schedule that meets in several patterns ("Tue/Thu 6-10
    pm and Saturday 8 am-5 pm"): (start, end, hours a week) of each; fewer than two: []."""
    times = list(TIME_RANGE.finditer(text))
    if len(times) < 2:
        return []
    out: list[tuple[int, int, float]] = []
    prev_end = 0
    for t in times:
        before = text[prev_end : t.start()]
        days = [m for rx in (DAY_RANGE, DAY_LIST, _ONE_DAY) for m in rx.finditer(before)]
        if not days:
            return []
        first = min(days, key=lambda m: m.start())
        n = _days(before[first.start() :]) or len(
            {d[:3].lower() for d in re.findall(_DAY, before[first.start() :], re.I)}
        )
        span = _span_hours(t)
        if not (0 < span <= 14 and n):
            return []
        out.append((prev_end + first.start(), t.end(), span * n))
        prev_end = t.end()
    return out


def _schedule(text: str) -> LengthFound | None:
    """Days and times ("Mon–Thu 6–10 pm"; several patterns: "Tue/Thu 6–10 pm and Sat 8 am–5 pm"),
    schedule words ("evening", "weekends")."""
    patterns = _meeting_patterns(text)
    if patterns:
        start, end = patterns[0][0], patterns[-1][1]
        label = " ".join(text[start:end].split())
        hours = round(sum(p[2] for p in patterns), 1)
        return LengthFound(label, start, end, hours_per_week=hours, schedule=label)
    parts: list[tuple[int, int]] = []
    days = _days(text)
    for rx in (DAY_RANGE, DAY_LIST):
        m = rx.search(text)
        if m:
            parts.append((m.start(), m.end()))
            break
    t = TIME_RANGE.search(text)
    hours_per_week = None
    if t:
        parts.append((t.start(), t.end()))
        span = _span_hours(t)
        if 0 < span <= 14 and days:
            hours_per_week = round(span * days, 1)
    words = _schedule_words(text)
    if words and not parts:
        parts.append((words[0].start(), words[0].end()))
    if not parts:
        return None
    start, end = min(p[0] for p in parts), max(p[1] for p in parts)
    label = " ".join(text[start:end].split())
    if words and not any(start <= w.start() < end for w in words):
        label = f"{label} ({words[0].group(0).lower()})"
    return LengthFound(label, start, end, hours_per_week=hours_per_week, schedule=label)


def _stated_weeks(text: str, found: list[LengthFound]) -> list[LengthFound]:
    """ "2 semesters (32 weeks)", "3 months (approx. 13 weeks)": the weeks the author gives in
    brackets replace the conversion of the unit before them."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        between = text[a.end : b.start]
        if (
            b.weeks is not None
            and re.search(r"\bw(?:ee)?ks?\b", b.phrase, re.I)
            and not re.search(r"\bw(?:ee)?ks?\b", a.phrase, re.I)
            and re.fullmatch(r"\s*[(\[]\s*(?:approx\.?|approximately|about|or|=)?\s*", between, re.I)
        ):
            out[i] = LengthFound(**{**a.__dict__, "weeks": b.weeks, "weeks_range": None})
            out[i + 1] = LengthFound(**{**b.__dict__, "other": True})
    return out


def find_lengths(text: str) -> list[LengthFound]:
    """Every length, hours-per-week and schedule phrase of ``text``, in order."""
    if not text:
        return []
    found = _stated_weeks(text, _durations(text))
    for m in HOURS_PER_WEEK.finditer(text):
        n = _number(m.group("n") or m.group("n2"))
        if n is not None and 0 < n <= 80:
            found.append(LengthFound(m.group(0), m.start(), m.end(), hours_per_week=n))
    sched = _schedule(text)
    if sched is not None:
        found.append(sched)
    return sorted(found, key=lambda f: f.start)


@dataclass(frozen=True)
class ProgramLength:
    """What :func:`program_length` read: each value with the phrase and which text it came from."""

    weeks: float | None = None
    weeks_range: tuple[float, float] | None = None
    weeks_phrase: str | None = None
    weeks_text: int | None = None  # index of the text the phrase is in
    hours_per_week: float | None = None
    hours_phrase: str | None = None
    hours_text: int | None = None
    schedule: str | None = None
    schedule_text: int | None = None


def _context(text: str, f: LengthFound) -> str:
    """The phrase with a few words around it, for the reader ("a 10-week evening certificate")."""
    start = max(text.rfind(".", 0, f.start), text.rfind("\n", 0, f.start), text.rfind(";", 0, f.start)) + 1
    if f.start - start > 40:
        start = text.rfind(" ", 0, f.start - 30) + 1
    stops = [i for i in (text.find(".", f.end), text.find("\n", f.end), text.find(";", f.end)) if i >= 0]
    end = min(stops) if stops else len(text)
    if end - f.end > 40:
        cut = text.find(" ", f.end + 30)
        end = cut if cut > 0 else end
    return " ".join(text[start:end].split())


def _near_schedule(text: str, f: LengthFound) -> bool:
    """A duration given with the days or hours it meets ("10 weeks, Mon–Fri 8 am–2:30 pm")."""
    start, end = text.rfind(".", 0, f.start) + 1, text.find(".", f.end)
    sentence = text[start : end if end >= 0 else len(text)]
    return bool(DAY_RANGE.search(sentence) or DAY_LIST.search(sentence) or TIME_RANGE.search(sentence))


# A sentence about the occupation, not the program: "Dental assistants typically work daytime
# hours", "Hours are generally standard daytime with some evening and weekend flexibility
# depending on the facility". Its schedule words say when the job is done.
_ABOUT_THE_JOB = re.compile(
    r"\b(?:(?:typically|usually|generally|often|may|must|will|to)\s+work|works|working\s+(?:hours|conditions)"
    r"|job|jobs|employers?|employees?|employment|workplace|facility|facilities|hospitals?|clinics?|offices?"
    r"|shifts?|on[\s-]call|occupation|careers?|wages?|salary|salaries)\b",
    re.I,
)
_ABOUT_THE_PROGRAM = re.compile(
    rf"\b(?:{_PROGRAM_NOUN}|students?|learners?|participants?|enroll\w*|register\w*|classroom|lectures?|labs?"
    r"|meets?|attend\w*|offered|scheduled|cohorts?|clinicals?|externships?|practicums?|rotations?)\b",
    re.I,
)


def _job_schedule(text: str) -> bool:
    """A sentence that speaks of the job and not of the program (see :data:`_ABOUT_THE_JOB`)."""
    return bool(_ABOUT_THE_JOB.search(text)) and not _ABOUT_THE_PROGRAM.search(text)


# The hours a student must work or volunteer beside the program ("employed or volunteering at an
# approved facility at least 16 hours per week while in training"): the job's hours, not the class's.
_WORK_HOURS = re.compile(
    r"\b(?:employed|employment|volunteer(?:s|ed|ing)?|(?:be|are|is)\s+working)\b[^.;:]{0,80}$", re.I
)


def _work_hours(text: str, f: LengthFound) -> bool:
    """Hours per week spent at a job or as a volunteer (see :data:`_WORK_HOURS`)."""
    return f.hours_per_week is not None and not f.schedule and bool(_WORK_HOURS.search(text[: f.start]))


def program_length(texts: list[str]) -> ProgramLength:
    """The program's length, hours per week and schedule from its own texts (title first)."""
    durations: list[tuple[int, LengthFound]] = []
    hours: list[tuple[int, LengthFound]] = []
    schedules: list[tuple[int, LengthFound]] = []
    for i, text in enumerate(texts):
        for f in find_lengths(text):
            if f.schedule and _job_schedule(text):
                continue  # when the job is done, not the program
            if _work_hours(text, f):
                continue
            if f.schedule:
                schedules.append((i, f))
            if f.hours_per_week is not None:
                hours.append((i, f))
            elif (f.weeks is not None or f.weeks_range is not None) and not f.other:
                whole = len(text.strip()) <= len(f.phrase) + 25
                scheduled = _near_schedule(text, f)
                durations.append(
                    (i, f if not (whole or scheduled) else LengthFound(**{**f.__dict__, "strong": True}))
                )
    strong = [d for d in durations if d[1].strong]
    pick = strong[0] if strong else None
    out: dict[str, object] = {}
    if pick is not None:
        i, f = pick
        out.update(weeks=f.weeks, weeks_range=f.weeks_range, weeks_phrase=_context(texts[i], f), weeks_text=i)
    if hours:  # a stated "30 hours per week" beats one worked out from "8:30 a.m.-3:00 p.m." x days
        i, f = min(hours, key=lambda h: h[1].schedule is not None)
        out.update(hours_per_week=f.hours_per_week, hours_phrase=_context(texts[i], f), hours_text=i)
    if schedules:  # days and times say more than "evening"
        i, f = min(
            schedules, key=lambda s: (s[1].hours_per_week is None, s[1].schedule == s[1].phrase.lower())
        )
        out.update(schedule=f.schedule, schedule_text=i)
        if "hours_per_week" not in out and f.hours_per_week is not None:
            out.update(hours_per_week=f.hours_per_week, hours_phrase=_context(texts[i], f), hours_text=i)
    return ProgramLength(**out)  # type: ignore[arg-type]  # the fields gathered above, of mixed types


def length_label(value: str) -> dict[str, object]:
    """What the value of a length or schedule label or column says ("Length: 12 weeks (360
    hours)", "Duration: 12-24 Weeks", "Schedule: Mon-Thu 6-10 pm", "Weeks: 12"): any of
    ``weeks`` or ``weeks_range``, ``hours_per_week``, ``schedule`` and ``clock_hours``. A bare
    number is weeks only when it is all the value says: the 9 of "Monday-Friday 9:00 am - 3:00
    pm" is a time, not a length."""
    out: dict[str, object] = {}
    found = find_lengths(value)
    stated = [f.hours_per_week for f in found if f.hours_per_week is not None and not f.schedule]
    if stated:  # "(40 hours a week)" beats one worked out from "7:00 am-5:30 pm" x days
        out["hours_per_week"] = stated[0]
    for f in found:
        if "weeks" not in out and "weeks_range" not in out and not f.part_of_term:
            if f.weeks is not None:
                out["weeks"] = f.weeks
            elif f.weeks_range is not None:
                out["weeks_range"] = f.weeks_range
        if f.hours_per_week is not None:
            out.setdefault("hours_per_week", f.hours_per_week)
        if f.schedule:
            out.setdefault("schedule", f.schedule)
    weeks, hours = parse_length(value)
    if not found and weeks is not None and hours is None and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        out["weeks"] = weeks  # "Weeks: 12"
    if hours is not None and not re.search(r"(?:per|a|/)\s*(?:week|wk)", value, re.I):
        if re.search(r"\d\s*(?:-|–|to)\s*\d", value) is None:
            out["clock_hours"] = hours
    return out


def add_length(values: dict[str, object], said: dict[str, object]) -> list[str]:
    """Merge what a length label said (:func:`length_label`) into a program's ``values``: the
    first stated value of each field wins, and a program has weeks or a range of weeks, not
    both. Returns the fields set."""
    added = []
    for key, got in said.items():
        has_weeks = "weeks" in values or "weeks_range" in values
        if key in values or (key in ("weeks", "weeks_range") and has_weeks):
            continue
        values[key] = got
        added.append(key)
    return added


def weeks_spanned(start: date, end: date) -> float:
    """The weeks a run of classes spans, its first and last day both counted, to the nearest
    whole week: "May 21, 2025 - August 13, 2025" (85 days) is 12, "2019-02-15" to "2019-03-21"
    (35 days) is 5. Both the dates a text states and a record's ``startDate`` / ``endDate``
    are read so."""
    return float(round(((end - start).days + 1) / 7))
