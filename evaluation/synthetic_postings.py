"""Generate SYNTHETIC job postings from O*NET for scale benchmarks (clearly labelled as such).

Each posting takes an occupation, one of its alternate titles, 3–6 of its task statements
rephrased as requirements, some of its technology skills and tools, a location and a date, and
a share of boilerplate (benefits, EEO statement) and exact or near duplicates, as real job
boards have. Every record carries ``"synthetic": true`` and ``source: "synthetic-onet"``.

    python -m evaluation.synthetic_postings --n 100000 --shards 20 --out var/synthetic
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from matcher.settings import get_settings
from matcher.sources import DataDir

STATES = ["NJ", "NY", "PA", "CA", "TX", "FL", "IL", "OH", "GA", "NC", "MI", "WA", "AZ", "MA", "CO"]
BOILERPLATE = [
    "We offer competitive pay, medical, dental and vision insurance, and a 401(k) with match.",
    "We are an equal opportunity employer and value diversity. All qualified applicants will receive "
    "consideration for employment without regard to race, color, religion, sex, national origin, "
    "disability or veteran status.",
    "Paid time off, tuition reimbursement and opportunities for advancement.",
    "Join a growing team with a great culture.",
]
OPENERS = ["Responsibilities include:", "In this role you will:", "Duties:", "What you will do:"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def generate(data: DataDir, n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    onet = data.onet
    titles: dict[str, list[str]] = defaultdict(list)
    for a in onet.alternate_titles:
        titles[a.code].append(a.title)
    tasks: dict[str, list[str]] = defaultdict(list)
    for t in onet.tasks:
        tasks[t.code].append(t.text)
    tech: dict[str, list[str]] = defaultdict(list)
    for ts in onet.technology_skills:
        tech[ts.code].append(ts.example)
    tools: dict[str, list[str]] = defaultdict(list)
    for tl in onet.tools:
        tools[tl.code].append(tl.example)
    codes = [c for c in tasks if titles.get(c)]
    out: list[dict] = []
    while len(out) < n:
        if out and rng.random() < 0.08:  # re-posts: exact or lightly edited copies
            dup = dict(rng.choice(out))
            if rng.random() < 0.5:
                dup["description"] = dup["description"].replace("Duties:", "Responsibilities:")
            dup["id"] = f"syn-{len(out)}"
            out.append(dup)
            continue
        code = rng.choice(codes)
        parts = [rng.choice(OPENERS)]
        parts += [
            f"- {_lower_first(t)}" for t in rng.sample(tasks[code], min(len(tasks[code]), rng.randint(3, 6)))
        ]
        if tech.get(code):
            parts.append(
                "Experience with " + ", ".join(rng.sample(tech[code], min(3, len(tech[code])))) + "."
            )
        if tools.get(code):
            parts.append("Use of " + ", ".join(rng.sample(tools[code], min(2, len(tools[code])))) + ".")
        parts += rng.sample(BOILERPLATE, rng.randint(1, 2))
        out.append(
            {
                "id": f"syn-{len(out)}",
                "title": rng.choice(titles[code]),
                "description": "\n".join(parts),
                "employer": f"Synthetic Employer {rng.randint(1, 5000)}",
                "location": rng.choice(STATES),
                "date": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
                "source": "synthetic-onet",
                "synthetic": True,
                "synthetic_onet_code": code,
            }
        )
    return out


def write_shards(records: list[dict], out: Path, shards: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    size = (len(records) + shards - 1) // shards
    for i in range(shards):
        path = out / f"postings-{i:04d}.jsonl"
        with path.open("w") as fh:
            for rec in records[i * size : (i + 1) * size]:
                fh.write(json.dumps(rec) + "\n")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--shards", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("var/synthetic"))
    args = ap.parse_args()
    records = generate(DataDir(get_settings().data_dir), args.n, args.seed)
    paths = write_shards(records, args.out, args.shards)
    print(f"wrote {len(records)} SYNTHETIC postings in {len(paths)} shards under {args.out}")


if __name__ == "__main__":
    main()
