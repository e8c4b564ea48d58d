"""Plain text: the first non-empty line is the title (a line that is only an address on the
web, "Source: https://...", is skipped); the rest is read like a Markdown document
without markup (see :mod:`matcher.readers.outline`).

- labelled lines set program fields as in Markdown: ``Provider:``, ``Credential:``,
  ``Clock hours:``, ``Weeks:`` / ``Length:``, ``CIP:``, ``SOC:``, ``Prerequisites:``;
- lines starting with a bullet (``-``, ``*``, ``•``, ``1.``, ``a)``) are list items; a line that
  names a course ("WLD-110 Shielded Metal Arc Welding") opens a course;
- a short line on its own between blank lines (or ending with a colon) is a heading;
- lines wrapped by hand are joined back into their paragraph, so a sentence broken across lines
  is one sentence: a line joins the one before unless that one was short (it ended a paragraph
  or a list without bullets) or the line is one of the above. Hyphenated breaks are undone.

Every block keeps its line number.
"""

from __future__ import annotations

import re

from matcher.program import Program
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.duration import find_lengths
from matcher.readers.layout_text import unlayout
from matcher.readers.outline import Block, build_program
from matcher.readers.text_tables import text_tables

_BULLET = F.BULLET
# An indented capital-letter item of an outline ("    A. Describe the roles of the team"); at
# the margin such a letter may be a Roman numeral or a duty ("I. Introduction", "A. Maintain Safety").
_LETTER_ITEM = re.compile(r"^\s+[A-Z][.)]\s+")
_HOURS_ALONE = re.compile(
    r"^[(\[]?\s*\d+(?:\.\d+)?\s*(?:clock\s+|contact\s+)?(?:hours|hrs?)\.?\s*[)\]]?$", re.I
)
_SENTENCE_END = re.compile(r"[.!?;:)]$")
# A course's code and hours on a line under its title: "HHA 100 | 16 hours", "WLD-110 - 45 hrs"
_CODE_HOURS = re.compile(
    r"^[A-Z]{2,6}[ -]?\d{2,4}[A-Z]?\s*[|,:–—-]\s*\d+(?:\.\d+)?\s*(?:clock\s+|contact\s+)?(?:hours|hrs?)\.?$",
    re.I,
)


def _is_heading(line: str, alone: bool) -> bool:
    t = line.strip()
    if not t or len(t) > 80 or t.endswith((".", ",", ";")):
        return False
    if t.endswith(":") and len(t) <= 60:
        return True
    if find_lengths(t) or _CODE_HOURS.match(t) or F.HOURS_ONLY_LINE.match(t):
        # "14 weeks" on its own line says the length, "HHA 100 | 16 hours" a course's: no heading
        return False
    if F.not_curriculum_text(t) or F.URL_LINE.match(t):
        return False  # "757-789-1720", "www.college.edu": no heading either
    letters = [c for c in t if c.isalpha()]
    shouting = len(letters) >= 4 and all(c.isupper() for c in letters)
    return alone or shouting


def _figure_label(line: str) -> str | None:
    """A line of a facts list that sets a figure after a program label without a colon
    ("Academic Credits 60", "Clock Hours 300"): the line with the colon; None otherwise."""
    if len(line) > 60 or ":" in line:
        return None
    labelled = F.grid_label(line)
    if labelled is None or not re.fullmatch(r"[^:]+: \d[\d,]*(?:\.\d+)?", labelled):
        return None
    return labelled


# A program fact and its figure set apart by a dash, maybe two of them on a line of a page's facts
# box: "Clock Hours – 200 Theory Hours – 116", "Credit Hours – N/A Lab Hours – 63".
_FACT_KEY, _FACT_VALUE = r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,3}", r"\d[\d,]*(?:\.\d+)?|N/A"
_DASH_FACT = re.compile(rf"(?P<key>{_FACT_KEY}) [–—-] (?P<value>{_FACT_VALUE})")
_DASH_FACTS = re.compile(rf"{_FACT_KEY} [–—-] (?:{_FACT_VALUE})(?: {_FACT_KEY} [–—-] (?:{_FACT_VALUE}))?")


