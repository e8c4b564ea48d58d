"""A dictionary of job titles coded by federal coders, looked up exactly and through normalised
keys (:mod:`matcher.postings.title_keys`).

Entries, each a title with a distribution over O*NET-SOC codes:

- the Census Alphabetical Index of Occupations (with its industry restrictions);
- the BLS SOC 2018 direct-match titles (illustrative examples count less);
- the SOC 2018 titles, the O*NET occupation titles and O*NET's alternate titles (which count
  ``SOURCE_WEIGHT["onet-alternate"]``).

A grouped code is spread over its detailed occupations by their national employment (BLS OEWS):
"51-91XX" gives 51-9111 (packaging machine operators, 379,060 jobs) more than 51-9193 (6,900).
A detailed SOC code goes to its O*NET-SOC ``.00`` code (or, where O*NET has none, to all its
O*NET-SOC codes evenly).

:meth:`TitleDictionary.lookup` tries the keys from the strictest to the loosest (``exact``,
``normal``, ``compact``, ``relaxed``, ``prefix``) and returns the entries of the first key
that has any, merged into one distribution: each entry weighs 1, restricted to industries
other than the posting's 0, restricted while the industry is unknown ``UNKNOWN_INDUSTRY``; a
Census row written for every industry "not listed" weighs 1 unless another row of the same
title names the posting's industry.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matcher.postings.title_keys import TitleKeys, title_keys, words
from matcher.sources.catalog import Catalog
from matcher.sources.titles import IndexTitle, IndustryRestriction

log = logging.getLogger(__name__)

UNKNOWN_INDUSTRY = 0.35  # weight of a restricted Census row when the posting's industry is unknown
ILLUSTRATIVE = 0.6  # weight of a BLS "illustrative example" (not a direct match)
IMPLIED_MATCH = 2.0  # a row whose implied industry is the posting's
# O*NET lists one alternate title under several occupations ("Electrician Helper" under 47-3013
# and 51-9198, "Prep Cook" under five): it counts less than a coder's index entry.
SOURCE_WEIGHT = {"census": 1.0, "bls": 1.0, "soc": 1.0, "onet": 1.0, "onet-alternate": 0.3}
LEVELS = ("exact", "normal", "compact", "relaxed", "prefix")
_ANY = IndustryRestriction("any")
_PATTERN = re.compile(r"^(\d{2})-([\dX]{4})$")


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    source: str  # census | bls | soc | onet
    code: str  # as the source codes it (detailed, broad, "51-91XX", or an O*NET-SOC code)
    restriction: IndustryRestriction = _ANY
    qualifier: str = ""


@dataclass
class DictionaryHit:
    level: str  # which key found it (see LEVELS)
    key: str
    distribution: dict[str, float]  # O*NET-SOC code -> probability (sums to 1)
    entries: list[Entry] = field(default_factory=list)

    def evidence(self, code: str, limit: int = 3) -> list[str]:
        """The matched dictionary titles behind ``code`` ("Census: Landscape laborer (37-3011)")."""
        out = []
        for e in self.entries:
            if code[:7] == e.code[:7] or _covers(e.code, code[:7]):
                out.append(f"{e.source}: {e.title} ({e.code})")
            if len(out) == limit:
                break
        return out


def _covers(pattern: str, soc: str) -> bool:
    """Whether the grouped code ``pattern`` ("51-91XX", "51-9120") contains the SOC ``soc``."""
    if "X" in pattern:
        head = pattern.split("X", 1)[0]
        return soc.startswith(head)
    if pattern.endswith("0") and len(pattern) == 7:
        return soc[:6] == pattern[:6]
    return False


class TitleDictionary:
    """Titles -> O*NET-SOC distributions; see the module docstring."""

    def __init__(self, catalog: Catalog, entries: Sequence[Entry], employment: dict[str, float]) -> None:
        self.catalog = catalog
        self.employment = employment
        self.entries = list(entries)
        self.maps: dict[str, dict[str, list[int]]] = {lvl: defaultdict(list) for lvl in LEVELS}
        self._title_rows: dict[str, list[int]] = defaultdict(list)  # Census title -> its rows
        vocab: set[str] = set()
        for i, e in enumerate(self.entries):
            keys = title_keys(e.title)
            vocab.update(keys.normal.split())
            self.maps["exact"][keys.exact].append(i)
            self.maps["normal"][keys.normal].append(i)
            self.maps["compact"][keys.compact].append(i)
            if keys.relaxed:
                self.maps["relaxed"][keys.relaxed].append(i)
                rel = keys.relaxed.split()
                if len(rel) >= 2:
                    for j, w in enumerate(rel):
                        rest = " ".join(rel[:j] + rel[j + 1 :])
                        self.maps["prefix"][f"{rest}|{w[:3]}"].append(i)
            if e.source == "census":
                self._title_rows[keys.exact].append(i)
        self.vocabulary = frozenset(vocab)

    # -- construction ----------------------------------------------------------------------------
    @classmethod
    def from_catalog(cls, catalog: Catalog) -> TitleDictionary:
        data = catalog.data
        entries: list[Entry] = []
        titles = getattr(data, "titles", None)
        index_titles: list[IndexTitle] = (titles.census + titles.bls) if titles is not None else []
        for t in index_titles:
            entries.append(Entry(t.title, t.source, t.code, t.restriction, t.qualifier))
        for d in data.bls.soc_definitions:
            if d.group.lower() == "detailed":
                entries.append(Entry(d.title, "soc", d.code))
        for o in catalog.occupations.values():
            entries.append(Entry(o.title, "onet", o.code))
        for a in data.onet.alternate_titles:
            if a.code in catalog.occupations:
                entries.append(Entry(a.title, "onet-alternate", a.code))
                if a.short_title:
                    entries.append(Entry(a.short_title, "onet-alternate", a.code))
        employment = {
            w.soc: w.employment
            for w in data.bls.wages_national
            if w.group == "detailed" and w.employment and w.area_type in ("national", "")
        }
        log.info("title dictionary: %d entries", len(entries))
        return cls(catalog, entries, employment)

    # -- codes -----------------------------------------------------------------------------------
    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one dictionary per process
    def expand(self, code: str) -> tuple[tuple[str, float], ...]:
        """O*NET-SOC codes and shares for one source code (see the module docstring)."""
        if code in self.catalog.occupations:
            return ((code, 1.0),)
        m = _PATTERN.match(code)
        if not m:
            return ()
        if "X" not in code and not code.endswith("0"):
            return tuple((c, 1.0) for c in self._onet_codes(code))
        socs = [s for s in self.catalog.soc_to_codes if _covers(code, s)]
        weights = {s: self.employment.get(s, 0.0) for s in socs}
        total = sum(weights.values())
        if total <= 0:
            weights = dict.fromkeys(socs, 1.0)
            total = float(len(socs))
        out = []
        for s, w in weights.items():
            codes = self._onet_codes(s)
            for c in codes:
                out.append((c, w / total / len(codes)))
        return tuple(sorted(out, key=lambda x: -x[1]))

    def _onet_codes(self, soc: str) -> list[str]:
        codes = self.catalog.soc_to_codes.get(soc, [])
        if f"{soc}.00" in self.catalog.occupations:
            return [f"{soc}.00"]
        return list(codes)

    def distribution(self, entries: Iterable[tuple[Entry, float]]) -> dict[str, float]:
        """Entry distributions merged (weights as given by :meth:`weigh`), summing to 1."""
        dist: dict[str, float] = defaultdict(float)
        for e, w in entries:
            for code, share in self.expand(e.code):
                dist[code] += w * share
        total = sum(dist.values())
        return {c: v / total for c, v in sorted(dist.items(), key=lambda x: -x[1])} if total > 0 else {}

    # -- lookup ----------------------------------------------------------------------------------
    def keys(self, title: str) -> TitleKeys:
        return title_keys(title, known_words=self.vocabulary)

    def candidates(self, keys: TitleKeys) -> tuple[str, str, list[int]]:
        """(level, key, entry indexes) of the strictest key that finds anything."""
        for level in LEVELS[:-1]:
            key = getattr(keys, level)
            if key and (rows := self.maps[level].get(key)):
                return level, key, rows
        if keys.prefix is not None and keys.last:
            probe = f"{keys.prefix}|{keys.last[:3]}"
            rows = [
                i
                for i in self.maps["prefix"].get(probe, [])
                if any(w.startswith(keys.last) for w in title_keys(self.entries[i].title).relaxed.split())
            ]
            if rows:
                return "prefix", f"{keys.prefix} {keys.last}*", rows
        return "", "", []

    def weigh(self, rows: Sequence[int], industry: int | None) -> list[tuple[Entry, float]]:
        out = []
        for i in rows:
            e = self.entries[i]
            w = SOURCE_WEIGHT.get(e.source, 1.0) * (ILLUSTRATIVE if e.qualifier == "illustrative" else 1.0)
            r = e.restriction
            if r.kind == "default":
                if industry is not None and self._industry_named(e.title, industry):
                    continue
            elif r.kind == "implied":
                if industry is not None and any(lo <= industry <= hi for lo, hi in r.include):
                    w *= IMPLIED_MATCH
            else:
                allowed = r.allows(industry)
                if allowed is False:
                    continue
                if allowed is None:
                    w *= UNKNOWN_INDUSTRY
            out.append((e, w))
        return out

    def _industry_named(self, title: str, industry: int) -> bool:
        key = title_keys(title).exact
        for i in self._title_rows.get(key, []):
            r = self.entries[i].restriction
            if r.kind in ("only", "except") and r.allows(industry):
                return True
        return False

    def lookup(self, title: str, industry: int | None = None) -> DictionaryHit | None:
        """The dictionary's codes for ``title`` (see the module docstring), or None."""
        if not words(title):
            return None
        level, key, rows = self.candidates(self.keys(title))
        if not rows:
            return None
        weighed = self.weigh(rows, industry)
        if not weighed:  # every row restricted to other industries: fall back to all of them
            weighed = [(self.entries[i], UNKNOWN_INDUSTRY) for i in rows]
        dist = self.distribution(weighed)
        if not dist:
            return None
        return DictionaryHit(level, key, dist, [e for e, _ in weighed])
