"""Recognising program fields in documents: labels ("Clock hours: 300"), hours and durations,
CIP and SOC codes, course headings ("WLD-110 Shielded Metal Arc Welding"), header aliases.

Shared by the document readers (Markdown, DOCX, PDF) and the row readers (CSV/XLSX, ETPL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Program-level labels and the Program field each one fills. Keys are normalised with norm_key().
PROGRAM_LABELS: dict[str, str] = {
    **dict.fromkeys(
        ["program", "program title", "program name", "title", "course title", "course name"], "title"
    ),
    **dict.fromkeys(
        [
            "provider",
            "provider name",
            "institution",
            "school",
            "college",
            "offered by",
            "training provider",
            "sponsor",
            "program sponsor",
            "sponsoring institution",
            "sponsoring organization",
        ],
        "provider",
    ),
    **dict.fromkeys(
        [
            "credential",
            "credentials",
            "program credential",
            "program credentials",
            "credential awarded",
            "credential earned",
            "certification",
            "certifications",
            "certificate",
            "award",
            "license",
            "licence",
            "licensure",
            "industry credential",
            "industry credentials",
            "industry certification",
            "industry certifications",
            "industry-recognized credential",
            "industry-recognized credentials",
            "credentials earned",
            "credentials awarded",
            "certification earned",
            "certifications earned",
            "certification(s)",
            "certification exam",
            "certification exams",
            "national certification",
            "certificate awarded",
            "certificate earned",
            "license earned",
        ],
        "credential",
    ),
    **dict.fromkeys(
        [
            "clock hours",
            "total clock hours",
            "total hours",
            "total program hours",
            "total instructional hours",
            "total training hours",
            "total rti hours",
            "rti hours",
            "program hours",
            "contact hours",
            "hours",
            "clock_hours",
            "number of hours",
            "approx. number of hours",
            "approximate number of hours",
            "hours/months",
            "number of hours/months",
            "approx. number of hours/months",
            "approximate number of hours/months",
        ],
        "clock_hours",
    ),
    **dict.fromkeys(
        [
            "credit hours",
            "credits",
            "total credits",
            "credit_hours",
            "semester credit hours",
            "semester credits",
            "credits required",
            "required credits",
            "total credits required",
            "credit hours required",
            "total credit hours",
            "academic credits",
        ],
        "credit_hours",
    ),
    **dict.fromkeys(
        [
            "weeks",
            "length",
            "duration",
            "program length",
            "program duration",
            "course length",
            "course duration",
            "length in weeks",
            "length of program",
            "term",
            "training term",
            "program term",
            "term of apprenticeship",
            "schedule",
            "class schedule",
            "program schedule",
        ],
        "weeks",
    ),
    **dict.fromkeys(
        [
            "hours per week",
            "hours/week",
            "hours a week",
            "weekly hours",
            "contact hours per week",
            "clock hours per week",
            "hours_per_week",
        ],
        "hours_per_week",
    ),
    **dict.fromkeys(
        [
            "tuition",
            "tuition and fees",
            "tuition & fees",
            "program cost",
            "total cost",
            "cost",
            "tuition_and_fees",
        ],
        "tuition_and_fees",
    ),
    **dict.fromkeys(["cip", "cip code", "cip 2020", "cipcode", "cip_code"], "cip"),
    **dict.fromkeys(
        [
            "soc",
            "soc code",
            "soc codes",
            "occupation codes",
            "o*net-soc",
            "o*net-soc code",
            "o*net code",
            "onet code",
            "onet-soc code",
            "o*net-soc codes",
            "occupation",
            "occupations",
            "target occupation",
            "target occupations",
        ],
        "occupations",
    ),
    **dict.fromkeys(
        [
            "prerequisites",
            "prerequisite",
            "pre-requisites",
            "pre-requisite",
            "course prerequisites",
            "course prerequisite",
            "recommended prerequisites",
            "recommended prerequisite",
            "corequisites",
            "corequisite",
            "co-requisites",
            "co-requisite",
            "course corequisites",
            "course corequisite",
            "prerequisites and corequisites",
            "prerequisite and corequisite",
            "admission requirements",
            "entry requirements",
            "entrance requirements",
            "enrollment requirements",
        ],
        "prerequisites",
    ),
    **dict.fromkeys(["description", "program description", "overview"], "description"),
    # the school's own number for the program ("Program Code: 1117"), as in a structured record
    **dict.fromkeys(["program code", "program id"], "id"),
}
# Course-level labels inside a course section.
COURSE_LABELS: dict[str, str] = {
    **dict.fromkeys(["hours", "clock hours", "contact hours", "total hours", "length"], "hours"),
    **dict.fromkeys(["code", "course code", "course number", "course id"], "code"),
}

_LABEL = re.compile(
    r"^\s*(?:\*\*)?([A-Za-z][A-Za-z0-9 */_.()&'-]{1,30}?)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+?)\s*$"
)
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)")
_UNIT = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)\s*(?:-|to|–)?\s*(?:\d+(?:[.,]\d+)?)?\s*"
    r"(clock[- ]hours?|hours?|hrs?\.?|h\b|weeks?|wks?\.?|months?|days?|years?)",
    re.I,
)
_CIP = re.compile(r"\b(\d{2})\.?(\d{4})\b")
_SOC = re.compile(r"\b(\d{2}-\d{4}(?:\.\d{2})?)\b")
# "WLD-110 Shielded Metal Arc Welding", "WLD 120: GMAW", "ENG101A - Writing", "Course 3: Safety"
_COURSE_CODE = re.compile(
    # not an outcome's code ("VLO 3 Create ...", "EES 11 Take ...") nor a year ("COVID-19 Notice")
    r"^(?P<code>(?!(?:CIP|SOC|PAGE|ISO|STEP|UNIT|WEEK|LEVEL|PART|PHASE|DAY|NFPA|OSHA|COVID|VLO|EES|"
    r"SLO|CLO|PLO|ILO|GLO|CLR)\b)"
    r"[A-Z]{2,6}[ -]?\d{2,4}(?:[A-Z](?![a-z]))?)"
    r"(?![-–]?\s*(?i:hours?|hrs?|h|weeks?|days?|months?|credits?|units?)\b(?![-–]))"
    # nor a name that goes on after a hyphen ("ICD-10-CM Diagnosis Coding", "COVID-19-PCR")
    r"(?!-[A-Z]{1,4}\b)"
    # a title glued to the code by a catalog page's text ("CULA 110Sanitation Principles")
    r"(?:\s*[:.\-–—|]\s*|\s+|(?<=\d)(?=[A-Z][a-z]))(?P<title>[A-Z(\"'].{1,150})$"
)
_COURSE_WORD = re.compile(
    r"^(?P<code>(?:course|module|unit)\s+\d{1,3}[A-Z]?)\s*[:.\-–—|]\s*(?P<title>\S.{1,150})$", re.I
)
_TITLE_HOURS = re.compile(
    r"\s*(?P<open>[(\[]|[,–—|-])\s*(?:(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(?P<n>\d+(?:\.\d+)?)\s*"
    r"(?:clock\s*|contact\s*)?(?:hours|hrs?|h)\.?\s*(?(open)[)\]]?|)\s*$",
    re.I,
)
_OUTCOMES = re.compile(
    r"^(?:(?:student |course |program |expected |performance |terminal |enabling |core |key |essential "
    r"|technical )?(?:learning )?"
    r"(?:outcomes|objectives|competencies)"
    r"|by the end of (?:this|the) (?:course|program|module|unit),? (?:you|students|learners) will"
    r"(?: be able to)?"
    r"|skills (?:covered|learned|taught)|what you will learn|you will learn|"
    r"(?:course |key )?topics(?: covered)?|subjects(?: covered)?|course content|"
    r"(?:upon|after|on|at) (?:the )?(?:successful )?completion.*(?:able to|will)"
    r"|students will(?: be able to)?"
    # a lead-in that ends the line: "Graduates of the program will be able to:", "Learning
    # Outcomes – the student will be able to:"
    r"|.{0,80}?\b(?:will|should|shall) be (?:able|prepared) to"
    r"|.{0,80}?\b(?:demonstrate|show|perform)\s+(?:competency|competence|proficiency|mastery)\s+(?:in|of)\s+"
    r"the\s+following(?:\s+(?:skills|tasks|competencies))?"
    # a list of skills practised and checked off: "Required Skills (Michigan Mock Skills)"
    r"|(?:required|core|essential|clinical|hands-on)\s+skills(?:\s+checklist)?(?:\s*\([^)]*\))?"
    r"|skills\s+checklist"
    # "Students receive training in the following:", "The course also provides documentation of the
    # following skills:", "Training covers the following topics:"
    r"|.{0,60}?\b(?:receive|receives|get|gain)\s+(?:hands-on\s+)?(?:training|instruction)\s+in(?:\s+the\s+following)?"
    r"(?:\s+(?:areas|skills|topics))?"
    r"|.{0,60}?\b(?:training|instruction|the\s+(?:course|program|curriculum))\s+(?:also\s+)?(?:covers|includes)"
    r"\s+the\s+following(?:\s+(?:areas|skills|topics))?"
    r"|.{0,60}?\bdocumentation\s+of\s+the\s+following\s+skills)"
    r"\s*:?\s*$",
    re.I,
)
_COURSES_SECTION = re.compile(
    r"^(?:(?:required |program |core )?courses?(?: descriptions?| list| outline| of study)?|curriculum"
    r"|course sequence|modules|program of study)\s*:?\s*$",
    re.I,
)
# "Course Prerequisites", "Prerequisite(s)", "Corequisites", "Co-requisite(s)": what a student
# must have taken before (or beside) the course.
_PREREQ_ONE = (
    r"(?:(?:course\s+|recommended\s+)?(?:pre-?requisites?|co-?requisites?)(?:\s*\(s\))?"
    r"|admissions?(?: requirements| criteria)?|entry requirements|entrance requirements"
    r"|eligibility(?: requirements)?)"
)
# "Prerequisites", "Admission Requirements / Prerequisites", "Admission Requirements and Prerequisites"
_PREREQ_SECTION = re.compile(rf"^{_PREREQ_ONE}(?:\s*(?:/|&|and)\s*{_PREREQ_ONE})?\s*:?\s*$", re.I)


def norm_key(text: str) -> str:
    """``'Clock Hours:'`` -> ``'clock hours'`` (case, underscores, punctuation, spacing)."""
    text = re.sub(r"\s*\([^)]*\)", "", text)  # "SOC Code(s)", "Length (weeks)"
    text = re.sub(r"[_\s]+", " ", text.replace("\ufeff", "")).strip().strip(":#*").strip()
    return text.casefold()


# Labels a facts grid sets before its values without a colon, once the PDF text layer has put
# each row on one line ("Program Name Medical Assistant Certificate", "CIP Code 51.0801").
_GRID_SINGLE = ("provider", "credential", "tuition", "schedule", "length", "duration", "prerequisites")


def grid_label(line: str) -> str | None:
    """``'CIP Code 51.0801'`` -> ``'CIP Code: 51.0801'`` when the line starts with a known
    program label (of two or more words, or one of a few single ones) followed by a value that
    starts in upper case, a digit or ``$``; None otherwise."""
    words = line.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        key = " ".join(words[:n])
        if norm_key(key) not in PROGRAM_LABELS or (n == 1 and norm_key(key) not in _GRID_SINGLE):
            continue
        if key.endswith(":") or not re.match(r"[A-Z0-9$(]", words[n]):
            return None
        return f"{key}: {' '.join(words[n:])}"
    return None


def split_label(text: str, labels: dict[str, str]) -> tuple[str, str] | None:
    """``'Clock hours: 300'`` -> ``('clock_hours', '300')`` when the label is known."""
    m = _LABEL.match(text)
    if not m:
        return None
    field = labels.get(norm_key(m.group(1)))
    value = m.group(2).strip().strip("*").strip()
    return (field, value) if field and value else None


def join_wrapped(prev: str, line: str) -> str:
    """Two lines of one text wrapped apart, joined: a word broken at a hyphen is one word again
    ("instru-" / "ments"), a compound keeps its hyphen ("Pre-" / "Apprenticeship"), as does a
    figure's ("a 160-" / "hour externship")."""
    if prev.endswith("-") and line[:1].islower() and not prev[-2:-1].isdigit():
        return prev[:-1] + line
    if prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].isupper():
        return prev + line
    return f"{prev} {line}"


