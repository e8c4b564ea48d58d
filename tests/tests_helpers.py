"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

import json

from conftest import EVAL_DIR


def gold_records(ids: list[str]) -> list[dict]:
    """Full ETPL dev records, gold fields included, for evaluation tests."""
    want = set(ids)
    out = []
    for line in (EVAL_DIR / "programs_nj_etpl.dev.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec["id"] in want:
            out.append(rec)
    return out


def all_gold_records() -> list[dict]:
    return [json.loads(line) for line in (EVAL_DIR / "programs_nj_etpl.dev.jsonl").read_text().splitlines()]
