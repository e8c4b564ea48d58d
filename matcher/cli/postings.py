"""`matcher postings import FILE... [--format] [--map FIELD=COLUMN] [--json]`, `matcher postings stats`,
`matcher postings demand CODE [--area] [--since]`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_errors, print_json, print_table

postings_app = typer.Typer(
    help="Job postings: import (JSON-LD, JSON Lines, CSV, HTML, text), stats, demand.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def column_mapping(items: list[str] | None) -> dict[str, str]:
    from matcher.errors import BadInputError

    out = {}
    for item in items or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise BadInputError(f"--map expects FIELD=COLUMN, got {item!r}")
        out[field.strip()] = column.strip()
    return out


@postings_app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Posting files (one batch per file).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="jsonld, jsonl, csv, html or text (default: by extension)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping for CSV/JSON Lines, e.g. --map title='Job Name'."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import postings: de-duplicate, code each to O*NET-SOC (or mark it "needs review"), extract
    skills, store. Bad records are reported with their line numbers; the good ones are stored."""
    from matcher.engine import Matcher
    from matcher.postings.readers import read_postings_file
    from matcher.postings.wiring import postings_store

    columns = column_mapping(mapping)
    store = postings_store(Matcher.load())
    reports = []
    for path in files:
        used, result = read_postings_file(path, fmt, mapping=columns)
        reports.append(store.import_result(result, source=path.name, fmt=used))
    if as_json:
        payload = [r.to_dict() for r in reports]
        print_json(payload[0] if len(payload) == 1 else payload)
    else:
        for r in reports:
            err.print(
                f"{r.source} ({r.format}): {r.received} read, {r.stored} stored, "
                f"{r.merged} duplicates merged ({r.duplicates} exact, {r.near_duplicates} near), "
                f"{len(r.errors)} errors, {r.needs_review} need review; {r.seconds:.1f} s"
            )
            print_errors([f"{r.source}: {e}" for e in r.errors], "use --json for all")
    if any(r.errors for r in reports) and not any(r.stored or r.duplicates for r in reports):
        raise typer.Exit(2)


@postings_app.command("stats")
def stats_cmd(
    top: Annotated[int, typer.Option("--top", min=1, max=1000, help="Rows per table.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Stored postings by occupation, by area, and how many need review."""
    from matcher.db import get_database
    from matcher.postings.demand import stats

    data = stats(get_database(), top=top)
    if as_json:
        print_json(data)
        return
    err.print(
        f"{data['postings']} postings ({data['distinct_postings']} after near-duplicate merging), "
        f"{data['needs_review']} need review, {data['skills']} skill mentions"
    )
    print_table(
        "Postings by occupation",
        ["code", "title", "postings"],
        [(o["code"], o["title"], o["postings"]) for o in data["by_occupation"]]
        + [("needs review", "", data["needs_review"])],
    )
    print_table(
        "Postings by area", ["area", "postings"], [(a["area"], a["postings"]) for a in data["by_area"]]
    )


@postings_app.command("demand")
def demand_cmd(
    code: Annotated[str, typer.Argument(help="O*NET-SOC code, e.g. 15-1252.00.")],
    area: Annotated[str | None, typer.Option("--area", help="State, county, metro, city or country.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only postings dated on/after (YYYY-MM-DD).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="Skills to list.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Posting counts and, per skill, the share of postings asking for it."""
    from matcher.db import get_database
    from matcher.postings.demand import occupation_demand
    from matcher.settings import get_settings
    from matcher.sources import DataDir
    from matcher.sources.catalog import Catalog

    occ = Catalog(DataDir(get_settings().data_dir)).occupation(code)
    d = occupation_demand(get_database(), occ.code, area=area, since=parse_since(since), max_skills=top)
    if as_json:
        print_json({**d.to_dict(), "title": occ.title})
        return
    where = f" in {area}" if area else ""
    err.print(
        f"{occ.code} {occ.title}{where}: {d.postings} postings ({d.skills_extracted} with extracted skills)"
    )
    print_table(
        "Skills in demand",
        ["taxonomy", "skill", "postings", "share"],
        [(s.taxonomy, s.label, s.postings, f"{s.share:.0%}") for s in d.skills],
    )


def parse_since(value: str | None) -> date | None:
    from matcher.errors import BadInputError

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInputError(f"--since expects a date like 2024-01-31, got {value!r}") from None


def register(app: typer.Typer) -> None:
    app.add_typer(postings_app, name="postings")