# A colon that ends a label: followed by a space (never a clock time, "8:00").
_LABEL_COLON = re.compile(r":\s+(?=\S)")


def run_on_labels(text: str) -> list[str] | None:
    """A paragraph of labelled lines run together into one, as Word, a web page or a plain-text
    export renders a block of facts typed on lines of their own ("Provider: Bayview College Clock
    hours: 560 Length: 14 weeks"), split back into its facts: a new fact starts at each known
    program label (capitalised, of up to four words) that ends in a colon. None unless the text
    starts with a known label and holds at least two."""
    if len(text) > 1200 or split_label(text, PROGRAM_LABELS) is None:
        return None
    starts = [0]
    for m in _LABEL_COLON.finditer(text):
        words = list(re.finditer(r"\S+", text[: m.start()]))
        for n in range(min(4, len(words) - 1), 0, -1):
            first = words[-n]
            key = text[first.start() : m.start()]
            if first.start() > starts[-1] and key[:1].isupper() and norm_key(key) in PROGRAM_LABELS:
                starts.append(first.start())
                break
    if len(starts) < 2:
        return None
    parts = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return parts if all(split_label(p, PROGRAM_LABELS) for p in parts) else None


def carries_next_label(prev: str, line: str) -> bool:
    """Whether ``line``, which starts with no label of its own, goes on with the facts paragraph
    ``prev`` wrapped before it and carries its next label ("Provider: Bayview College Clock
    hours:" / "560 Length: 14 weeks")."""
    if split_label(line, PROGRAM_LABELS) is not None or course_heading(line) is not None:
        return False
    joined = run_on_labels(f"{prev} {line}")
    return joined is not None and len(joined) > len(run_on_labels(prev) or [prev])


