"""A program written as a YAML or JSON mapping in a curriculum system's own words, read into
the :class:`~matcher.program.Program` shape.

Curriculum tools and authors name the same things differently: ``name`` or ``program_name``
for the title, ``institution`` or ``school`` for the provider, ``modules`` or ``units`` for the
courses, ``learning_objectives`` or ``competencies`` for the outcomes, ``"240 hrs"`` and
``"12 weeks"`` or ``P12W`` for numbers. :func:`program_mapping` renames what it recognises
(the same labels the document readers know, :data:`matcher.readers.fields.PROGRAM_LABELS`),
unwraps one enclosing ``program:`` / ``syllabus:`` key, reads numbers with units, joins lists
written for prose fields, and folds a course's nested units or lessons into the course: each
unit's title and objectives become the course's outcomes (a unit title names what it teaches).
Keys already in the Program shape are kept as they are; anything else is left out.
"""

from __future__ import annotations

import re
from typing import Any

from matcher.readers import fields as F
from matcher.readers.duration import add_length, length_label

_WRAPPERS = ("program", "syllabus", "curriculum", "course", "training_program", "programme")
_EXTRA_LABELS = {
    **dict.fromkeys(["name", "program name", "program title", "program_name", "program_title"], "title"),
    **dict.fromkeys(
        [
            "institution",
            "school",
            "college",
            "organization",
            "organisation",
            "offered by",
            "training provider",
        ],
        "provider",
    ),
    **dict.fromkeys(["certifications", "credentials", "certification", "licenses", "licences"], "credential"),
    **dict.fromkeys(["summary", "about", "program summary"], "description"),
    **dict.fromkeys(["duration weeks", "length weeks", "weeks total", "total weeks"], "weeks"),
    **dict.fromkeys(["total clock hours", "clock hours total", "duration hours"], "clock_hours"),
    **dict.fromkeys(["award type", "award", "credential type"], "credential"),
    **dict.fromkeys(["program id", "program code"], "id"),
}
_COURSE_LISTS = (
    "courses",
    "modules",
    "units",
    "course list",
    "course_list",
    "curriculum",
    "classes",
    "subjects",
    "chapters",
    "sections",
)
# A mapping beside the curriculum that holds the program's own labels ("meta: {name: ...,
# description: ...}").
_META = ("meta", "metadata", "info", "about")
_OUTCOME_KEYS = (
    "outcomes",
    "learning outcomes",
    "learning objectives",
    "objectives",
    "competencies",
    "competency",
    "skills",
    "student learning outcomes",
    "course outcomes",
    "topics",
)
_SUB_UNITS = (
    "units",
    "lessons",
    "topics",
    "sections",
    "modules",
    "submodules",
    "lectures",
    "milestones",
    "episodes",
    "sessions",
)
# A course's number under its kind ("week: 3") names it when it has no code: "Week 3".
_NUMBERED = ("week", "session", "lesson", "day", "module", "unit", "chapter")
# "COLL-00_Introducing-github": a lesson named by its file slug.
_SLUG = re.compile(r"^(?:[A-Z0-9]+(?:-[A-Z0-9]+)*_)?([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+)$")
_PROSE = ("description", "prerequisites", "features")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value).strip()


def _items(value: Any) -> list[str]:
    """Outcome texts of a list (strings, or mappings with a text-like key) or of one string."""
    if isinstance(value, str):
        return F.split_outcomes(value)
    if isinstance(value, dict):
        value = list(value.values())
    out: list[str] = []
    for v in value if isinstance(value, list) else []:
        if isinstance(v, dict):
            v = next(
                (v[k] for k in ("text", "outcome", "objective", "description", "title", "name") if v.get(k)),
                "",
            )
        if isinstance(v, str | int | float) and str(v).strip():
            out.append(str(v).strip())
    return out


def _unit_title(text: str) -> str:
    """A sub-unit named by its file slug reads as words: ``'COLL-00_Introducing-github'`` ->
    ``'Introducing github'``; any other name as it is."""
    m = _SLUG.match(text.strip())
    return " ".join(re.split(r"[-_]", m.group(1))) if m else text


def _key(key: Any) -> str:
    return F.norm_key(str(key))


