from __future__ import annotations

from matcher.text.normalise import fold, join_wrapped_lines, split_sentences


def test_sentences_keep_offsets_and_strip_bullets() -> None:
    text = (
        "Students learn gas welding, e.g. oxy-fuel. They also learn TIG.\n"
        "- Blueprint reading\n"
        "2. Shop safety and OSHA 10"
    )
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "Students learn gas welding, e.g. oxy-fuel.",
        "They also learn TIG.",
        "Blueprint reading",
        "Shop safety and OSHA 10",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_long_runs_are_cut() -> None:
    text = ", ".join(["word"] * 400)
    spans = split_sentences(text, max_chars=100)
    assert len(spans) > 10 and all(len(s.text) <= 100 for s in spans)
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_fold() -> None:
    assert fold("  Café   Management ") == "cafe management"


def test_hand_wrapped_lines_are_read_as_whole_sentences() -> None:
    # an NJ ETPL description pasted from a PDF (gaps_nj_etpl: nj-43838), line breaks kept
    text = (
        "Graduates will be able to work in hospitals, outpatient\n"
        "clinics, and physicians' offices. Students will learn to perform\n"
        "stress tests, ambulatory monitoring, and\n"
        "Rhythm analysis.\n"
        "Topics:\n"
        "welding\n"
        "cutting\n"
        "Areas of study such as\n"
        "- blueprint reading"
    )
    joined = join_wrapped_lines(text)
    assert len(joined) == len(text)  # offsets into the text stay valid
    assert [s.text for s in split_sentences(joined)] == [
        "Graduates will be able to work in hospitals, outpatient clinics, and physicians' offices.",
        "Students will learn to perform stress tests, ambulatory monitoring, and Rhythm analysis.",
        "Topics:",
        "welding",  # short lines of a list are not a wrapped paragraph
        "cutting",
        "Areas of study such as",  # a bullet starts its own item
        "blueprint reading",
    ]


def test_programs_join_wrapped_description_lines() -> None:
    from matcher.program import Program

    p = Program.model_validate(
        {
            "title": "Cardiac Monitor Technician",
            "description": "They will also learn to conduct 12-lead EKG tests and perform\nstress tests.",
            "features": "Hands-on practice with EKG machines and rhythm strips in the\nskills lab.",
            "courses": [
                {"title": "EKG", "description": "Lead placement, artifacts and the\nstandard 12 leads."}
            ],
        }
    )
    assert "\n" not in p.description + p.features + p.courses[0].description
