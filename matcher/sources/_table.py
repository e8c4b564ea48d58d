"""Reading delimited tables with header checks that name the missing file or column."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from matcher.errors import DataMissingError

csv.field_size_limit(sys.maxsize)

HINT = (
    "Set MATCHER_DATA_DIR (or --data-dir) to a folder holding onet/, esco/, cip/ and bls/, "
    "or run `matcher data fetch` on a machine that is online."
)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DataMissingError(
            f"{what} file {path.name!r} is missing from {path.parent}. {HINT}",
            details={"path": str(path)},
        )
    return path


def _clean(value: str) -> str:
    # NCES CSVs wrap codes as ="01.0000" (Excel literals).
    if value.startswith('="') and value.endswith('"'):
        return value[2:-1]
    if value.startswith("=") and len(value) > 1 and value[1] == '"':
        return value[2:].rstrip('"')
    return value


def read_rows(
    path: Path,
    required: Sequence[str],
    *,
    what: str,
    delimiter: str = ",",
) -> Iterator[dict[str, str]]:
    """Yield rows as dicts; fail with the missing column's name when the header lacks it."""
    require_file(path, what)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        try:
            header = [_clean(h).strip() for h in next(reader)]
        except StopIteration:
            raise DataMissingError(f"{what} file {path} is empty. {HINT}") from None
        missing = [c for c in required if c not in header]
        if missing:
            raise DataMissingError(
                f"{what} file {path.name} lacks column(s) {', '.join(map(repr, missing))}; "
                f"found {header}. Is this the right release?",
                details={"path": str(path), "missing_columns": missing},
            )
        for row in reader:
            if not row:
                continue
            yield {h: _clean(v) for h, v in zip(header, row, strict=False)}


def read_tsv(path: Path, required: Sequence[str], *, what: str) -> Iterator[dict[str, str]]:
    """O*NET text-release tables: tab-delimited, no quoting."""
    require_file(path, what)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = fh.readline().rstrip("\r\n").split("\t")
        missing = [c for c in required if c not in header]
        if missing:
            raise DataMissingError(
                f"{what} file {path.name} lacks column(s) {', '.join(map(repr, missing))}; "
                f"found {header}. Is this the O*NET text release?",
                details={"path": str(path), "missing_columns": missing},
            )
        for line in fh:
            line = line.rstrip("\r\n")
            if line:
                yield dict(zip(header, line.split("\t"), strict=False))


def opt_float(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip().replace(",", "")
    if value in ("", "n/a", "-", "—", "*", "#", "**"):
        return None
    try:
        return float(value)
    except ValueError:
        return None
