"""Markdown syllabi and catalog pages (CommonMark with tables, optional YAML front matter).

The first heading is the title; headings that name a course (``## WLD-110 Shielded Metal Arc
Welding``), and sub-headings of a ``## Courses`` section, become courses; paragraphs and list
items keep their line numbers; a table of contents (list items that only link to the page's
own sections) is skipped. Raw HTML blocks (``<details><summary>...</summary><ul><li>``,
``<table>``) are read by the web page reader's parser: a ``<summary>`` is a heading one level
below the Markdown heading above it. See :mod:`matcher.readers.outline` for the rules.
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
from matcher.readers.html import _PageParser
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
    own = [
        bool(
            F.split_label(ln, F.PROGRAM_LABELS) or F.split_label(ln, F.COURSE_LABELS) or F.course_heading(ln)
        )
        for ln in lines
    ]
    if len(lines) > 1 and any(own):
        blocks: list[Block] = []
        for i, ln in enumerate(lines):
            if i and not own[i] and _wrapped_label(blocks[-1].text, lines[i - 1], ln):
                blocks[-1] = Block("para", f"{blocks[-1].text} {ln}", line=blocks[-1].line)
            else:
                blocks.append(Block("para", ln, line=None if line is None else line + i))
        return blocks
    return [Block("para", " ".join(content.split()), line=line)]


# Markdown writers (pandoc, editors) wrap a long line at about 72 columns.
_WRAP_WIDTH = 60


def _wrapped_label(block: str, prev: str, line: str) -> bool:
    """Whether ``line`` is the rest of the label line ``block`` wrapped by the writer
    ("**Credential:** Certificate of Completion; eligibility for the state" / "Home Health Aide
    competency exam"): it goes on after a connector or in lower case, or the line before it
    fills the wrap width without ending a sentence."""
    if F.split_label(block, F.PROGRAM_LABELS) is None:
        return False
    if F.continues_label(prev, line):
        return True
    return len(prev) >= _WRAP_WIDTH and not prev.endswith((".", "!", "?"))


class _EmbeddedHtml(_PageParser):
    """The web page reader's parser (:mod:`matcher.readers.html`), fed the raw HTML blocks of a
    Markdown document one after another (``<details><summary>Week 1: Shell basics</summary>``,
    ``<ul><li>...</li></ul>``, ``<table>``): its headings, items and tables are blocks of the
    document. A ``<summary>`` is a heading one level below the Markdown heading it stands under
    (one more for each ``<details>`` it is nested in)."""

    def __init__(self) -> None:
        super().__init__()
        self.base_level = 1  # the level of the Markdown heading the HTML stands under
        self._details = 0  # open <details>
        self._fed = 0  # lines fed so far
        self._starts: list[tuple[int, int | None]] = []  # (parser line a block began on, its Markdown line)
        self._taken = 0  # blocks handed out so far
        self._table_at: int | None = None  # the line of the open <table>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "details":
            self._details += 1
        elif tag == "summary" and not self._skip and self._cell is None:
            self._level = self.base_level + max(1, self._details)
        elif tag == "table" and self._table_at is None:
            self._table_at = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table_at is not None:
            self._line, self._table_at = self._table_at, None  # a table is found on its first line
        super().handle_endtag(tag)
        if tag == "details":
            self._details = max(0, self._details - 1)

    def feed_block(self, html: str, line: int | None, level: int) -> list[Block]:
        """The blocks one raw HTML block of the document (from Markdown line ``line``, under a
        heading of ``level``) completes, with their Markdown lines."""
        self.base_level = level
        self._starts.append((self._fed + 1, line))
        self.feed(html)
        self._fed += html.count("\n")
        self._flush()  # its text comes before the Markdown that follows
        return self.take()

    def take(self) -> list[Block]:
        new, self._taken = self.blocks[self._taken :], len(self.blocks)
        return [
            Block(b.kind, b.text, level=b.level, line=self._markdown_line(b.line), rows=b.rows) for b in new
        ]

    def _markdown_line(self, at: int | None) -> int | None:
        start, line = next(((s, ln) for s, ln in reversed(self._starts) if at is None or s <= at), (1, None))
        return None if line is None or at is None else line + at - start


def markdown_blocks(text: str, line_offset: int = 0) -> list[Block]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    list_depth = 0
    heading_level: int | None = None
    section_level = 0  # the level of the newest heading
    table: list[list[str]] | None = None
    table_line: int | None = None
    html: _EmbeddedHtml | None = None
    for tok in tokens:
        line = tok.map[0] + 1 + line_offset if tok.map else None
        if tok.type == "html_block":
            html = html or _EmbeddedHtml()
            blocks += html.feed_block(tok.content, line, section_level)
        elif tok.type == "heading_open":
            heading_level = section_level = int(tok.tag[1:])
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
    if html is not None:
        html.close()
        blocks += html.take()
    return blocks


def _read_markdown(content: bytes, filename: str) -> Program:
    meta, body, consumed = _front_matter(decode_text(content))
    title = meta.pop("title", None)
    blocks = markdown_blocks(body, consumed)
    if title:
        blocks.insert(0, Block("heading", str(title), level=0))
    return build_program(blocks, filename, extra=meta)


register(Reader("markdown", (".md", ".markdown"), _read_markdown))