def _dash_facts(line: str) -> list[str] | None:
    """The facts of a line of one or two dashed facts (see :data:`_DASH_FACT`), each as a label
    line ("Clock Hours: 200"), when one of them is a program label; None otherwise."""
    if len(line) > 80 or not _DASH_FACTS.fullmatch(line):
        return None
    facts = list(_DASH_FACT.finditer(line))
    if not any(F.norm_key(m.group("key")) in F.PROGRAM_LABELS for m in facts):
        return None
    return [f"{m.group('key')}: {m.group('value')}" for m in facts]


# A total row whose column a caption on the next line names: "Total      11" over "Credit Hours".
_TOTAL_FIGURE = re.compile(r"^total\s+(?P<n>\d[\d,]*(?:\.\d+)?)$", re.I)
_UNIT_CAPTION = re.compile(r"^(?:(?:semester\s+)?credit\s+hours?|credits?|units?|semester\s+hours?)$", re.I)


def _captioned_total(lines: list[str], i: int) -> str | None:
    """A bare total row ("Total 11") whose figures a unit caption on the next line names as
    credits: a credits label line ("Total credit hours: 11"), never clock hours; None otherwise."""
    m = _TOTAL_FIGURE.match(lines[i].strip())
    if m is None:
        return None
    nxt = next((ln.strip() for ln in lines[i + 1 : i + 3] if ln.strip()), "")
    return f"Total credit hours: {m.group('n')}" if _UNIT_CAPTION.match(nxt) else None


def _label_heading(line: str) -> bool:
    """A program label alone on its line, its value on the next ("Credential:" / "Certificate",
    "Approx. Number of Hours/Months:" / "90 hours/3 months"); not a section that opens text of
    its own ("Overview:", "Prerequisites:")."""
    if not line.endswith(":"):
        return False
    label = F.split_label(f"{line} x", F.PROGRAM_LABELS)
    return label is not None and label[0] not in ("description", "prerequisites")


def _label_value(line: str, alone: bool) -> bool:
    """A short line on its own that can be the value of the label line above it: not a list
    item, a label, a caption or a course."""
    return (
        alone
        and len(line) <= 100
        and not line.endswith((":", "*"))
        and not _BULLET.match(line)
        and F.split_label(line, F.PROGRAM_LABELS) is None
        and F.course_heading(line) is None
    )


