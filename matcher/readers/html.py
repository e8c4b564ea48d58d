"""Web pages (.html, .htm): the CTDL / schema.org JSON-LD they embed, else the page's text.

- Every ``<script type="application/ld+json">`` block is parsed; the programs, courses and
  credentials in them are read by :mod:`matcher.readers.jsonld` (a page that lists several
  programs yields several). Blocks without one (``BreadcrumbList``, ``Organization``, ...) are
  ignored; a malformed block is reported with its line and column in the page.
- A page without such markup is read as a document: ``<h1>``-``<h6>`` are headings, ``<p>``
  and other blocks paragraphs, ``<li>`` list items, ``<table>`` rows tables (see
  :mod:`matcher.readers.outline`); scripts, styles, navigation and footers are skipped, and so
  are breadcrumbs, skip links, cookie banners and share bars marked by class, id, role or label.
  A page without ``<h1>`` is titled by its first block of class ``title`` / ``page-title``.

Limits: :data:`MAX_SCRIPTS` JSON-LD blocks per page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from matcher.errors import BadInputError, TooLargeError
from matcher.program import Program, Provenance, SourceRef
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.outline import Block, BlockKind, build_program

MAX_SCRIPTS = 50
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "head", "button"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "dd", "dt", "pre", "address", "br", "hr",
    "summary", "details",
}  # fmt: skip
# Line breaks inside a table cell: outcomes listed in a cell ("<td><ul><li>...</li></ul></td>").
_CELL_BREAKS = {"li", "br", "p", "div"}
# A button that opens a collapsed panel (an accordion of courses) names what the panel holds;
# other buttons ("Request info", "Apply now") are skipped.
_TOGGLE = re.compile(r"accordion|collaps|toggle|expand|disclosure", re.I)


def _is_toggle(attrs: list[tuple[str, str | None]]) -> bool:
    if any(k == "role" and (v or "").strip().lower() == "tab" for k, v in attrs):
        return False  # a tab's label ("Overview", "Careers") is navigation; its panel is read
    return any(
        k in ("aria-expanded", "aria-controls")
        or (k in ("class", "data-toggle", "data-bs-toggle") and _TOGGLE.search(v or ""))
        for k, v in attrs
    )


_HEADINGS = {f"h{i}": i for i in range(1, 7)}
# A page without <h1> may set its title in a styled block: <p class="title">Relational Database
# Certificate (CE 816)</p>, <div class="page-title">.
_TITLE_CLASS = re.compile(r"^(?:(?:page|program|entry|post|main)[-_]?)?title$", re.I)


def _is_title_block(attrs: list[tuple[str, str | None]]) -> bool:
    return any(k == "class" and any(_TITLE_CLASS.match(c) for c in (v or "").split()) for k, v in attrs)


# Page furniture marked by its class, id, role or label rather than its tag: breadcrumbs
# ("Workforce Institute > Skilled Trades > Carpentry"), skip links, cookie banners, share bars.
_FURNITURE = re.compile(
    r"breadcrumb|skip-?(?:link|nav|to)|cookie|share-?(?:bar|buttons|links)|social-?(?:links|share)", re.I
)


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    return any(
        (k in ("class", "id", "aria-label") and _FURNITURE.search(v or ""))
        or (k == "role" and (v or "").strip().lower() in ("navigation", "banner", "contentinfo"))
        for k, v in attrs
    )


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.scripts: list[tuple[int, int, str]] = []  # (line, 0-based column, text) of JSON-LD blocks
        self.title: list[str] = []
        self.styled_titles: list[int] = []  # blocks set as titles by their class (see _TITLE_CLASS)
        self._styled = False
        self._skip = 0
        self._text: list[str] = []
        self._kind: BlockKind = "para"
        self._level = 0
        self._line = 1
        self._ld: list[str] | None = None
        self._ld_at = (1, 0)
        self._in_title = False
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._furniture: str | None = None  # the tag of the furniture element being skipped ...
        self._furniture_open = 0  # ... and how many elements of that tag are open inside it
        self._toggles = 0  # open buttons that toggle a panel (read as paragraphs)
        self._term: str | None = None  # the open <dt>'s text
        self._in_dt = False
        self._in_tfoot = False

    # text collection -------------------------------------------------------------------------
    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text and self._cell is None and self._in_dt:
            self._term = text  # a <dl> term: "Clock hours", read with its <dd> as "Clock hours: 560"
            self._text = []
            return
        if text and self._cell is None and self._term is not None:
            term = self._term
            if F.course_heading(term) or F.hours_heading(term):  # a course list: <dt> course, <dd> text
                self.blocks.append(Block("para", self._term, line=self._line))
                self._term = None
            else:
                text, self._term = f"{self._term.rstrip(':')}: {text}", None
        if text and self._cell is None:
            kind: BlockKind = "heading" if self._level else self._kind
            level = self._level
            if self._styled and not level:
                self.styled_titles.append(len(self.blocks))
                kind, level = "heading", 1
            self.blocks.append(Block(kind, text, level=level, line=self._line))
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(
            k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
        ):
            self._ld = []
            line, col = self.getpos()
            tag_text = self.get_starttag_text() or ""
            if "\n" in tag_text:
                self._ld_at = (line + tag_text.count("\n"), len(tag_text.rsplit("\n", 1)[1]))
            else:
                self._ld_at = (line, col + len(tag_text))
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag == self._furniture:
            self._furniture_open += 1
        if tag == "button" and not self._skip and _is_toggle(attrs):
            self._flush()
            self._line, self._level, self._kind = self.getpos()[0], 0, "para"
            self._toggles += 1
            return
        if tag in _SKIP:
            self._skip += 1
            return
        if self._skip:
            return
        if self._furniture is None and tag not in ("html", "body", "main") and _is_furniture(attrs):
            self._flush()
            self._furniture, self._furniture_open = tag, 1
            self._skip += 1
            return
        if tag == "table":
            self._flush()
            self._table = []
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag in ("thead", "tbody", "tfoot") and self._table is not None:
            self._in_tfoot = tag == "tfoot"
        elif self._cell is not None and tag in _CELL_BREAKS:
            self._cell.append("\n")
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
            self._flush()
            self._line = self.getpos()[0]
            self._level = _HEADINGS.get(tag, 0)
            self._kind = "item" if tag == "li" else "para"
            self._in_dt = tag == "dt"
            self._styled = tag in ("p", "div") and _is_title_block(attrs)
            if tag != "dd" and self._term is not None:  # a term without its description
                self.blocks.append(Block("para", self._term, line=self._line))
                self._term = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._ld is not None:
            line, col = self._ld_at
            self.scripts.append((line, col, "".join(self._ld)))
            self._ld = None
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
        if tag == self._furniture:
            self._furniture_open -= 1
            if self._furniture_open == 0:
                self._furniture = None
                self._skip = max(0, self._skip - 1)
                return
        if tag == "button" and self._toggles and not self._skip:
            self._toggles -= 1
            self._flush()
            return
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            if self._table:
                lines = (" ".join(line.split()) for line in "".join(self._cell).split("\n"))
                self._table[-1].append("\n".join(line for line in lines if line))
            self._cell = None
        elif tag == "tr" and self._in_tfoot and self._table:
            self._table.pop()  # a footer row: totals, notes
        elif tag == "tfoot":
            self._in_tfoot = False
        elif tag == "table" and self._table is not None:
            rows = tuple(tuple(r) for r in self._table if r)
            if rows:
                self.blocks.append(Block("table", rows=rows, line=self._line))
            self._table = None
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
            self._flush()
            self._level, self._kind, self._in_dt, self._styled = 0, "para", False, False

    def handle_data(self, data: str) -> None:
        if self._ld is not None:
            self._ld.append(data)
            return
        if self._in_title:
            self.title.append(data)
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        else:
            if not self._text:
                self._line = self.getpos()[0]
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _scripts_programs(scripts: list[tuple[int, int, str]], filename: str) -> list[Program]:
    from matcher.readers.jsonld import is_jsonld, programs_from_jsonld

    if len(scripts) > MAX_SCRIPTS:
        raise TooLargeError(
            f"{filename} holds {len(scripts)} JSON-LD scripts; the limit is {MAX_SCRIPTS} per page",
            details={"limit_scripts": MAX_SCRIPTS},
        )
    programs: list[Program] = []
    for line, col, text in scripts:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where_line = line + exc.lineno - 1
            where_col = exc.colno + (col if exc.lineno == 1 else 0)
            raise BadInputError(
                f"{filename}: malformed JSON-LD in the <script> block of line {line}: {exc.msg} "
                f"at line {where_line}, column {where_col}"
            ) from None
        except RecursionError:
            raise BadInputError(
                f"{filename}: the JSON-LD block of line {line} is nested too deeply"
            ) from None
        if not is_jsonld(data):
            continue
        try:
            programs += programs_from_jsonld(data, filename, require=False)
        except BadInputError:
            continue  # a block without a program, course or credential (an Organization, ...)
    return programs


def _read_html(content: bytes, filename: str) -> Program | list[Program]:
    parser = _PageParser()
    parser.feed(decode_text(content))
    parser.close()
    programs = _scripts_programs(parser.scripts, filename)
    if programs:
        return programs
    blocks = parser.blocks
    if not any(b.text.strip() or b.rows for b in blocks):
        what = f" ({len(parser.scripts)} JSON-LD blocks, none describing a program)" if parser.scripts else ""
        raise BadInputError(f"{filename} has no program markup and no text{what}")
    page_title = " ".join("".join(parser.title).split()) or None
    blocks = _styled_title(blocks, parser.styled_titles)
    program = build_program(_h1_first(blocks), filename, fallback_title=page_title)
    return _provider_from_title(program, page_title, filename)


def _provider_from_title(program: Program, page_title: str | None, filename: str) -> Program:
    """A page that names no provider in its text is its site's: "Phlebotomy | Lakeshore
    Community College" (the ``<title>``'s last part, when it names a school)."""
    if program.provider or not page_title:
        return program
    parts = [p.strip() for p in re.split(r"\s+[|–—-]\s+", page_title) if p.strip()]
    name = F.institution_line(parts[-1]) if len(parts) >= 2 else None
    if name is None:
        return program
    where = Provenance(text=f"<title>{page_title}</title>", source=SourceRef(file=filename))
    return program.model_copy(
        update={"provider": name, "read_from": {**program.read_from, "provider": where}}
    )


def _styled_title(blocks: list[Block], styled: list[int]) -> list[Block]:
    """The first block styled as a title is the page's ``<h1>`` when it has none; the others,
    and all of them on a page with an ``<h1>``, are paragraphs."""
    has_h1 = any(b.kind == "heading" and b.level == 1 and i not in styled for i, b in enumerate(blocks))
    keep = None if has_h1 or not styled else styled[0]
    return [
        Block("para", b.text, line=b.line, page=b.page) if i in styled and i != keep else b
        for i, b in enumerate(blocks)
    ]


def _h1_first(blocks: list[Block]) -> list[Block]:
    """A page with an ``<h1>`` is titled by it: headings before it (a sidebar's "Course Start
    Dates", a site banner) are read as paragraphs."""
    first = next((i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1), None)
    if first is None:
        return blocks
    return [
        Block("para", b.text, line=b.line, page=b.page) if i < first and b.kind == "heading" else b
        for i, b in enumerate(blocks)
    ]


register(Reader("html", (".html", ".htm", ".xhtml"), _read_html))
