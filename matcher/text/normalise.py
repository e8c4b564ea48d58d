"""Text normalisation and a fast rule-based sentence splitter that keeps character offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WS = re.compile(r"\s+")
# A sentence ends at . ! ? ; followed by whitespace and an upper-case letter, digit or bullet,
# or at a line break that starts a bullet or a new line of text.
_BOUNDARY = re.compile(
    r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9•\-*])|\n\s*\n|\n(?=\s*[-•*·▪●]|\s*\d+[.)]\s)|\r?\n"
)
_BULLET = re.compile(r"^[\s\-•*·▪●]+|^\d+[.)]\s+")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|Dr|Mr|Mrs|Ms|St|No|Inc|Ltd|Co|U\.S))\.$", re.I)

MIN_SENTENCE_CHARS = 3


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


def normalise_space(text: str) -> str:
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive, whitespace-collapsed form, for label matching."""
    if not text.isascii():  # ASCII has nothing to decompose (the per-character loop is slow)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return normalise_space(text).casefold()


def split_sentences(text: str, max_chars: int = 600) -> list[Span]:
    """Split into sentences with offsets into ``text``; long runs are cut at commas/spaces."""
    spans: list[Span] = []
    start = 0
    pieces: list[tuple[int, int]] = []
    for m in _BOUNDARY.finditer(text):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(text)))
    # re-join pieces split after an abbreviation ("e.g. Welding")
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and _ABBREV.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    for s, e in merged:
        seg = text[s:e]
        bullet = _BULLET.match(seg)
        if bullet:
            s += bullet.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s < MIN_SENTENCE_CHARS:
            continue
        spans.extend(_cut_long(text, s, e, max_chars))
    return spans


def _cut_long(text: str, s: int, e: int, max_chars: int) -> list[Span]:
    out = []
    while e - s > max_chars:
        cut = text.rfind(", ", s, s + max_chars)
        if cut <= s:
            cut = text.rfind(" ", s, s + max_chars)
        if cut <= s:
            cut = s + max_chars
        out.append(Span(text[s:cut], s, cut))
        s = cut + 1
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append(Span(text[s:e], s, e))
    return out


# A single line break inside a paragraph that was wrapped by hand (ETPL descriptions pasted from
# PDFs: "Graduates will be able to work in hospitals, outpatient\nclinics, ..."): the line before
# is long and has no end punctuation and the next starts in lower case, or the line before ends
# on a comma or a joining word. A next line that starts a list item is never joined.
_WRAP = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=\S)")
_WRAP_ITEM = re.compile(r"[-•*·▪●]|\d{1,2}[.)]\s|[a-z][.)]\s")
_WRAP_MIN_LINE = 30
_JOINERS = ("and", "or", "the", "of", "to", "in", "for", "with")


def join_wrapped_lines(text: str) -> str:
    """``text`` with the line breaks of hand-wrapped paragraphs turned into spaces, so a sentence
    broken across lines is one sentence. The length is kept (each break becomes spaces), so
    offsets into the text stay valid."""
    if "\n" not in text:
        return text
    out = list(text)
    for m in _WRAP.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        last = line.rsplit(" ", 1)[-1]
        joiner = line.endswith(",") or last in _JOINERS  # as written: "the OR" (operating room) ends a line
        lower_rest = text[m.end()].islower() and line[-1] not in ".!?;:" and len(line) >= _WRAP_MIN_LINE
        if (joiner and text[m.end()].isalpha()) or lower_rest:
            if not _WRAP_ITEM.match(text, m.end()):
                out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


_FRAGMENT = re.compile(r"\s*(?:[,;:()]|\band\b|\bor\b|\bincluding\b|\bsuch as\b)\s*", re.I)


def fragments(text: str, min_words: int = 2) -> list[Span]:
    """Clauses and list items of a sentence ("MIG and TIG welding, plasma cutting" ->
    "MIG", "TIG welding", "plasma cutting"), with offsets; short pieces are dropped."""
    out: list[Span] = []
    start = 0
    for m in _FRAGMENT.finditer(text):
        out.append(Span(text[start : m.start()], start, m.start()))
        start = m.end()
    out.append(Span(text[start:], start, len(text)))
    pieces = [s for s in out if len(s.text.split()) >= min_words and s.text.strip(" .") != text.strip(" .")]
    return [Span(p.text.rstrip(" ."), p.start, p.start + len(p.text.rstrip(" ."))) for p in pieces]
