"""`make bench` / `python -m evaluation.bench [--only SECTION ...]`.

Sections (all by default): roofline, encoding, faiss, latency, api, extract, postings, pipeline.
The Dask pipeline section runs only with ``--pipeline N`` (N synthetic postings with 1 and with 2
workers: throughput and scaling ratio) and/or ``--pipeline-postings N`` (N postings end to end
with 2 workers, e.g. 100000), so that the default run stays bounded.
Figures are measured side by side in one process so machine noise cancels in the ratios, except
the extract and postings sections, which each load their own matcher: they run in a process of
their own (in this one, the postings run carried the extract run's frozen matcher and ran ~8%
slower than alone).
Writes evaluation/bench/results/<date>-<sha>.json and the generated block of
evaluation/RESULTS.md (between the bench:begin/bench:end markers).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import logging
import os
import sys
from datetime import UTC, datetime

from evaluation.run_all import REPO, git_sha

SECTIONS = ("roofline", "encoding", "faiss", "latency", "api", "extract", "postings", "pipeline")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def measure_apart(name: str) -> dict:
    """``evaluation.bench_<name>`` run in a fresh Python process; its report (the JSON object
    it prints last). Its progress lines are passed through."""
    import subprocess

    args = [sys.executable, "-m", f"evaluation.bench_{name}"] + (["--json"] if name == "extract" else [])
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
    lines = done.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("{")), None)
    for line in lines[: start if start is not None else len(lines)]:
        log(line)
    if done.returncode or start is None:
        raise SystemExit(f"bench_{name} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads("\n".join(lines[start:]))


def sentences(limit: int = 3000) -> list[str]:
    """Sentence-length texts: the 200 real adverts split into sentences, then O*NET tasks."""
    from matcher.settings import get_settings
    from matcher.sources import DataDir
    from matcher.text.normalise import split_sentences

    out: list[str] = []
    adverts = REPO.parent / "shared" / "eval" / "postings_adzuna_sample.jsonl"
    if adverts.is_file():
        for line in adverts.read_text().splitlines():
            desc = json.loads(line).get("description", "")
            out += [s.text for s in split_sentences(desc) if len(s.text.split()) >= 4]
    if len(out) < limit:
        out += [t.text for t in DataDir(get_settings().data_dir).onet.tasks[: limit - len(out)]]
    return out[:limit]


def cpu_description() -> str:
    """The CPU model and the vector extensions that decide which encoder path is fastest."""
    model, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name") and model == "unknown":
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16")
    return f"{model} ({', '.join(f for f in wanted if f in flags) or 'no AVX2'})"


def run(sections: list[str], *, pipeline: int = 0, pipeline_postings: int = 0) -> dict:
    from matcher.settings import get_settings

    settings = get_settings()
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_sha(),
        "cpu_count": os.cpu_count(),
        "cpu": cpu_description(),
        "sections": {},
    }
    res = report["sections"]
    if "roofline" in sections:
        from evaluation.bench import roofline

        log("roofline: float32 GEMM 2048^3 ...")
        res["roofline"] = roofline.measure()
        log(f"  {res['roofline']}")
    if "encoding" in sections:
        from evaluation.bench import encoding

        log("encoding: tokens/s per backend ...")
        rows = encoding.measure(
            sentences(), settings.home / "onnx", ("torch", "torch-bf16", "onnx", "onnx-int8"), (1, 2)
        )
        peak = max(res.get("roofline", {}).values(), default=None)
        for r in rows:
            if peak:
                r["share_of_best_gemm"] = round(r["gflops"] / peak, 3)
            log(f"  {r}")
        res["encoding"] = rows
    matcher = None
    if {"faiss", "latency"} & set(sections):
        from matcher.engine import Matcher

        matcher = Matcher.load(settings)
    if "faiss" in sections:
        import numpy as np

        from evaluation.bench import faiss_bench

        log("faiss: 100k and 1M vectors ...")
        names = ["tasks", "occupation_titles", "esco_skills", "esco_occupations", "tools", "technology"]
        real = np.concatenate([matcher.indexes[n].matrix for n in names])
        queries = matcher.encoder.encode(sentences(1000))
        res["faiss"] = faiss_bench.measure(real, queries)
        for r in res["faiss"]:
            log(f"  {r}")
    if "latency" in sections:
        from evaluation.bench import latency

        log("latency: align a 20-course program in process ...")
        res["align_in_process"] = latency.in_process(matcher)
        log(f"  {res['align_in_process']}")
        log("latency: gap report of a 20-course program in process ...")
        res["gaps_in_process"] = latency.gaps_in_process(matcher)
        log(f"  {res['gaps_in_process']}")
    if "api" in sections:
        from evaluation.bench import latency

        log("api: load on 127.0.0.1 ...")
        res["api"] = latency.api_load()
        log(f"  {res['api']}")
    for name in ("extract", "postings"):
        if name in sections:
            if importlib.util.find_spec(f"evaluation.bench_{name}") is None:
                log(f"{name}: evaluation/bench_{name}.py not present, skipped")
                continue
            log(f"{name} ...")
            res[name] = measure_apart(name)
            log(f"  {res[name]}")
    if "pipeline" in sections:
        if pipeline or pipeline_postings:
            from evaluation.bench import pipeline_bench

            res["pipeline"] = {}
            if pipeline:
                log(f"pipeline: {pipeline} synthetic postings with 1 and 2 workers ...")
                res["pipeline"]["scaling"] = pipeline_bench.measure(pipeline, (1, 2))
            if pipeline_postings:
                log(f"pipeline: {pipeline_postings} synthetic postings end to end, 2 workers ...")
                res["pipeline"]["end_to_end"] = pipeline_bench.measure(
                    pipeline_postings, (2,), shard_size=2000
                )
            log(f"  {res['pipeline']}")
        else:
            log("pipeline: skipped (give --pipeline N and/or --pipeline-postings N)")
    return report


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def rows(sections: dict) -> list[tuple[str, str]]:
    """The headline figures of one run, one (measure, value) row each; the JSON file keeps the
    rest (per-thread rows, stage timings, versions)."""
    out: list[tuple[str, str]] = []
    roof = sections.get("roofline") or {}
    if roof:
        out.append(
            (
                "float32 GEMM roofline, 2 threads (GFLOP/s)",
                f"numpy {_fmt(roof.get('numpy_2t_gflops'))}, ONNX Runtime {_fmt(roof.get('onnx_2t_gflops'))}",
            )
        )
    for r in sections.get("encoding") or []:
        if r.get("threads") == 2:
            share = r.get("share_of_best_gemm")
            out.append(
                (
                    f"encoding `{r['backend']}`, 2 threads (tokens/s; share of the best GEMM)",
                    f"{_fmt(r['tokens_per_s'], 0)}" + (f"; {share:.0%}" if share is not None else ""),
                )
            )
    for r in sections.get("faiss") or []:
        out.append(
            (
                f"FAISS {r['n']:,} x 384-d, {r['kind']} nprobe {r['nprobe']}",
                f"recall@10 {r['recall_at_10']:.3f}, {r['ms_per_query']} ms/query, {r['index_mb']} MB",
            )
        )
    a = sections.get("align_in_process")
    if a:
        again = a["repeated"]
        out.append(
            (
                "align a 20-course program in process, p50 / p99 (ms)",
                f"{a['p50_ms']} / {a['p99_ms']} computed; {again['p50_ms']} / {again['p99_ms']} repeated",
            )
        )
    api = sections.get("api") or {}
    for key, label in (
        ("align_20_courses", "`POST /align`, stored program, 10 clients"),
        ("align_20_courses_distinct", "`POST /align`, a new program per request, 10 clients"),
        ("occupations_search", "`GET /occupations/search`, 20 clients"),
    ):
        r = api.get(key)
        if r:
            out.append(
                (
                    f"{label} (req/s; p50 / p99 ms)",
                    f"{_fmt(r['requests_per_s'])}; {r['p50_ms']} / {r['p99_ms']}"
                    + (f"; **{r['errors']:,} errors**" if r.get("errors") else ""),
                )
            )
    ex = sections.get("extract")
    if ex:
        out.append(
            (
                "skill extraction, 200 real adverts, warm (adverts/s, median)",
                f"{ex['adverts_per_s_median']} ({ex['skills_per_advert']} skills per advert)",
            )
        )
    po = sections.get("postings")
    if po:
        out.append(
            (
                "import + coding + extraction, same adverts (adverts/s, median)",
                str(po["median_adverts_per_s"]),
            )
        )
    pipe = sections.get("pipeline") or {}
    if "scaling" in pipe:
        sc = pipe["scaling"]
        out.append(
            (
                f"Dask pipeline, {sc['runs'][0]['records']:,} synthetic postings, 2 vs 1 workers",
                f"x{sc['ratio_2_vs_1']}",
            )
        )
    if "end_to_end" in pipe:
        run = pipe["end_to_end"]["runs"][-1]
        out.append(
            (
                f"Dask pipeline, {run['records']:,} synthetic postings end to end, 2 workers (s)",
                f"{run['end_to_end_seconds']} ({run['postings_per_s']} postings/s warm)",
            )
        )
    return out


def render(report: dict) -> str:
    lines = [
        BEGIN,
        f"Generated by `make bench` on {report['date']} at commit `{report['commit']}` "
        f"({report['cpu_count']} CPUs, {report.get('cpu', 'CPU not recorded')}); every figure of the "
        f"run is in `evaluation/bench/results/`.",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {m} | {v} |" for m, v in rows(report["sections"])),
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", choices=SECTIONS, help="Run only these sections.")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--write-block",
        action="store_true",
        help="With --only: still replace the generated block of RESULTS.md (by default a partial "
        "run writes only its JSON file, so the block keeps one complete run).",
    )
    ap.add_argument(
        "--pipeline", type=int, default=0, metavar="N", help="Dask pipeline: N postings with 1 vs 2 workers."
    )
    ap.add_argument(
        "--pipeline-postings", type=int, default=0, metavar="N", help="Dask pipeline: N postings end to end."
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    report = run(
        list(args.only or SECTIONS), pipeline=args.pipeline, pipeline_postings=args.pipeline_postings
    )
    if args.no_write:
        print(json.dumps(report, indent=2))
        return
    partial = bool(args.only) and set(args.only) != set(SECTIONS)
    suffix = "-" + "-".join(s for s in SECTIONS if s in args.only) if partial else ""  # no overwrites
    out = (
        REPO
        / "evaluation"
        / "bench"
        / "results"
        / f"{datetime.now(UTC):%Y-%m-%d}-{report['commit']}{suffix}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    if partial and not args.write_block:
        log(f"wrote {out.relative_to(REPO)} (partial run: the RESULTS.md block is left as it was)")
        return
    md = REPO / "evaluation" / "RESULTS.md"
    text = md.read_text() if md.is_file() else "# Evaluation results\n"
    if BEGIN not in text:
        text = text.rstrip() + f"\n\n## Benchmarks (generated)\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    md.write_text(head + render(report) + tail)
    log(f"wrote {out.relative_to(REPO)} and evaluation/RESULTS.md")


if __name__ == "__main__":
    main()