_LICENCE_LABELS = ("license", "licence")


def is_licence_sentence(label: str, value: str) -> bool:
    """A "License:" line whose value reads as a sentence names no credential: a repository's
    "LICENSE: The license for this repository.", "License: This work is licensed under CC BY 4.0."
    (starts with "The" / "This", ends with a full stop, or runs past eight words)."""
    if norm_key(label) not in _LICENCE_LABELS:
        return False
    v = " ".join(value.split()).strip("*_ ")
    return bool(re.match(r"(?:the|this)\b", v, re.I)) or v.endswith(".") or len(v.split()) > 8


def parse_number(value: object) -> float | None:
    """The first number in ``value`` ("300", "300 hours", 75.0), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    m = _NUMBER.search(str(value))
    return to_float(m.group(1)) if m else None


def to_float(number: str) -> float:
    """``'3,000'`` -> 3000.0 (thousands), ``'7,5'`` -> 7.5 (a decimal comma), ``'12'`` -> 12.0."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", number):
        return float(number.replace(",", ""))
    return float(number.replace(",", "."))


def parse_length(value: object) -> tuple[float | None, float | None]:
    """A free-text length ("12 weeks", "300 clock hours", "3 months") -> (weeks, hours)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    text = str(value or "")
    weeks = hours = None
    for m in _UNIT.finditer(text):
        n = to_float(m.group(1))
        unit = m.group(2).lower()
        if unit.startswith(("h", "clock")):
            hours = hours if hours is not None else n
        elif unit.startswith("w"):
            weeks = weeks if weeks is not None else n
        elif unit.startswith("month"):
            weeks = weeks if weeks is not None else round(n * 52 / 12, 1)
        elif unit.startswith("day"):
            weeks = weeks if weeks is not None else round(n / 7, 1)
        elif unit.startswith("year"):
            weeks = weeks if weeks is not None else n * 52
    if weeks is None and hours is None:
        weeks = parse_number(text)
    return weeks, hours


_ISO_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:[.,]\d+)?)Y)?(?:(?P<mo>\d+(?:[.,]\d+)?)M)?(?:(?P<w>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<d>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$",
    re.I,
)


def iso_duration(value: object) -> tuple[float | None, float | None]:
    """An ISO 8601 duration -> (weeks, hours): ``P12W`` -> (12, None); ``PT300H`` -> (None, 300);
    ``P3M`` -> (13.0, None). Date parts give weeks, time parts give hours; None if not a duration."""
    m = _ISO_DURATION.match(str(value or "").strip())
    if not m or str(value).strip().upper() in ("P", "PT"):
        return None, None
    g = {k: float(v.replace(",", ".")) for k, v in m.groupdict().items() if v is not None}
    weeks = hours = None
    if any(k in g for k in ("y", "mo", "w", "d")):
        weeks = round(g.get("y", 0) * 52 + g.get("mo", 0) * 52 / 12 + g.get("w", 0) + g.get("d", 0) / 7, 2)
    if any(k in g for k in ("h", "mi", "s")):
        hours = round(g.get("h", 0) + g.get("mi", 0) / 60 + g.get("s", 0) / 3600, 2)
    return weeks, hours


def parse_cip(value: object) -> str | None:
    """``'48.0508'``, ``'480508'``, ``'CIP 48.0508 Welding'`` -> ``'48.0508'``."""
    m = _CIP.search(str(value or ""))
    return f"{m.group(1)}.{m.group(2)}" if m else None


def parse_socs(value: object) -> list[str]:
    """Every SOC / O*NET-SOC code in ``value`` (``51-4121``, ``51-4121.00``), in order."""
    return list(dict.fromkeys(_SOC.findall(str(value or ""))))


@dataclass(frozen=True)
class CourseHeading:
    code: str | None
    title: str
    hours: float | None = None
    note: str | None = None  # a comment after the hours ("Can be used as a stand-alone to prepare ...")


# Hours set after the title with spaces or a tab, as catalogs align them: "Network Security  45 Hrs".
_TITLE_HOURS_BARE = re.compile(
    r"\s+(?:(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(?P<n>\d+(?:\.\d+)?)\s*(?:clock\s*|contact\s*)?"
    r"(?:hours|hrs?)\.?\s*$",
    re.I,
)


# An outline's number before a title ("1. ", "2.3 ", "4) "), never a figure of it ("12 Lead ECG").
_OUTLINE_NUMBER = re.compile(r"^\d{1,2}(?:(?:\.\d{1,2})+\.?|[.)])\s+(?=[A-Z])")


def split_title_hours(title: str, *, bare: bool = False) -> tuple[str, float | None]:
    """``'SMAW (75 hours)'`` -> ``('SMAW', 75.0)``; with ``bare`` (a title after a course code)
    also ``'SMAW  75 Hrs'``. Credits after the title ("— 3 cr.", "(4 credits)") are dropped."""
    title = _OUTLINE_NUMBER.sub("", _TITLE_CREDITS.sub("", title))
    m = _TITLE_HOURS.search(title) or (_TITLE_HOURS_BARE.search(title) if bare else None)
    if m and m.start() > 0:
        if m.group("lo") is not None:  # "(40-80 hours)": a range, not the course's hours
            return title[: m.start()].strip(" |"), None
        return title[: m.start()].strip(" |"), float(m.group("n"))
    return title.strip(" |"), None


_TITLE_CREDITS = re.compile(
    r"(?:\s*(?:[(\[]|[,–—|-])\s*|\s+)\d+(?:\.\d+)?\s*(?:cr\.?|credits?|credit\s+hours?|semester\s+hours?|units?)\s*[)\]]?\.?\s*$",
    re.I,
)


# A line that only gives the program's hours: "300 Clock Hours", "192.5 Hours Standardized".
HOURS_ONLY_LINE = re.compile(
    r"^\s*(?P<n>\d{2,4}(?:\.\d{1,2})?)\s+(?:total\s+)?(?:clock\s+|contact\s+|instructional\s+)?"
    r"(?:hours|hrs\.?)(?:\s+(?:standardi[sz]ed|total|required|of\s+instruction))?\s*$",
    re.I,
)


# An NCCER module: its number, title and hours, as a curriculum table set them out, often run
# together ("26102-08Electrical Safety10", "57102-11 Site Assessment 10"), maybe with a comment
# after the hours ("40Can be used as a stand-alone ..."); a page sets the hours in brackets
# ("03101-13 Introduction to HVAC (7.5 Hours)").
_MODULE_NUMBER = re.compile(
    r"^(?P<code>\d{5}-\d{2})\s*(?P<title>[A-Z][^\d:]*?[A-Za-z)])"
    r"(?:\s*(?P<open>\()?(?P<n>\d{1,3}(?:\.\d{1,2})?)(?:\s*(?i:hours|hrs?)\.?)?(?(open)\))"
    r"(?:\s*(?P<note>[A-Z(].*))?)?$"
)


# A catalog's credits column after a course title: a figure with two decimals ("6.00", "1.50").
_CREDITS_COLUMN = re.compile(r"\s+\d{1,2}\.\d\d$")


# What a program page says beside its curriculum: how to reach the school ("757-789-1720",
# "Phone: (410) 555-0100", "info@college.edu") and when to apply ("The deadline for applying to
# the program ... is May 1st").
_CONTACT_LINE = re.compile(
    r"^(?:(?:call|phone|tel\.?|telephone|fax|contact(?:\s+us)?|e-?mail)\s*:?\s*)?"
    r"(?:\+?1[\s.-])?(?:\(\d{3}\)\s*|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s*(?:ext\.?|x)\s*\d{1,5})?\.?$"
    r"|^(?:(?:e-?mail|contact)\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$",
    re.I,
)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DEADLINE = re.compile(
    r"\b(?:application|registration|enrollment|enrolment|admissions?)\s+deadlines?\b"
    r"|\bdeadlines?\s+(?:for|to)\s+(?:apply|applying|applications?|registration|register|registering"
    r"|enrollment|enroll|enrolling|admissions?)\b"
    rf"|\b(?:apply|register|enroll)\s+(?:no\s+later\s+than|by|before)\s+{_MONTH}\b",
    re.I,
)
# A line that is nothing but an address on the web ("Source: https://...", "www.college.edu/x").
URL_LINE = re.compile(r"^(?:[A-Za-z ]{1,20}:\s*)?(?:https?://|www\.)\S+$", re.I)


def not_curriculum_text(text: str) -> str | None:
    """The kind of a paragraph of a program page that is no curriculum: a contact line (a phone
    number, an e-mail address) or an application deadline ("attendance and policies"); None for
    any other text."""
    t = " ".join(text.split())
    if _CONTACT_LINE.match(t) or _DEADLINE.search(t):
        return "attendance and policies"
    return None


def is_module_line(text: str) -> bool:
    """A line that names an NCCER module by its number (see :data:`_MODULE_NUMBER`), however
    long the comment after its hours."""
    return _MODULE_NUMBER.match(" ".join(text.split()).strip("*# ")) is not None


def course_heading(text: str) -> CourseHeading | None:
    """A heading or line that names a course by code ("WLD-110 Shielded Metal Arc Welding",
    an NCCER module "26102-08 Electrical Safety 10") or by number ("Module 3: Shop Safety");
    None otherwise."""
    text = _TITLE_CREDITS.sub("", " ".join(text.split()).strip("*# ")).strip("*# ")
    if text and len(text) <= 240 and (module := _MODULE_NUMBER.match(text)) is not None:
        hours = float(module.group("n")) if module.group("n") else None
        title, note = module.group("title").strip(), module.group("note")
        return CourseHeading(code=module.group("code"), title=title, hours=hours, note=note)
    if not text or len(text) > 160 or text.endswith((".", ",", ";")) and not text.endswith(".)"):
        return None
    m = _COURSE_CODE.match(text) or _COURSE_WORD.match(text)
    if not m:
        return None
    title, hours = split_title_hours(m.group("title").strip(), bare=True)
    if m.re is _COURSE_CODE and hours is None:
        title = _CREDITS_COLUMN.sub("", title)  # "CULA 100Intro to Culinary Arts/Baking I 6.00"
    code = m.group("code").strip()
    inner = _COURSE_CODE.match(title) if m.re is _COURSE_WORD else None
    if inner is not None:  # "Module 1: VAS 101 Veterinary Terminology": the course's own code
        code, title = inner.group("code").strip(), inner.group("title").strip().lstrip("-–— ")
    return CourseHeading(code=code, title=title, hours=hours)


# The header line of a course table a web page or catalog flattened to text, its cells one space
# apart: "Course Title Credit Hours", "1st semesterUnits", "Course Code Course Title Clock Hours Lab
# Hours Externship Hours Total Hours". Its last columns are figures each row ends with.
_FIGURE_HEADER = re.compile(
    r"^(?:(?:course\s+(?:code|number|no\.?|#)\s+)?course\s+(?:title|name)|\w+\s+semester|term\s+\d+)\s*"
    r"(?P<rest>(?:(?:clock|contact|lab|lecture|externship|clinical|theory|total|credit|semester)\s+)?"
    r"(?:hours|hrs|credits|units)(?:\s+(?:(?:clock|contact|lab|lecture|externship|clinical|theory|total|credit)"
    r"\s+)?(?:hours|hrs|credits|units))*)$",
    re.I,
)
_FIGURES_END = re.compile(r"(?:\s+(?:\d{1,4}(?:\.\d{1,2})?|-|n/a))+\*?$", re.I)


def figure_columns(text: str) -> tuple[int, int] | None:
    """How many figure columns end each row of the table ``text`` heads, and which one is the
    row's hours (its 1-based place, 0 when they are credits or units); None for any other line."""
    m = _FIGURE_HEADER.match(" ".join(text.split()))
    if m is None:
        return None
    cols = re.findall(r"(?:(\w+)\s+)?(hours|hrs|credits|units)\b", m.group("rest"), re.I)
    names = [f"{a} {b}".strip().lower() for a, b in cols]
    if any(n.endswith(("credits", "units")) or n.startswith(("credit", "semester")) for n in names):
        return len(names), 0
    total = [i for i, n in enumerate(names, 1) if n.startswith("total")]
    return len(names), total[0] if total else 1


