"""`matcher outcomes import FILE --state NJ [--kind etpl|provider] [--source] [--map FIELD=COLUMN]`:
completion, placement and earnings figures of programs for the Workforce Pell outcome checks
(column mapping: docs/outcomes.md). `matcher outcomes show PROGRAM_ID`: the figures a packet reads.
The command line acts as an admin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_errors, print_json

outcomes_app = typer.Typer(
    help="Program outcomes (completion, placement, earnings) for the Workforce Pell checks.",
    no_args_is_help=True,
)


@outcomes_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per program and period.")],
    state: Annotated[str, typer.Option("--state", help="Two-letter state code of the programs.")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="etpl (the state's performance data) or provider (provider-reported)."),
    ] = "etpl",
    source: Annotated[str, typer.Option("--source", help="Where the figures come from (report, URL).")] = "",
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping, e.g. --map completion_rate='Completion %'."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Import outcome figures; each bad row is reported with its line number, the good rows are
    stored (all in one transaction). Exit 2 when no row could be stored."""
    from matcher.cli.postings import column_mapping
    from matcher.db import get_database
    from matcher.errors import BadInputError
    from matcher.outcomes.store import import_outcomes
    from matcher.review import Actor

    if not file.is_file():
        raise BadInputError(f"no such file: {file}")
    report = import_outcomes(
        get_database(),
        Actor.command_line("cli"),
        state,
        file.read_bytes(),
        filename=file.name,
        kind=kind,
        source=source,
        mapping=column_mapping(mapping),
    )
    if as_json:
        print_json(report.to_dict())
    else:
        err.print(
            f"{report.file_name}: {report.received} rows read, {report.stored} stored, "
            f"{len(report.errors)} bad (import {report.import_id}, {report.state}, {report.source})"
        )
        lines = [f"{report.file_name} line {e['line']}: {e['message']}" for e in report.errors]
        print_errors(lines, "use --json for all")
    if not report.stored:
        raise typer.Exit(2)


@outcomes_app.command("show")
def show_cmd(program_id: Annotated[int, typer.Argument(help="Program id (as in GET /programs).")]) -> None:
    """The outcome figures the evidence packet of a program reads (JSON; null when none)."""
    from matcher.db import get_database
    from matcher.outcomes.store import outcome_of_record
    from matcher.review import Actor
    from matcher.review.policy import Action
    from matcher.review.programs import load_program

    with get_database().session() as s:
        record = load_program(s, Actor.command_line("cli"), program_id, Action.READ)
        print_json(outcome_of_record(s, record))


def register(app: typer.Typer) -> None:
    app.add_typer(outcomes_app, name="outcomes")
