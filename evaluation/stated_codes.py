"""Do stated occupation codes rank first, unless the program's text is about something else?

    .venv/bin/python -m evaluation.stated_codes [--file ../shared/eval/programs_nj_etpl.dev.jsonl]
        [--out evaluation/results/stated-codes.json]

Test set, built from the labelled NJ ETPL programs (gold fields used only to build it): every
program whose state-approved CIP leads to exactly one practice occupation (not "no match")
states that occupation's code, as a program with a SOC column or a CTDL ``occupationType``
would. Three variants of each program:

* ``stated``: the SOC 2018 O*NET-SOC code (``31-9097.00``); it should rank first;
* ``stated_2010``: where that occupation has a SOC 2010 predecessor with another code, that
  older code (``31-1014.00`` for 31-1131.00 Nursing Assistants); it should be mapped and first;
* ``contradicted``: a code drawn (seeded) from another SOC major group: the text is about
  something else, so it should *not* rank first.

Programs whose one practice occupation is a teaching code (a philosophy A.A. option whose CIP
leads only to 25-1126 Philosophy and Religion Teachers) while their text is not about teaching
(:func:`matcher.align.practice.about_teaching`) are left out of ``stated`` and ``stated_2010``:
by the teaching rule the text is about something else. They are counted apart
(``teaching_code_not_about_teaching``; the product keeps such a code out of the first place).

Programs the memory holds are scored by their own fold's model without their fold (provider
folds), so every figure is cross-validated.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from matcher.align.practice import is_teaching, practice_socs
from matcher.align.prepared import prepare
from matcher.engine import Matcher
from matcher.program import program_from_dict
from matcher.sources.soc2010 import _table

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "eval" / "programs_nj_etpl.dev.jsonl"
SEED = 26


def build(records: list[dict[str, Any]], codes: list[str]) -> dict[str, list[tuple[dict[str, Any], str]]]:
    rng = random.Random(SEED)
    predecessors: dict[str, str] = {}
    t = _table()
    for old, new in t.onet.items():
        if len(new) == 1 and old not in t.current_onet:
            predecessors.setdefault(new[0], old)
    onet = [c for c in codes if c.endswith(".00") and not c.startswith("99-")]
    sets: dict[str, list[tuple[dict[str, Any], str]]] = {
        "stated": [],
        "stated_2010": [],
        "contradicted": [],
        "teaching_code_not_about_teaching": [],
    }
    for rec in records:
        practice = practice_socs(rec["gold_soc"], rec["gold_cip"])
        if len(practice) != 1 or practice[0].startswith("99-"):
            continue
        code = f"{practice[0]}.00"
        if code not in codes:
            continue
        inputs = {k: v for k, v in rec.items() if not k.startswith("gold_")}
        if is_teaching(code) and not prepare(program_from_dict(inputs)).about_teaching:
            sets["teaching_code_not_about_teaching"].append(({**inputs, "occupations": [code]}, code))
        else:
            sets["stated"].append(({**inputs, "occupations": [code]}, code))
            if code in predecessors:
                sets["stated_2010"].append(({**inputs, "occupations": [predecessors[code]]}, code))
        other = rng.choice([c for c in onet if c[:2] != code[:2]])
        sets["contradicted"].append(({**inputs, "occupations": [other]}, other))
    return sets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    records = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
    aligner = Matcher.load().aligner
    sets = build(records, aligner.codes)
    result: dict[str, Any] = {"file": args.file.name, "seed": SEED}
    for name, items in sets.items():
        ranked = aligner.rank_many([program_from_dict(p) for p, _ in items], k=1)
        first = [codes[0] == code for (codes, _), (_, code) in zip(ranked, items, strict=True)]
        share = sum(first) / len(first) if first else 0.0
        off = name in ("contradicted", "teaching_code_not_about_teaching")
        key = "not_first" if off else "first"
        result[name] = {"n": len(items), key: round(1 - share if off else share, 4)}
        print(f"{name:13s} n={len(items):4d}  {key} {result[name][key]:.3f}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