def strip_figure_columns(heading: CourseHeading, count: int, hours_at: int) -> CourseHeading:
    """``WDT108 SMAW Fillet/OFC 3`` under a ``Course Title Credit Hours`` header: the title
    without the row's figures, and its hours when a column of the header is hours."""
    m = _FIGURES_END.search(heading.title)
    figures = m.group(0).split() if m else []
    if m is None or m.start() == 0 or len(figures) != count:
        return heading
    hours = _figure(figures[hours_at - 1]) if hours_at else None
    return CourseHeading(heading.code, heading.title[: m.start()].strip(), hours, heading.note)


def _figure(text: str) -> float | None:
    """A figure cell's value; None for a dash or "n/a"."""
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


# A label line that goes on over the next line ("Credential: ... Word and" / "Excel exams").
_CONNECTOR_END = re.compile(
    r"(?:\b(?:and|or|of|for|the|with|to|in|per|by|at|on|from|as)|[,;&(/–-])\s*$", re.I
)


# "X:" prefixes of header lines that are no program field yet open a line of their own.
_OTHER_HEADER_LABELS = re.compile(
    r"^(?:notes?|nb|n\.b\.|important|please\s+note|attention|disclaimer|instructors?|coordinator|director|"
    r"contact|phone|tel|fax|e-?mail|web(?:site)?|url|address|location|campus|room|office(?:\s+hours)?|"
    r"department|division|tuition|costs?|fees?|start\s+dates?|dates?|class\s+dates|delivery|format|mode|"
    r"modality|updated|revised|effective(?:\s+date)?|version|.*\b(?:number|no\.?|id|date|status))$",
    re.I,
)


