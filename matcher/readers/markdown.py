"""Markdown syllabi and catalog pages (CommonMark with tables, optional YAML front matter).

The first heading is the title; headings that name a course (``## WLD-110 Shielded Metal Arc
Welding``), and sub-headings of a ``## Courses`` section, become courses; paragraphs and list
items keep their line numbers; a table of contents (list items that only link to the page's
own sections) is skipped. See :mod:`matcher.readers.outline` for the rules.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from matcher.program import Program
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.duration import add_length, length_label
from matcher.readers.outline import Block, build_program

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    # "<br>" breaks a line (outcomes listed in a table cell); other inline tags go
    return re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", "".join(parts), flags=re.I)).strip()


def _anchor_link_only(token: Token) -> bool:
    """An inline run that is nothing but links into the page itself ("[Learning Outcomes](#learning-
    outcomes)"): an entry of a table of contents, which repeats the headings below it."""
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    links = [c for c in children if c.type == "link_open"]
    if not links or any(not str(c.attrs.get("href") or "").startswith("#") for c in links):
        return False
    inside = 0
    for c in children:  # no text outside the links ("See [Schedule](#schedule) for dates")
        if c.type == "link_open":
            inside += 1
        elif c.type == "link_close":
            inside -= 1
        elif inside == 0:
            return False
    return True


def _front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(program fields from YAML front matter, the rest of the text, lines consumed)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text, 0
    if not isinstance(data, dict):
        return {}, text, 0
    out: dict[str, Any] = {}
    for key, value in data.items():
        fld = F.PROGRAM_LABELS.get(F.norm_key(str(key)))
        if fld is None or value in (None, ""):
            continue
        if fld == "cip":
            value = F.parse_cip(value)
        elif fld == "occupations":
            value = F.parse_socs(value)
        elif fld in ("clock_hours", "credit_hours", "tuition_and_fees"):
            value = F.parse_number(value)
        elif fld == "weeks":  # "weeks: 16", "schedule: Mon-Fri 9:00 am - 3:00 pm"
            add_length(out, length_label(str(value)))
            continue
        elif fld == "hours_per_week":
            value = F.parse_number(value)
        elif fld == "description":
            continue  # front-matter descriptions are usually SEO blurbs; the body is the text
        if value not in (None, "", []):
            out[fld] = value if not isinstance(value, list) or fld == "occupations" else "; ".join(value)
    return out, text[m.end() :], m.group(0).count("\n")


def _paragraph(content: str, line: int | None) -> list[Block]:
    """One paragraph, or one per line when its lines are labels ("Provider: ...") or name
    courses: Markdown joins consecutive lines that authors meant as separate fields."""
    lines = [ln.strip() for ln in content.splitlines() if ln.strip()]
    if any(F.BULLET.match(ln) for ln in lines):
        # lines numbered as an outline's sub-units ("1.1 Inspect climbing gear"), which Markdown
        # takes for one paragraph: each numbered line is an item
        return [
            Block("item", ln[m.end() :].strip(), line=None if line is None else line + i)
            if (m := F.BULLET.match(ln))
            else Block("para", ln, line=None if line is None else line + i)
            for i, ln in enumerate(lines)
        ]
    if len(lines) > 1 and any(
        F.split_label(ln, F.PROGRAM_LABELS) or F.split_label(ln, F.COURSE_LABELS) or F.course_heading(ln)
        for ln in lines
    ):
        return [Block("para", ln, line=None if line is None else line + i) for i, ln in enumerate(lines)]
    return [Block("para", " ".join(content.split()), line=line)]


def markdown_blocks(text: str, line_offset: int = 0) -> list[Block]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    list_depth = 0
    heading_level: int | None = None
    table: list[list[str]] | None = None
    table_line: int | None = None
    for tok in tokens:
        line = tok.map[0] + 1 + line_offset if tok.map else None
        if tok.type == "heading_open":
            heading_level = int(tok.tag[1:])
        elif tok.type == "heading_close":
            heading_level = None
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "table_open":
            table, table_line = [], line
        elif tok.type == "tr_open" and table is not None:
            table.append([])
        elif tok.type == "table_close" and table is not None:
            blocks.append(Block("table", rows=tuple(tuple(r) for r in table), line=table_line))
            table = None
        elif tok.type == "inline":
            content = _inline_text(tok)
            if table is not None:
                if table:
                    table[-1].append(content)
            elif heading_level is not None:
                blocks.append(Block("heading", " ".join(content.split()), level=heading_level, line=line))
            elif list_depth > 0:
                if _anchor_link_only(tok):
                    continue  # a table of contents: the headings it links to follow
                blocks.append(Block("item", " ".join(content.split()), line=line))
            else:
                blocks += _paragraph(content, line)
    return blocks


def _read_markdown(content: bytes, filename: str) -> Program:
    meta, body, consumed = _front_matter(decode_text(content))
    title = meta.pop("title", None)
    blocks = markdown_blocks(body, consumed)
    if title:
        blocks.insert(0, Block("heading", str(title), level=0))
    return build_program(blocks, filename, extra=meta)


register(Reader("markdown", (".md", ".markdown"), _read_markdown))
