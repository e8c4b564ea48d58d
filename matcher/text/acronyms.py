"""Trade acronyms spelled out, as the taxonomies spell them.

Curricula write "TIG welding", "CNC lathe", "PLC troubleshooting"; ESCO writes "perform tungsten
inert gas welding" and has no "TIG" among its labels, and the encoder does not know that TIG is
tungsten inert gas ("TIG welding" is 0.60 from that skill). The taxonomies themselves say what
the acronyms stand for: O*NET's tools and technology examples and task statements and ESCO's
labels and descriptions write "Tungsten inert gas TIG welding equipment", "computer numerical
control (CNC)". :func:`acronym_table` reads every "<words> <ACRONYM>" or "<words> (<ACRONYM>)"
whose words' initials spell the acronym; :func:`expand` writes a text with each known acronym
followed by its words ("TIG welding" -> "TIG (tungsten inert gas) welding"), for encoding only:
what a reader is shown stays as the program wrote it.

Only acronyms of three or more letters are read (two letters are too ambiguous: "CO", "MA"); an
acronym with two meanings is read only when one is at least twice as frequent (spellings of one
meaning, "computer numerical control" and "computerized numerical controls", count together);
time zones and Roman numerals are never expanded.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_DEFINED = re.compile(
    r"\b([A-Za-z][\w-]*(?:,?\s+[A-Za-z][\w-]*){1,7}),?\s+\(?([A-Z][A-Z0-9]{2,6})\)?(?=\W|$)"
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,6}\b")
_SMALL = frozenset("of and the for to in on with &".split())
NEVER = frozenset("EST EDT CST CDT MST MDT PST PDT UTC GMT III VII VIII XII USA".split())


def _spelling(words: list[str], letters: list[str]) -> list[str]:
    """The last words before an acronym whose initials spell it, small words between them
    allowed ("heating, ventilation, and air conditioning" for HVAC; "international
    classification of diseases" for ICD); [] when they do not spell it."""
    out: list[str] = []
    need = list(letters)
    for word in reversed(words):
        if not need:
            break
        if word.lower().strip(",") in _SMALL and out:
            out.append(word)
        elif word[0].upper() == need[-1]:
            out.append(word)
            need.pop()
        else:
            return []
    return [w.strip(",") for w in reversed(out)] if not need else []


def acronym_table(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> its words (lower case), read from taxonomy texts (see the module docstring)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for m in _DEFINED.finditer(text):
            acronym = m.group(2)
            letters = [c for c in acronym if c.isalpha()]
            if len(letters) < 3 or acronym in NEVER or len(letters) != len(acronym):
                continue
            words = _spelling(m.group(1).split(), letters)
            if words:
                seen[acronym][" ".join(w.lower() for w in words)] += 1
    table = {}
    for acronym, ways in seen.items():
        # One meaning written several ways ("computer numerical control", "computerized
        # numerical controls") counts once: ways are grouped by the first four letters of words.
        meanings: dict[str, Counter[str]] = defaultdict(Counter)
        for way, n in ways.items():
            meanings[" ".join(w[:4] for w in way.split())][way] += n
        ranked = sorted(meanings.values(), key=lambda c: -sum(c.values()))
        top = sum(ranked[0].values())
        if len(ranked) == 1 or top >= 2 * sum(ranked[1].values()):
            table[acronym] = ranked[0].most_common(1)[0][0]
    return table


def expand(text: str, table: dict[str, str]) -> str:
    """``text`` with every known acronym followed by its words in parentheses, unless the
    text already spells them out."""
    low = text.lower()

    def one(m: re.Match[str]) -> str:
        words = table.get(m.group(0))
        return m.group(0) if words is None or words in low else f"{m.group(0)} ({words})"

    return _ACRONYM.sub(one, text)
