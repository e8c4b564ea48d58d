"""The occupation's own name in a program's text, which is not evidence of what is taught.

The labelling protocol (``gaps-labelling.md``): "the occupation's name alone [is] not teaching".
A program title "Cardiac Monitor Technician", a keyword "Medical Assistant" or the phrase
"Phlebotomy Technician" names the occupation the requirements come from; it says nothing about
which of them the program teaches. A span is such a name when, written the same way, it is the
O*NET title or one of the O*NET alternate titles of the occupation ("Certified Nursing Assistant
(CNA)", "CNA", "Nurse Aide" for 31-1131.00). Subjects that merely share words with a title
("Phlebotomy", "Appliance Repair", "Medical Billing") are not names and stay evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from matcher.text.normalise import fold

_PARENS = re.compile(r"\([^)]*\)?")
_NON_WORD = re.compile(r"[^a-z0-9+#]+")
_LEADING = ("state certified ", "certified ")  # "Certified Phlebotomy Technician"
_TRAILING = (" certificate", " certification", " program", " course", " training", " license")


def name_key(text: str) -> str:
    """``text`` written the same way as other names: folded, without parentheses, a leading
    "certified" or a trailing "certificate" / "program", and singular."""
    t = _NON_WORD.sub(" ", _PARENS.sub(" ", fold(text))).strip()
    for lead in _LEADING:
        if t.startswith(lead):
            t = t[len(lead) :]
    for tail in _TRAILING:
        if t.endswith(tail):
            t = t[: -len(tail)]
    words = t.split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


class OccupationNames:
    """Name keys of each occupation (O*NET title, alternate titles and their short forms)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._by_code: dict[str, set[str]] = defaultdict(set)
        for code, title in names:
            key = name_key(title)
            if key:
                self._by_code[code].add(key)

    def is_name(self, text: str, code: str) -> bool:
        """Whether ``text`` is only a name of occupation ``code``."""
        return name_key(text) in self._by_code.get(code, ())