def continues_label(prev: str, line: str) -> bool:
    """Whether ``line`` is the wrapped rest of the label line ``prev``: the label line ends on a
    connector, the next line starts in lower case, or the label lists items with ``;`` and the
    next line goes on with an item that has a colon of its own (see :func:`_continues_list`)."""
    label = split_label(prev, PROGRAM_LABELS)
    if label is None or prev.rstrip().endswith((".", "!", "?")):
        return False
    if _CONNECTOR_END.search(prev) or line[:1].islower():
        return True
    return _continues_list(label[1], line)


def _continues_list(value: str, line: str) -> bool:
    """``Credentials: NIMS Measurement; NIMS CNC Milling: Operations; NIMS`` wrapped before
    ``CNC Turning: Operations; OSHA 10-Hour card``: the value is a ``;`` list and the line's own
    ``X:`` prefix is no header label (a program or course field, a section, "Note:",
    "Location:") nor a numbered part ("Week 1:"), so it is the rest of an item; a line of its
    own (a course heading, an hours line) never is."""
    m = _LABEL.match(line)
    if ";" not in value or m is None or is_standalone_line(line, any_label=False):
        return False
    prefix = norm_key(m.group(1))
    return not (
        _OTHER_HEADER_LABELS.match(prefix)
        or re.search(r"\s(?:\d+|[ivx]+|[a-z])$", prefix)
        or not_curriculum_section(prefix) is not None
        or is_outcomes_heading(prefix)
        or is_courses_section(prefix)
        or is_prerequisites_section(prefix)
    )


_TOTAL_ROW = re.compile(
    r"^(?:totals?|sub[\s-]*total|grand\s+total)\b|\bsub[\s-]*total\b|\btotal(?:\s+(?:minimum\s+)?hours)?$",
    re.I,
)


def is_total_row(title: str) -> bool:
    """A total, not a course ("Total", "Program Total", "Subtotal", "Total hours")."""
    return bool(_TOTAL_ROW.search(title.strip()))


def hours_heading(text: str) -> CourseHeading | None:
    """A section heading that carries its hours ("Theory (40 hours)", "Road Driving - 80 hrs")
    is a course or module of the program; a total ("Total (160 hours)") is not."""
    title, hours = split_title_hours(" ".join(text.split()).strip("*# "))
    if hours is None or not title or len(title) > 100 or title[-1].isdigit():
        return None  # "Training Term: 3,000 hours" is no "Training Term: 3" of 000 hours
    if is_total_row(title):
        return None
    return CourseHeading(None, title, hours)


def hours_line(text: str) -> CourseHeading | None:
    """A short line of its own naming a unit and its hours ("Road Driving (80 hours)", a heading
    a PDF or plain text gives as a paragraph): not a sentence, at most six words of title."""
    heading = hours_heading(text)
    if heading is None or len(text) > 80 or ":" in text or text.rstrip().endswith((".", ";")):
        return None
    words = heading.title.split()
    if len(words) > 6 or not words[0][:1].isupper() or words[0].lower() in ("a", "an", "the", "this", "our"):
        return None
    return heading


_PROGRAM_OUTCOMES = re.compile(r"^(?:program|graduates?|completers?)\b", re.I)


def is_program_outcomes_heading(text: str) -> bool:
    """An outcomes heading that speaks for the whole program ("Program Outcomes", "Graduates
    will be able to:"), not for the course above it."""
    return is_outcomes_heading(text) and bool(_PROGRAM_OUTCOMES.match(text.strip("*# ")))


def is_outcomes_heading(text: str) -> bool:
    return bool(_OUTCOMES.match(" ".join(text.split()).strip("*#: ") + ":")) or bool(
        _OUTCOMES.match(" ".join(text.split()).strip("*# "))
    )


# Sections a course page sets beside its outcomes, never a group of them ("#### Tools" under
# "### Learning Objectives").
_OWN_SECTION = re.compile(
    r"^(?:(?:in[\s-]class\s+|practice\s+)?(?:tools|exercises|assignments|projects|activities|assessments?"
    r"|homework|schedule|evaluation|grading|quizzes|exams?|problems))$",
    re.I,
)


def is_own_section(text: str) -> bool:
    """A heading of a section of its own beside the outcomes ("Tools", "Exercises", "Assignments")."""
    return bool(_OWN_SECTION.match(" ".join(text.split()).strip("*#: ")))


def is_courses_section(text: str) -> bool:
    return bool(_COURSES_SECTION.match(" ".join(text.split()).strip("*# ")))


def is_prerequisites_section(text: str) -> bool:
    return bool(_PREREQ_SECTION.match(" ".join(text.split()).strip("*# ")))


def is_standalone_line(line: str, *, any_label: bool = True) -> bool:
    """A line that is a block of its own: a course heading, an outcomes label, a labelled field,
    a section that lists what is not curriculum; with ``any_label``, also any short "Label:
    value" line."""
    return (
        course_heading(line) is not None
        or hours_line(line) is not None
        or (len(line) < 120 and is_outcomes_heading(line))
        or (len(line) < 200 and split_label(line, PROGRAM_LABELS) is not None)
        or (len(line) < 120 and split_label(line, COURSE_LABELS) is not None)
        or is_courses_section(line)
        or (len(line) < 80 and not_curriculum_section(line) is not None)
        or (any_label and len(line) < 200 and _FIELD_LINE.match(line) is not None)
        or (any_label and len(line) < 300 and _WEEK_LINE.match(line) is not None)
    )


# A line of a weekly outline: "Week 1 (40 hrs): pre-trip inspection ...", "Days 3-4: ...".
_WEEK_LINE = re.compile(
    r"^(?:weeks?|days?|sessions?|lessons?|phases?)\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\b\s*[(:.–—-]", re.I
)


# A line of program facts no field holds is a field of its own ("Delivery: In person",
# "Location: Bay 4"), never the wrapped end of the line before nor joined with the next.
_FIELD_LINE = re.compile(
    r"^(?:delivery(?: method| format| mode)?|format|modality|location|locations|campus|start dates?|"
    r"next start|class size|instructor|contact|phone|e-?mail|website|program code|days|times|"
    r"meeting (?:days|times)|class (?:days|times))\s*:\s+\S",
    re.I,
)


def title_from_filename(filename: str) -> str:
    """``'welding_certificate-2025.csv'`` -> ``'welding certificate 2025'`` (a last resort)."""
    return " ".join(re.split(r"[_\-\s.]+", Path(filename).stem)).strip()


