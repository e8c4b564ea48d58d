"""US job titles coded by federal coders: the Census Bureau's Alphabetical Index of Occupations
(2018 Census occupation codes and SOC 2018, with industry restrictions) and the BLS SOC 2018
Direct Match Title File (``titles/`` in the data folder; ``SOURCES.md`` there).

The Census index writes titles in index style ("Inspector spring" for "Inspector, spring"),
marks an unspecified title with a trailing ``\\ ns`` ("Analyst\\ ns"), points one title to
another ("Alterer See "Alteration hand""), and codes some titles only to a group of SOC
occupations: a broad occupation (``51-9120``) or a pattern (``51-91XX``, ``51-609X``). Its
industry restriction column names 2022 Census industry codes:

- empty: the title has this code in any industry;
- ``6680``, ``0370-0490``, ``6471, 6671``, ``Secondary school 8470``: only in these industries;
- ``Exc. 6680``: in any industry except these; ``1070-3990 exc. 2190``: these, less those;
- ``(1280)``, ``#6090``: the industry the title itself implies (seafood processing for "Crab
  picker"); a title coded this way alone has the code in any industry;
- ``\\ Any not listed``: the code for every industry that the title's other rows do not name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from matcher.sources._table import read_rows

WHAT = "Census/BLS title index"
CENSUS_FILE = "census_2022_occupation_index.csv"
BLS_FILE = "bls_soc_2018_direct_match_titles.csv"
DETAILED = re.compile(r"^\d{2}-\d{4}$")
GROUPED = re.compile(r"^\d{2}-[\dX]{4}$")
_RANGE = re.compile(r"(\d{3,4})(?:\s*-\s*(\d{3,4}))?")
_SEE = re.compile(r'^(.*?)\s+See\s+"?([^"]+)"?\s*$')


@dataclass(frozen=True, slots=True)
class IndustryRestriction:
    """Where a Census index row applies; see the module docstring."""

    kind: str  # any | only | except | implied | default
    include: tuple[tuple[int, int], ...] = ()
    exclude: tuple[tuple[int, int], ...] = ()
    text: str = ""

    def allows(self, industry: int | None) -> bool | None:
        """True/False when ``industry`` (a 2022 Census industry code) is known and the row
        applies or not; None when the industry is unknown and the row is restricted."""
        if self.kind in ("any", "implied"):
            return True
        if industry is None:
            return None
        inside = any(lo <= industry <= hi for lo, hi in self.include)
        outside = any(lo <= industry <= hi for lo, hi in self.exclude)
        if self.kind == "except":
            return not outside
        if self.kind == "only":
            return inside and not outside
        return None  # "default": decided against the title's other rows


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for lo, hi in _RANGE.findall(text):
        out.append((int(lo), int(hi or lo)))
    return tuple(out)


def parse_restriction(text: str) -> IndustryRestriction:
    """The restriction column of one Census index row (see the module docstring)."""
    raw = " ".join(text.split())
    if not raw:
        return IndustryRestriction("any")
    lower = raw.lower()
    if "any not listed" in lower or "not listed above" in lower:
        return IndustryRestriction("default", text=raw)
    if raw.startswith("(") or raw.startswith("#"):
        return IndustryRestriction("implied", _ranges(raw), text=raw)
    if lower.startswith("exc"):
        return IndustryRestriction("except", exclude=_ranges(raw), text=raw)
    head, sep, tail = lower.partition("exc")
    include = _ranges(head)
    if not include:  # class-of-worker or wording only ("FGOV", "Mfg."): applies as a default
        return IndustryRestriction("default", text=raw)
    return IndustryRestriction("only", include, _ranges(tail) if sep else (), text=raw)


@dataclass(frozen=True, slots=True)
class IndexTitle:
    """One coded title of the Census or BLS index."""

    title: str  # as written, qualifier removed ("Analyst" for "Analyst\\ ns")
    code: str  # SOC 2018: detailed ("51-4121"), broad ("51-9120") or a pattern ("51-91XX")
    source: str  # census | bls
    restriction: IndustryRestriction
    census_code: str = ""
    qualifier: str = ""  # "ns", "any other type", ... (Census) or "illustrative" (BLS)

    @property
    def detailed(self) -> bool:
        return bool(DETAILED.match(self.code)) and not self.code.endswith("0")


class TitleIndexes:
    """The two title files of ``titles/``; each loaded on first use."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def available(self) -> bool:
        return (self.root / CENSUS_FILE).is_file() or (self.root / BLS_FILE).is_file()

    @functools.cached_property
    def census(self) -> list[IndexTitle]:
        path = self.root / CENSUS_FILE
        if not path.is_file():
            return []
        cols = ["title", "industry_restriction", "census_occ_2018", "soc_2018"]
        rows = list(read_rows(path, cols, what=WHAT))
        out: list[IndexTitle] = []
        see: list[tuple[str, str, IndustryRestriction]] = []
        for r in rows:
            title, qualifier = _split_qualifier(r["title"])
            restriction = parse_restriction(r["industry_restriction"])
            code = r["soc_2018"].strip().upper()
            m = _SEE.match(title)
            if m and not code:
                see.append((m.group(1).strip(), m.group(2).strip(), restriction))
                continue
            if not title or not GROUPED.match(code):
                continue
            out.append(
                IndexTitle(title, code, "census", restriction, r["census_occ_2018"].strip(), qualifier)
            )
        # "Alterer See "Alteration hand"": the title takes the codes of the one it points to.
        by_title: dict[str, list[IndexTitle]] = {}
        for t in out:
            by_title.setdefault(t.title.lower(), []).append(t)
        for alias, target, restriction in see:
            target_key, _ = _split_qualifier(target)
            for t in by_title.get(target_key.lower(), []):
                kept = t.restriction if restriction.kind == "any" else restriction
                out.append(IndexTitle(alias, t.code, "census", kept, t.census_code, "see " + target))
        return out

    @functools.cached_property
    def bls(self) -> list[IndexTitle]:
        path = self.root / BLS_FILE
        if not path.is_file():
            return []
        cols = ["2018 SOC Code", "2018 SOC Direct Match Title"]
        out = []
        for r in read_rows(path, cols, what=WHAT):
            code = r["2018 SOC Code"].strip()
            title = " ".join(r["2018 SOC Direct Match Title"].split())
            if not title or not DETAILED.match(code):
                continue
            illustrative = r.get("Illustrative Example", "").strip().lower() == "x"
            out.append(
                IndexTitle(
                    title, code, "bls", IndustryRestriction("any"), "", "illustrative" if illustrative else ""
                )
            )
        return out

    @functools.cached_property
    def version(self) -> str:
        parts = []
        if (self.root / CENSUS_FILE).is_file():
            parts.append("Census 2022 index")
        if (self.root / BLS_FILE).is_file():
            parts.append("BLS SOC 2018 direct match")
        return "; ".join(parts) or "none"


def _split_qualifier(title: str) -> tuple[str, str]:
    """``"Analyst\\ ns"`` -> ``("Analyst", "ns")``; spaces collapsed."""
    head, sep, tail = title.partition("\\")
    return " ".join(head.split()), " ".join(tail.strip(' "').split()) if sep else ""
