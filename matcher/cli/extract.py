"""`matcher extract FILE|-`: skills in a text, a program file or a job posting, with evidence.

Input:
- plain text (``.txt``, no extension, or standard input not starting with ``{``): the whole
  text; offsets are into it;
- a JSON job posting (an object with ``title``/``description`` and posting fields such as
  ``company``, ``location``, ``salary``, or ``"kind": "posting"``): title and description;
- any program file the readers know (JSON, YAML, PDF, DOCX, Markdown, CSV...): every text unit
  (title, description, courses, outcomes); offsets are into that unit's text (``source``).

Bytes that are not UTF-8 are decoded with replacement characters, and a warning says how many.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from matcher.cli.ui import err, print_json, print_table

POSTING_FIELDS = {
    "company",
    "employer",
    "hiring_organization",
    "location",
    "salary",
    "salary_normalized",
    "contract_type",
    "contract_time",
    "category",
    "source_board",
    "posted",
    "date_posted",
    "job_id",
}
TEXT_SUFFIXES = {"", ".txt", ".text"}


def _read_bytes(file: str) -> tuple[bytes, str]:
    from matcher.errors import BadInputError, TooLargeError
    from matcher.readers import MAX_FILE_BYTES

    if file == "-":
        return sys.stdin.buffer.read(), "stdin"
    p = Path(file)
    if not p.is_file():
        raise BadInputError(f"no such file: {p}")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise TooLargeError(f"{p.name} is {p.stat().st_size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    return p.read_bytes(), p.name


def decode_report(data: bytes) -> tuple[str, int]:
    """UTF-8 text (BOM dropped) and how many bytes could not be decoded (replaced by U+FFFD)."""
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        clean = data.decode("utf-8", errors="ignore")
        return text.removeprefix("\ufeff"), len(data) - len(clean.encode("utf-8"))


def _is_posting(obj: Any, kind: str) -> bool:
    if not isinstance(obj, dict) or not ({"title", "description"} & set(obj)):
        return False
    return (
        str(obj.get("kind", "")).lower() == "posting" or kind == "posting" or bool(POSTING_FIELDS & set(obj))
    )


def units_of(file: str, fmt: str | None, kind: str) -> tuple[list[tuple[str | None, str]], str, list[str]]:
    """(source, text) pieces to extract from, the kind to use, and warnings."""
    from matcher.errors import BadInputError
    from matcher.readers import parse_program

    data, name = _read_bytes(file)
    text, bad = decode_report(data)
    warnings = [f"{name} is not valid UTF-8: {bad} byte(s) replaced with U+FFFD"] if bad else []
    suffix = Path(name).suffix.lower() if name != "stdin" else ""
    as_json = (
        (fmt or "").lower() == "json"
        or suffix == ".json"
        or (fmt is None and name == "stdin" and text.lstrip()[:1] == "{")
    )
    if as_json:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInputError(
                f"{name}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        if _is_posting(obj, kind):
            pieces: list[tuple[str | None, str]] = [
                (f, str(obj[f])) for f in ("title", "description") if obj.get(f)
            ]
            return pieces, "posting" if kind == "auto" else kind, warnings
    if fmt in (None, "text") and suffix in TEXT_SUFFIXES and not as_json:
        return [(None, text)], kind, warnings
    program = parse_program(data, name, fmt)
    pieces = [(u.source.label() or u.source.field, u.text) for u in program.iter_units()]
    return pieces, "curriculum" if kind == "auto" else kind, warnings


def extract_cmd(
    file: Annotated[str, typer.Argument(help="Text, program or posting file, or '-' for stdin.")],
    kind: Annotated[str, typer.Option("--kind", help="auto, curriculum or posting.")] = "auto",
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Input format (text, json, yaml, ...).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Extract skills (ESCO, O*NET technology, tools, work activities) with their evidence."""
    from matcher.engine import Matcher
    from matcher.extract.extractor import parse_kind

    parse_kind(kind)  # fail fast on a bad --kind
    pieces, use_kind, warnings = units_of(file, fmt, kind)
    for w in warnings:
        err.print(f"warning: {w}")
    matcher = Matcher.load()
    extractor = matcher.extractor
    results = extractor.extract_many([t for _, t in pieces], kind=use_kind)
    skills = []
    for (source, _), found in zip(pieces, results, strict=True):
        for s in found:
            d = s.to_dict()
            if source is not None:
                d["source"] = source
            skills.append(d)
    if as_json:
        print_json(
            {
                "input": {"file": file, "kind": use_kind, "units": len(pieces)},
                "count": len(skills),
                "skills": skills,
                "warnings": warnings,
                "versions": {**matcher.versions, **extractor.versions},
            }
        )
        return
    rows = [
        (s["taxonomy"], s["label"], s["text"], f"{s['start']}-{s['end']}", s["method"], f"{s['score']:.2f}")
        + ((s.get("source") or "",) if any("source" in x for x in skills) else ())
        for s in skills
    ]
    cols = ["taxonomy", "skill", "matched text", "chars", "method", "score"]
    if any("source" in x for x in skills):
        cols.append("source")
    print_table(f"{len(skills)} skills in {file} ({use_kind})", cols, rows)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
