"""`matcher code-titles FILE [--out FILE] [--format csv|jsonl] [--title-column NAME] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_errors


def code_titles_cmd(
    file: Annotated[Path, typer.Argument(help="CSV (with a header row) or JSON Lines file of job titles.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the coded rows here (default: standard output).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="csv or jsonl (default: by extension).")
    ] = None,
    title_column: Annotated[
        str | None, typer.Option("--title-column", help="The column holding the title (default: title).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON Lines whatever the input.")] = False,
) -> None:
    """Code each job title to an O*NET-SOC occupation: the same rows come out with code,
    occupation, confidence, needs_review and the evidence (columns ``description`` and
    ``industry``, a 2022 Census industry code, are used when present). Rows that cannot be coded
    (empty, one character, numbers only, too long, not UTF-8) get an error with their line number;
    the rest are coded."""
    from matcher.engine import Matcher
    from matcher.indexes.store import atomic_write_text
    from matcher.postings.coding import OccupationCoder
    from matcher.postings.title_batch import code_rows, read_title_file, write_csv, write_jsonl

    used, columns, rows = read_title_file(file, fmt, title_column)
    coder = OccupationCoder.from_matcher(Matcher.load())
    coded = code_rows(coder, rows)
    text = write_jsonl(coded) if as_json or used == "jsonl" else write_csv(columns, coded)
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
    errors = [c.row for c in coded if c.result is None]
    review = sum(1 for c in coded if c.result is not None and c.result["needs_review"])
    err.print(
        f"{file.name}: {len(rows)} rows, {len(rows) - len(errors)} coded ({review} need review), "
        f"{len(errors)} errors; coder {coder.version}"
    )
    print_errors([f"line {r.line}: {r.error}" for r in errors], "see the error column")
    if errors and len(errors) == len(rows):
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("code-titles")(code_titles_cmd)
