"""Lookup keys for job titles, so that a title written by an employer finds the same entry of a
title dictionary as the coder's index-style spelling of it.

``title_keys("1ST LINE SUPERVISOR OF FOOD PREP AND SERVING WORKE")`` and the Census index's
"First-line supervisor food preparation serving workers" share a key. What a key ignores:

- case, accents, punctuation and word order ("Inspector spring" is "Spring inspector": the
  Census index writes "Inspector, spring" without its comma);
- plurals ("Laborers"), function words ("of", "and", "&"), numbering ("#2", "1.", "(3)");
- employer abbreviations ("asst", "supv", "prep", "maint", "1st line");
- hyphens and spaces inside compounds ("Grounds-keeper", "grounds keeper", "groundskeeper").

Level words (I/II/III, senior, junior, trainee, seasonal, ...) are dropped by the *relaxed* key
only, so "Cook II" finds "Cook" but "Lead cook" first looks for "Lead cook". A title cut at the
column width of a form (about 50 characters, "... SERVING WORKE") has a *prefix* key: its last
word is matched as the start of a dictionary word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.text.normalise import fold

TRUNCATED_AT = 45  # a title this long whose last word is unknown may have been cut off
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"of", "and", "the", "for", "in", "a", "an", "to", "or", "with", "at", "on", "w", "amp"}
LEVEL_WORDS = {
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "1",
    "2",
    "3",
    "4",
    "5",
    "level",
    "lvl",
    "senior",
    "sr",
    "junior",
    "jr",
    "trainee",
    "entry",
    "experienced",
    "seasonal",
    "temporary",
    "temp",
    "ft",
    "pt",
    "full",
    "part",
    "time",
    "fulltime",
    "parttime",
    "h2b",
    "general",
    "position",
    "staff",
    "crew",
    "member",
    "team",
}
# Employer shorthand -> the index's words.
ABBREVIATIONS = {
    "asst": "assistant",
    "assist": "assistant",
    "supv": "supervisor",
    "supvr": "supervisor",
    "supr": "supervisor",
    "spvr": "supervisor",
    "mgr": "manager",
    "mngr": "manager",
    "prep": "preparation",
    "maint": "maintenance",
    "mech": "mechanic",
    "equip": "equipment",
    "oper": "operator",
    "op": "operator",
    "opr": "operator",
    "hsk": "housekeeping",
    "hskp": "housekeeping",
    "hskpg": "housekeeping",
    "hkp": "housekeeping",
    "attd": "attendant",
    "attdt": "attendant",
    "atten": "attendant",
    "svc": "service",
    "serv": "service",
    "svcs": "services",
    "rep": "representative",
    "tech": "technician",
    "techs": "technicians",
    "admin": "administrative",
    "1st": "first",
    "dept": "department",
    "whse": "warehouse",
    "mfg": "manufacturing",
    "const": "construction",
    "constr": "construction",
    "insp": "inspector",
    "inst": "installer",
    "instr": "instructor",
    "coord": "coordinator",
    "cdl": "truck driver",
    "hvac": "heating air conditioning",
}
# Words whose plural-looking ending is not a plural.
_KEEP_S = {"sales", "series", "news", "species", "glass", "chassis", "bus", "gas", "grass", "press", "canvas"}


@dataclass(frozen=True, slots=True)
class TitleKeys:
    exact: str  # folded, punctuation removed, words in order
    normal: str  # sorted singular content words
    compact: str  # the content words joined without spaces, in order ("groundskeeper")
    relaxed: str  # ``normal`` without level words ("" when nothing else is left)
    prefix: str | None  # ``relaxed`` minus its last word when the title looks cut off
    last: str | None  # that cut word


def singular(word: str) -> str:
    if len(word) <= 3 or word in _KEEP_S or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("s"):
        return word[:-1]
    return word


def words(title: str, *, singular_words: bool = True) -> list[str]:
    """Content words of a title: folded, abbreviations expanded, singular (unless
    ``singular_words`` is false), function words out."""
    text = fold(title).replace("&", " and ").replace("'", "")
    text = re.sub(r"\b1st\s*-?\s*line\b", "first line", text)
    out: list[str] = []
    for w in _WORD.findall(text):
        for part in ABBREVIATIONS.get(w, w).split():
            if part in _STOP or (part.isdigit() and part not in LEVEL_WORDS):
                continue
            out.append(singular(part) if singular_words else part)
    return out


def title_keys(title: str, *, known_words: set[str] | frozenset[str] = frozenset()) -> TitleKeys:
    """The keys of one title (see the module docstring). ``known_words``: the dictionary's words,
    to tell a cut-off last word from a real one."""
    ws = words(title)
    exact = " ".join(_WORD.findall(fold(title)))
    relaxed_words = [w for w in ws if w not in LEVEL_WORDS]
    prefix = last = None
    if len(" ".join(title.split())) >= TRUNCATED_AT and relaxed_words and len(relaxed_words) >= 2:
        tail = relaxed_words[-1]
        if known_words and tail not in known_words:
            last = tail
            prefix = " ".join(sorted(relaxed_words[:-1]))
    return TitleKeys(
        exact=exact,
        normal=" ".join(sorted(ws)),
        compact=singular("".join(words(title, singular_words=False))),
        relaxed=" ".join(sorted(relaxed_words)),
        prefix=prefix,
        last=last,
    )
