"""CIP 2020 codes with definitions, and the official NCES CIP 2020 -> SOC 2018 crosswalk."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from matcher.sources._table import read_rows

WHAT = "CIP"
CIP6 = re.compile(r"^\d{2}\.\d{4}$")


@dataclass(frozen=True, slots=True)
class CipCode:
    code: str  # 6-digit, e.g. 49.0205
    title: str
    definition: str
    examples: str
    action: str  # "No substantive changes", "New", "Moved to", "Deleted", ...

    @property
    def active(self) -> bool:
        return self.action not in ("Moved to", "Deleted")

    @property
    def family(self) -> str:
        return self.code[:2]


def normalise_cip(code: str) -> str:
    """'490205', '49.205', '49.0205' -> '49.0205' (best effort; unknown shapes unchanged)."""
    code = code.strip()
    if CIP6.match(code):
        return code
    digits = re.sub(r"\D", "", code)
    if "." in code:
        head, _, tail = code.partition(".")
        return f"{head.zfill(2)}.{tail.ljust(4, '0')[:4]}"
    if len(digits) == 6:
        return f"{digits[:2]}.{digits[2:]}"
    return code


class CipData:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    version = "2020"

    @functools.cached_property
    def codes(self) -> list[CipCode]:
        cols = ["CIPCode", "CIPTitle", "CIPDefinition"]
        rows = read_rows(self.root / "CIPCode2020.csv", cols, what=WHAT)
        out = []
        for r in rows:
            code = r["CIPCode"].strip()
            if not CIP6.match(code):
                continue
            out.append(
                CipCode(
                    code,
                    r["CIPTitle"].strip().rstrip("."),
                    r["CIPDefinition"].strip(),
                    r.get("Examples", "").strip(),
                    r.get("Action", "").strip(),
                )
            )
        return out

    @functools.cached_property
    def cip_to_soc(self) -> dict[str, list[str]]:
        """CIP 2020 code -> SOC 2018 detailed codes (``XX-XXXX``); no-match rows dropped."""
        cols = ["CIP2020Code", "SOC2018Code"]
        rows = read_rows(self.root / "CIP2020_SOC2018_Crosswalk_CIP-SOC.csv", cols, what=WHAT)
        out: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            soc = r["SOC2018Code"].strip()
            if soc.startswith("99-9999"):
                continue
            cip = normalise_cip(r["CIP2020Code"])
            if soc not in out[cip]:
                out[cip].append(soc)
        return dict(out)

    @functools.cached_property
    def cip_no_match(self) -> set[str]:
        """CIP codes the crosswalk maps to ``99-9999 NO MATCH`` (no occupational SOC)."""
        cols = ["CIP2020Code", "SOC2018Code"]
        rows = read_rows(self.root / "CIP2020_SOC2018_Crosswalk_CIP-SOC.csv", cols, what=WHAT)
        return {normalise_cip(r["CIP2020Code"]) for r in rows if r["SOC2018Code"].startswith("99-9999")}

    @functools.cached_property
    def soc_to_cip(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for cip, socs in self.cip_to_soc.items():
            for soc in socs:
                out[soc].append(cip)
        return dict(out)
