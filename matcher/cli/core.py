"""Core commands: build, align, gaps, search, serve."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from matcher.cli.ingest import IdOpt, IndexOpt
from matcher.cli.ui import RichProgress, err, print_json, print_table

if TYPE_CHECKING:
    from matcher.align.results import Evidence

FileArg = Annotated[
    str,
    typer.Argument(help="Program file (JSON, YAML, text, Markdown, DOCX, PDF, HTML, ...) or '-' for stdin."),
]
FormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", help="Input format (default: by extension).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class SearchKind(StrEnum):
    occupations = "occupations"
    skills = "skills"


def _matcher():
    from matcher.engine import Matcher

    return Matcher.load()


def build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when up to date.")] = False,
) -> None:
    """Build the FAISS indexes over the data directory (reuses cached embeddings)."""
    from matcher.encoding.encoder import encoder_from_settings
    from matcher.indexes.build import build_indexes, is_up_to_date
    from matcher.indexes.store import IndexStore
    from matcher.settings import get_settings
    from matcher.sources import DataDir
    from matcher.sources.catalog import Catalog

    s = get_settings()
    data = DataDir(s.data_dir)
    data.check()
    encoder = encoder_from_settings(s)
    store = IndexStore(s.index_root)
    err.print(f"data: {data.root} ({data.version_label}); model: {encoder.identity}")
    started = time.monotonic()
    progress = RichProgress()
    with progress.stage("reading the reference data", None):
        catalog = Catalog(data)
    if not force and is_up_to_date(store, encoder, catalog):
        err.print(f"indexes are up to date in {store.current_folder()}")
        return
    counts = build_indexes(store, catalog, encoder, progress=progress)
    folder = store.current_folder()
    size = sum(p.stat().st_size for p in folder.iterdir()) if folder else 0
    err.print(
        f"built {len(counts)} indexes, {sum(counts.values()):,} rows, {size / 1e6:.0f} MB "
        f"in {time.monotonic() - started:.0f} s -> {folder}"
    )


def _why(e: Evidence) -> str:
    """One evidence line: what the program says and what it matched ("title \"Culinary Arts -
    Line Cook Certificate\" ~ Certified Executive Chef (CEC) (0.64)"), or a stated code or
    credential as the program gives it."""
    said = " ".join((e.program_text or "").split())
    if e.kind in ("stated", "credential") or not said:
        return f"{e.kind}: {e.matched} ({e.similarity:.2f})"
    said = said if len(said) <= 60 else said[:59].rstrip() + "…"
    return f'{e.kind} "{said}" ~ {e.matched} ({e.similarity:.2f})'


def align(
    file: FileArg,
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="Occupations to list.")] = 10,
    fmt: FormatOpt = None,
    program_id: IdOpt = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the occupations a program prepares for, with evidence."""
    from matcher.readers import read_program

    program = read_program(file, fmt, program_id=program_id, index=index)
    result = _matcher().align(program, top_k=top)
    if as_json:
        print_json(result.to_dict())
        return
    rows = []
    for i, o in enumerate(result.occupations, 1):
        best = next((e for e in o.evidence if e.kind in ("stated", "credential")), None)
        best = best or next((e for e in o.evidence if e.kind in ("task", "title")), None)
        why = _why(best) if best else ""
        rows.append((i, o.code, o.title, f"{o.score:.3f}", why))
    print_table(f"Occupations for: {program.title}", ["#", "code", "title", "score", "evidence"], rows)
    if result.cip:
        cips = ", ".join(f"{c.code} {c.title} ({c.score:.2f})" for c in result.cip[:3])
        err.print(f"likely CIP: {cips}")


def gaps(
    file: FileArg,
    occupation: Annotated[str, typer.Option("--occupation", "-o", help="O*NET-SOC code, e.g. 51-4121.00.")],
    fmt: FormatOpt = None,
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Missing skills to list.")] = 20,
    program_id: IdOpt = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What the occupation requires, graded taught / partly / not taught for the program, with evidence."""
    from matcher.readers import read_program
    from matcher.sources.soc2010 import successors

    program = read_program(file, fmt, program_id=program_id, index=index)
    report = _matcher().gaps(program, occupation)
    if as_json:
        print_json(report.to_dict())
        return
    d = report.to_dict()
    if successors(occupation).mapped:
        new = d["occupation"]["code"]
        err.print(f"{occupation.strip()} is a SOC 2010 code; its SOC 2018 successor {new} is used")
    head = f"{d['occupation']['code']} {d['occupation']['title']}: "
    if not d["teachable_text"]:
        err.print(head + d["summary"])
    else:
        err.print(head + f"coverage {d['coverage']}% ({d['summary']})")
    for note in d["notes"]:
        err.print(f"note: {note}")

    def shown(item: dict) -> str:
        ev = item.get("evidence") or {}
        where = f" [{ev['source']}]" if ev.get("source") else ""
        held = f" (at most partly: {item['held_by']})" if item.get("held_by") else ""
        return f"{ev.get('text') or ''}{where}{held}"

    print_table(
        "Taught",
        ["competency", "conf.", "evidence (shortest span)", "sources"],
        [(c["label"], f"{c['confidence']:.2f}", shown(c), len(c["sources"])) for c in d["covered"]],
    )
    print_table(
        "Partly taught",
        ["competency", "conf.", "evidence (shortest span)", "sources"],
        [(c["label"], f"{c['confidence']:.2f}", shown(c), len(c["sources"])) for c in d["partly"]],
    )
    print_table(
        f"Not taught (ranked by {d['ranking']} x confidence)",
        ["competency", "importance", "conf.", "why it matters"],
        [
            (
                m["label"],
                f"{m['importance']:.2f}",
                f"{m['confidence']:.2f}",
                m["basis"] + (f"; not taught: {m['held_by']}" if m.get("held_by") else ""),
            )
            for m in d["missing"][:top]
        ],
    )


def search(
    kind: Annotated[SearchKind, typer.Argument(help="occupations or skills")],
    query: Annotated[str, typer.Argument(help="Free text.")],
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=100)] = 10,
    taxonomy: Annotated[
        str | None, typer.Option(help="Skills only: esco, onet-tech, onet-tool, onet-dwa.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search occupations or skills by meaning."""
    m = _matcher()
    if kind is SearchKind.occupations:
        hits = m.search_occupations(query, k=top)
        if as_json:
            print_json({"query": query, "results": hits, "versions": m.versions})
        else:
            print_table(
                f"Occupations for {query!r}",
                ["code", "title", "score", "matched"],
                [(h["code"], h["title"], h["score"], h["matched"]) for h in hits],
            )
    else:
        hits = m.search_skills(query, k=top, taxonomy=taxonomy)
        if as_json:
            print_json({"query": query, "results": hits, "versions": m.versions})
        else:
            print_table(
                f"Skills for {query!r}",
                ["taxonomy", "label", "score", "id"],
                [(h["taxonomy"], h["label"], h["score"], h["id"]) for h in hits],
            )


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from matcher.settings import get_settings

    settings = get_settings()
    err.print(f"serving on http://{host}:{port} (docs at /docs)")
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # service.server.HeaderTimeoutProtocol: slow request headers are cut off (uvicorn has no bound)
        http="service.server:HeaderTimeoutProtocol",
        timeout_keep_alive=int(settings.keep_alive_seconds),
    )


def register(app: typer.Typer) -> None:
    app.command()(build)
    app.command()(align)
    app.command()(gaps)
    app.command()(search)
    app.command()(serve)


__all__ = ["register", "Path"]
