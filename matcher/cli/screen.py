"""`matcher screen FILE... --state NJ [--out DIR] [--workers N] [--scheduler ADDR] [--refresh]`:
screen every program of a state's ETPL export (see docs/screening.md). The command line acts as
an admin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import RichProgress, err, print_json, print_table

MAX_LISTED = 20


def screen_cmd(
    state: Annotated[str, typer.Option("--state", help="Two-letter state code of the list.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="ETPL exports: JSON Lines, JSON or CSV/TSV (see docs/screening.md)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write screening.csv, .xlsx, .json here.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="Align on a local Dask cluster of N workers.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Align on a running Dask cluster (tcp://host:8786).")
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Recompute the programs flagged for re-review (only those).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Screen a state's ETPL: store each program under its provider, align it, run the Pell checks;
    a killed run continues where it stopped. Rows with problems are listed with their line.
    Without files: update the re-review flags (and with --refresh recompute the flagged programs);
    --out then writes the state's whole table."""
    from matcher.db import get_database
    from matcher.review import Actor
    from matcher.screening.files import screen_files
    from matcher.screening.output import write_outputs
    from matcher.screening.store import results_for
    from matcher.settings import get_settings

    db = get_database()
    actor = Actor.command_line("cli: matcher screen")
    outcome, _ = screen_files(
        db,
        actor,
        list(files or []),
        state,
        get_settings(),
        refresh=refresh,
        workers=workers,
        scheduler=scheduler,
        progress=RichProgress(),
    )
    run = outcome.run
    with db.session() as s:
        results = results_for(s, actor, run["state"], outcome.external_ids)
    written = write_outputs(out, run, results) if out is not None else []
    if as_json:
        print_json({**run, "flagged_before_run": outcome.flagged, "outputs": [str(p) for p in written]})
        return
    c = run["counts"]
    err.print(
        f"screening run {run['id']} ({run['state']}): {c.get('rows', 0)} row(s); "
        f"{c['screened']} screened now, "
        f"{c['already_done']} already done, {c['flagged_left']} flagged (use --refresh), "
        f"{c['errors']} error(s), {c['warnings']} warning(s)"
    )
    for kind, n in outcome.flagged.items():
        err.print(f"flagged for re-review ({kind}): {n} program(s)")
    problems = [("error", p) for p in run["errors"]] + [("warning", p) for p in run["warnings"]]
    if problems:
        print_table(
            "Input problems",
            ["kind", "file", "line", "id", "problem"],
            [[k, p["file"], p["line"], p["id"], p["error"]] for k, p in problems[:MAX_LISTED]],
        )
        if len(problems) > MAX_LISTED:
            err.print(f"... and {len(problems) - MAX_LISTED} more (screening-errors.csv with --out)")
    for p in written:
        err.print(f"wrote {p}")


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_cmd)
