"""Calibrate the extractor's linking thresholds per taxonomy and per method.

    .venv/bin/python -m evaluation.calibrate_extract [--write] [--tasks 1000]

The extractor is run with every threshold at zero (each candidate keeps its best item per
taxonomy) and thresholds are then chosen on labelled data:

- ``esco``: TechWolf dev sentences (house + tech) with their gold ESCO skills. Thresholds for
  model, pattern and semantic links are chosen jointly (coordinate ascent on a grid) to maximise
  the micro F1 of the extracted set against the gold set. Each set is also scored with the
  thresholds fitted on the other one (reported, not used).
- ``onet-dwa``: a seeded sample of O*NET task statements with their linked DWAs (the DWAs were
  written from these tasks, so the scores are optimistic; we use them to place the threshold).
- ``onet-tech``, ``onet-tool``: no sentence-level gold exists, so the thresholds are hand-set
  (:data:`PRODUCT_THRESHOLDS`: strict, technology examples are product names). For the record,
  on SkillSpan dev sentences the script reports the share of links whose span overlaps an
  annotated skill or knowledge span ("plausible") at several thresholds.

(The gap analysis has its own grader, fitted on hand-labelled curricula by
``evaluation/fit_gap_grader.py``.)

``--write`` stores the thresholds and the calibration record in
``matcher/resources/extract_thresholds.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from matcher.engine import Matcher
from matcher.extract import SkillExtractor
from matcher.extract.linking import Thresholds
from matcher.extract.types import Kind, Taxonomy
from matcher.text.normalise import fold

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
RESOURCES = Path(__file__).resolve().parents[1] / "matcher" / "resources"
OUT = RESOURCES / "extract_thresholds.json"
METHODS = ("model", "pattern", "semantic")
GRID = [round(x, 2) for x in np.arange(0.40, 1.001, 0.02)]
PRODUCT_THRESHOLDS = {
    Taxonomy.ONET_TECH.value: {"model": 0.8, "pattern": 0.85},
    Taxonomy.ONET_TOOL.value: {"model": 0.75, "pattern": 0.8},
}
CURVE = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9)
SEED = 13


def _zero(ex: SkillExtractor) -> None:
    ex.linker.thresholds = Thresholds({t.value: dict.fromkeys(METHODS, -1.0) for t in Taxonomy})


def _links(ex: SkillExtractor, texts: list[str], kind: Kind):  # type: ignore[no-untyped-def]
    a = ex.analyzer.analyse(texts, [kind] * len(texts), patterns=tuple(Kind), drop_boilerplate=False)
    return ex._link(a, len(texts), dedupe=False)


def _f1(pred: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    npred = sum(len(p) for p in pred)
    ngold = sum(len(g) for g in gold)
    pr = tp / npred if npred else 0.0
    rc = tp / ngold if ngold else 0.0
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def _rounded(p: float, r: float, f: float) -> dict[str, float]:
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)}


def _predict(obs, thr: dict[str, float], n: int) -> list[set[str]]:  # type: ignore[no-untyped-def]
    pred: list[set[str]] = [set() for _ in range(n)]
    for i, method, score, key in obs:
        if method == "exact" or score >= thr.get(method, 2.0):
            pred[i].add(key)
    return pred


def fit_f1(obs, gold: list[set[str]], methods=METHODS, rounds: int = 3) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Coordinate ascent over per-method thresholds maximising micro F1 (ties: the higher
    threshold). Preferring the lowest threshold within 0.01 F1 of the best was tried: the
    slack compounds across coordinates and pulled DWA thresholds down to 0.40."""
    thr = dict.fromkeys(methods, 0.7)
    for _ in range(rounds):
        for m in methods:
            thr[m] = max(GRID, key=lambda t: (_f1(_predict(obs, {**thr, m: t}, len(gold)), gold)[2], t))
    return thr


def calibrate_esco(ex: SkillExtractor) -> tuple[dict[str, float], dict]:
    sets = {}
    for name in ("house", "tech"):
        recs = [json.loads(x) for x in (EVAL / f"skills_techwolf_{name}_validation.dev.jsonl").open()]
        links = _links(ex, [r["text"] for r in recs], Kind.POSTING)
        obs = [
            (i, sk.method, sk.score, fold(sk.label))
            for i, sks in enumerate(links)
            for sk in sks
            if sk.taxonomy == Taxonomy.ESCO
        ]
        gold = [{fold(g) for g in r["gold_esco_labels"]} for r in recs]
        sets[name] = (obs, gold)
    report: dict = {"data": "TechWolf dev house (61) + tech (75) sentences, gold ESCO labels"}
    for a, b in (("house", "tech"), ("tech", "house")):
        thr = fit_f1(*sets[a])
        p, r, f = _f1(_predict(sets[b][0], thr, len(sets[b][1])), sets[b][1])
        report[f"fit_{a}_score_{b}"] = {
            "thresholds": thr,
            "P": round(p, 3),
            "R": round(r, 3),
            "F1": round(f, 3),
        }
    offset = len(sets["house"][1])
    obs = sets["house"][0] + [(i + offset, m, s, k) for i, m, s, k in sets["tech"][0]]
    gold = sets["house"][1] + sets["tech"][1]
    thr = fit_f1(obs, gold)
    p, r, f = _f1(_predict(obs, thr, len(gold)), gold)
    report["fit_both"] = {"thresholds": thr, **_rounded(p, r, f)}
    exact_only = _f1(_predict(obs, {}, len(gold)), gold)
    report["exact_only"] = {"P": round(exact_only[0], 3), "R": round(exact_only[1], 3)}
    return thr, report


