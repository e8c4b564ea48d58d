"""SOC 2010 / O*NET-SOC 2010 codes mapped to their SOC 2018 successors, wherever a code is read
(a program's stated codes) or asked for (gaps, occupation lookup)."""

from __future__ import annotations

import pytest

from matcher.errors import NotFoundError
from matcher.sources.soc2010 import successors, to_current


@pytest.mark.parametrize(
    ("code", "current", "mapped"),
    [
        ("15-1131.00", ("15-1251.00",), True),  # Computer Programmers
        ("15-1131", ("15-1251",), True),
        ("15-1151.00", ("15-1232.00",), True),  # Computer User Support Specialists
        ("31-1014.00", ("31-1131.00",), True),  # Nursing Assistants
        ("15-1132.00", ("15-1252.00", "15-1253.00"), True),  # split in 2018
        ("29-2071", ("29-2072", "29-9021"), True),  # Medical Records and Health Information Technicians
        ("11-9199.00", ("11-9199.00",), False),  # valid in both: kept, not remapped
        ("53-3032.00", ("53-3032.00",), False),
        ("51-4129.00", ("51-4129.00",), False),  # unknown: left for the caller to reject
        (" 15-1131.00 ", ("15-1251.00",), True),
    ],
)
def test_successors(code: str, current: tuple[str, ...], mapped: bool) -> None:
    s = successors(code)
    assert s.current == current and s.mapped is mapped


def test_to_current_keeps_order_without_repeats() -> None:
    assert to_current(["15-1131", "15-1251", "47-2111.00", "15-1132"]) == [
        "15-1251",
        "47-2111.00",
        "15-1252",
        "15-1253",
    ]


def test_every_successor_is_an_onet_29_3_occupation(full_data_dir) -> None:  # type: ignore[no-untyped-def]
    from matcher.sources.soc2010 import _table

    current = {
        line.split("\t")[0]
        for line in (full_data_dir / "onet" / "Occupation Data.txt").read_text().splitlines()[1:]
    }
    t = _table()
    assert len(t.onet) == 1110  # the O*NET-SOC 2010 taxonomy
    assert t.current_onet <= current


def test_catalog_lookup_maps_2010_codes(catalog) -> None:  # type: ignore[no-untyped-def]
    assert catalog.occupation("31-1014.00").code == "31-1131.00"
    assert catalog.occupation("31-1014").code == "31-1131.00"
    with pytest.raises(NotFoundError) as exc:
        catalog.occupation("15-1132.00")
    assert "split" in str(exc.value) and exc.value.details["successors"] == ["15-1252.00", "15-1253.00"]
    assert "15-1252.00 (Software Developers)" in exc.value.details["suggestions"]
