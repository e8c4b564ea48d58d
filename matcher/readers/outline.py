"""From a document outline (headings, paragraphs, list items, tables, each with its page or
line) to a :class:`~matcher.program.Program`.

The Markdown, DOCX and PDF readers turn their files into :class:`Block` s; this module decides
what is the title, the description, a course, a learning outcome or a labelled field:

- the first heading (or, in a PDF, the first line) is the title;
- a heading or short line that names a course ("WLD-110 Shielded Metal Arc Welding",
  "Module 3: Shop Safety") opens a course; so does any sub-heading of a "Courses"/"Curriculum"
  section. Paragraphs under it are the course description, list items and the lines under a
  "Learning outcomes" heading are its outcomes, "Hours: 75" its hours;
- "Provider:", "Credential:", "Clock hours:", "Weeks:", "CIP:", "SOC:" lines fill those fields;
- a table whose header names course columns (see :mod:`matcher.readers.tabular`) lists courses;
- everything else at program level is the description, with the page/line of each paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from matcher.program import Program, SourceRef, program_from_dict
from matcher.readers import fields as F

BlockKind = Literal["heading", "para", "item", "table"]


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


@dataclass
class OutlineBuilder:
    filename: str
    fallback_title: str | None = None
    title: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    description: list[tuple[str, SourceRef]] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, SourceRef]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    course: _Course | None = None
    mode: str = "description"  # description | outcomes | prerequisites
    courses_level: int | None = None  # level of an open "Courses" section heading

    # -- sources ----------------------------------------------------------------------------
    def ref(self, b: Block, **kw: Any) -> SourceRef:
        return SourceRef(file=self.filename, page=b.page, line=b.line, **kw)

    # -- blocks -----------------------------------------------------------------------------
    def add(self, b: Block) -> None:
        text = " ".join(b.text.split())
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

    def _heading(self, b: Block, text: str) -> None:
        level = b.level or 6
        heading = F.course_heading(text)
        if not self.title and heading is None and self.course is None and not self._is_keyword(text):
            self.title = text
            return
        if self.courses_level is not None and level <= self.courses_level and heading is None:
            self.courses_level = None
        in_courses = self.courses_level is not None and level > self.courses_level
        if heading is None and in_courses and not self._is_keyword(text):
            if self.course is None or level <= self.course.level:
                heading = F.CourseHeading(None, *F.split_title_hours(text))
        if heading is not None:
            self._open_course(heading, level, b)
            return
        inside = self.course is not None and level > self.course.level
        if F.is_outcomes_heading(text):
            # "Learning outcomes" belongs to the open course unless it is a higher-level heading
            if self.course is not None and level >= self.course.level:
                assert self.course is not None
                self.course.in_outcomes = True
                return
            self._close_course()
            self.mode = "outcomes"
        elif F.is_courses_section(text):
            self._close_course()
            self.courses_level = level
            self.mode = "description"
        elif inside:
            assert self.course is not None
            self.course.in_outcomes = False
        else:
            self._close_course()
            self.mode = "prerequisites" if F.is_prerequisites_section(text) else "description"

    def _para(self, b: Block, text: str) -> None:
        c = self.course
        if c is not None:
            label = F.split_label(text, F.COURSE_LABELS)
            if label and len(text) < 120:
                if label[0] == "hours":
                    c.hours = F.parse_number(label[1])
                elif label[0] == "code":
                    c.code = label[1]
                return
        if len(text) < 160 and (heading := F.course_heading(text)):
            level = c.level if c is not None else (self.courses_level or 1) + 1
            self._open_course(heading, level, b)
            return
        if len(text) < 120 and F.is_outcomes_heading(text):
            if c is not None:
                c.in_outcomes = True
            else:
                self.mode = "outcomes"
            return
        if c is not None:
            if c.in_outcomes:
                c.outcomes.append((text, b.page, b.line))
            else:
                c.description.append(text)
            return
        label = F.split_label(text, F.PROGRAM_LABELS)
        if label and len(text) < 400 and self._set_value(*label):
            return
        self._program_text(b, text)

    def _item(self, b: Block, text: str) -> None:
        if self.course is not None:
            self.course.outcomes.append((text, b.page, b.line))
            return
        heading = F.course_heading(text)
        if heading is not None:
            self.courses.append(self._course_dict(_Course(heading.code, heading.title, 9, b.page, b.line)))
            if heading.hours is not None:
                self.courses[-1]["hours"] = heading.hours
            return
        label = F.split_label(text, F.PROGRAM_LABELS)
        if label and self._set_value(*label):
            return
        self._program_text(b, text)

    def _program_text(self, b: Block, text: str) -> None:
        if self.mode == "outcomes":
            self.outcomes.append((text, self.ref(b, field="outcome")))
        elif self.mode == "prerequisites":
            self.prerequisites.append(text)
        else:
            self.description.append((text, self.ref(b)))

    def _table(self, b: Block) -> None:
        from matcher.readers.tabular import courses_from_rows, program_labels_from_rows

        rows = [list(r) for r in b.rows if any(c.strip() for c in r)]
        if not rows:
            return
        courses = courses_from_rows(rows, self.filename, page=b.page, line=b.line)
        if courses is not None:
            c = self.course
            if c is not None and not (c.code or c.description or c.outcomes or c.hours):
                self.course = None  # a sub-heading that only captions the course table
            self._close_course()
            self.courses.extend(courses)
            return
        labels = program_labels_from_rows(rows)
        if labels is not None and self.course is None:
            for key, value in labels:
                self._set_value(key, value)
            return
        for r in rows:
            cells = list(dict.fromkeys(c.strip() for c in r if c.strip()))
            self.add(Block("para", " — ".join(cells), page=b.page, line=b.line))

    # -- fields -----------------------------------------------------------------------------
    def _set_value(self, key: str, value: str) -> bool:
        """Record a labelled program field; False if the value is not usable (then the line is
        kept as text)."""
        if key in ("clock_hours", "credit_hours"):
            n = F.parse_number(value)
            if n is None:
                return False
            self.values.setdefault(key, n)
        elif key == "weeks":
            weeks, hours = F.parse_length(value)
            if weeks is None and hours is None:
                return False
            if weeks is not None:
                self.values.setdefault("weeks", weeks)
            if hours is not None:
                self.values.setdefault("clock_hours", hours)
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
            self.values.setdefault("credential", value)
        elif key == "prerequisites":
            self.prerequisites.append(value)
        elif key == "title":
            if self.title:
                return False
            self.title = value
        elif key == "description":
            return False  # "Overview: ..." is description text anyway
        else:
            self.values.setdefault(key, value)
        return True

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
        self.course = _Course(heading.code, heading.title, level, b.page, b.line, hours=heading.hours)

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
    def program(self, extra: dict[str, Any] | None = None) -> Program:
        self._close_course()
        if not self.title and not self.fallback_title and self.description:
            first = self.description[0][0]
            if len(first) <= 120 and not first.endswith((".", ":", ";")):
                self.title = first  # a document without headings: its first short line
                self.description.pop(0)
        text, spans, pos = [], [], 0
        for part, ref in self.description:
            if text:
                pos += 1
            spans.append({"start": pos, "end": pos + len(part), "source": ref})
            text.append(part)
            pos += len(part)
        courses = self.courses
        values = dict(self.values)
        hours = [c.get("hours") for c in courses]
        if "clock_hours" not in values and hours and all(h is not None for h in hours):
            values["clock_hours"] = sum(hours)  # type: ignore[arg-type]
        data: dict[str, Any] = {
            "title": self.title or self.fallback_title or F.title_from_filename(self.filename),
            "description": "\n".join(text),
            "description_spans": spans,
            "prerequisites": "\n".join(self.prerequisites),
            "outcomes": [{"text": t, "source": ref} for t, ref in self.outcomes],
            "courses": courses,
            **values,
            **(extra or {}),
        }
        return program_from_dict(data, source_file=self.filename)


def build_program(
    blocks: list[Block], filename: str, *, fallback_title: str | None = None, extra: dict | None = None
) -> Program:
    builder = OutlineBuilder(filename, fallback_title=fallback_title)
    for b in blocks:
        builder.add(b)
    return builder.program(extra)