_ITEM_MARK = re.compile(r"^\s*(?:[-•*·▪●◦]|\d+[.)]|[A-Z]-\d{1,2}[.:)]?(?=\s+[A-Z]))\s*")
# A list item marked by a typed bullet, number or letter ("- ", "• ", "1. ", "(2) ", "a) ").
# Also a Word export's "o" sub-bullet ("o Conduction and convection") and a numbered outcome
# label ("SLO 1:", "Objective 2.", "CLO 3 -").
BULLET = re.compile(
    r"^\s*(?:[-•▪●◦·‣∙*–]|\(?\d{1,2}[.)]|\(?[a-z][.)]|o(?=\s+[A-Z])|"
    # an outline's numbered sub-unit ("1.1 Inspect climbing gear"), never a quantity ("1.5 Hours")
    r"\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\.?(?=\s+[A-Z])(?!\s+(?i:hours?|hrs?|credits?|cr|weeks?|units?|ceus?|contact|clock|semester|quarter|years?|months?|days?|gpa)\b)|"
    r"(?:SLO|PLO|CLO|LO|Outcome|Objective|Competency)\s*#?\d{1,2}\s*[.:)–-]|[A-Z]-\d{1,2}[.:)]?(?=\s+[A-Z]))\s+"
)


def split_outcomes(text: str) -> list[str]:
    """A cell or block of outcomes: one per line or bullet, and a line split at ``;`` where its
    parts are outcomes of their own (see :func:`_semicolon_parts`)."""
    out: list[str] = []
    for line in re.split(r"\r?\n|\s[•▪●·]\s|^[•▪●·]\s", text):
        line = line.strip()
        if out and line[:1].islower() and out[-1][:1].isupper() and not out[-1].endswith((".", ";", ":")):
            # a line wrapped by hand in the cell goes on in lower case after an outcome that starts
            # in upper case; outcomes all written in lower case stay apart
            out[-1] = f"{out[-1]} {line}"
            continue
        out += _semicolon_parts(_ITEM_MARK.sub("", line).strip())
    return out


def _semicolon_parts(line: str) -> list[str]:
    """``Dice onions; Julienne carrots`` is two outcomes, written alike (each part starts in
    upper case, or none does); ``Load, run and unload steam sterilizers; conduct Bowie-Dick
    tests`` is one outcome in two clauses: the part after the ``;`` goes on in lower case.
    A part led by a digit or a symbol ("14C Basics", "χ2-test", "pH meters") is neither: only
    a part that opens with a lower-case word goes on from the one before it."""
    parts = [p for p in (_ITEM_MARK.sub("", x).strip() for x in line.split(";")) if p]
    upper = any(p[:1].isupper() for p in parts)
    if upper and any(_LOWER_WORD.match(p) for p in parts):
        return [line]
    return parts


# A part of a ``;`` list that goes on in lower case: a word ("conduct ...", "a test"), never
# a symbol, a figure or a mixed-case term ("χ2-test", "14C", "iPhone").
_LOWER_WORD = re.compile(r"(?:[a-z]{2,}|a)\b")


# -- what is not curriculum, and what is not a title ----------------------------------------------

_NOT_CURRICULUM_SECTIONS: list[tuple[str, re.Pattern[str]]] = [
    (
        "materials",
        re.compile(
            r"^(?:required\s+|recommended\s+|optional\s+|course\s+|program\s+|class\s+|instructional\s+|student\s+)?"
            r"(?:materials?|text\s*books?|texts?|books?|readings?|reading\s+list|supplies|supply\s+list|"
            r"uniforms?|uniform\s+requirements|dress\s+code|tools?\s+(?:list|required|needed)|what\s+to\s+bring|"
            r"student\s+kit|kits?|equipment\s+(?:list|needed|required))"
            r"(?:\s+(?:and|&)\s+(?:materials?|supplies|fees|equipment|texts?|text\s*books?|uniforms?))?"
            r"(?:\s+(?:list|needed|required|provided))?(?:\s*\([^)]*\))?$",
            re.I,
        ),
    ),
    (
        "attendance and policies",
        re.compile(
            r"^(?:(?:class|course|program|student|school|make[\s-]?up|refund|withdrawal|grading|attendance|"
            r"academic|late\s+work|cell\s+phone)\s+)?(?:attendance|policy|policies|grading(?:\s+scale)?|"
            r"tuition(?:\s+and\s+fees)?|fees|costs?|refunds?|academic\s+integrity|accommodations|"
            r"disability\s+services|office\s+hours|instructor(?:\s+information)?|contacts?(?:\s+information)?|"
            r"financial\s+aid|support\s+services|student\s+services|instructor\s+qualifications?|faculty|"
            r"completion|graduation|e-?mail|phone|telephone|website|(?:etpl\s+)?provider\s+id)"
            r"(?:\s+(?:policy|policies|requirements|information|and\s+\w+))?$",
            re.I,
        ),
    ),
    # a syllabus's resources to buy or look at: "Required Resources", "Additional Resources",
    # "Textbook/Software/Hardware Requirements" ("Required Textbook(s)" is matched above)
    (
        "materials",
        re.compile(
            r"^(?=(?-i:[A-Z]))(?:(?:required|additional|recommended|supplemental|course)\s+resources$"
            r"|(?:text\s*books?|software|hardware)(?:\s*/\s*(?:text\s*books?|software|hardware)){1,2}"
            r"(?:\s+requirements)?$)",
            re.I,
        ),
    ),
    # how a syllabus grades and what it asks of students, not what it teaches: "Evaluation",
    # "Methods of Evaluation", "Special Instructions", "Original Work", "Grading Rubric", "Extra
    # Credit", "Assessment: Project Based" (whole headings only: "Assessment of Welding Skills"
    # or an "Assessment Criteria" list of competencies is no such section; a heading in upper
    # case first, never the wrapped end of a sentence, "assessment.")
    (
        "attendance and policies",
        re.compile(
            r"^(?=(?-i:[A-Z]))(?:evaluation|methods?\s+of\s+evaluation|special\s+instructions"
            r"|original\s+work|course\s*work\s+and\s+grading"
            r"|grading\s+(?:distribution|rubrics?|criteria(?:\s+standards)?|scale|polic(?:y|ies))"
            r"|extra\s+credit|assessments?(?:\s*:\s*[^.:;]{1,40})?)$",
            re.I,
        ),
    ),
    # a course repository's furniture: "Folder Structure", "How to Get Help", "Resources",
    # "Videos", "Cheat sheet", "Self Assessments" (what to look at, not what is taught)
    (
        "resources",
        re.compile(
            r"^(?:folder|repository|repo)\s+structure$|^how\s+to\s+get\s+help$|^getting\s+help$"
            r"|^(?:resources|videos|documents|cheat\s*sheets?|self[\s-]assessments?)$",
            re.I,
        ),
    ),
    (
        "sites",
        re.compile(
            r"^(?:clinical|externship|internship|practicum|training|affiliated|partner)\s+"
            r"(?:sites?|locations?|facilities|partners?|affiliates?|affiliations?|agencies)(?:\s+list)?$"
            r"|^(?:sites?|locations?)\s+(?:list|for\s+(?:clinicals?|externships?))$",
            re.I,
        ),
    ),
]
_NOT_CURRICULUM_ITEM = re.compile(
    r"\b(?:text\s*books?|work\s*books?|ISBN|scrubs|lab\s+coats?|student\s+kit|uniforms)\b"
    r"|\b(?:a|an|the|your|chef|chef's|student|school|clinical|program)\s+uniform\b"
    r"|^uniform\b|\buniform\s*(?:\(|,|\.?$|and\b|&|kit|shirts?|pants|requirements?|policy)"
    r"|\((?:provided|included|not\s+included|purchased\s+separately|to\s+be\s+purchased|required\s+purchase)\)\s*\.?$",
    re.I,
)


