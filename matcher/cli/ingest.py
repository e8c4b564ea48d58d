"""``matcher ingest FILE``: read a program from any supported format and show what was parsed."""

from __future__ import annotations

from typing import Annotated

import typer

from matcher.cli.ui import err, print_json, print_table


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def ingest(
    file: Annotated[
        str,
        typer.Argument(
            help="Program file: JSON, YAML, text, Markdown, DOCX, PDF, CSV/TSV, XLSX, ETPL row "
            "(.jsonl or --format etpl), CTDL or schema.org JSON-LD; '-' for stdin."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json, yaml, text, markdown, docx, pdf, csv, xlsx, etpl, jsonld (default: by extension).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the parsed program as JSON.")] = False,
) -> None:
    """Parse a program file and print the structured program (title, courses, outcomes, sources)."""
    from matcher.readers import read_program

    program = read_program(file, fmt)
    if as_json:
        print_json(program.model_dump(mode="json"))
        return
    facts = [
        ("title", program.title),
        ("provider", program.provider),
        ("credentials", "; ".join(program.all_credentials())),
        ("clock hours", program.clock_hours),
        ("credit hours", program.credit_hours),
        ("weeks", program.weeks),
        ("CIP", program.cip),
        ("stated occupations", ", ".join(program.occupations)),
        ("description", _short(program.description, 200)),
        ("prerequisites", _short(program.prerequisites, 120)),
        ("program outcomes", len(program.outcomes)),
    ]
    print_table(
        f"Program read from {program.source_file or file}",
        ["field", "value"],
        [(k, v) for k, v in facts if v not in (None, "", 0)],
    )
    if program.courses:
        print_table(
            f"Courses ({len(program.courses)})",
            ["code", "title", "hours", "outcomes", "where"],
            [
                (
                    c.code,
                    c.title,
                    c.hours,
                    len(c.outcomes),
                    c.source.model_copy(update={"file": None}).label() if c.source else "",
                )
                for c in program.courses
            ],
        )
    units = list(program.iter_units())
    err.print(f"{len(units)} text units, {sum(len(u.text) for u in units):,} characters")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
