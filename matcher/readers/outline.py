"""From a document outline (headings, paragraphs, list items, tables, each with its page or
line) to a :class:`~matcher.program.Program`.

The Markdown, DOCX, PDF, HTML and plain-text readers turn their files into :class:`Block` s;
this module decides what is the title, the description, a course, a learning outcome, a
labelled field or a list that is not curriculum:

- the **title** is, by strength: a ``Course Title:`` / ``Program Title:`` label; else the first
  heading that is not document furniture ("Syllabus", "COURSE INFORMATION DOCUMENT",
  "Appendix A", "WORK PROCESS SCHEDULE") nor an institution's name (which becomes the provider
  when none is stated); else a ``Subject:`` line; else the first short paragraph;
- a school's name on its own line or heading right under the title is the provider ("Summit
  Ridge Technical Institute | School of Information Technology": the school and its units);
- a heading or short line that names a course ("WLD-110 Shielded Metal Arc Welding",
  "Module 3: Shop Safety") opens a course; so does any sub-heading of a "Courses"/"Curriculum"
  section. Paragraphs under it are the course description, list items and the lines under a
  "Learning outcomes" heading are its outcomes, "Hours: 75" its hours;
- "Provider:", "Credential:", "Clock hours:", "Weeks:", "CIP:", "SOC:" lines fill those fields
  (not a blank form field, "Provider: ________"); a "Total hours" line under an on-the-job heading
  is no clock hours. An apprenticeship's stated related instruction ("supplemented by the minimum
  required 576 hours of related instruction") gives the clock hours when no total or label does,
  before a sum of the courses' hours;
- a table whose header names course columns (see :mod:`matcher.readers.tabular`), or whose
  rows pair a course title with its hours ("Basic Safety | 12.5"), lists courses;
- the program's outcomes run under an outcomes heading and the deeper headings that group them
  ("## Learning Outcomes" / "### DC Cohorts" / "**Week 1:**" / items; the "Week 1:" captions and
  repeats left out); a paragraph followed by more text or a table after the outcomes' list items,
  and the rows of a table read as lines, end them ("One Year Completion - Online" and a schedule
  table under a list of outcomes);
- materials, textbook, supply, attendance, contacts, clinical-site and a repository's resource
  sections ("Folder Structure", "How to Get Help", "Videos"), and list items that name a book or
  a supply ("Phlebotomy textbook (provided)"), go to ``Program.not_curriculum``; a "License:"
  line that reads as a sentence ("LICENSE: The license for this repository.") is no credential;
- a weekly schedule table ("Week # | Class Description | Homework") lists the program's units,
  unless the document names courses besides it (then it is their calendar, read as text);
- a line that only gives credits ("3 units"), or a course syllabus's header line with one
  "N Credits" part ("CSC211, 3 Credits, CRN 12345 | Online Format"), is the program's credit
  hours when it is the only one;
- everything else at program level is the description, with the page/line of each paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from matcher.program import Program, Provenance, SourceRef, program_from_dict
from matcher.readers import fields as F
from matcher.readers.duration import add_length, length_label

BlockKind = Literal["heading", "para", "item", "table"]

_ITEM_LEVEL = 9  # a course opened by a list item: below every heading level
# Title strengths: a title label beats a heading, which beats a "Subject:" line, which beats
# the first short paragraph.
_FIRST_LINE, _SUBJECT, _HEADING, _LABEL = 1, 2, 3, 4
_ON_THE_JOB = re.compile(r"on[\s-]the[\s-]job|work\s+process|\bOJ[LT]\b", re.I)
_TOTAL_HOURS_LINE = re.compile(
    r"^total\s*:?\s*(?:minimum\s+|required\s+)?(?:clock\s+|contact\s+|instructional\s+|program\s+|course\s+)?"
    r"(?:hours\s*:?\s*)?(?:[|–—]\s*)?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?:clock\s+)?(?:hours|hrs\.?)?(?:\s*\|)?$",
    re.I,
)
_TOTAL_CREDITS_LABEL = re.compile(r"^total\s+(?:credit\s+hours?|credits?)\s*:", re.I)
# A line that only gives credits ("3 units", "4 Credit Hours"): the program's when it is the
# only such line at program level (a class page's "3 units" beside its title).
_CREDITS_LINE = re.compile(
    r"^(?P<n>\d{1,3}(?:\.\d+)?)\s+(?:(?:semester|quarter)\s+)?(?:units?|credits?|credit\s+(?:hours?|units?))\.?$",
    re.I,
)
# The parts of a course syllabus's header line: "CSC211, 3 Credits, CRN 12345 | Online Format".
_HEADER_PARTS = re.compile(r"\s*[,|•·]\s+|\s+[|•·]\s*")


def _header_credits(text: str) -> float | None:
    """The credits a line gives: a line that only says them ("3 units"), or one short part of a
    header line of parts set apart by commas or bars ("CSC211, 3 Credits, CRN 12345 | Online
    Format", "Section 02, Credits: 4, Fall 2025"); None for other lines and for a line of
    several credits parts (a list of courses)."""
    if (m := _CREDITS_LINE.match(text)) is not None:
        return float(m.group("n"))
    parts = [p.strip() for p in _HEADER_PARTS.split(text) if p.strip()] if len(text) <= 160 else []
    if len(parts) < 2 or text.rstrip().endswith((".", "!", "?")) or any(len(p.split()) > 6 for p in parts):
        return None
    found = []
    for part in parts:
        if (m := _CREDITS_LINE.match(part)) is not None:
            found.append(float(m.group("n")))
        elif (label := F.split_label(part, F.PROGRAM_LABELS)) and label[0] == "credit_hours":
            if re.fullmatch(r"\d{1,2}(?:\.\d+)?", label[1].strip()):
                found.append(float(label[1]))
    return found[0] if len(found) == 1 else None  # "Math, 3 credits, English, 3 credits": a list


# How clock hours added up from the courses are recorded (read_from): prose that states them wins.
SUMMED_HOURS = "sum of the hours of"
_FACT_SEPARATOR = re.compile(r"\s+[|·•]\s+")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.I)
# A heading over the topics a course covers ("Course Outline", "Topic Outline", "Outline"): its
# list items are what the program teaches when the document names no courses.
_TOPIC_OUTLINE = re.compile(
    r"^(?:(?:course|topic|topical|content)\s+)?outline(?:\s+of\s+topics)?\s*:?$", re.I
)
_HOURS_CELL = re.compile(
    r"^\s*(\d{1,4}(?:[.,]\d+)?)\s*(?:(?:clock\s+|contact\s+)?(?:hours|hrs?\.?|h))?\s*$", re.I
)


# A company's name ends in an abbreviation, not a sentence: "WINN'S CAREER EDUCATION, Inc."
_COMPANY_END = re.compile(r"\b(?:Inc|Co|Corp|Ltd|L\.L\.C|LLC|Assn)\.$", re.I)
_HOURS_N = r"(?<![\d.,–-])(?<![\d][–-])(?<![\d]\s[–-]\s)(?P<n>\d[\d,]*(?:\.\d+)?)"
# Not hours a year, a week or a level: "144 hours of related instruction per year".
_NOT_PER = (
    r"(?!\s+(?:per|each|a|every|for\s+each|in\s+each)\s+(?:year|week|month|term|semester|level|period)"
    r"|\s+annually)"
)
# The related instruction an apprenticeship's standards state, the program's classroom hours:
# "supplemented by the minimum required 1172 total hours of related instruction", "576 hours of
# related technical instruction", "Related instruction: 144 hours" (never the on-the-job hours).
RELATED_HOURS = [
    re.compile(
        rf"\bsupplemented\s+by\s+(?:the\s+|a\s+)?(?:minimum\s+(?:of\s+)?|minimum\s+required\s+|required\s+)?"
        rf"{_HOURS_N}\s+(?:total\s+)?(?:clock\s+|contact\s+)?hours\s+of\s+related\s+(?:technical\s+)?"
        rf"(?:instruction|training)\b{_NOT_PER}",
        re.I,
    ),
    re.compile(
        rf"{_HOURS_N}\s+(?:total\s+)?(?:clock\s+|contact\s+)?hours\s+of\s+related\s+(?:technical\s+)?"
        rf"(?:instruction|training)\b{_NOT_PER}",
        re.I,
    ),
    re.compile(
        rf"\b(?:total\s+)?related\s+(?:technical\s+)?instruction(?:\s+hours)?\s*[:=–-]\s*"
        rf"(?>{_HOURS_N}(?:\s*(?:clock\s+|contact\s+)?(?:hours|hrs)\.?)?)(?!\s*[–-]\s*\d){_NOT_PER}",
        re.I,
    ),
]


def related_hours(text: str) -> re.Match[str] | None:
    """The hours of related instruction ``text`` states (see :data:`RELATED_HOURS`), or None."""
    for rx in RELATED_HOURS:
        if (m := rx.search(text)) is not None:
            return m
    return None


def _ends_with_outcomes_lead_in(text: str) -> bool:
    """A paragraph whose last sentence leads in to the outcomes listed under it ("All graduates
    are expected to ... In addition, graduates of this major will be able to:")."""
    if len(text) < 120 or not text.endswith(":"):
        return False
    last = re.split(r"(?<=[.!?])\s+", text)[-1]
    return len(last) < 200 and (F.is_outcomes_heading(last) or _LEAD_IN_END.search(last) is not None)


_LEAD_IN_END = re.compile(r"\b(?:will|should|shall)\s+be\s+(?:able|prepared)\s+to\s*:$", re.I)


def _company_line(text: str) -> bool:
    """A school's or company's name whose last word is an abbreviation ("WINN'S CAREER
    EDUCATION, Inc."): its full stop ends no sentence."""
    return _COMPANY_END.search(text) is not None and F.institution_line(text) is not None


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    level: int = 0  # headings: 1 = title level; 0 for non-headings
    page: int | None = None
    line: int | None = None
    rows: tuple[tuple[str, ...], ...] = ()  # tables only; first row = header


@dataclass
class _Course:
    code: str | None
    title: str
    level: int
    page: int | None
    line: int | None
    hours: float | None = None
    description: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    in_outcomes: bool = False
    other: str | None = None  # an open not-curriculum sub-section ("materials")
    listed: bool = False  # opened by a list item ("1. Pole Safety (80 hours)"): takes items only


@dataclass
class OutlineBuilder:
    filename: str
    fallback_title: str | None = None
    title: str = ""
    title_rank: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    read_from: dict[str, Provenance] = field(default_factory=dict)
    description: list[tuple[str, SourceRef]] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, SourceRef]] = field(default_factory=list)
    not_curriculum: list[tuple[str, SourceRef]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    course: _Course | None = None
    mode: str = "description"  # description | outcomes | prerequisites | other
    other_kind: str | None = None  # the open not-curriculum section at program level ...
    other_level: int = 0  # ... and its heading level
    courses_level: int | None = None  # level of an open "Courses" section heading
    outcomes_level: int | None = None  # level of the heading that opened program outcomes ...
    outcome_items: int = 0  # ... the list items read under it so far ...
    outcomes_before: int = 0  # ... how many outcomes there were when it opened ...
    outcomes_grouped: bool = False  # ... and whether its outcomes are grouped under sub-headings
    table_row: bool = False  # a table row read as a paragraph is being added
    # a paragraph after the outcomes' list items, an outcome unless text or a table follows it
    outcome_pending: tuple[str, SourceRef, bool] | None = None
    credit_lines: list[tuple[float, Provenance]] = field(default_factory=list)  # "3 units" lines
    seen_text: bool = False  # prose came before any title
    last_heading: str = ""  # the text of the newest heading (section context)
    subject_open: bool = False  # a "Subject:" title that ends with a colon continues
    first_heading_course: str = ""  # the document's first block, a level-1 heading naming a course
    level1_courses: int = 0  # level-1 headings naming a course (one: a course's own syllabus)
    blocks_seen: int = 0  # blocks added so far ...
    title_block: int = -1  # ... and the number of the heading that gave the title
    stated: set[str] = field(default_factory=set)  # fields a label of their own stated
    course_name_labels: int = 0  # "Course Name:" label lines in the document (two or more open courses)
    credits: list[float | None] = field(default_factory=list)  # credits of the courses tables list
    figure_columns: tuple[int, int] | None = None  # a text course table's figure columns, see columns_of
    related: Provenance | None = None  # the stated hours of related instruction ...
    related_hours: float | None = None  # ... the program's clock hours unless a total or label says
    topics_level: int | None = None  # level of an open "Course Outline" heading ...
    # ... and the items read under it as outcomes, with the place in the description each
    # goes back to when the document lists courses after all
    topic_items: list[tuple[int, tuple[str, SourceRef]]] = field(default_factory=list)
    # the units of weekly schedule tables: where in the description each table stood, its rows
    # as text, and the units (see :meth:`_weekly_back`)
    weekly: list[tuple[int, list[str], SourceRef, list[dict[str, Any]]]] = field(default_factory=list)
    # "Total Hours:170" lines at program level: the hours, how many courses came before, the line
    totals: list[tuple[float, int, Provenance]] = field(default_factory=list)
    totals_unclear: bool = False  # ... which do not add up: no clock hours, not even a sum of courses

    # -- sources ----------------------------------------------------------------------------
    def ref(self, b: Block, **kw: Any) -> SourceRef:
        return SourceRef(file=self.filename, page=b.page, line=b.line, **kw)

    def _set_title(self, text: str, rank: int, b: Block | None, how: str) -> None:
        self.title, self.title_rank = F.without_site_name(text), rank
        src = self.ref(b) if b is not None else SourceRef(file=self.filename)
        self.read_from["title"] = Provenance(text=f"{how}: {text}", source=src)

    # -- blocks -----------------------------------------------------------------------------
    def add(self, b: Block) -> None:
        self.blocks_seen += 1
        text = " ".join(b.text.split())
        if self.outcome_pending is not None and (b.kind == "table" or b.kind == "para" and text):
            self._end_outcomes()
        elif b.kind != "table" and text:
            self.outcome_pending = None
        if self.related is None and self.course is None and b.kind != "table":
            self._related_hours(b, text)
        if b.kind == "table":
            self._table(b)
        elif not text:
            return
        elif b.kind == "heading":
            self._heading(b, text)
        elif b.kind == "item":
            self._item(b, text)
        else:
            self._para(b, text)

    def _title_candidate(self, b: Block, text: str) -> bool:
        """Take ``text`` as the title, or skip it as furniture / an institution; False when it
        is neither (a real section heading)."""
        if F.is_boilerplate_title(text) or F.URL_LINE.match(text):
            return True  # furniture, or an address on the web: never the title
        if F.is_no_title_line(text):
            return False  # a question, a banner, a caption: a section of the page
        if (name := F.institution_line(text)) is not None:
            if "provider" not in self.values:
                self._set_provider(name, text, self.ref(b))
            return True
        self._set_title(text, _HEADING, b, "heading")
        self.title_block = self.blocks_seen
        return True

    def _set_provider(self, name: str, line: str, ref: SourceRef) -> None:
        """The provider a school line names, read from that line."""
        self.values["provider"] = name
        self.read_from["provider"] = Provenance(text=line, source=ref)

    def _provider_heading(self, b: Block, text: str) -> bool:
        """A heading right under the title that names a school (a bold line "Riverside Technical
        College | School of Health Sciences") is the provider, as such a paragraph is (see
        :meth:`_provider_line`)."""
        if "provider" in self.values or self.title_block != self.blocks_seen - 1:
            return False
        name = F.institution_line(text)
        if name is None:
            return False
        self._set_provider(name, text, self.ref(b))
        return True

    def _heading(self, b: Block, text: str) -> None:
        level = b.level or 6
        self.last_heading = text
        self.figure_columns = None  # a table's header line heads the rows of its own section only
        if level == 1 and F.course_heading(text) is not None:
            self.level1_courses += 1
            if self.blocks_seen == 1:  # "MAD9013 Cross-Platform Web Design": a course's syllabus
                self.first_heading_course = text
        if self.topics_level is not None and level <= self.topics_level:
            self.topics_level = None
        heading = F.course_heading(text)
        other = F.not_curriculum_section(text)
        if (
            self.title_rank < _SUBJECT
            and not self.seen_text
            and heading is None
            and other is None
            and self.course is None
            and not self._is_keyword(text)
            and self._title_candidate(b, text)
        ):
            return
        if heading is None and other is None and self._provider_heading(b, text):
            return
        if self.other_kind is not None and level <= self.other_level:
            self.other_kind = None
            if self.mode == "other":
                self.mode = "description"
        if other is not None:
            if self.course is not None and level > self.course.level:
                self.course.other = other
                self.course.in_outcomes = False
                return
            self._close_course()
            self.other_kind, self.other_level, self.mode = other, level, "other"
            return
        if self.courses_level is not None and level <= self.courses_level and heading is None:
            self.courses_level = None
        in_courses = self.courses_level is not None and level > self.courses_level
        if heading is None and in_courses and not self._is_keyword(text):
            if self.course is None or level <= self.course.level:
                heading = F.CourseHeading(None, *F.split_title_hours(text))
        if (
            heading is None
            and not self._is_keyword(text)
            and (self.course is None or level <= self.course.level)
        ):
            heading = F.hours_heading(text)  # "Road Driving (80 hours)": a unit of the program
        if heading is not None:
            self._open_course(heading, level, b)
            return
        inside = self.course is not None and level > self.course.level
        if F.is_outcomes_heading(text):
            # "Learning outcomes" belongs to the open course unless it is a higher-level heading
            # or speaks for the program ("Program Outcomes" after the last course)
            if (
                self.course is not None
                and level >= self.course.level
                and not F.is_program_outcomes_heading(text)
            ):
                self.course.in_outcomes, self.course.other = True, None
                return
            self._close_course()
            self._open_outcomes(level)
        elif F.is_courses_section(text):
            self._close_course()
            self.courses_level = level
            self.mode = "description"
            self.topics_level = level if _TOPIC_OUTLINE.match(text) else None
        elif inside:
            assert self.course is not None
            self.course.in_outcomes, self.course.other = False, None
        elif self._outcomes_sub_heading(level, text):
            return  # "### DC Cohorts" under "## Learning Outcomes": its items are outcomes too
        elif self.mode == "other" and self.other_kind == "resources" and self.course is None:
            return  # "#### 1. Gather information" under "### How to Get Help": still not curriculum
        else:
            self._close_course()
            self.mode = "prerequisites" if F.is_prerequisites_section(text) else "description"
            if self.mode == "description" and _TOPIC_OUTLINE.match(text):
                self.topics_level = level

    def _open_outcomes(self, level: int | None) -> None:
        """Program outcomes follow, under a heading of ``level`` (None: a lead-in line, which
        keeps the level of an outcomes heading above it)."""
        if self.mode != "outcomes" or level is not None:
            self.outcomes_level, self.outcomes_grouped = level, False
            self.outcomes_before = len(self.outcomes)
        self.outcome_items = 0
        self.mode = "outcomes"

    def _outcomes_sub_heading(self, level: int, text: str) -> bool:
        """A heading deeper than the program's outcomes heading that groups its outcomes
        ("## Learning Outcomes" / "### DC Cohorts" / "**Week 1:**" / items): the outcomes go on
        under it. Once outcomes were listed right under the outcomes heading, a deeper heading
        is a section of its own ("### Learning Objectives" / items / "#### Outline"), and so is
        one named as such ("#### Tools", "#### Exercises")."""
        if (
            self.mode != "outcomes"
            or self.course is not None
            or self.outcomes_level is None
            or level <= self.outcomes_level
            or F.is_prerequisites_section(text)
            or F.is_own_section(text)
        ):
            return False
        if not self.outcomes_grouped and len(self.outcomes) > self.outcomes_before:
            return False
        self.outcomes_grouped, self.outcome_items = True, 0
        return True

    def _related_hours(self, b: Block, text: str) -> None:
        """``... supplemented by the minimum required 1172 total hours of related instruction``:
        the first such statement at program level is kept for :meth:`program`."""
        if (m := related_hours(text)) is not None:
            self.related_hours = float(m.group("n").replace(",", ""))
            self.related = Provenance(text=m.group(0), source=self.ref(b))

    def _tuition(self, b: Block, text: str) -> bool:
        """``Tuition & fees: $1,295 (includes textbook and scrubs)``: the program's tuition, kept
        as written among what is not curriculum too."""
        label = F.split_label(text, F.PROGRAM_LABELS)
        if label is None or label[0] != "tuition_and_fees" or not self._set_value(*label, b=b, text=text):
            return False
        self.not_curriculum.append((text, self.ref(b, field="attendance and policies")))
        return True

    def _other_label(self, b: Block, text: str) -> bool:
        """``Textbook: Phlebotomy Essentials`` / ``Supplies:`` lines: not curriculum."""
        if self.course is None and self._tuition(b, text):
            return True
        m = F._LABEL.match(text)
        if m is None or len(text) > 400:
            return False
        kind = F.not_curriculum_section(m.group(1))
        if kind is None:
            return False
        self.not_curriculum.append((m.group(2).strip("* "), self.ref(b, field=kind)))
        return True

    def _facts_line(self, b: Block, text: str) -> bool:
        """One line of several program facts set apart by bars or dots ("Provider: Midstate
        Technical College | Credential: Certificate | Length: 10 weeks"): each fact on its own,
        when at least two are program labels."""
        parts = _FACT_SEPARATOR.split(text) if len(text) < 400 else []
        labels = [F.split_label(p, F.PROGRAM_LABELS) for p in parts]
        if sum(label is not None for label in labels) < 2:
            # labelled lines a converter ran together into one paragraph ("Provider: Bayview
            # College Clock hours: 560 Length: 14 weeks")
            parts = F.run_on_labels(text) or []
            labels = [F.split_label(p, F.PROGRAM_LABELS) for p in parts]
            if not parts:
                return False
        for part, label in zip(parts, labels, strict=True):
            if label is not None:
                self._set_value(*label, b=b, text=part)
            else:
                self._other_label(b, part)
        return True

    def _para(self, b: Block, text: str) -> None:
        if _COPYRIGHT.match(text):  # a page footer: "© 2025 Lakeshore Technical Institute · ..."
            return
        if self.course is not None and self.course.listed:
            self._close_course()  # a paragraph after a listed course's items is the program's again
        c = self.course
        if c is not None and c.hours is not None and _TOTAL_HOURS_LINE.match(text):
            self._close_course()  # "Total Hours:170" under the last module of a block: its subtotal
            c = None
        if c is not None and _TOTAL_CREDITS_LABEL.match(text):
            self._close_course()  # "Total credits: 11" under the last course: the program's credits
            c = None
        if c is not None:
            label = F.split_label(text, F.COURSE_LABELS)
            if label and len(text) < 120:
                if label[0] == "hours":
                    c.hours = F.parse_number(label[1])
                elif label[0] == "code":
                    c.code = label[1]
                return
        if self.course_name_labels >= 2 and (named := _course_name_label(text)) is not None:
            self._open_course(named, (self.courses_level or 1) + 1, b)  # "COURSE NAME: ... Course Number:"
            return
        if (
            c is not None
            and c.code is None
            and not c.description
            and not c.outcomes
            and _CODE_LINE.match(text)
            and self.course_name_labels >= 2
        ):
            c.code = text.strip()  # the code a "Course Number:" label left for the next line
            return
        if (columns := F.figure_columns(text)) is not None:
            self.figure_columns = columns  # "Course Title Credit Hours": the header of the rows below
            return
        if (len(text) < 160 or F.is_module_line(text)) and (
            heading := F.course_heading(text) or F.hours_line(text)
        ):
            if self.figure_columns is not None and heading.hours is None:
                heading = F.strip_figure_columns(heading, *self.figure_columns)
            level = c.level if c is not None else (self.courses_level or 1) + 1
            self._open_course(heading, level, b)
            return
        if F.is_courses_section(text):  # a "Courses" / "COURSE DESCRIPTIONS" line of plain text
            self._close_course()
            self.courses_level, self.mode = 2, "description"
            return
        if c is None and F.is_prerequisites_section(text):  # "Admission Requirements / Prerequisites"
            self.mode = "prerequisites"
            return
        if c is None and self.mode == "description" and _ends_with_outcomes_lead_in(text):
            # "... In addition to these campus-wide outcomes, graduates of this major will be able to:"
            self._program_text(b, text)
            self._open_outcomes(None)
            return
        if len(text) < 120 and F.is_outcomes_heading(text):
            if c is not None and F.is_program_outcomes_heading(text):
                self._close_course()
                self._open_outcomes(None)
            elif c is not None:
                c.in_outcomes, c.other = True, None
            else:
                self._open_outcomes(None)
            return
        if len(text) < 80 and (other := F.not_curriculum_section(text)) is not None:
            if c is not None:
                c.other, c.in_outcomes = other, False
            else:
                self.other_kind, self.other_level, self.mode = other, 99, "other"
            return
        if self._other_label(b, text):
            return
        if c is None and (credits := _header_credits(text)) is not None:
            self.credit_lines.append((credits, Provenance(text=text, source=self.ref(b))))
        if (total := _TOTAL_HOURS_LINE.match(text)) is not None:
            if not _ON_THE_JOB.search(self.last_heading):
                n = float(total.group("n").replace(",", ""))
                said = Provenance(text=text, source=self.ref(b))
                if c is None:
                    self.totals.append((n, len(self.courses), said))
                if "clock_hours" not in self.values:
                    self.values["clock_hours"] = n
                    self.read_from["clock_hours"] = said
            return
        if c is not None:
            if c.other is not None:
                self.not_curriculum.append((text, self.ref(b, course=c.code or c.title, field=c.other)))
            elif c.in_outcomes:
                c.outcomes.append((text, b.page, b.line))
            else:
                c.description.append(text)
            return
        if self._facts_line(b, text):
            return
        label = F.split_label(text, F.PROGRAM_LABELS)
        if label and label[0] == "clock_hours" and _ON_THE_JOB.search(self.last_heading):
            return  # "TOTAL HOURS: 6,000 – 8,000" under "ON-THE-JOB TRAINING HOURS": no classroom hours
        if label and len(text) < 400 and self._set_value(*label, b=b, text=text):
            return
        if self._subject_title(b, text):
            return
        self._program_text(b, text)

    def _subject_title(self, b: Block, text: str) -> bool:
        """A memo's ``SUBJECT:`` line, a weak title (continued on the next short line when it
        ends with a colon: "Subject: New Apprenticeable Occupation: / Wildland Fire Fighter")."""
        if self.subject_open and self.title_rank == _SUBJECT:
            self.subject_open = False
            if (
                len(text) <= 100
                and not text.endswith((".", ";"))
                and F.split_label(text, F.PROGRAM_LABELS) is None
            ):
                self._set_title(f"{self.title} {text}", _SUBJECT, b, "subject line")
                return True
        m = F._LABEL.match(text)
        if m is None or F.norm_key(m.group(1)) not in ("subject", "re") or self.title_rank >= _SUBJECT:
            return False
        value = m.group(2).strip("* ")
        self._set_title(value, _SUBJECT, b, "subject line")
        self.subject_open = value.endswith(":")
        return True

    def _item(self, b: Block, text: str) -> None:
        c = self.course
        if c is not None and c.other is not None or (c is None and self.mode == "other"):
            kind = c.other if c is not None else self.other_kind
            self.not_curriculum.append(
                (text, self.ref(b, course=c.code or c.title if c else None, field=kind))
            )
            return
        if c is None and self._tuition(b, text):
            return
        if F.not_curriculum_item(text):
            self.not_curriculum.append(
                (text, self.ref(b, course=(c.code or c.title) if c else None, field="materials"))
            )
            return
        heading = F.course_heading(text)
        if heading is not None and (c is None or c.level == _ITEM_LEVEL):
            # "1. DSL 101 Shop Safety (32 hours)": a course; the lettered items under it are its outcomes
            self._open_course(heading, _ITEM_LEVEL, b)
            return
        listed = _listed_course(text, in_courses=self.courses_level is not None)
        if c is not None and not (c.listed and listed is not None):
            c.outcomes.append((text, b.page, b.line))
            return
        if listed is not None:
            title, hours, rest = listed
            course = _Course(None, title, _ITEM_LEVEL, b.page, b.line, hours=hours)
            if rest:
                course.outcomes.append((rest, b.page, b.line))
                self.courses.append(self._course_dict(course))
            else:  # "1. Pole Safety (80 hours)": the items under it ("1.1 Inspect ...") are its outcomes
                self._close_course()
                course.listed = True
                self.course = course
            return
        label = F.split_label(text, F.PROGRAM_LABELS)
        if label and self._set_value(*label, b=b, text=text):
            return
        if self._topic_item(b, text):
            return
        self._program_text(b, text)

    def _topic_item(self, b: Block, text: str) -> bool:
        """A list item under a "Course Outline" heading at program level ("Data Fundamentals",
        "Introduction to Relational Databases") is a topic the program teaches: an outcome. When
        the document names courses after all, :meth:`program` puts it back in the description."""
        if self.topics_level is None or self.course is not None or self.mode != "description":
            return False
        if len(text) >= 120 or text.endswith((".", "!", "?")):
            self.seen_text = True  # as for any text (see :meth:`_program_text`)
        if not any(t.casefold() == text.casefold() for t, _ in self.outcomes):
            item = (text, self.ref(b, field="outcome"))
            self.outcomes.append(item)
            self.topic_items.append((len(self.description), item))
        return True

    def _program_text(self, b: Block, text: str) -> None:
        if len(text) >= 120 or text.endswith((".", "!", "?")) and not _company_line(text):
            self.seen_text = True  # prose came first: a later heading is a section, not the title
        if self.mode == "outcomes":
            if self.table_row:  # a row of a schedule table ("Year — Summer — Fall"): no outcome
                self.description.append((text, self.ref(b)))
                return
            self._outcome(b, text)
            return
        if self.mode == "description" and F.URL_LINE.match(text):
            return  # a bare address on the web: nothing to read
        if self.mode == "description" and (kind := F.not_curriculum_text(text)) is not None:
            self.not_curriculum.append((text, self.ref(b, field=kind)))  # "757-789-1720", a deadline
            return
        if self.mode == "prerequisites":
            self.prerequisites.append(text)
        elif self.mode == "other":
            self.not_curriculum.append((text, self.ref(b, field=self.other_kind)))
        else:
            self.description.append((text, self.ref(b)))

    def _outcome(self, b: Block, text: str) -> None:
        """A line in program outcomes mode: an outcome (a repeat is dropped), or a short caption
        ending in a colon ("Week 1:") that is skipped. A paragraph after the outcomes' list items
        is held: when more text or a table follows it, it was no outcome and the outcomes have
        ended ("One Year Completion - Online" and a schedule table under a list of outcomes);
        before an item, a heading or the end it stays an outcome."""
        if b.kind == "para" and text.endswith(":") and len(text) <= 40:
            return  # "Week 1:": a caption of the items that follow
        if b.kind == "para" and self.outcome_items and len(re.findall(r"[.!?](?=\s+[A-Z])", text)) >= 1:
            # a paragraph of sentences after the outcomes' list items ("Each section below
            # contains ... Select a header to ..."): the outcomes have ended
            self.description.append((text, self.ref(b)))
            self.mode, self.outcomes_level = "description", None
            return
        if b.kind == "item":
            self.outcome_items += 1
        ref = self.ref(b, field="outcome")
        new = not any(t.casefold() == text.casefold() for t, _ in self.outcomes)
        if new:
            self.outcomes.append((text, ref))
        if b.kind != "item" and self.outcome_items:
            self.outcome_pending = (text, self.ref(b), new)

    def _end_outcomes(self) -> None:
        """The paragraph held after the outcomes' list items (see :meth:`_outcome`) is
        description, and the outcomes have ended."""
        assert self.outcome_pending is not None
        text, ref, added = self.outcome_pending
        self.outcome_pending = None
        if added:
            self.outcomes.pop()
        self.description.append((text, ref))
        if self.mode == "outcomes":
            self.mode, self.outcomes_level = "description", None

    def _table(self, b: Block) -> None:
        from matcher.readers.tabular import courses_from_rows, is_weekly_table, program_labels_from_rows

        rows = [list(r) for r in b.rows if any(c.strip() for c in r)]
        if not rows:
            return
        courses = courses_from_rows(rows, self.filename, page=b.page, line=b.line)
        weekly = courses is not None and is_weekly_table(rows)
        if weekly and self._names_courses():
            courses = None  # the weeks of the courses above ("1 | Module 1; begin Module 2"): text
        labels = program_labels_from_rows(rows) if courses is None and self.course is None else None
        if labels is not None:  # "Program at a glance": Provider | ..., Clock hours | 250, Tuition | ...
            for key, label, value in labels:
                text = f"{label}: {value}"
                if key is None or not self._set_value(key, value, b=b, text=text):
                    self._program_text(Block("para", text, page=b.page, line=b.line), text)
            return
        if courses is None:
            courses = self._hours_table(rows, b)
            if courses is not None and _ON_THE_JOB.search(self.last_heading):
                for c in courses:  # on-the-job work processes: what is learnt, not courses
                    text = f"{c['title']}: {c['description']}" if c["description"] else c["title"]
                    self.outcomes.append((text, self.ref(b, field="outcome")))
                return
        if courses is not None:
            current = self.course
            if current is not None and not (
                current.code or current.description or current.outcomes or current.hours
            ):
                self.course = None  # a sub-heading that only captions the course table
            self._close_course()
            for course in courses:
                credits = course.pop("_credits", None)
                if not weekly:
                    self.credits.append(credits)
            if weekly:  # the program's units unless the document names courses after all
                texts = [" — ".join(dict.fromkeys(c.strip() for c in r if c.strip())) for r in rows]
                self.weekly.append((len(self.description), texts, self.ref(b), courses))
            self.courses.extend(courses)
            return
        for r in rows:
            cells = list(dict.fromkeys(c.strip() for c in r if c.strip()))
            lines = [ln.strip() for ln in cells[0].splitlines() if ln.strip()] if len(cells) == 1 else []
            if len(lines) >= 2:  # one (merged) cell of several paragraphs: a list, as a 2-row course block
                for ln in lines:
                    kind: BlockKind = "para" if F.is_outcomes_heading(ln) or F.course_heading(ln) else "item"
                    self.add(Block(kind, ln, page=b.page, line=b.line))
                continue
            self.table_row = True
            try:
                self.add(Block("para", " — ".join(cells), page=b.page, line=b.line))
            finally:
                self.table_row = False

    def _names_courses(self) -> bool:
        """Whether the document named courses so far (a weekly schedule after them is their
        calendar, not units of its own)."""
        c = self.course
        return bool(self.courses) or (
            c is not None and bool(c.code or c.description or c.outcomes or c.hours)
        )

    def _weekly_back(self) -> None:
        """The document names courses besides a weekly schedule read before them: the schedule was
        their calendar, its rows go back to the description as text."""
        listed = {id(c) for _, _, _, units in self.weekly for c in units}
        if not any(id(c) not in listed for c in self.courses):
            return
        self.courses = [c for c in self.courses if id(c) not in listed]
        for at, texts, ref, _ in reversed(self.weekly):
            self.description[at:at] = [(t, ref) for t in texts]
        self.weekly = []

    def _hours_table(self, rows: list[list[str]], b: Block) -> list[dict[str, Any]] | None:
        """A table of courses and their hours without a header ("Basic Safety | 12.5"): most rows
        are a title cell and an hours cell, maybe with outcomes in the cells after the hours
        ("Pharmacy Law | 30 hours | Explain ... / Classify ..."); total and subtotal rows are
        skipped."""
        rows_read: list[tuple[str, float, str, list[str]]] = []
        total: tuple[float, str] | None = None
        for r in rows:
            cells = [c.strip() for c in r if c and c.strip()]
            if len(cells) == 1 and rows_read and len(cells[0]) >= 80 and cells[0].endswith("."):
                # a row of prose under a course's row: what the course covers
                above, above_hours, rest, outcomes = rows_read[-1]
                rows_read[-1] = (
                    above,
                    above_hours,
                    " ".join(x for x in (rest, " ".join(cells[0].split())) if x),
                    outcomes,
                )
                continue
            if len(cells) < 2:
                continue
            found = next(
                ((i, m) for i in range(len(cells) - 1, 0, -1) if (m := _HOURS_CELL.match(cells[i]))), None
            )
            title = cells[0].splitlines()[0].strip()
            if found is None or not re.search(r"[A-Za-z]{3}", title) or len(title) > 120:
                continue
            if F.is_total_row(title):
                if total is None and not re.search(r"\bsub[\s-]?total", title, re.I):
                    total = (float(found[1].group(1).replace(",", "")), " — ".join(cells))
                continue
            at, hours = found
            rest = " ".join(" ".join(c.split()) for c in cells[:at])[len(title) :].strip(" —-")
            outcomes = [t for c in cells[at + 1 :] for t in F.split_outcomes(c)]
            rows_read.append((title, float(hours.group(1).replace(",", ".")), rest, outcomes))
        body = [r for r in rows if sum(1 for c in r if c and c.strip()) >= 2]
        if len(rows_read) < 2 or len(rows_read) < 0.6 * len(body):
            return None
        if (
            total is not None
            and "clock_hours" not in self.values
            and not _ON_THE_JOB.search(self.last_heading)
        ):
            # "Total Program | 244 hrs.": the stated total of the table beats a sum of its rows
            self.values["clock_hours"] = total[0]
            self.read_from["clock_hours"] = Provenance(text=total[1], source=self.ref(b))
        out: list[dict[str, Any]] = []
        for title, course_hours, rest, outcomes in rows_read:
            heading = F.course_heading(title)
            code, name = (heading.code, heading.title) if heading else (None, title)
            out.append(
                {
                    "code": code,
                    "title": name,
                    "description": rest,
                    "hours": course_hours,
                    "outcomes": [
                        {"text": t, "source": self.ref(b, course=code or name, field="outcome")}
                        for t in outcomes
                    ],
                    "source": SourceRef(file=self.filename, page=b.page, line=b.line),
                }
            )
        return out

    # -- fields -----------------------------------------------------------------------------
    def _set_value(self, key: str, value: str, *, b: Block | None = None, text: str = "") -> bool:
        """Record a labelled program field; False if the value is not usable (then the line is
        kept as text)."""
        src = self.ref(b) if b is not None else SourceRef(file=self.filename)
        if F.is_form_blank(value):
            return False  # "Provider: ____________", "Approved by: ____ Date: ____": a blank form field
        if key in ("clock_hours", "credit_hours"):
            n = F.parse_number(value)
            if n is None:
                return False
            self.values.setdefault(key, n)
            if key == "clock_hours" and re.search(r"\b(?:weeks?|months?|semesters?)\b", value, re.I):
                self._set_length(value, src, text)  # "Total Hours: 320 clock hours over 10 weeks"
        elif key == "weeks":
            return self._set_length(value, src, text)
        elif key == "tuition_and_fees":
            n = F.parse_number(value)
            if n is None:
                return False
            self.values.setdefault(key, n)
        elif key == "hours_per_week":
            n = F.parse_number(value)
            if n is None:
                return False
            # a stated "Hours per week: 20" beats one worked out from a schedule line above it
            if key not in self.stated:
                self.values[key] = n
                self.read_from[key] = Provenance(text=text or value, source=src)
                self.stated.add(key)
            return True
        elif key == "cip":
            cip = F.parse_cip(value)
            if cip is None:
                return False
            self.values.setdefault("cip", cip)
        elif key == "occupations":
            socs = F.parse_socs(value)
            if not socs:
                return False
            self.values.setdefault("occupations", socs)
        elif key == "credential":
            label = F._LABEL.match(text)
            if label is not None and F.is_licence_sentence(label.group(1), value):
                return False  # "LICENSE: The license for this repository.": no credential
            self.values.setdefault("credential", value)
        elif key == "provider" and "provider" not in self.stated:
            # a "Provider:" / "Sponsoring Institution:" label beats a school line guessed under the title
            self.values["provider"] = value
            self.read_from["provider"] = Provenance(text=text or value, source=src)
            self.stated.add("provider")
            return True
        elif key == "prerequisites":
            self.prerequisites.append(value)
        elif key == "title":
            if self.title_rank >= _LABEL:
                return False
            self._set_title(value, _LABEL, b, "label")
            return True
        elif key == "description":
            return False  # "Overview: ..." is description text anyway
        else:
            self.values.setdefault(key, value)
        self.read_from.setdefault(key, Provenance(text=text or value, source=src))
        return True

    def _set_length(self, value: str, src: SourceRef, text: str) -> bool:
        """``Length: 12 weeks (360 hours)``, ``Duration: 12-24 Weeks``, ``Schedule: Mon-Thu 6-10 pm``
        (see :func:`~matcher.readers.duration.length_label`); the first stated value of each wins."""
        added = add_length(self.values, length_label(value))
        for key in added:
            self.read_from.setdefault(
                "weeks" if key == "weeks_range" else key, Provenance(text=text or value, source=src)
            )
        return bool(added)

    @staticmethod
    def _is_keyword(text: str) -> bool:
        return (
            F.is_outcomes_heading(text)
            or F.is_courses_section(text)
            or F.is_prerequisites_section(text)
            or F.split_label(text, F.PROGRAM_LABELS) is not None
        )

    # -- courses ----------------------------------------------------------------------------
    def _open_course(self, heading: F.CourseHeading, level: int, b: Block) -> None:
        self._close_course()
        self.topics_level = None
        self.other_kind = None
        if self.mode == "other":
            self.mode = "description"
        self.course = _Course(heading.code, heading.title, level, b.page, b.line, hours=heading.hours)
        if heading.note:
            self.course.description.append(heading.note)

    def _close_course(self) -> None:
        if self.course is not None:
            self.courses.append(self._course_dict(self.course))
            self.course = None

    def _course_dict(self, c: _Course) -> dict[str, Any]:
        label = c.code or c.title or None
        return {
            "code": c.code,
            "title": c.title,
            "description": "\n".join(c.description),
            "hours": c.hours,
            "outcomes": [
                {
                    "text": t,
                    "source": SourceRef(
                        file=self.filename, page=page, line=line, course=label, field="outcome"
                    ),
                }
                for t, page, line in c.outcomes
            ],
            "source": SourceRef(file=self.filename, page=c.page, line=c.line),
        }

    # -- result -----------------------------------------------------------------------------
    def _weak_title(self) -> None:
        """No heading named the program: the document properties' title unless it is furniture,
        else the first short line of the description."""
        if self.fallback_title and not F.is_boilerplate_title(self.fallback_title):
            self._set_title(self.fallback_title, _FIRST_LINE, None, "document properties")
            return
        if self.first_heading_course and self.level1_courses == 1:  # a course's syllabus, headed by it
            self._set_title(self.first_heading_course, _FIRST_LINE, None, "the course heading it opens with")
            return
        for i, (first, ref) in enumerate(self.description[:5]):
            if len(first) > 120 or first.endswith((".", ":", ";")):
                break
            if F.is_boilerplate_title(first) or F.URL_LINE.match(first) or F.is_no_title_line(first):
                continue
            if F.institution_line(first) is not None:
                continue
            self._set_title(first, _FIRST_LINE, None, "first line")
            self.read_from["title"] = Provenance(text=f"first line: {first}", source=ref)
            self.description.pop(i)
            return
        self._named_title()

    def _named_title(self) -> None:
        """Still no title: the program the description's opening sentence names ("The Patient
        Care Technician (PCT) program is designed to ...", "Welding (WDT) is a 60 credit program
        ...")."""
        for text, ref in self.description[:5]:
            if (name := F.program_named(text)) is not None:
                self._set_title(name, _FIRST_LINE, None, "first sentence")
                self.read_from["title"] = Provenance(text=f"first sentence: {text[:80]}", source=ref)
                return

    def _provider_line(self) -> None:
        """No "Provider:" label: a school's name on its own line right under the title
        ("Riverbend Technical College - Center for Workforce Education", "Summit Ridge Technical
        Institute | School of Information Technology") is the provider (see
        :func:`~matcher.readers.fields.institution_line`). A line after it, or after a provider
        known already, that names the same school with more words ("Harmon Valley Community
        College - Workforce Institute" under a web page's logo) is dropped from the description."""
        while self.description:
            first, ref = self.description[0]
            if len(first.split()) > 14:
                return
            if first.rstrip().endswith((".", "!", "?", ":")) and not _company_line(first.rstrip()):
                return
            name = F.institution_line(first)
            if name is None:
                return
            if "provider" in self.values:
                if not first.lower().startswith(str(self.values["provider"]).lower()):
                    return
            else:
                self._set_provider(name, first, ref)
            self.description.pop(0)

    def _topics_back(self) -> None:
        """The document names courses: the items under its "Course Outline" heading were no
        outcomes of the program (see :meth:`_topic_item`), they go back to the description."""
        if not self.courses or not self.topic_items:
            return
        for at, item in reversed(self.topic_items):
            self.outcomes = [o for o in self.outcomes if o is not item]
            self.description.insert(at, (item[0], item[1].model_copy(update={"field": None})))
        self.topic_items = []

    def _subtotals(self) -> None:
        """Several "Total Hours" lines of different hours, each closing a block of courses
        ("Year One ... Total Hours:170", "Year Two ... Total Hours:148.5", "Specialist ... Total
        Hours:145"), and no grand total: the first is no total of the program. The program's
        clock hours are the sum of the subtotals when each block lists courses with hours that
        do not exceed its subtotal (parts of one program, not alternatives); otherwise none."""
        totals = self.totals
        read = self.read_from.get("clock_hours")
        if len({n for n, _, _ in totals}) < 2 or read is None or read is not totals[0][2]:
            return
        start = 0
        fits = True
        for n, end, _ in totals:
            block = self.courses[start:end]
            hours = [c.get("hours") for c in block]
            if (
                not block
                or any(h is None for h in hours)
                or sum(h for h in hours if h is not None) > n + 0.01
            ):
                fits = False
                break
            start = end
        if fits and start == len(self.courses):
            total = sum(n for n, _, _ in totals)
            self.values["clock_hours"] = total
            parts = " + ".join(f"{n:g}" for n, _, _ in totals)
            self.read_from["clock_hours"] = Provenance(
                text=f"sum of {len(totals)} subtotals: {parts}", source=totals[0][2].source
            )
        else:
            self.values.pop("clock_hours", None)
            self.read_from.pop("clock_hours", None)
            self.totals_unclear = True

    def program(self, extra: dict[str, Any] | None = None) -> Program:
        self._close_course()
        self._weekly_back()
        self._topics_back()
        if not self.title:
            self._weak_title()
        self._provider_line()
        text: list[str] = []
        spans: list[dict[str, Any]] = []
        pos = 0
        for part, ref in self.description:
            if text:
                pos += 1
            spans.append({"start": pos, "end": pos + len(part), "source": ref})
            text.append(part)
            pos += len(part)
        self._subtotals()
        courses = _merge_listed_courses(self.courses)
        values = dict(self.values)
        hours = [c.get("hours") for c in courses]
        if "credit_hours" not in values and self.credits and all(c is not None for c in self.credits):
            values["credit_hours"] = sum(c for c in self.credits if c is not None)
            self.read_from.setdefault(
                "credit_hours",
                Provenance(
                    text=f"sum of the credits of {len(self.credits)} courses",
                    source=SourceRef(file=self.filename),
                ),
            )
        if "credit_hours" not in values and len({n for n, _ in self.credit_lines}) == 1:
            values["credit_hours"], self.read_from["credit_hours"] = self.credit_lines[0]
        if "clock_hours" not in values and self.related is not None:
            values["clock_hours"] = self.related_hours
            self.read_from["clock_hours"] = self.related
        if (
            "clock_hours" not in values
            and hours
            and all(h is not None for h in hours)
            and not self.totals_unclear
        ):
            values["clock_hours"] = sum(hours)
            self.read_from.setdefault(
                "clock_hours",
                Provenance(
                    text=f"{SUMMED_HOURS} {len(courses)} courses", source=SourceRef(file=self.filename)
                ),
            )
        data: dict[str, Any] = {
            "title": self.title or F.title_from_filename(self.filename),
            "description": "\n".join(text),
            "description_spans": spans,
            "prerequisites": "\n".join(self.prerequisites),
            "outcomes": [{"text": t, "source": ref} for t, ref in self.outcomes],
            "not_curriculum": [{"text": t, "source": ref} for t, ref in self.not_curriculum],
            "courses": courses,
            "read_from": self.read_from,
            **values,
            **(extra or {}),
        }
        return program_from_dict(data, source_file=self.filename)


def _course_key(c: dict[str, Any]) -> str:
    title = re.sub(r"\s+\d+(?:\.\d+)?$", "", (c.get("title") or "").strip())  # "Knife Skills 45" (PDF row)
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def _merge_listed_courses(courses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A course list (a table of codes, titles and hours) followed by a section per course gives
    each course twice: the listed one (no outcomes, no description) is folded into its section,
    which keeps the list's code and hours when it has none, and the list's title when its own
    is the start of it (a heading wrapped over two lines: "NET 100 IT Fundamentals and Help
    Desk" / "Operations"); "Total" rows are dropped."""
    courses = [c for c in courses if not F.is_total_row(c.get("title") or c.get("code") or "")]
    full = [c for c in courses if c.get("outcomes") or c.get("description")]
    by_code = {str(c["code"]).lower(): c for c in full if c.get("code")}
    by_title = {_course_key(c): c for c in full if _course_key(c)}
    out = []
    for c in courses:
        if c.get("outcomes") or c.get("description"):
            out.append(c)
            continue
        twin = by_code.get(str(c.get("code") or "").lower()) or by_title.get(_course_key(c))
        if twin is None or twin is c:
            out.append(c)
            continue
        if c.get("code") and not twin.get("code"):
            twin["code"] = c["code"]
        _take_listed_title(twin, str(c.get("title") or ""))
        if c.get("hours") is not None and twin.get("hours") is None:
            twin["hours"] = c["hours"]
        if twin.get("hours") is None and (m := re.search(r"\s(\d+(?:\.\d+)?)$", c.get("title") or "")):
            twin["hours"] = float(m.group(1))
    return out


def _take_listed_title(course: dict[str, Any], listed: str) -> None:
    """The listed title for a course whose own title is the start of it: its heading lost the
    end of a title it wrapped over two lines, to the first line of its description."""
    own = str(course.get("title") or "")
    rest = listed[len(own) :]
    if not own or not listed.lower().startswith(own.lower() + " ") or not re.search(r"[A-Za-z]", rest):
        return
    course["title"] = listed
    first, _, after = str(course.get("description") or "").partition("\n")
    if first.strip().lower() == rest.strip().lower():
        course["description"] = after


_LISTED_COURSE = re.compile(
    r"^(?P<title>[A-Z][^:;.]{1,80}?)\s*(?:\((?:(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(?P<n>\d+(?:\.\d+)?)\s*"
    r"(?i:clock\s*|contact\s*)?(?i:hours|hrs?)\.?\)\s*)?"
    r"(?::\s*(?P<rest>\S.*))?$",
    re.S,
)


def _listed_course(text: str, *, in_courses: bool) -> tuple[str, float | None, str] | None:
    """A list item naming a course with its hours and what it teaches ("Medical Terminology
    (60 hours): build, spell and define medical terms"); under a "Courses" section the hours may
    be missing ("Medical Terminology: build ..."). Returns title, hours, the text after the colon."""
    m = _LISTED_COURSE.match(" ".join(text.split()))
    if m is None:
        return None
    hours = float(m.group("n")) if m.group("n") and not m.group("lo") else None  # a range: no one figure
    rest = (m.group("rest") or "").strip()
    title = m.group("title").strip()
    if not m.group("n") and not (in_courses and rest and len(title.split()) <= 8):
        return None
    if F.is_total_row(title):
        return None
    return title, hours, rest


# "COURSE NAME: Principles of Financial Accounting Course Number: ACC 101": one course of a plan
# that names each of its courses with a label line.
_COURSE_NAME = re.compile(
    r"^\s*(?:\*\*)?course\s+(?:name|title)\s*:\s*(?:\*\*)?\s*(?P<title>.+?)"
    r"(?:\s+course\s+(?:number|no\.?|code|#)\s*:\s*(?P<code>\S.*?)?)?\s*$",
    re.I,
)
_CODE_LINE = re.compile(r"^[A-Z]{2,5}[\s-]?\d{2,4}[A-Z]?$")


def _course_name_label(text: str) -> F.CourseHeading | None:
    m = _COURSE_NAME.match(text)
    if m is None or len(text) > 160:
        return None
    title, hours = F.split_title_hours(m.group("title").strip())
    return F.CourseHeading(code=(m.group("code") or "").strip() or None, title=title, hours=hours)


# A web page's navigation printed with it: a breadcrumb ("Workforce Institute › Skilled Trades ›
# Carpentry") and the site's menu, a run of short links among which these stand.
_BREADCRUMB = re.compile(r"\S\s*[›»]\s*\S.*\s[›»]\s*\S")
_NAV_LINK = re.compile(
    r"^(?:home|admissions?|apply(?:\s+now|\s+today)?|financial\s+aid|tuition(?:\s+&\s+aid)?|calendar|"
    r"about(?:\s+us)?|contact(?:\s+us)?|news|events|programs|log\s?in|sign\s+in|search|menu|directory)$",
    re.I,
)
_NAV_WINDOW = 20  # blocks from the top of the document


def _menu_link(b: Block) -> bool:
    words = b.text.split()
    return b.kind in ("item", "para") and 0 < len(words) <= 4 and not re.search(r"[\d.:;,!?]", b.text)


def without_site_navigation(blocks: list[Block]) -> list[Block]:
    """The blocks without the navigation a browser prints with a web page at its top: breadcrumb
    lines and a menu (a run of four or more short items or lines, two of them such links as
    "Admissions", "Financial Aid", "Apply Now"; the last may run on into the breadcrumb)."""
    drop: set[int] = set()
    top = blocks[:_NAV_WINDOW]
    i = 0
    while i < len(top):
        j = i
        while j < len(top) and _menu_link(top[j]):
            j += 1
        if j < len(top) and top[j].kind == "item" and _BREADCRUMB.search(top[j].text):
            j += 1  # the last link run on into the breadcrumb
        if j - i >= 4 and sum(bool(_NAV_LINK.match(b.text.strip())) for b in top[i:j]) >= 2:
            drop.update(range(i, j))
        i = max(j, i + 1)
    drop.update(k for k, b in enumerate(top) if len(b.text) <= 120 and _BREADCRUMB.search(b.text))
    return [b for k, b in enumerate(blocks) if k not in drop]


def build_program(
    blocks: list[Block], filename: str, *, fallback_title: str | None = None, extra: dict | None = None
) -> Program:
    blocks = without_site_navigation(blocks)
    builder = OutlineBuilder(filename, fallback_title=fallback_title)
    # a plan that names several courses with "Course Name:" label lines: each opens a course
    builder.course_name_labels = sum(
        1 for b in blocks if b.kind == "para" and _course_name_label(b.text) is not None
    )
    for b in blocks:
        builder.add(b)
    return builder.program(extra)
