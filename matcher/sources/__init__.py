"""Reference data: one data directory holding O*NET, ESCO, CIP and BLS files.

>>> data = DataDir.from_settings()
>>> data.onet.occupations[0].title
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from matcher.errors import DataMissingError
from matcher.sources._table import HINT
from matcher.sources.bls import BlsData
from matcher.sources.cip import CipData, normalise_cip
from matcher.sources.esco import EscoRelease
from matcher.sources.onet import OnetRelease
from matcher.sources.titles import TitleIndexes

__all__ = [
    "BlsData",
    "CipData",
    "DataDir",
    "EscoRelease",
    "OnetRelease",
    "TitleIndexes",
    "normalise_cip",
]

# Files whose content defines the built indexes; their fingerprint is the data version.
INDEXED_FILES = (
    "onet/Occupation Data.txt",
    "onet/Alternate Titles.txt",
    "onet/Sample of Reported Titles.txt",
    "onet/Task Statements.txt",
    "onet/Technology Skills.txt",
    "onet/Tools Used.txt",
    "onet/DWA Reference.txt",
    "onet/Tasks to DWAs.txt",
    "esco/occupations_en.csv",
    "esco/skills_en.csv",
    "cip/CIPCode2020.csv",
)


class DataDir:
    """The data directory and typed access to each source in it."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()
        if not self.root.is_dir():
            raise DataMissingError(
                f"data directory {self.root} does not exist. {HINT}",
                details={"path": str(self.root)},
            )
        self.onet = OnetRelease(self.root / "onet")
        self.esco = EscoRelease(self.root / "esco")
        self.cip = CipData(self.root / "cip")
        self.bls = BlsData(self.root / "bls")
        self.titles = TitleIndexes(self.root / "titles")  # optional: Census/BLS coded titles

    @classmethod
    def from_settings(cls, settings=None) -> DataDir:
        from matcher.settings import get_settings

        return cls((settings or get_settings()).data_dir)

    def check(self) -> None:
        self.onet.check()
        self.esco.check()

    @functools.cached_property
    def versions(self) -> dict[str, str]:
        return {
            "onet": self.onet.version,
            "esco": self.esco.version,
            "cip": self.cip.version,
            "oews": self.bls.oews_version,
            "projections": self.bls.projections_version,
        }

    @functools.cached_property
    def fingerprint(self) -> str:
        """sha256 over the indexed files' contents (names and bytes), 16 hex digits."""
        h = hashlib.sha256()
        for rel in INDEXED_FILES:
            path = self.root / rel
            h.update(rel.encode())
            if path.is_file():
                with path.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
            else:
                h.update(b"<missing>")
        return h.hexdigest()[:16]

    @property
    def version_label(self) -> str:
        v = self.versions
        return f"O*NET {v['onet']}; ESCO v{v['esco']}; CIP {v['cip']}"
