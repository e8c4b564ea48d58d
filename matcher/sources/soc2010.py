"""SOC 2010 and O*NET-SOC 2010 codes mapped to their SOC 2018 (O*NET-SOC 2019) successors.

Programs, CTDL records and state lists still carry 2010 codes (``15-1131`` Computer
Programmers, ``15-1151`` Computer User Support Specialists, ``31-1014`` Nursing Assistants);
O*NET 29.3 and the CIP 2020 crosswalk use the 2018 structure. The table is O*NET's published
O*NET-SOC 2010 -> 2019 crosswalk (``matcher/resources/onet_soc_2010_to_2019.csv``, source and
licence in its header). A code that is valid in 2019 is kept as it is, even where the same code
also existed in 2010 (``11-9199.00`` stays ``11-9199.00``); only codes the 2019 taxonomy no
longer has are replaced. Six-digit SOC codes map through every O*NET-SOC code under them.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

ONET_SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SOC = re.compile(r"^\d{2}-\d{4}$")


@dataclass(frozen=True)
class Successors:
    code: str  # the code as given (stripped)
    current: tuple[str, ...]  # codes to use, in the shape given (O*NET-SOC or six-digit SOC)
    mapped: bool  # True when ``code`` is a 2010 code the 2019 taxonomy replaced


@dataclass(frozen=True)
class _Table:
    onet: dict[str, tuple[str, ...]]  # O*NET-SOC 2010 -> O*NET-SOC 2019 codes, in file order
    soc: dict[str, tuple[str, ...]]  # SOC 2010 -> SOC 2018 codes
    current_onet: frozenset[str]
    current_soc: frozenset[str]


@functools.cache
def _table() -> _Table:
    text = resources.files("matcher.resources").joinpath("onet_soc_2010_to_2019.csv").read_text()
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    onet: dict[str, list[str]] = {}
    for row in csv.DictReader(lines):
        onet.setdefault(row["onet_soc_2010"], []).append(row["onet_soc_2019"])
    soc: dict[str, list[str]] = {}
    for old, new in onet.items():
        bucket = soc.setdefault(old[:7], [])
        bucket += [c[:7] for c in new if c[:7] not in bucket]
    current = frozenset(c for new in onet.values() for c in new)
    return _Table(
        {k: tuple(v) for k, v in onet.items()},
        {k: tuple(v) for k, v in soc.items()},
        current,
        frozenset(c[:7] for c in current),
    )


def successors(code: str) -> Successors:
    """The 2018 codes to use for ``code``; unknown or malformed codes come back unchanged
    (``mapped`` False), for the caller to reject or look up as it would any other code."""
    code = code.strip()
    t = _table()
    if ONET_SOC.match(code):
        if code not in t.current_onet and code in t.onet:
            return Successors(code, t.onet[code], True)
    elif SOC.match(code) and code not in t.current_soc and code in t.soc:
        return Successors(code, t.soc[code], True)
    return Successors(code, (code,), False)


def to_current(codes: Iterable[str]) -> list[str]:
    """Every code replaced by its 2018 successors, in order, without repeats."""
    out: dict[str, None] = {}
    for code in codes:
        for c in successors(code).current:
            out.setdefault(c, None)
    return list(out)
