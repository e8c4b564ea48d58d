"""JSON and YAML programs (the ETPL record fields, the full :class:`Program` shape, or a
curriculum system's own keys: see :mod:`matcher.readers.mapping`); a list of such objects is
several programs."""

from __future__ import annotations

import yaml

from matcher.errors import BadInputError
from matcher.program import Program, program_from_dict
from matcher.readers import Reader, decode_text, register
from matcher.readers.mapping import course_list_mapping, file_title, program_mapping


def _read_json(content: bytes, filename: str) -> Program | list[Program]:
    from matcher.readers.jsonld import is_jsonld, load_json, programs_from_jsonld

    data = load_json(content, filename, "JSON")
    if is_jsonld(data):  # CTDL or schema.org JSON-LD saved as .json
        return programs_from_jsonld(data, filename)
    return _list_or_program(data, filename)


def _program(data: object, filename: str) -> Program:
    if not isinstance(data, dict):
        return program_from_dict(data, source_file=filename)
    mapped = program_mapping(data)
    if mapped.get("courses") and not mapped.get("title") and not mapped.get("description"):
        mapped["title"] = file_title(filename)  # a course site's _data/syllabus.yml names no program
    return program_from_dict(mapped, source_file=filename)


def _read_yaml(content: bytes, filename: str) -> Program | list[Program]:
    try:
        data = yaml.safe_load(decode_text(content))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise BadInputError(f"{filename}: malformed YAML{where}") from None
    return _list_or_program(data, filename)


def _list_or_program(data: object, filename: str) -> Program | list[Program]:
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        meetings = course_list_mapping(data, filename)  # a list of class sessions: one program
        if meetings is not None:
            return program_from_dict(meetings, source_file=filename)
        return [_program(d, filename) for d in data]  # a list of programs
    return _program(data, filename)


register(Reader("json", (".json",), _read_json))
register(Reader("yaml", (".yaml", ".yml"), _read_yaml))
