"""Acronyms the taxonomies spell out themselves ("Tungsten inert gas TIG welders", "computer aided
design (CAD)"), used to rewrite candidate spans before linking: the encoder does not know that
"TIG welding" is "tungsten inert gas welding", but ESCO only says the latter."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from matcher.sources.catalog import Catalog

_ACR = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_TOKEN = re.compile(r"[A-Za-z0-9][\w-]*|\(|\)")
_WORD = re.compile(r"\b[A-Z][A-Z0-9]{1,6}s?\b")
MIN_SHARE = 0.6  # the most frequent expansion must have this share of the acronym's mentions


def _expansions(text: str) -> Iterable[tuple[str, str]]:
    toks = _TOKEN.findall(text)
    for i, t in enumerate(toks):
        paren = t == "(" and i + 2 < len(toks) and toks[i + 2] == ")"
        acr = toks[i + 1] if paren else t
        if not _ACR.match(acr):
            continue
        letters = acr.lower()
        n = len(letters)
        if i < n:
            continue
        head = toks[i - n : i]
        if any(not w[0].isalpha() for w in head):
            continue
        if "".join(w[0].lower() for w in head) == letters and not all(w.isupper() for w in head):
            yield acr, " ".join(w.lower() for w in head)


def taxonomy_acronyms(catalog: Catalog) -> dict[str, str]:
    """ACRONYM -> expansion, from O*NET technology, tools, tasks and DWAs and ESCO skills."""
    texts: list[str] = []
    for ts in catalog.tech_by_code.values():
        texts += [t.example for t in ts]
    for tl in catalog.tools_by_code.values():
        texts += [t.example for t in tl]
    texts += [t.text for t in catalog.tasks.values()]
    texts += [d.title for d in catalog.dwas.values()]
    for s in catalog.esco_skills.values():
        texts += [s.label, *s.alt_labels, s.description]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for text in dict.fromkeys(texts):
        for acr, exp in _expansions(text):
            counts[acr][exp] += 1
    out = {}
    for acr, c in counts.items():
        exp, n = c.most_common(1)[0]
        if n / sum(c.values()) >= MIN_SHARE:
            out[acr] = exp
    return out


def expand(text: str, acronyms: dict[str, str]) -> str | None:
    """``text`` with known acronyms spelled out ("TIG welding" -> "tungsten inert gas
    welding"), or ``None`` when it has none."""
    changed = False

    def sub(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        base = word[:-1] if word.endswith("s") and word[:-1] in acronyms else word
        exp = acronyms.get(base)
        if exp is None:
            return word
        changed = True
        return exp + ("s" if base != word else "")

    out = _WORD.sub(sub, text)
    return out if changed else None