def _course(data: Any) -> dict[str, Any] | None:
    if isinstance(data, str):
        return {"title": data, "outcomes": []}
    if not isinstance(data, dict):
        return None
    course: dict[str, Any] = {"outcomes": []}
    for key, value in data.items():
        k = _key(key)
        if k in ("code", "course code", "course number", "number", "id", "course id", "module code"):
            course["code"] = _text(value)
        elif k in (
            "title",
            "name",
            "course title",
            "course name",
            "module title",
            "module name",
            "unit name",
        ):
            course["title"] = _text(value)
        elif k in ("theme", "label", "heading") and isinstance(value, str):
            course.setdefault("_title", value.strip())  # a title only when nothing else names it
        elif k in (
            "hours",
            "clock hours",
            "contact hours",
            "total hours",
            "length",
            "duration",
            "duration hours",
        ):
            course["hours"] = F.parse_number(value)
        elif k in ("description", "summary", "overview"):
            course["description"] = _text(value)
        elif k in _OUTCOME_KEYS:
            course["outcomes"] += _items(value)
        elif k in _SUB_UNITS and isinstance(value, list):
            for unit in value:
                sub = _course(_unit_title(unit) if isinstance(unit, str) else unit)
                if sub is not None:
                    course["outcomes"] += [t for t in [sub.get("title")] if t] + sub["outcomes"]
        elif k in _NUMBERED and isinstance(value, int | str) and str(value).strip().isdigit():
            course.setdefault("_number", f"{k.title()} {str(value).strip()}")
    named = course.pop("_title", None)
    number = course.pop("_number", None)
    if not course.get("title") and named:
        course["title"] = named
    if not course.get("code") and number and course.get("title"):
        course["code"] = number
    if not course.get("title") and course.get("code"):
        course["title"], course["code"] = course["code"], None
    return course if course.get("title") or course["outcomes"] else None


def _unwrap(data: dict[str, Any]) -> dict[str, Any]:
    data = _with_meta(data)
    if "title" in data or len(data) > 3:
        return data
    for key, value in data.items():
        if _key(key).replace(" ", "_") in _WRAPPERS and isinstance(value, dict):
            rest = {k: v for k, v in data.items() if k != key}
            return {**rest, **value}
    return data


def _with_meta(data: dict[str, Any]) -> dict[str, Any]:
    """The labels of a ``meta:`` mapping beside the curriculum join the program's own (which win),
    and a wrapper key that holds only a name names the program (``course: AWS Solutions
    Architect``)."""
    out = dict(data)
    for key, value in data.items():
        if _key(key) in _META and isinstance(value, dict):
            del out[key]
            out = {**value, **out}
    named = any(_key(k) in ("title", "name", "program name", "program title", "course title") for k in out)
    for key, value in data.items():
        if (
            not named
            and _key(key).replace(" ", "_") in _WRAPPERS
            and isinstance(value, str)
            and value.strip()
        ):
            out["title"] = out.pop(key).strip()
            break
    return out