def _wraps_facts(blocks: list[Block], prev_line: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on with the label paragraph above it that the text was wrapped
    from: that paragraph's last line fills the text's width without ending a sentence, and
    ``line`` carries the paragraph's next label (:func:`fields.carries_next_label`), or is the
    rest of the value: no label, heading or course of its own, nor a full line that ends a
    sentence ("Credential: ... eligibility for the state Home" / "Health Aide competency exam")."""
    if not (
        blocks
        and blocks[-1].kind == "para"
        and width >= 40
        and len(prev_line) >= 0.8 * width
        and not prev_line.endswith((".", "!", "?"))
        and F.split_label(blocks[-1].text, F.PROGRAM_LABELS) is not None
        and not _BULLET.match(line)
    ):
        return False
    if F.carries_next_label(blocks[-1].text, line):
        return True
    return (
        (len(line) < 0.85 * width or not line.endswith("."))  # a full line of a sentence: a paragraph
        and not line.endswith(":")
        and F._LABEL.match(line) is None
        and not F.is_standalone_line(line)
    )


_SCHOOL_UNIT = re.compile(r"\b(?:division|department|dept\.?|office|campus)\b", re.I)


def _title_goes_on(title: str, line: str) -> bool:
    """Whether the line right under the title line is the rest of a title wrapped over two lines:
    a few capitalised words of no label, list item, course or school under a title that names no
    school ("Customer Service and
    Contact Center Representative" / "Certificate"), or any line after a title that breaks off
    on a hyphen ("Residential Electrician Pre-" / "Apprenticeship Certificate")."""
    if not line or len(line) > 60 or len(title) + len(line) > 120 or title.endswith((".", ":", ";", ",")):
        return False
    if F.split_label(line, F.PROGRAM_LABELS) is not None or F.is_standalone_line(line) or _BULLET.match(line):
        return False
    if F.URL_LINE.match(line):
        return False
    if (F._INSTITUTION.search(line) or _SCHOOL_UNIT.search(line)) and " | " not in title:
        # a school's name over its division ("NORTHGATE TRAINING CENTER" / "Workforce Division"),
        # not the site's name a web page's title ends in ("Carpentry | Harmon Valley" / "Institute")
        return False
    if title.isupper() != line.isupper():
        return False  # a line set in another case is another line
    words = line.split()
    return title.endswith("-") or (len(words) <= 5 and all(w[:1].isupper() or w[:1] == "(" for w in words))


# A web page's section marker before its heading (":: Certificate Programs"), never its title.
_SECTION_MARK = re.compile(r"^(?:::|>>|»)\s*\S")
# A FAQ page that opens on the question its program answers: "What is the Welding Certificate?"
_WHAT_IS = re.compile(r"^(?:what\s+is|what's)\s+(?:the\s+|an?\s+)?(?P<name>[A-Z].{2,100}?)\s*\?$", re.I)
_TITLE_WINDOW = 12  # lines from the top in which a page saved as text names its program
# The questions a page answers about its program, after its name: "Pharmacy Technician Program—FAQs"
_FAQ_SUFFIX = re.compile(r"\s*[-–—:|]\s*(?:FAQs?|Frequently\s+Asked\s+Questions)$", re.I)


def _no_title(line: str) -> bool:
    """A first line that is no title: a section marker, or a line no title is (see
    :func:`~matcher.readers.fields.is_no_title_line`)."""
    return bool(_SECTION_MARK.match(line)) or F.is_no_title_line(line)


def _page_title(lines: list[str]) -> tuple[int, str] | None:
    """Where a web page saved as text names its program when its first line does not (see
    :func:`_no_title`): the program a FAQ's opening question asks about ("What is the X
    Certificate?": X), else the first short line alone between blank lines below the lines that
    are no title, before any list, label or other line (``(-1, "")``: no title there). None
    when the first line is the title."""
    start = next((i for i, ln in enumerate(lines) if ln.strip() and not F.URL_LINE.match(ln.strip())), None)
    if start is None or not _no_title(lines[start].strip()):
        return None
    if (m := _WHAT_IS.match(lines[start].strip())) and F._PROGRAM_WORDS.search(m.group("name")):
        return start, m.group("name")
    for i in range(start + 1, min(len(lines), start + _TITLE_WINDOW)):
        line = lines[i].strip()
        if not line or _no_title(line):
            continue
        alone = not lines[i - 1].strip() and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if (
            not alone
            or _BULLET.match(line)
            or not _is_heading(line, alone=True)
            or F.is_boilerplate_title(line)
        ):
            break
        return i, _FAQ_SUFFIX.sub("", line) or line
    return -1, ""


def _heading_goes_on(block: Block, line: str, prev_blank: bool) -> bool:
    """Whether ``line`` is the rest of the course heading ``block`` that has no hours yet: its
    hours alone ("(16 hours)"), or, right under it, a short line that ends with them or closes the
    heading's open parenthesis ("Testing (70 hours)", "hours)")."""
    if block.kind != "para" or _BULLET.match(line) or len(line) > 60 or _CODE_HOURS.match(line):
        return False
    heading = F.course_heading(block.text)
    if heading is None or heading.hours is None and F.course_heading(line) is not None:
        return False
    if heading.hours is not None:
        return False
    if _HOURS_ALONE.match(line):
        return True
    if prev_blank:
        return False
    unclosed = block.text.count("(") > block.text.count(")")
    return unclosed or F.split_title_hours(line)[1] is not None


def text_blocks(text: str, line_offset: int = 0) -> list[Block]:
    """Blocks of a plain-text document, with line numbers (the first line is the title; the
    document's lines start after ``line_offset`` lines of its file)."""
    lines = text.splitlines()
    width = max((len(ln.strip()) for ln in lines), default=0)
    blocks: list[Block] = []
    current: list | None = None  # [kind, text, first line number, length of its last line]
    title_done = False
    label_head: tuple[str, int] | None = None  # a label alone on its line ("Length:"), value below

    def flush() -> None:
        nonlocal current
        if current is not None:
            blocks.append(Block(current[0], current[1], line=current[2]))
            current = None

    tables = text_tables(lines)
    skip_to = 0
    if (page_title := _page_title(lines)) is not None:  # a web page whose first line is no title
        title_done = True
        if page_title[0] >= 0:
            blocks.append(Block("heading", page_title[1], level=1, line=page_title[0] + 1 + line_offset))
    for i, raw in enumerate(lines):
        number = i + 1 + line_offset
        line = raw.strip()
        if i < skip_to:
            continue
        if page_title is not None and (i == page_title[0] or i < page_title[0] and _SECTION_MARK.match(line)):
            continue  # the title, read above; a section marker above it
        if i in tables and title_done:
            flush()
            skip_to, rows = tables[i]
            blocks.append(Block("table", line=number, rows=rows))
            label_head = None
            continue
        if not line:
            flush()
            continue
        if not title_done:
            if F.URL_LINE.match(line):
                continue  # "Source: https://...": where the page was saved from, never its title
            title_done = True
            # the first line is the title, unless it is a labelled field ("Course Name: ...")
            if F.split_label(line, F.PROGRAM_LABELS) is not None:
                blocks.append(Block("para", line, line=number))
            else:
                rest = lines[i + 1].strip() if i + 1 < len(lines) else ""
                if _title_goes_on(line, rest):  # "Clinical Medical Assistant" / "Certificate"
                    blocks.append(Block("heading", F.join_wrapped(line, rest), level=1, line=number))
                    skip_to = i + 2
                    continue
                blocks.append(Block("heading", line, level=1, line=number))
            continue
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if current is None and label_head is not None and blocks and blocks[-1].line == label_head[1]:
            head, at = label_head
            label_head = None
            if _label_value(line, next_blank):  # "Approx. Number of Hours/Months:" / "90 hours/3 months"
                blocks[-1] = Block("para", f"{head} {line}", line=at)
                continue
        label_head = None
        if (
            current is None
            and not prev_blank  # a wrapped line never follows a blank one
            and blocks
            and blocks[-1].kind == "para"
            and not _BULLET.match(line)
            and F.continues_label(blocks[-1].text, line)
        ):  # "Credentials: ... evaluated per" / "OSHA 29 CFR 1910.178(l); ..."
            blocks[-1] = Block("para", f"{blocks[-1].text} {line}", line=blocks[-1].line)
            continue
        if current is None and not prev_blank and _wraps_facts(blocks, lines[i - 1].strip(), line, width):
            # "Provider: Bayview College Clock hours:" / "560 Length: 14 weeks": a block of facts
            # an export wrapped as one paragraph (the outline splits it at each label)
            blocks[-1] = Block("para", f"{blocks[-1].text} {line}", line=blocks[-1].line)
            continue
        if current is None and blocks and _heading_goes_on(blocks[-1], line, prev_blank):
            # a course heading wrapped before its hours: "Module 2: ... Development" / "(16 hours)",
            # "MA 130 Phlebotomy, Specimens and Point-of-Care" / "Testing (70 hours)"
            blocks[-1] = Block("para", F.join_wrapped(blocks[-1].text, line), line=blocks[-1].line)
            continue
        bullet = _BULLET.match(line) or (_LETTER_ITEM.match(raw) if raw[:1].isspace() else None)
        if bullet:
            flush()
            current = [
                "item",
                raw[bullet.end() :].strip() if bullet.re is _LETTER_ITEM else line[bullet.end() :].strip(),
                number,
                len(line),
            ]
            continue
        if (facts := _dash_facts(line)) is not None:  # "Clock Hours – 200 Theory Hours – 116"
            flush()
            blocks.extend(Block("para", fact, line=number) for fact in facts)
            continue
        if (credits := _captioned_total(lines, i)) is not None:  # "Total 11" over "Credit Hours"
            flush()
            blocks.append(Block("para", credits, line=number))
            continue
        if (labelled := _figure_label(line)) is not None:  # "Academic Credits 60"
            flush()
            blocks.append(Block("para", labelled, line=number))
            continue
        if F.is_standalone_line(line):
            flush()
            blocks.append(Block("para", line, line=number))
            continue
        if prev_blank and _is_heading(line, alone=next_blank):
            flush()
            blocks.append(Block("heading", line.rstrip(":").strip(), level=2, line=number))
            if _label_heading(line):
                label_head = (line, number)
            continue
        if current is None:
            current = ["para", line, number, len(line)]
            continue
        # a line of more than 200 characters that ends a sentence is a paragraph of its own (a
        # web page saved as text), never one wrapped by hand
        wrapped = (
            width >= 40
            and current[3] >= 0.6 * width
            and not (current[3] > 200 and _SENTENCE_END.search(current[1]))
        )
        continues_item = current[0] == "item" and raw[:1].isspace()
        if wrapped or continues_item or (not _SENTENCE_END.search(current[1]) and line[:1].islower()):
            current = [current[0], F.join_wrapped(current[1], line), current[2], len(line)]
        else:
            flush()
            current = ["para", line, number, len(line)]
    flush()
    return blocks


# A line that sets programs of a catalog apart: "=====", "*****".
_SEPARATOR = re.compile(r"^[ \t]*(?:={5,}|\*{5,}|#{5,})[ \t]*$", re.M)


def hand_wrapped(lines: list[str]) -> bool:
    """Whether ``lines`` are a text wrapped by hand, as typed in a text editor: a paragraph gap
    (a blank line), most lines short (at most 120 characters) and at least two sentences that go on
    on the next line (a line that ends without a sentence's end before one that starts in lower
    case, "Powered industrial truck operator certification (sit-down" / "counterbalanced, ...")."""
    filled = [ln.strip() for ln in lines if ln.strip()]
    short = sum(len(ln) <= 120 for ln in filled)
    if len(filled) < 5 or len(filled) == len(lines) or short < 0.8 * len(filled):
        return False
    pairs = zip(lines, lines[1:], strict=False)
    goes_on = sum(
        1 for a, b in pairs if a.strip() and b.strip()[:1].islower() and not _SENTENCE_END.search(a.strip())
    )
    return goes_on >= 2


def _read_text(content: bytes, filename: str) -> Program | list[Program]:
    text = unlayout(decode_text(content))  # a PDF's text exported with its layout: as plain text
    programs = _catalog_programs(text, filename)
    return programs if programs else build_program(text_blocks(text), filename)


def _catalog_programs(text: str, filename: str) -> list[Program]:
    """A catalog of several programs set apart by separator lines: one program per part that
    has courses or clock hours of its own (at least two), each with the school a leading part
    names when it names none itself; [] for any other text."""
    parts, start = [], 0
    for m in [*_SEPARATOR.finditer(text), None]:
        end = m.start() if m else len(text)
        parts.append((text[start:end], text.count("\n", 0, start)))
        start = m.end() if m else len(text)
    if len(parts) < 3:
        return []
    read = [
        build_program(text_blocks(body.strip("\n"), offset + len(body) - len(body.lstrip("\n"))), filename)
        for body, offset in parts
        if body.strip()
    ]
    programs = [p for p in read if p.courses or p.clock_hours is not None]
    if len(programs) < 2:
        return []
    school = next((p for p in read if p.provider and p not in programs), None)
    if school is None:
        return programs
    where = {"provider": school.read_from["provider"]} if "provider" in school.read_from else {}
    return [
        p
        if p.provider
        else p.model_copy(update={"provider": school.provider, "read_from": {**p.read_from, **where}})
        for p in programs
    ]


register(Reader("text", (".txt", ".text"), _read_text))
