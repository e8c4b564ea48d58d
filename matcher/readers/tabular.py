"""Course lists as CSV, TSV or XLSX: one course per row, with a documented column mapping.

Header cells are matched case-insensitively, ignoring spaces, underscores and a trailing colon:

============  =====================================================================
field         accepted headers
============  =====================================================================
code          course code, code, course id, course number, course no, course #, number
title *       course title, title, course name, name, module title, module name, unit title,
              course, module
description   course description, description, desc, summary, course summary
outcomes      learning outcomes, outcomes, student learning outcomes, slos, objectives,
              learning objectives, competencies, skills (and each in the singular)
hours         course hours, module hours, hours, clock hours, contact hours, hrs, total hours
credits       credits, credit hours, units
============  =====================================================================

``*`` required: a sheet without a course title column is refused with a message naming the
missing column and the columns it did find. Outcome cells hold one outcome per line or bullet,
or several separated by ``;`` when each part is written as an outcome of its own ("Dice onions;
Julienne carrots"; a part that goes on in lower case, "Load the sterilizer; run a Bowie-Dick test",
continues the outcome before it). Rows above the header may label the program, one ``key, value``
pair per row (``Program, Welding Certificate``; ``Provider, ...``; ``Credential, ...``;
``Clock hours, 300``; ``Weeks, 12``; ``CIP, 48.0508``; ``Description, ...``). Without a program
title the file name is used. Without stated clock hours, the course hours are summed. Rows that
repeat the course before them (code, title and hours: one row per outcome, as curriculum systems
export) add their outcomes to it. Rows on which no class meets ("No Meeting", "Spring Break (No
class)", "Holiday") are skipped.

A weekly schedule ("Week # | Week Of Date | Class Description | Format | Homework", "Session |
Topic | Readings"), whose header names no course title column but a column numbering the
meetings and a column of what each is about, lists one unit per row: code "Week N", title the
topic or the first line or sentence of the description, the rest its description.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from matcher.errors import BadInputError, TooLargeError
from matcher.program import MAX_COURSES, Program, SourceRef, program_from_dict
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.duration import add_length, length_label
from matcher.readers.zipcheck import check_zip

log = logging.getLogger(__name__)

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": (
        "course title",
        "title",
        "course name",
        "name",
        "module title",
        "module name",
        "unit title",
        "topic",
        "duty",
        "course",
        "module",
    ),
    "code": (
        "course code",
        "code",
        "course id",
        "course number",
        "course no",
        "course no.",
        "course #",
        "number",
        "module code",
        "module number",
        "module no",
        "module #",
        "course",
        "module",
    ),
    "description": (
        "course description",
        "description",
        "desc",
        "summary",
        "course summary",
        "contents",
        "content",
    ),
    "outcomes": (
        "learning outcomes",
        "outcomes",
        "student learning outcomes",
        "course outcomes",
        "slos",
        "slo",
        "objectives",
        "learning objectives",
        "competencies",
        "skills",
        "outcome",
        "learning outcome",
        "objective",
        "learning objective",
        "competency",
        "skill",
        "tasks",
        "task",
        "topics",
    ),
    "hours": (
        "course hours",
        "module hours",
        "hours",
        "clock hours",
        "contact hours",
        "hrs",
        "total hours",
        "total hrs",
        "total clock hours",
        "clock hrs",
        "contact hrs",
        "duration",
        "minutes",
        "mins",
    ),
    "credits": ("credits", "credit hours", "units"),
}
REQUIRED = ("title",)
MAX_HEADER_SEARCH_ROWS = 30
MAX_LABEL_SHEET_ROWS = 20  # label rows read from a workbook's sheet without courses
MAX_COLUMNS = 50
MAX_ROWS = 5_000


def map_columns(header: list[str]) -> dict[str, int]:
    """Field -> column index, by the aliases of :data:`COLUMNS` (title first, then code, ...);
    "Outcome 1" stands for the outcomes column when there is no unnumbered one."""
    keys = [F.norm_key(h) for h in header]
    keys = [_outcome_key(k) for k in keys]
    used: set[int] = set()
    mapping: dict[str, int] = {}
    for fld, aliases in COLUMNS.items():
        for alias in aliases:
            idx = next((i for i, k in enumerate(keys) if k == alias and i not in used), None)
            if idx is not None:
                mapping[fld] = idx
                used.add(idx)
                break
    return mapping


def _is_header(row: list[str]) -> bool:
    m = map_columns(row)
    return "title" in m and len(m) >= 2


def _cell(row: list[str], idx: int | None) -> str:
    if idx is None or idx >= len(row):
        return ""
    return row[idx].strip()


def courses_from_rows(
    rows: list[list[str]],
    filename: str,
    *,
    page: int | None = None,
    line: int | None = None,
    first_line: int | None = None,
) -> list[dict[str, Any]] | None:
    """Courses from a table whose first row is a header naming a title column and at least one
    other course column, or a weekly schedule (see :func:`weekly_columns`); None if the header
    does not look like a course list.

    Each course's source is ``line`` (the table's) or, for sheets, ``first_line + row index``.
    """
    if not rows:
        return None
    if not _is_header(rows[0]):
        weekly = weekly_columns(rows[0], rows[1:])
        if weekly is None:
            return None
        return _weekly_units(rows, weekly, filename, page=page, line=line, first_line=first_line)
    m = map_columns(rows[0])
    minutes = _in_minutes(rows[0], rows[1:], m)
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows[1:], 1):
        title, code = _cell(row, m.get("title")), _cell(row, m.get("code")) or None
        description = _cell(row, m.get("description"))
        if not (title or code or description):
            continue
        if any(F.is_total_row(x) for x in (title, code or "") if x):
            continue  # "Total | 160", "Total Clock Hours | | 30"
        if F.is_no_meeting(title or description) and not any(
            _cell(row, col) for col in _outcome_columns(rows[0], m)
        ):
            continue  # "Week 9 | Spring Break (No class)": no unit of the program
        filled = {c.strip() for c in row if c.strip()}
        listed = F.split_outcomes(title) if title and "\n" in title.strip() else []
        if out and not code and _hours_cell_empty(row, m) and len(filled) == 1 and len(listed) >= 2:
            # the outcomes of the course above, in a row of their own (merged across or not)
            out[-1]["outcomes"] += _outcomes(
                listed, filename, page, out[-1]["source"].line, out[-1]["code"] or out[-1]["title"]
            )
            continue
        if len(filled) == 1 and (len([c for c in row if c.strip()]) > 1 or len(row) < len(rows[0])):
            continue  # a row merged across the table: a caption ("Phase 1: Classroom", "Fall Semester")
        if code is None and "code" not in m and (heading := F.course_heading(" ".join(title.split()))):
            code, title = heading.code, heading.title  # "PHT 101 Introduction to Pharmacy Practice"
        if len(out) >= MAX_COURSES:
            raise TooLargeError(
                f"{filename} lists more than {MAX_COURSES} courses; the limit is {MAX_COURSES}"
            )
        row_line = first_line + i if first_line is not None else line
        label = code or title or None
        hours = _hours(_cell(row, m.get("hours")), minutes)
        texts = [t for col in _outcome_columns(rows[0], m) for t in F.split_outcomes(_cell(row, col))]
        outcomes = _outcomes(texts, filename, page, row_line, label)
        last = out[-1] if out else None
        if (
            last is not None
            and outcomes
            and last["outcomes"]
            and (last["code"], last["title"]) == (code, title)
            and (last["hours"] == hours or "_row_hours" in last or len(last["outcomes"]) == 1)
        ):
            # one row per outcome: the course's code, title and hours repeated on each row, or
            # each row with the hours of its own competency (then they add up)
            row_hours = last.setdefault("_row_hours", [last["hours"]])
            row_hours.append(hours)
            if len(set(row_hours)) > 1 and all(h is not None for h in row_hours):
                last["hours"] = sum(row_hours)
            last["outcomes"] += outcomes
            if description and description not in last["description"]:
                last["description"] = "\n".join(x for x in (last["description"], description) if x)
            continue
        out.append(
            {
                "code": code,
                "title": title,
                "description": description,
                "hours": hours,
                "outcomes": outcomes,
                "source": SourceRef(file=filename, page=page, line=row_line),
                "_credits": F.parse_number(_cell(row, m.get("credits"))),
            }
        )
    for c in out:
        c.pop("_row_hours", None)
    return out


# -- weekly schedules ------------------------------------------------------------------------------

# A column that numbers a schedule's meetings: "Week", "Week #", "Session No.", "Day", "Class #".
_WEEK_COLUMN = re.compile(
    r"^(?P<kind>week|session|day|lesson|meeting|lecture|class(?=\s*(?:#|no|num)))s?"
    r"(?:\s*(?:#|no\.?|num(?:ber)?\.?))?$"
)
# A column that says what a meeting is about: its title ("Topic", "Class Title") ...
_TOPIC_COLUMN = re.compile(
    r"^(?:(?:class|course|session|lesson|lecture|week|weekly|daily|meeting|main)\s+)?"
    r"(?:topics?|titles?|subjects?|themes?|focus)(?:\s+covered)?$"
)
# ... or what happens in it ("Class Description", "Content", "Agenda").
_ABOUT_COLUMN = re.compile(
    r"^(?:(?:class|course|session|lesson|lecture|week|weekly|daily|meeting)\s+)?"
    r"(?:descriptions?|content|contents|summary|overview|agenda|outline|activities|plan)$"
)
# A meeting's number in its cell: "1", "Week 3", "#4", "5-6", "10a".
_WEEK_CELL = re.compile(
    r"^(?:(?:week|wk|session|day|lesson|class|meeting|lecture)\.?\s*)?#?(?P<n>\d{1,2}(?:\s*[-–&,]\s*\d{1,2})?[a-z]?)$",
    re.I,
)


@dataclass(frozen=True)
class WeeklyColumns:
    kind: str  # "Week", "Session", ...
    week: int
    topic: int | None
    about: int | None


def weekly_columns(header: list[str], body: list[list[str]]) -> WeeklyColumns | None:
    """The columns of a weekly schedule ("Week # | Week Of Date | Class Description | Format |
    Homework", "Session | Topic | Readings"): a column numbering the meetings, most of whose
    cells are numbers, and a column of text that says what each is about. None for any other
    table (a course table, "Code | Title | Hours", is read as one; see :func:`courses_from_rows`)."""
    keys = [F.norm_key(h) for h in header]
    raw = [" ".join(h.split()).casefold().strip(":* ") for h in header]  # "Class #" keeps its "#"
    week = next(
        (i for i in range(len(keys)) if _WEEK_COLUMN.match(raw[i]) or _WEEK_COLUMN.match(keys[i])), None
    )
    topic = next((i for i, k in enumerate(keys) if _TOPIC_COLUMN.match(k)), None)
    about = next((i for i, k in enumerate(keys) if _ABOUT_COLUMN.match(k)), None)
    if week is None or (topic is None and about is None):
        return None
    cells = [_cell(r, week) for r in body if _cell(r, week)]
    if not cells or sum(1 for c in cells if _WEEK_CELL.match(c)) < 0.5 * len(cells):
        return None
    kind = _WEEK_COLUMN.match(raw[week]) or _WEEK_COLUMN.match(keys[week])
    assert kind is not None
    return WeeklyColumns(kind.group("kind").title(), week, topic, about)


_ABBREVIATION = re.compile(
    r"(?:\b(?:vs|etc|e\.g|i\.e|dr|mr|mrs|ms|st|no|approx|incl|ch|pp|fig|vol|ed|cf)|\b[A-Za-z])\.$", re.I
)


def _first_sentence(text: str) -> tuple[str, str]:
    """``'Introduction to data science. We meet the tools.'`` -> ``('Introduction to data
    science', 'We meet the tools.')``: a schedule cell's first line or sentence names the
    meeting, the rest says more."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "", ""
    first, rest = lines[0], lines[1:]
    for m in re.finditer(r"[.!?]\s+(?=[A-Z0-9\"“(])", first):
        if not _ABBREVIATION.search(first[: m.start() + 1]):
            rest.insert(0, first[m.end() :].strip())
            first = first[: m.start()]
            break
    return first.strip().rstrip(".:;").strip(), "\n".join(rest)


def _weekly_units(
    rows: list[list[str]],
    cols: WeeklyColumns,
    filename: str,
    *,
    page: int | None,
    line: int | None,
    first_line: int | None,
) -> list[dict[str, Any]]:
    """A unit per row of a weekly schedule: code "Week N", title the topic or the first sentence
    of the description cell, the rest its description; a row with no number of its own goes on
    with the unit above; a row on which no class meets is skipped."""
    m = map_columns(rows[0])
    outcomes_col = m.get("outcomes") if m.get("outcomes") not in (cols.topic, cols.about) else None
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows[1:], 1):
        topic, about = _cell(row, cols.topic), _cell(row, cols.about)
        if not (topic or about):
            continue
        if cols.topic is not None and topic:
            title, description = " ".join(topic.splitlines()[0].split()), about
            more = "\n".join(topic.splitlines()[1:]).strip()
            description = "\n".join(x for x in (more, description) if x)
        else:
            title, description = _first_sentence(about)
        if F.is_no_meeting(title) or F.is_no_meeting(" ".join((topic or about).split())):
            continue  # "Spring Break (No class)"
        week = _cell(row, cols.week)
        if not week and out:  # a second row of the same week
            out[-1]["description"] = "\n".join(x for x in (out[-1]["description"], title, description) if x)
            continue
        number = _WEEK_CELL.match(week)
        code = f"{cols.kind} {' '.join(number.group('n').split())}" if number else (week or None)
        if len(out) >= MAX_COURSES:
            raise TooLargeError(
                f"{filename} lists more than {MAX_COURSES} courses; the limit is {MAX_COURSES}"
            )
        row_line = first_line + i if first_line is not None else line
        texts = F.split_outcomes(_cell(row, outcomes_col)) if outcomes_col is not None else []
        out.append(
            {
                "code": code,
                "title": title,
                "description": description,
                "hours": _hours(_cell(row, m.get("hours")), False) if "hours" in m else None,
                "outcomes": _outcomes(texts, filename, page, row_line, code or title),
                "source": SourceRef(file=filename, page=page, line=row_line),
                "_credits": None,
            }
        )
    return out


def is_weekly_table(rows: list[list[str]]) -> bool:
    """A table read as a weekly schedule (see :func:`weekly_columns`), not as a course table."""
    return bool(rows) and not _is_header(rows[0]) and weekly_columns(rows[0], rows[1:]) is not None


def _is_course_header(row: list[str], body: list[list[str]]) -> bool:
    return _is_header(row) or weekly_columns(row, body) is not None


def _outcomes(
    texts: list[str], filename: str, page: int | None, line: int | None, course: str | None
) -> list[dict[str, Any]]:
    where = SourceRef(file=filename, page=page, line=line, course=course, field="outcome")
    return [{"text": t, "source": where} for t in texts]


def _outcome_key(key: str) -> str:
    """``'outcome 1'`` -> ``'outcome'``; other keys as they are."""
    bare = re.sub(r"\s*#?1$", "", key)
    return bare if bare != key and bare in COLUMNS["outcomes"] else key


def _outcome_columns(header: list[str], m: dict[str, int]) -> list[int]:
    """The outcomes column and any more of its kind: "Outcome 1", "Outcome 2", ... or a second
    "Learning Outcomes"."""
    first = m.get("outcomes")
    if first is None:
        return []
    aliases = set(COLUMNS["outcomes"])
    more = [
        i
        for i, h in enumerate(header)
        if i != first and re.sub(r"\s*#?\d+$", "", F.norm_key(h)) in aliases and i not in m.values()
    ]
    return [first, *more]


_MINUTES_HEADER = re.compile(r"^\s*min(?:ute)?s?\b|\(\s*min(?:ute)?s?\.?\s*\)|\bin\s+min(?:ute)?s\b", re.I)
_CELL_UNIT = re.compile(r"\d\s*(h(?:ou)?rs?\b|h\b|min(?:ute)?s?\b|weeks?\b|wks?\b|days?\b|months?\b)", re.I)


def _in_minutes(header: list[str], body: list[list[str]], m: dict[str, int]) -> bool:
    """Whether the hours column counts minutes: its header says so ("Minutes", "Duration
    (min)"), or a bare "Duration" beside a "Day" column adds up to more than 24 hours a day (a
    two-day class of sessions of 30, 45 and 75)."""
    col = m.get("hours")
    if col is None:
        return False
    if _MINUTES_HEADER.search(header[col]):
        return True
    if F.norm_key(header[col]) != "duration":
        return False
    day = next((i for i, h in enumerate(header) if F.norm_key(h) in ("day", "days")), None)
    days = {_cell(r, day) for r in body if _cell(r, day)} if day is not None else set()
    total = sum(n for r in body if (n := F.parse_number(_cell(r, col))) is not None)
    return bool(days) and total > 24 * len(days)


def _hours(cell: str, minutes: bool) -> float | None:
    """A course's hours from its cell: a bare number (minutes when the column counts them), or a
    number with its unit ("90 min", "2 hrs"); a length in weeks or days is no hours."""
    n = F.parse_number(cell)
    if n is None:
        return None
    unit = _CELL_UNIT.search(cell)
    word = unit.group(1).lower() if unit else ("min" if minutes else "h")
    if word.startswith("min"):
        return round(n / 60, 4)
    return n if word.startswith("h") else None


def _hours_cell_empty(row: list[str], m: dict[str, int]) -> bool:
    """Whether the row gives no hours of its own (a merged row repeats its text in every cell)."""
    return "hours" not in m or _hours(_cell(row, m["hours"]), False) is None


def program_labels_from_rows(rows: list[list[str]]) -> list[tuple[str | None, str, str]] | None:
    """``[('credential', 'Credential', 'AWS Certified Welder'), (None, 'Tuition', '$3,450'), ...]``
    for a two-column key/value table ("Program at a glance") most of whose keys are known
    labels (the field is None for the others); None for any other table."""
    out: list[tuple[str | None, str, str]] = []
    for r in rows:
        cells = [c.strip() for c in r if c and c.strip()]
        if not cells:
            continue  # an empty header row
        if len(cells) != 2:
            return None
        out.append((F.PROGRAM_LABELS.get(F.norm_key(cells[0])), cells[0].strip("*: "), cells[1]))
    known = sum(1 for f, _, _ in out if f is not None)
    return out if known >= 2 and known >= 0.5 * len(out) or (out and known == len(out)) else None


def _missing_columns_error(filename: str, rows: list[list[str]]) -> BadInputError:
    header = next((r for r in rows if sum(1 for c in r if c.strip()) >= 2), rows[0] if rows else [])
    found = map_columns(header)
    missing = [f for f in REQUIRED if f not in found]
    if not missing:  # a title column alone: no second course column beside it
        others = [f for f in COLUMNS if f not in REQUIRED]
        return BadInputError(
            f"{filename}: a course table needs a course column beside its title column "
            f"({', '.join(others)}); found columns: {', '.join(repr(c) for c in header if c.strip())}.",
            details={"missing_columns": others, "found_columns": [c for c in header if c.strip()]},
        )
    accepted = "; ".join(f"{f}: {', '.join(COLUMNS[f])}" for f in missing)
    columns = ", ".join(repr(c) for c in header if c.strip()) or "none"
    hint = ""
    keys = {F.norm_key(c) for c in header}
    if keys & {"features", "prerequisites", "program name", "provider name", "clock hours", "cip code"}:
        hint = " This looks like an ETPL program row: use --format etpl."
    return BadInputError(
        f"{filename}: missing required column(s): {', '.join(missing)} (accepted headers — {accepted}). "
        f"Found columns: {columns}.{hint}",
        details={"missing_columns": missing, "found_columns": [c for c in header if c.strip()]},
    )


def program_from_sheet(rows: list[list[str]], filename: str, *, first_row_number: int = 1) -> Program:
    """A program from the rows of one sheet: optional label rows, then the course table."""
    header_at = next(
        (i for i, r in enumerate(rows[:MAX_HEADER_SEARCH_ROWS]) if _is_course_header(r, rows[i + 1 :])), None
    )
    if header_at is None and (tree := _competency_tree(rows, filename, first_row_number)) is not None:
        return program_from_dict(tree, source_file=filename)
    if header_at is None:
        raise _missing_columns_error(filename, rows[:MAX_HEADER_SEARCH_ROWS])
    values: dict[str, Any] = {}
    description: list[str] = []
    for r in rows[:header_at]:
        cells = [c.strip() for c in r if c.strip()]
        if not cells:
            continue
        pair = (cells[0], cells[1]) if len(cells) >= 2 else None
        if pair is None and (label := F.split_label(cells[0], F.PROGRAM_LABELS)):
            key, value = label
        elif pair is not None and F.norm_key(pair[0]) in F.PROGRAM_LABELS:
            key, value = F.PROGRAM_LABELS[F.norm_key(pair[0])], pair[1]
        else:
            description.append(" ".join(cells))
            continue
        _set_label(values, description, key, value)
    courses = courses_from_rows(rows[header_at:], filename, first_line=first_row_number + header_at)
    assert courses is not None
    credits = [c.pop("_credits") for c in courses]
    if not courses:
        raise BadInputError(f"{filename}: the course table has a header but no course rows")
    _repeated_program_columns(rows[header_at], rows[header_at + 1 :], values, description)
    hours = [c["hours"] for c in courses]
    if "clock_hours" not in values and all(h is not None for h in hours):
        values["clock_hours"] = round(sum(hours), 2)  # sessions of 35 and 20 minutes add up
    if "credit_hours" not in values and credits and all(c is not None for c in credits):
        values["credit_hours"] = sum(credits)
    data = {
        "title": values.pop("title", None) or F.title_from_filename(filename),
        "description": "\n".join(description + values.pop("description", [])),
        "courses": courses,
        **values,
    }
    return program_from_dict(data, source_file=filename)


_TREE_TEXT = ("title", "name", "description", "competency", "objective", "outcome", "statement", "text")
_BLOOM_TAG = re.compile(r"\s*\((?:remember|understand|apply|analy[sz]e|evaluate|create)(?:ing)?\)\s*$", re.I)


def _competency_tree(rows: list[list[str]], filename: str, first_row_number: int) -> dict[str, Any] | None:
    """A competency framework exported from a learning system (Brightspace's ``Description,
    Short Code, ID, Parent ID``): each row names its parent by id. A row without a parent is a
    course (its text the title, its short code the code); every row below it is one of its
    outcomes. One root over several branches is the program, and its children the courses.
    None when the table names no parent column."""
    header_at = next(
        (
            i
            for i, r in enumerate(rows[:MAX_HEADER_SEARCH_ROWS])
            if {"id", "parent id"} <= {F.norm_key(c) for c in r}
        ),
        None,
    )
    if header_at is None:
        return None
    keys = [F.norm_key(c) for c in rows[header_at]]
    id_col, parent_col = keys.index("id"), keys.index("parent id")
    text_col = next((keys.index(k) for k in _TREE_TEXT if k in keys), None)
    code_col = next((keys.index(k) for k in ("short code", "code", "number") if k in keys), None)
    if text_col is None:
        return None
    items: dict[str, tuple[str, str, str, int]] = {}  # id -> (parent, text, code, line)
    for i, r in enumerate(rows[header_at + 1 :], header_at + 1):
        if (ident := _cell(r, id_col)) and (text := " ".join(_cell(r, text_col).split())):
            items[ident] = (_cell(r, parent_col), text, _cell(r, code_col), first_row_number + i)
    roots = [k for k, (parent, *_rest) in items.items() if parent not in items]
    title = None
    branches = [k for k, v in items.items() if v[0] in roots and any(w[0] == k for w in items.values())]
    if len(roots) == 1 and len(branches) >= 2:
        title = items[roots[0]][1]  # the framework itself over its courses
        roots = [k for k, v in items.items() if v[0] == roots[0]]
    if len(roots) < 1 or len(roots) == len(items):
        return None  # a flat list: nothing below anything

    def root_of(key: str) -> str | None:
        seen = set()
        while key in items and key not in roots and key not in seen:
            seen.add(key)
            key = items[key][0]
        return key if key in roots else None

    courses: dict[str, dict[str, Any]] = {}
    for key in roots:
        _, text, code, line = items[key]
        courses[key] = {
            "code": code or None,
            "title": _BLOOM_TAG.sub("", text),
            "outcomes": [],
            "source": SourceRef(file=filename, line=line),
        }
    for key, (_, text, _code, line) in items.items():
        if key in courses or (root := root_of(key)) is None:
            continue
        c = courses[root]
        c["outcomes"] += _outcomes([_BLOOM_TAG.sub("", text)], filename, None, line, c["code"] or c["title"])
    if len(courses) > MAX_COURSES:
        raise TooLargeError(f"{filename} lists more than {MAX_COURSES} courses; the limit is {MAX_COURSES}")
    return {"title": title or F.title_from_filename(filename), "courses": list(courses.values())}


def _repeated_program_columns(
    header: list[str], body: list[list[str]], values: dict[str, Any], description: list[str]
) -> None:
    """Program columns repeated on every course row (``program_title``, ``provider``,
    ``clock_hours``, ``credential`` with one value throughout) fill the program's fields that no
    label row above the table set."""
    used = set(map_columns(header).values())
    body = [r for r in body if any(c.strip() for c in r)]
    for i, h in enumerate(header):
        key = F.PROGRAM_LABELS.get(F.norm_key(h))
        if i in used or key is None or key in values or not body:
            continue
        cells = {_cell(r, i) for r in body}
        if len(cells) == 1 and (value := cells.pop()):
            _set_label(values, description, key, value)


def _set_label(values: dict[str, Any], description: list[str], key: str, value: str) -> None:
    if key in ("clock_hours", "credit_hours", "tuition_and_fees"):
        values[key] = F.parse_number(value)
    elif key == "weeks":
        add_length(values, length_label(value))
    elif key == "hours_per_week":
        if (n := F.parse_number(value)) is not None:
            values[key] = n  # stated: beats one worked out from a schedule
    elif key == "cip":
        values["cip"] = F.parse_cip(value)
    elif key == "occupations":
        values["occupations"] = F.parse_socs(value)
    elif key == "description":
        values.setdefault("description", []).append(value)
    else:
        values[key] = value


# -- CSV / TSV -----------------------------------------------------------------------------------


def _guess_delimiter(sample: str) -> str:
    """The candidate found, outside quotes, on the most of the first logical lines (then the
    most often; ``,`` on ties). csv.Sniffer is unreliable when label rows above the header have
    fewer columns than the course rows."""
    counts: list[dict[str, int]] = [{}]
    in_quotes = False
    for ch in sample:
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "\n" and not in_quotes:
            if len(counts) >= 20:
                break
            counts.append({})
        elif ch in ",;\t|" and not in_quotes:
            counts[-1][ch] = counts[-1].get(ch, 0) + 1
    lines = [c for c in counts if c] or [{}]

    def score(cand: str) -> tuple[int, int]:
        return sum(1 for c in lines if c.get(cand)), sum(c.get(cand, 0) for c in lines)

    return max((",", ";", "\t", "|"), key=score)


def read_csv_rows(content: bytes, filename: str, delimiter: str | None = None) -> list[list[str]]:
    text = decode_text(content)
    if delimiter is None:
        delimiter = _guess_delimiter(text[:8192])
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                raise TooLargeError(f"{filename} has more than {MAX_ROWS:,} rows")
            rows.append(list(row[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise BadInputError(f"{filename}: malformed CSV at line {len(rows) + 1}: {exc}") from None
    return rows


def _read_csv(content: bytes, filename: str) -> Program:
    delimiter = "\t" if filename.lower().endswith(".tsv") else None
    return program_from_sheet(read_csv_rows(content, filename, delimiter), filename)


# -- XLSX -----------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes, filename: str) -> Program:
    check_zip(content, filename, kind="XLSX", required="xl/workbook.xml")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except MemoryError:
        raise  # the memory bound of matcher.readers.bounded, not a damaged file
    except Exception as exc:  # openpyxl raises many types on damaged files
        log.info("openpyxl could not open %s: %r", filename, exc)
        raise BadInputError(f"{filename} is not a readable XLSX workbook") from None
    try:
        sheets: list[list[list[str]]] = []
        for ws in wb.worksheets:
            rows: list[list[str]] = []
            for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                if len(rows) >= MAX_ROWS:
                    raise TooLargeError(f"{filename} sheet {ws.title!r} has more than {MAX_ROWS:,} rows")
                rows.append([_cell_text(v) for v in row])
            sheets.append(rows)
    finally:
        wb.close()
    # The first sheet with a course table is the program; the label rows of a sheet without one
    # ("Program": Provider | ..., Clock hours | ...) are read as if they stood above that table.
    labels = [
        r
        for rows in sheets
        if not any(_is_course_header(r, rows[i + 1 :]) for i, r in enumerate(rows[:MAX_HEADER_SEARCH_ROWS]))
        for r in rows
        if len([c for c in r if c.strip()]) == 2
        and F.norm_key(next(c for c in r if c.strip())) in F.PROGRAM_LABELS
    ][:MAX_LABEL_SHEET_ROWS]
    first_error: BadInputError | None = None
    for rows in sheets:
        try:
            return program_from_sheet(labels + rows, filename, first_row_number=1 - len(labels))
        except BadInputError as exc:
            first_error = first_error or exc  # try the next sheet
    raise first_error or BadInputError(f"{filename} has no worksheets")


register(Reader("csv", (".csv", ".tsv"), _read_csv))
register(Reader("xlsx", (".xlsx", ".xlsm"), _read_xlsx))
