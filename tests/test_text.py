from __future__ import annotations

from matcher.text.normalise import fold, split_sentences


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
