"""`matcher evidence PROGRAM_ID`: the Workforce Pell evidence packet of a program version as
JSON, HTML, PDF, CTDL or schema.org JSON-LD; `matcher state-list import|show`: a state's list of
in-demand occupations. The command line acts as an admin (it reads every program)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_json, print_table

state_list_app = typer.Typer(
    help="States' lists of high-skill, high-wage or in-demand occupations (CSV import).",
    no_args_is_help=True,
)


class Format(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"
    CTDL = "ctdl"
    SCHEMA_ORG = "schema-org"


def _cli():
    from matcher.review import Actor

    return Actor.command_line("cli")


def render(packet: dict, fmt: Format) -> bytes:
    """The packet in one of the CLI's formats, as bytes."""
    from matcher.evidence import render_html, render_pdf, to_ctdl, to_schema_org

    if fmt is Format.PDF:
        return render_pdf(packet)
    if fmt is Format.HTML:
        return render_html(packet).encode("utf-8")
    doc = {Format.CTDL: to_ctdl, Format.SCHEMA_ORG: to_schema_org}.get(fmt, lambda p: p)(packet)
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def evidence(
    program_id: Annotated[int, typer.Argument(help="Program id (as in GET /programs).")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.JSON,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: standard output).")
    ] = None,
    program_version: Annotated[
        int | None, typer.Option("--program-version", help="Program version (default: the newest).")
    ] = None,
) -> None:
    """The Workforce Pell evidence packet of a program version, from its newest alignment snapshot."""
    from matcher.db import get_database
    from matcher.errors import BadInputError
    from matcher.evidence import build_packet
    from matcher.settings import get_settings

    if fmt is Format.PDF and output is None and sys.stdout.isatty():
        raise BadInputError("a PDF goes to a file: give -o FILE (or redirect standard output)")
    packet = build_packet(get_database(), _cli(), program_id, get_settings(), version=program_version)
    data = render(packet, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    s = packet["summary"]
    err.print(
        f"wrote {output} ({len(data):,} bytes): {s['pass']} pass, {s['fail']} fail, {s['unknown']} unknown"
    )


@state_list_app.command("import")
def import_list(
    state: Annotated[str, typer.Argument(help="Two-letter state code, e.g. NJ.")],
    file: Annotated[Path, typer.Argument(help="CSV with a SOC code column (optional title, designation).")],
    name: Annotated[str, typer.Option("--name", help="The list's name as the state publishes it.")] = "",
    source: Annotated[str, typer.Option("--source", help="Where the list comes from (URL or office).")] = "",
    vintage: Annotated[str, typer.Option("--vintage", help="The list's date or edition, e.g. 2025.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Import a state's list; a row with an invalid SOC code rejects the file, naming the line."""
    from matcher.db import get_database
    from matcher.errors import BadInputError
    from matcher.evidence import import_state_list
    from matcher.evidence.labour import labour_data
    from matcher.settings import get_settings

    if not file.is_file():
        raise BadInputError(f"no such file: {file}")
    result = import_state_list(
        get_database(),
        _cli(),
        state,
        file.read_bytes(),
        labour_data(get_settings().data_dir),
        name=name,
        source=source,
        vintage=vintage,
        filename=file.name,
    )
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo(
            f"state list {result.list_id} for {result.state}: {len(result.codes)} occupations ({result.name})"
        )


@state_list_app.command("show")
def show_list(
    state: Annotated[str, typer.Argument(help="Two-letter state code, e.g. NJ.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The state's current list, or the default derived from BLS projections when none is loaded."""
    from matcher.db import get_database
    from matcher.evidence.labour import labour_data
    from matcher.evidence.state_lists import list_for
    from matcher.review.accounts import normalise_state
    from matcher.settings import get_settings

    code = normalise_state(state)
    lst = list_for(get_database(), code, labour_data(get_settings().data_dir))
    if as_json:
        print_json(lst.to_dict(entries=True))
        return
    title = f"{lst.name} ({len(lst.codes)} occupations; vintage {lst.vintage})"
    rows = [[k, v["title"], v["designation"]] for k, v in lst.codes.items()]
    print_table(title, ["soc", "title", "designation"], rows)


def register(app: typer.Typer) -> None:
    app.command("evidence")(evidence)
    app.add_typer(state_list_app, name="state-list")
