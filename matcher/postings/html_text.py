"""HTML -> readable text (block elements become line breaks, scripts and styles dropped), and
the JSON-LD blocks (``<script type="application/ld+json">``) of a page, with their lines."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
_LOOKS_HTML = re.compile(r"<\s*(?:p|br|div|ul|ol|li|span|strong|b|em|h[1-6]|table|a)\b[^>]*>", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in: list[str] = []
        self.ld_json: list[tuple[int, int, str]] = []  # (line, column where the JSON starts, text)
        self._ld: list[str] | None = None
        self._ld_at = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(
            k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
        ):
            self._ld = []
            line, col = self.getpos()
            tag = self.get_starttag_text() or ""
            self._ld_at = (
                line + tag.count("\n"),
                (col + len(tag)) if "\n" not in tag else len(tag.rsplit("\n", 1)[1]),
            )
        if tag in _SKIP:
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._ld is not None:
            self.ld_json.append((*self._ld_at, "".join(self._ld)))
            self._ld = None
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._ld is not None:
            self._ld.append(data)
            return
        if "title" in self._in:
            self.title.append(data)
        if self.skip:
            return
        if "h1" in self._in:
            self.h1.append(data)
        self.parts.append(data)


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment or page (entities decoded, tags removed)."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.parts))


def maybe_html_to_text(text: str) -> str:
    """Strip tags only when ``text`` looks like HTML; always decode entities."""
    if _LOOKS_HTML.search(text):
        return html_to_text(text)
    return html.unescape(text).strip()


def parse_page(markup: str) -> tuple[str, str, list[tuple[int, int, str]]]:
    """(title (``<h1>`` else ``<title>``), body text, JSON-LD blocks with the line and column
    (0-based) where each block's text starts)."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    title = " ".join("".join(parser.h1).split()) or " ".join("".join(parser.title).split())
    return title, _tidy("".join(parser.parts)), parser.ld_json
