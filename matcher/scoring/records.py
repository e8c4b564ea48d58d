"""Reading labelled JSON Lines files: line-numbered errors, gold fields split off."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.errors import BadInputError


@dataclass(frozen=True)
class Record:
    line: int
    inputs: dict[str, Any]  # what the predictor may see (no gold fields)
    gold: dict[str, Any]  # what the scorer uses


def read_records(
    path: Path, *, required_inputs: tuple[str, ...], gold_fields: tuple[str, ...], limit: int | None = None
) -> list[Record]:
    """Parse ``path``; fields starting with ``gold_`` (and ``gold_fields``) never reach inputs."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}")
    out: list[Record] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadInputError(f"{path.name}, line {n}: invalid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise BadInputError(f"{path.name}, line {n}: expected a JSON object")
            missing = [f for f in (*required_inputs, *gold_fields) if f not in rec]
            if missing:
                raise BadInputError(f"{path.name}, line {n}: missing required field(s) {', '.join(missing)}")
            gold = {k: v for k, v in rec.items() if k.startswith("gold_") or k in gold_fields}
            inputs = {k: v for k, v in rec.items() if k not in gold}
            out.append(Record(n, inputs, gold))
            if limit and len(out) >= limit:
                break
    if not out:
        raise BadInputError(f"{path.name}: the file has no records")
    return out