def program_mapping(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` in the :class:`Program` shape (see the module docstring)."""
    data = _unwrap(data)
    shape = set(_program_fields())
    out: dict[str, Any] = {}
    loose: dict[str, Any] = {}
    for key, value in data.items():
        if key in shape:
            out[key] = value
        else:
            loose[key] = value
    for key, value in loose.items():
        k = _key(key)
        field = F.PROGRAM_LABELS.get(k) or _EXTRA_LABELS.get(k)
        if k in _COURSE_LISTS and isinstance(value, list) and "courses" not in out:
            out["courses"] = [c for c in (_course(v) for v in value) if c is not None]
        elif k in _OUTCOME_KEYS and "outcomes" not in out:
            out["outcomes"] = _items(value)
        elif field is not None and field not in out and value not in (None, "", []):
            out[field] = value
    for key in ("clock_hours", "credit_hours", "hours_per_week", "tuition_and_fees"):
        if isinstance(out.get(key), str):
            out[key] = F.parse_number(out[key])
    if isinstance(out.get("id"), int | float):
        out["id"] = str(out["id"])
    if isinstance(out.get("weeks"), str):
        weeks = out.pop("weeks")
        iso_weeks, _ = F.iso_duration(weeks)
        add_length(out, length_label(weeks) if iso_weeks is None else {"weeks": iso_weeks})
    if isinstance(out.get("schedule"), str) and out.get("hours_per_week") is None:
        hours_per_week = length_label(out["schedule"]).get("hours_per_week")  # "(20 hours per week)"
        if hours_per_week is not None:
            out["hours_per_week"] = hours_per_week
    if isinstance(out.get("credential"), list):
        names = [_text(c) for c in out["credential"] if _text(c)]
        out["credential"] = names[0] if names else None
        out.setdefault("credentials", names)
    for key in _PROSE:
        if isinstance(out.get(key), list | dict):
            out[key] = _text(out[key])
    if isinstance(out.get("courses"), list):
        out["courses"] = [c if not isinstance(c, dict) else _course_shape(c) for c in out["courses"]]
    return out


def _course_shape(course: dict[str, Any]) -> dict[str, Any]:
    """A course already in the Program shape keeps its keys; hours with units become numbers and
    other spellings of outcomes are read (see :func:`_course`)."""
    if set(course) <= {"code", "title", "description", "outcomes", "hours", "source"} and not isinstance(
        course.get("hours"), str
    ):
        return course
    return _course(course) or course


def _program_fields() -> list[str]:
    from matcher.program import Program

    return list(Program.model_fields)


# Keys of one class meeting in a list of them ("session: 3", "week: 2", "topic: Data formats").
_MEETING_KEYS = ("session", "week", "lesson", "class", "day", "meeting", "topic", "module", "unit")
# Program fields a meeting's keys also map to (its title, what it is about, what it teaches).
_MEETING_FIELDS = {"title", "description", "outcomes", "id"}


def course_list_mapping(items: list[dict[str, Any]], filename: str) -> dict[str, Any] | None:
    """A file that is only a list of class meetings or modules (``- session: 1`` / ``topic:`` /
    ``description:``; items titled "Module 1 - ...", "Week 2: ..."; or lesson pages, each a name
    and a link), none of which names a program, read as one program titled by the file's name
    with a course per item (not one on which no class meets: "topic: No Meeting", "Spring Break
    (No class)"); None when any item names a program (the list is several programs) or the items
    are no meetings."""
    if not all(any(_key(k) in _MEETING_KEYS for k in d) for d in items) and not (
        _numbered_units(items) or _linked_pages(items)
    ):
        return None
    if any(set(program_mapping(dict(d))) - _MEETING_FIELDS for d in items):
        return None  # an item with a provider, a credential, hours, courses, ...: a program
    courses = []
    for d in items:
        item = {_key(k): v for k, v in d.items()}
        topic = item.pop("topic", None)
        if topic is not None and not item.get("title") and not item.get("name"):
            item["title"] = topic
        kind = next((k for k in ("session", "week", "lesson", "day") if k in item), None)
        number = item.pop(kind) if kind is not None else None
        course = _course(item)
        if course is None:
            continue
        if (m := _UNIT_PREFIX.match(course.get("title") or "")) and m.group(2):
            course["code"], course["title"] = m.group(1), m.group(2)  # "Module 1 - ELIXIR introduction"
        if F.is_no_meeting(course.get("title") or "") and not course["outcomes"]:
            continue  # "- session: 5 / topic: No Meeting", "title: Spring Break (No class)"
        if kind is not None and number is not None and not course.get("code"):
            course["code"] = f"{kind.title()} {_text(number)}"
        courses.append(course)
    if not courses:
        return None
    return {"title": file_title(filename), "courses": courses}


def file_title(filename: str) -> str:
    """``'open-data_syllabus.yml'`` -> ``'Open data syllabus'``: the title of a file that names no
    program."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize() or "Course"


_UNIT_TITLE = re.compile(r"^(?:module|unit|lesson|week|session|day|chapter|episode|part)\s+\d+\b", re.I)
_UNIT_PREFIX = re.compile(rf"^({_UNIT_TITLE.pattern[1:]})\s*[-–—:.]\s*(\S.*)$", re.I)
_LINK_KEYS = ("url", "link", "href", "file", "path", "page", "permalink")


def _item_title(d: dict[str, Any]) -> str:
    return next((_text(v) for k, v in d.items() if _key(k) in ("title", "name")), "")


def _numbered_units(items: list[dict[str, Any]]) -> bool:
    """Every item titled by its place in a course: "Module 1 - ELIXIR introduction"."""
    return all(_UNIT_TITLE.match(_item_title(d)) for d in items)


def _linked_pages(items: list[dict[str, Any]]) -> bool:
    """Every item a lesson page: a name and a link to it (a lesson site's ``_data/lessons.yml``)."""
    return all(_item_title(d) and any(_key(k) in _LINK_KEYS for k in d) for d in items)