def not_curriculum_section(text: str) -> str | None:
    """The kind of a heading or label that opens a list of what is not curriculum
    ("Required Materials", "Textbook", "Attendance Policy", "Clinical Sites"), else None."""
    t = " ".join(text.split()).strip("*#:. ").strip()
    if not t or len(t) > 70:
        return None
    for kind, rx in _NOT_CURRICULUM_SECTIONS:
        if rx.match(t):
            return kind
    return None


def not_curriculum_item(text: str) -> bool:
    """A list item that names a book, a supply or a uniform ("Phlebotomy textbook (provided)")."""
    return bool(_NOT_CURRICULUM_ITEM.search(text)) and len(text) < 200


_BOILERPLATE_TITLE = re.compile(
    r"^(?:(?:course|program|class|training|curriculum)\s+)?(?:syllabus|syllabi|outline|information"
    r"(?:\s+(?:document|sheet|packet))?|overview|guide|handbook|catalog(?:ue)?|description)"
    r"(?:\s*[-–—:,|·]?\s*(?:(?:fall|spring|summer|winter)\s+)?\d{4}(?:\s*[-–]\s*\d{2,4})?(?:\s+(?:cohort|term|semester))?)?$"
    r"|^\d{4}(?:\s*[-–]\s*\d{2,4})?\s+(?:course\s+|program\s+|college\s+)?catalog(?:ue)?$"
    # a page's section heading over its prose: "Program Objective/Description"
    r"|^(?:program|course)\s+(?:objectives?|description|overview)(?:\s*(?:/|&|and)\s*(?:objectives?|description|overview))+$"
    r"|^[=\-_~]{3,}$"
    # a dateline: "Updated for Spring 2026", "Last revised: 08/2024", "Revised 1/15/25"
    r"|^(?:last\s+)?(?:updated|revised)(?:\s*[:\-–]|\s+(?:on|for|in|as\s+of|by)\b|\s+(?=\S*\d)|$).*$"
    r"|^(?:appendix|attachment|exhibit|annex|section|part|page)\s+[a-z0-9]{1,4}$"
    r"|^(?:work\s+process\s+schedule|related\s+instruction\s+outline|and|&|table\s+of\s+contents|contents|"
    r"memorandum|memo|bulletin(?:\s+no\.?)?(?:\s*[\d-]+)?(?:\s+\w+\s+\d{1,2},?\s+\d{4})?|draft|confidential|"
    r"the\s+local\s+program\s+sponsor|"
    r"(?:fall|spring|summer|winter)\s+\d{4}|page\s+\d+(?:\s+of\s+\d+)?|welcome!?|"
    r"our\s+(?:vision|mission|values)|(?:vision|mission)(?:\s+(?:and|&)\s+(?:vision|mission|values))?"
    r"(?:\s+statement)?)$",
    re.I,
)
_INSTITUTION = re.compile(
    r"\b(?:college|university|institute|school|academy|association|department|dept\.|center|centre|"
    r"district|agency|board|council|commission|corporation|corp|inc\.?|llc|ltd|company|assn|office\s+of|"
    r"division\s+of|ministry|foundation|union|local\s+\d+)\b|\bl\.l\.c\b|\bco\.(?=,|$)",
    re.I,
)
_PROGRAM_WORDS = re.compile(
    r"\b(?:certificate|certification|program|course|training|diploma|degree|apprenticeship|syllabus|"
    r"fundamentals|introduction|intro|technician|assistant|operator|technology|basics|level\s+\d"
    r"|apprentice|pre-apprentice|bootcamp|boot\s+camp)\b",
    re.I,
)


# A cover note wholly in parentheses ("(Sponsor(s) with multiple occupations must complete an
# Appendix A for each occupation)"), or whom a form was drawn up for ("DEVELOPED FOR The University
# of Alabama ... AND APPROVED BY ...").
_COVER_NOTE = re.compile(r"^\(.*\)$|^developed\s+for\b", re.I)
# A badge a page shows above its title: "NABCEP Registered Provider_Photovoltaic", "Approved
# Training Provider".
_BADGE = re.compile(
    r"^(?:\S+\s+){0,3}(?:registered|approved|authori[sz]ed|accredited)\s+(?:training\s+)?provider(?![a-z])",
    re.I,
)


def is_boilerplate_title(text: str) -> bool:
    """Document furniture that is no title: "Syllabus", "COURSE INFORMATION DOCUMENT",
    "Appendix A", "WORK PROCESS SCHEDULE", "Fall 2024", a cover note in parentheses, a
    "DEVELOPED FOR ..." line, a provider's badge ("NABCEP Registered Provider_Photovoltaic")."""
    t = " ".join(text.split()).strip("*#:. ")
    return bool(_BOILERPLATE_TITLE.match(t) or _COVER_NOTE.match(t) or _BADGE.match(t))


_SENTENCE_BREAK = re.compile(r"[.?!]\s+(?=[A-Z])")


def is_no_title_line(line: str) -> bool:
    """A line of a web page that is no title: a question or a banner that asks one ("Can't pay
    your tuition? Apply ..."), an image's caption of several sentences ("Get Out of Bed. Nurse
    Helps."), or a paragraph of prose."""
    if "?" in line or len(_SENTENCE_BREAK.findall(line)) >= 2:
        return True
    return len(line) > 150 or (line.endswith((".", "!", ";")) and len(line.split()) >= 12)


_NAME = r"[A-Z][\w&/+'-]*(?:\s+(?:[A-Z][\w&/+'-]*|\([A-Z][A-Za-z]{1,7}\)|of|and|&|in|for))*"
_NAMED_PROGRAM = re.compile(
    rf"^(?:[Tt]he\s+)?(?P<name>{_NAME})\s+(?:(?:certificate\s+)?program|certificate|coursework|training)\s+"
    r"(?:is|prepares|provides|trains)\b"
    rf"|^(?:[Tt]he\s+)?(?P<named>{_NAME})\s+is\s+(?:a|an|\d+)\b[^.]{{0,40}}?\b(?:program|certificate)\b"
)
_NOT_A_NAME = re.compile(r"^(?:the|this|our|these|students?|you|it|each|all|upon|after|graduates?)\b", re.I)