def calibrate_dwa(ex: SkillExtractor, n: int) -> tuple[dict[str, float], dict]:
    c = ex.catalog
    gold_by_task: dict[str, set[str]] = defaultdict(set)
    for row in c.data.onet.tasks_to_dwas:
        gold_by_task[row.task_id].add(row.dwa_id)
    ids = sorted(t for t in gold_by_task if t in c.tasks)
    random.Random(SEED).shuffle(ids)
    ids = ids[:n]
    links = _links(ex, [c.tasks[t].text for t in ids], Kind.CURRICULUM)
    obs = [
        (i, sk.method, sk.score, sk.id)
        for i, sks in enumerate(links)
        for sk in sks
        if sk.taxonomy == Taxonomy.ONET_DWA
    ]
    gold = [gold_by_task[t] for t in ids]
    thr = fit_f1(obs, gold)
    p, r, f = _f1(_predict(obs, thr, len(gold)), gold)
    report = {
        "data": f"{len(ids)} O*NET task statements (seed {SEED}) with their linked DWAs",
        "thresholds": thr,
        "P": round(p, 3),
        "R": round(r, 3),
        "F1": round(f, 3),
    }
    return thr, report


def _gold_char_spans(tokens: list[str], tags: list[list[str]]) -> list[tuple[int, int]]:
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t) + 1
    out = []
    for seq in tags:
        s = None
        for i, t in enumerate([*seq, "O"]):
            if t != "I" and s is not None:
                out.append((starts[s], starts[i - 1] + len(tokens[i - 1])))
                s = None
            if t == "B" or (t == "I" and s is None):
                s = i
    return out


def calibrate_products(ex: SkillExtractor) -> tuple[dict[str, dict[str, float]], dict]:
    recs = [json.loads(x) for x in (EVAL / "skillspan" / "dev.json").open()]
    texts = [" ".join(r["tokens"]) for r in recs]
    gold = [_gold_char_spans(r["tokens"], [r["tags_skill"], r["tags_knowledge"]]) for r in recs]
    links = _links(ex, texts, Kind.POSTING)
    report: dict = {
        "data": f"SkillSpan dev ({len(texts)} sentences): share of links whose span overlaps an "
        "annotated skill/knowledge span, by threshold (thresholds themselves are hand-set)"
    }
    for tax in (Taxonomy.ONET_TECH, Taxonomy.ONET_TOOL):
        for method in ("model", "pattern"):
            obs = [
                (sk.score, any(sk.start < e and sk.end > s for s, e in gold[i]))
                for i, sks in enumerate(links)
                for sk in sks
                if sk.taxonomy == tax and sk.method == method
            ]
            curve = {}
            for t in CURVE:
                kept = [ok for s, ok in obs if s >= t]
                curve[str(t)] = {
                    "links": len(kept),
                    "plausible": round(sum(kept) / len(kept), 3) if kept else None,
                }
            report[f"{tax.value}/{method}"] = curve
    return {t: dict(v) for t, v in PRODUCT_THRESHOLDS.items()}, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="store the thresholds in the resources")
    ap.add_argument("--tasks", type=int, default=1000, help="O*NET task statements for DWAs")
    args = ap.parse_args()
    started = time.monotonic()
    m = Matcher.load()
    ex = SkillExtractor.from_matcher(m)
    _zero(ex)
    esco, r_esco = calibrate_esco(ex)
    print("esco", json.dumps(r_esco, indent=1))
    dwa, r_dwa = calibrate_dwa(ex, args.tasks)
    print("onet-dwa", json.dumps(r_dwa, indent=1))
    prod, r_prod = calibrate_products(ex)
    print("products", json.dumps(r_prod, indent=1))
    table = {
        Taxonomy.ESCO.value: esco,
        Taxonomy.ONET_DWA.value: dwa,
        **prod,
    }
    record = {
        "version": f"calibrated-{datetime.now(UTC).date().isoformat()}",
        "note": (
            "Cosine similarity (all-MiniLM-L6-v2; ESCO: mean of preferred-label and best-label "
            "cosine) at or above which a candidate is linked, per taxonomy and method. Written by "
            "evaluation/calibrate_extract.py; see its docstring and 'calibration' below."
        ),
        "thresholds": table,
        "calibration": {
            "esco": r_esco,
            "onet-dwa": r_dwa,
            "onet-tech/onet-tool": r_prod,
            "span_model": ex.versions.get("span_model"),
            "seconds": round(time.monotonic() - started),
        },
    }
    print(json.dumps(table, indent=1))
    if args.write:
        OUT.write_text(json.dumps(record, indent=2) + "\n")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
