"""`matcher pipeline run INPUT... --out DIR [--workers N] [--scheduler ADDR] [--shard-size N]`,
`matcher pipeline status DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import RichProgress, err, print_json, print_table

pipeline_app = typer.Typer(
    help="Distributed batch pipeline over postings on Dask (local cluster or any scheduler).",
    no_args_is_help=True,
)


@pipeline_app.command("run")
def run_cmd(
    inputs: Annotated[
        list[str], typer.Argument(help="Postings files, folders or glob patterns (.jsonl, .csv, .parquet).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (resumed when it holds this run).")],
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Local worker processes (1 thread each).")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Use a running Dask cluster (e.g. tcp://10.0.0.5:8786)."),
    ] = None,
    shard_size: Annotated[int, typer.Option("--shard-size", min=1, help="Postings per shard.")] = 2000,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping for CSV/JSON Lines/Parquet, e.g. --map title='Job Name'."),
    ] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="Skip the FAISS index.")] = False,
    threads: Annotated[
        int, typer.Option("--threads", min=1, max=64, help="Model threads per worker process.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Read, clean, de-duplicate, code occupations, extract skills, embed; write Parquet per
    shard and a FAISS IVF index. Finished shards of an earlier run into --out are never redone."""
    from matcher.cli.postings import column_mapping
    from matcher.pipeline import RuntimeConfig, dask_client, expand_inputs, plan_shards, run_pipeline
    from matcher.settings import get_settings

    columns = column_mapping(mapping) or None
    plan_shards(expand_inputs(inputs), shard_size)  # bad input fails here, before any cluster starts
    config = RuntimeConfig.from_settings(get_settings(), threads=threads)
    where = scheduler or f"a local cluster of {workers} worker process(es) x {threads} thread(s)"
    err.print(f"pipeline: {', '.join(inputs)} -> {out} on {where}")
    with dask_client(workers=workers, scheduler=scheduler, threads_per_worker=1) as client:
        summary = run_pipeline(
            inputs,
            out,
            client,
            config,
            shard_size=shard_size,
            mapping=columns,
            build_index=not no_index,
            progress=RichProgress(),
        )
    if as_json:
        print_json(summary)
        return
    _print_summary(summary)


@pipeline_app.command("status")
def status_cmd(
    out: Annotated[Path, typer.Argument(help="Output folder of a run.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How far a run got: shards finished, rows, the index, the last summary."""
    from matcher.errors import BadInputError
    from matcher.pipeline.state import RunLayout, read_json

    layout = RunLayout(out)
    if not layout.run_file.is_file():
        raise BadInputError(f"{out} holds no pipeline run (no run.json)")
    plan = read_json(layout.run_file)
    shards = [s["index"] for s in plan["shards"]]
    done = [m for s in shards if (m := layout.shard_done(f"shard-{s:05d}", plan["digest"])) is not None]
    index = layout.index_dir / "postings.ann.json"
    state = {
        "out": str(out),
        "plan": plan["digest"],
        "shards": len(shards),
        "finished_shards": len(done),
        "rows_finished": sum(m["rows"] for m in done),
        "index": read_json(index) if index.is_file() else None,
        "summary": read_json(layout.summary_file) if layout.summary_file.is_file() else None,
    }
    if as_json:
        print_json(state)
        return
    err.print(
        f"{out}: {state['finished_shards']} of {state['shards']} shards finished "
        f"({state['rows_finished']:,} rows); index: {'built' if state['index'] else 'not yet'}"
    )


def _print_summary(s: dict) -> None:
    counts = s["counts"]
    err.print(
        f"{s['rows']:,} records in {s['shards']} shards ({s['processed_shards']} processed, "
        f"{s['skipped_shards']} already done): {counts.get('ok', 0):,} ok, "
        f"{counts.get('near_duplicate', 0):,} near duplicates, {counts.get('duplicate', 0):,} exact "
        f"duplicates, {counts.get('error', 0):,} errors; {s['needs_review']:,} need review; "
        f"{s['skills']:,} skills"
    )
    cpu = s.get("stage_cpu_seconds", {})
    rows = [
        (k, f"{v:.1f}", f"{cpu.get(k, 0.0):.1f}", s["stage_postings_per_s"].get(k, ""))
        for k, v in s["stage_seconds"].items()
    ]
    print_table(
        "Stages (summed over workers)", ["stage", "seconds", "CPU seconds", "records/s per worker"], rows
    )
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in s["phases_seconds"].items())
    err.print(f"wall {s['wall_seconds']:.1f} s ({phases})")
    if s.get("postings_per_s"):
        err.print(
            f"throughput: {s['postings_per_s']:.1f} records/s (process + index), "
            f"{s['end_to_end_postings_per_s']:.1f} records/s end to end"
        )
    if s.get("index"):
        i = s["index"]
        err.print(
            f"index: {s['out']}/index/postings.faiss, {i['n']:,} vectors, IVF{i['nlist']},SQ8, "
            f"nprobe {i['nprobe']} (recall@10 {i['recall_at_10']})"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(pipeline_app, name="pipeline")