def program_named(text: str) -> str | None:
    """The program a paragraph's opening sentence names ("The Patient Care Technician (PCT)
    program is designed ...": "Patient Care Technician (PCT)"; "Welding (WDT) is 60 semester
    hour program ...": "Welding (WDT)"); None otherwise."""
    m = _NAMED_PROGRAM.match(text)
    if m is None:
        return None
    name = m.group("name") or m.group("named")
    return None if _NOT_A_NAME.match(name) or len(name) > 80 else name


# A form's blank for a value: a run of underscores ("____________", "____ Date: ____ (Agency
# Rep)": the blank, then the next field of the form or its caption), or a prompt in brackets
# ("[Insert sponsor name]", "<enter date>", "(fill in)").
_FORM_BLANK = re.compile(
    r"^(?:_{3,}.*|[\[<(]\s*(?:insert|enter|type|fill\s+in|add)\b[^\]>)]*[\]>)])$",
    re.I,
)


def is_form_blank(value: str) -> bool:
    """Whether a label's value is a blank form field rather than a value (see :data:`_FORM_BLANK`)."""
    return bool(_FORM_BLANK.match(" ".join(value.split()).strip("*: ")))


# Names of schools that hold a program word: "Lakeshore Building Trades Training Center",
# "Workforce Education Division", "Ironwood Institute of Technology".
_SCHOOL_NAMES = re.compile(
    r"\b(?:training|technology|education|career)\s+(?:center|centre|institute|academy|school|division|"
    r"department)\b|\b(?:institute|college|school|university)\s+of\s+technology\b",
    re.I,
)


def looks_like_institution(text: str) -> bool:
    """A school's or organisation's name rather than a program's ("Example Community College",
    "AMERICAN FIRE AND SPRINKLER ASSOCIATION", "Lakeshore Building Trades Training Center")."""
    t = " ".join(text.split())
    words = _SCHOOL_NAMES.sub(" ", t)
    return len(t) <= 90 and bool(_INSTITUTION.search(t)) and not _PROGRAM_WORDS.search(words)


_NAME_PARTS = re.compile(r"\s+[|•]\s+")
_SITE_NAME = re.compile(r"\s+\\?\|\s+")  # "\|": a bar Markdown writers escape


def without_site_name(title: str) -> str:
    """A web page's title without the site's name after a bar ("Carpentry Pre-Apprenticeship |
    Harmon Valley Community College Workforce Institute"), as a converter carries the page's
    ``<title>`` into a document's title or front matter; other titles as they are."""
    parts = _SITE_NAME.split(title)
    if len(parts) < 2 or not looks_like_institution(parts[-1]) or looks_like_institution(parts[0]):
        return title
    return " | ".join(parts[:-1])


# A page's breadcrumb: "You are here: West Shore College / Programs / Certified Production Tech".
_YOU_ARE_HERE = re.compile(r"^you\s+are\s+here(?:\s+now)?\s*:\s*", re.I)
_CRUMB_STEP = re.compile(r"\s+[/>›»]\s+")
_OFFERED_BY = re.compile(r"^(?:offered|provided|presented|delivered|taught)\s+by\s+", re.I)


def institution_line(text: str) -> str | None:
    """The provider a line names when it names a school: the line itself ("Riverbend Technical
    College - School of Health Careers"), or for parts set apart by ``|`` or ``•`` a school
    first, then the units of it that follow, joined by " - " ("Summit Ridge Technical Institute
    | School of Information Technology": a unit's name may hold program words) without what
    comes after them (an address, a phone number). None when the line names no school first or
    a part names a program ("Riverbend College | Welding Certificate")."""
    text = _OFFERED_BY.sub("", " ".join(text.split()))  # "Offered by Pinecrest College, ..."
    if (crumbs := _YOU_ARE_HERE.match(text)) is not None:  # a breadcrumb: the school it starts at
        first = _CRUMB_STEP.split(text[crumbs.end() :])[0]
        return first if looks_like_institution(first) else None
    if "___" in text:
        return None  # a form line ("Approved by: ______ Date: ____ (Registration Agency Rep)")
    if (m := _FIELD_LINE.match(text)) and not _INSTITUTION.search(m.group(0)):
        return None  # "Location: Transportation Center, Bay 4" is a field, not a school
    parts = _NAME_PARTS.split(text)
    if len(parts) == 1:
        return parts[0] if looks_like_institution(parts[0]) else None
    if not looks_like_institution(parts[0]):
        return None
    if any(_PROGRAM_WORDS.search(p) and not _INSTITUTION.search(p) for p in parts[1:]):
        return None
    name = [parts[0]]
    for unit in parts[1:]:
        if len(unit) > 90 or not _INSTITUTION.search(unit):
            break
        name.append(unit)
    return " - ".join(name)


# A row or item of a schedule on which the class does not meet: "No Meeting", "No class",
# "Holiday", "Spring Break (No class)", "Thanksgiving Break", "Labor Day - no classes".
_NO_CLASS = r"no\s+(?:class(?:es)?|meetings?|lectures?|sessions?|school|labs?)\b"
_NO_MEETING = re.compile(
    # "No class", "Week 5: No class", "Oct 12 - no class"
    r"^(?:(?:(?:(?:week|session|class|day|lesson|meeting|lecture)\s*#?\d{1,2}"
    r"|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}(?:/\d{2,4})?)\s*[-–—:(,]\s*)?"
    rf"{_NO_CLASS}(?:\s+(?:today|this\s+week|held|scheduled))?(?:\s*[-–—:(,]\s*[^()]{{1,40}}\)?)?[^a-z]*"
    # "Holiday", "Spring Break", "Thanksgiving Break", "Winter Recess"
    r"|(?:(?:spring|fall|autumn|winter|summer|thanksgiving|mid-?term|midsemester|reading|easter|christmas"
    r"|semester|term|holiday)\s+)?(?:break|recess|holidays?|vacation)"
    # "Labor Day", "MLK Day (no class)"
    r"|(?:labou?r|memorial|independence|veterans'?|presidents'?|mlk(?:\s+jr\.?)?"
    r"|martin\s+luther\s+king,?(?:\s+jr\.?)?|columbus|indigenous\s+peoples'?|juneteenth)\s+day"
    r"(?:\s+(?:holiday|observed|break))?"
    r"|(?:campus|college|school)\s+closed|class\s+cancell?ed|cancell?ed)"
    # ... and what follows: "(No class)", "- no classes", ": campus closed"
    rf"(?:\s*[-–—:,]?\s*\(?\s*(?:{_NO_CLASS}|(?:campus|college|school)\s+closed|holiday)\s*\)?)?\s*[.!]?$",
    re.I,
)


def is_no_meeting(title: str) -> bool:
    """A schedule row or item on which no class meets ("No Meeting", "No class", "Holiday",
    "Spring Break (No class)", "Thanksgiving Break", "Labor Day - no classes"): no unit of the
    program. A unit that only names a holiday as a topic ("Holiday Baking") is one."""
    t = " ".join(title.split()).strip("*_#: ")
    return bool(t) and len(t) <= 80 and _NO_MEETING.match(t) is not None
