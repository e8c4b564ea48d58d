from __future__ import annotations

import pytest

from matcher.errors import BadInputError, TooLargeError, UnsupportedFormatError
from matcher.program import MAX_TEXT_CHARS, Program, program_from_dict
from matcher.readers import parse_program


def test_etpl_record_parses_and_ignores_unknown_fields(etpl: dict[str, dict]) -> None:
    rec = etpl["nj-40812"]
    p = program_from_dict({**rec, "some_new_field": 1})
    assert p.title == "Welding" and p.clock_hours == rec["clock_hours"]
    fields = [u.source.field for u in p.iter_units()]
    assert fields[:2] == ["title", "description"]


def test_courses_and_outcomes_keep_sources() -> None:
    p = program_from_dict(
        {
            "title": "Welding Certificate",
            "courses": [
                {
                    "code": "WLD-110",
                    "title": "SMAW I",
                    "description": "Shielded metal arc welding in flat position.",
                    "outcomes": "- Set up SMAW equipment\n- Weld fillet joints",
                    "source": {"file": "syllabus.pdf", "page": 3},
                }
            ],
        }
    )
    units = list(p.iter_units())
    outcome = [u for u in units if u.source.field == "outcome"]
    assert [u.text for u in outcome] == ["Set up SMAW equipment", "Weld fillet joints"]
    assert outcome[0].source.label() == "syllabus.pdf, p. 3, course WLD-110, outcome"


@pytest.mark.parametrize("data", [{"title": "   "}, {"description": ""}, {}])
def test_empty_program_is_rejected(data: dict) -> None:
    with pytest.raises(BadInputError, match="no text"):
        program_from_dict(data)


def test_not_an_object_and_bad_types() -> None:
    with pytest.raises(BadInputError, match="object"):
        program_from_dict(["a"])
    with pytest.raises(BadInputError, match="clock_hours"):
        program_from_dict({"title": "x", "clock_hours": "many"})


def test_oversized_program_is_rejected() -> None:
    with pytest.raises(BadInputError, match="limit"):
        program_from_dict({"title": "x", "description": "a" * (MAX_TEXT_CHARS + 1)})


def test_readers_json_yaml_text_and_errors() -> None:
    p = parse_program(b'{"title": "CDL Class A", "credential": "TRUCK DRIVER"}', "p.json")
    assert p.all_credentials() == ["TRUCK DRIVER"]
    p = parse_program(b"title: Welding\ndescription: MIG and TIG welding.\n", "p.yaml")
    assert p.description == "MIG and TIG welding."
    p = parse_program(b"\nWelding Certificate\n\nStudents learn MIG welding.\n", "p.txt")
    assert p.title == "Welding Certificate" and "MIG" in p.description
    with pytest.raises(BadInputError, match="line 2, column"):
        parse_program(b'{"title": "x",\n oops}', "p.json")
    with pytest.raises(BadInputError, match="malformed YAML"):
        parse_program(b"title: [unclosed\n", "p.yaml")
    with pytest.raises(UnsupportedFormatError, match="--format"):
        parse_program(b"x", "p.exe")
    with pytest.raises(BadInputError, match="empty"):
        parse_program(b"   ", "p.json")


def test_non_utf8_is_decoded_with_replacement() -> None:
    p = parse_program("Welding\nStudent\xbfs guide".encode("latin-1"), "p.txt")
    assert "\ufffd" in p.description


def test_file_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import matcher.readers as readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    with pytest.raises(TooLargeError):
        parse_program(b'{"title": "a long title"}', "p.json")


def test_program_model_defaults() -> None:
    p = Program(title="x")
    assert p.courses == [] and p.cip is None and p.all_credentials() == []
