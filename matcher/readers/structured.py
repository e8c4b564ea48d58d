"""JSON and YAML programs (the ETPL record fields, or the full :class:`Program` shape)."""

from __future__ import annotations

import json

import yaml

from matcher.errors import BadInputError
from matcher.program import Program, program_from_dict
from matcher.readers import Reader, decode_text, register


def _read_json(content: bytes, filename: str) -> Program:
    try:
        data = json.loads(decode_text(content))
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{filename}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    from matcher.readers.jsonld import is_jsonld, program_from_jsonld

    if is_jsonld(data):  # CTDL or schema.org JSON-LD saved as .json
        return program_from_jsonld(data, filename)
    return program_from_dict(data, source_file=filename)


def _read_yaml(content: bytes, filename: str) -> Program:
    try:
        data = yaml.safe_load(decode_text(content))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise BadInputError(f"{filename}: malformed YAML{where}") from None
    return program_from_dict(data, source_file=filename)


register(Reader("json", (".json",), _read_json))
register(Reader("yaml", (".yaml", ".yml"), _read_yaml))
