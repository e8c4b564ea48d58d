"""MELO (Retyk et al. 2024, multilingual entity linking of occupations) as a titles-task file.

    .venv/bin/python -m evaluation.melo_titles MELO_DATASET_DIR OUT.jsonl
    .venv/bin/matcher eval titles --file OUT.jsonl

``MELO_DATASET_DIR`` is one dataset folder of the public benchmark (repository
``Avature/melo-benchmark``, e.g. ``data/processed/melo/usa_q_en_c_en``: O*NET titles linked to
ESCO occupations), read where it lies and never copied into this repository. Each query becomes
one record: ``title`` = the query, ``gold_esco`` = the ESCO occupations of its relevant corpus
elements (ISCO groups left out; a query with none is skipped), ``gold_onet`` empty. The titles
task then reports MRR and recall@k over ESCO occupations, i.e. at the concept level (MELO's own
scorer ranks every surface form of every concept).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path


def read_tsv(path: Path) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


def convert(folder: Path) -> list[dict]:
    queries = dict(read_tsv(folder / "queries.tsv"))
    concept = dict(read_tsv(folder / "concept_mapping.tsv"))
    gold: dict[str, set[str]] = defaultdict(set)
    for qid, _, element, relevant in read_tsv(folder / "annotations.tsv"):
        if relevant == "1" and "/occupation/" in concept.get(element, ""):
            gold[qid].add(concept[element])
    return [
        {"id": qid, "title": title, "gold_esco": sorted(gold[qid]), "gold_onet": []}
        for qid, title in queries.items()
        if gold[qid]
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    records = convert(args.folder)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in records))
    print(f"wrote {len(records)} records to {args.out}")


if __name__ == "__main__":
    main()
