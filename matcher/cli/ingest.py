"""``matcher ingest FILE``: read the program(s) of a file in any supported format and show what
was parsed. A file that holds several programs (a CTDL list, an ETPL JSON Lines file, ...) is
listed; ``--id`` / ``--index`` show one of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from matcher.cli.ui import err, print_json, print_table

if TYPE_CHECKING:
    from matcher.program import Program


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


IdOpt = Annotated[
    str | None,
    typer.Option("--id", help="Which program of a file that holds several: its id (CTID, ETPL id)."),
]
IndexOpt = Annotated[
    int | None, typer.Option("--index", min=1, help="Which program of a file that holds several: 1, 2, ...")
]


def _length(program: Program) -> str:
    if program.weeks is not None:
        out = f"{program.weeks:g} weeks"
    elif program.weeks_range is not None:
        out = f"{program.weeks_range[0]:g}-{program.weeks_range[1]:g} weeks"
    else:
        return ""
    where = program.read_from.get("weeks")
    return f"{out} (read from: {where.text!r})" if where is not None else out


def show_program(program: Program, file: str) -> None:
    facts = [
        ("id", program.id),
        ("title", program.title),
        ("provider", program.provider),
        ("credentials", "; ".join(program.all_credentials())),
        ("clock hours", program.clock_hours),
        ("credit hours", program.credit_hours),
        ("length", _length(program)),
        ("hours per week", program.hours_per_week),
        ("schedule", program.schedule),
        ("CIP", program.cip),
        ("stated occupations", ", ".join(program.occupations + program.occupation_names)),
        ("description", _short(program.description, 200)),
        ("prerequisites", _short(program.prerequisites, 120)),
        ("program outcomes", len(program.outcomes)),
        ("not curriculum", "; ".join(_short(o.text, 40) for o in program.not_curriculum[:5])),
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
    if program.read_from:
        print_table(
            "Read from",
            ["field", "text", "where"],
            [
                (
                    k,
                    _short(v.text, 70),
                    v.source.model_copy(update={"file": None}).label() if v.source else "",
                )
                for k, v in program.read_from.items()
            ],
        )
    units = list(program.iter_units())
    err.print(f"{len(units)} text units, {sum(len(u.text) for u in units):,} characters")


def ingest(
    file: Annotated[
        str,
        typer.Argument(
            help="Program file: JSON, YAML, text, Markdown, DOCX, PDF, HTML, CSV/TSV, XLSX, ETPL rows "
            "(.jsonl or --format etpl), CTDL or schema.org JSON-LD; '-' for stdin."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json, yaml, text, markdown, docx, pdf, html, csv, xlsx, etpl, jsonld "
            "(default: by extension).",
        ),
    ] = None,
    program_id: IdOpt = None,
    index: IndexOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the parsed program(s) as JSON.")] = False,
) -> None:
    """Parse a program file and print the structured program (title, courses, outcomes, sources);
    a file of several programs is listed (choose one with --id or --index)."""
    from matcher.readers import choose_program, read_programs

    programs = read_programs(file, fmt)
    name = "stdin" if file == "-" else file
    if len(programs) > 1 and program_id is None and index is None:
        if as_json:
            print_json({"count": len(programs), "programs": [p.model_dump(mode="json") for p in programs]})
            return
        print_table(
            f"{len(programs)} programs in {name}",
            ["#", "id", "title", "provider", "courses", "outcomes"],
            [
                (i, p.id or "", p.title, p.provider or "", len(p.courses), len(p.outcomes))
                for i, p in enumerate(programs, 1)
            ],
        )
        err.print("show one with --index N or --id ID; `matcher align`/`gaps` take the same options")
        return
    program = choose_program(programs, name, program_id=program_id, index=index)
    if as_json:
        print_json(program.model_dump(mode="json"))
        return
    show_program(program, file)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
