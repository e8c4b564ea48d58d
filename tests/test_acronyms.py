"""Trade acronyms spelled out as the taxonomies spell them (``matcher.text.acronyms``)."""

from __future__ import annotations

from matcher.program import Program
from matcher.text.acronyms import acronym_table, expand


def test_acronyms_are_read_where_the_words_spell_them() -> None:
    table = acronym_table(
        [
            "Tungsten inert gas TIG welding equipment",
            "Metal inert gas MIG welders",
            "Use computer numerical control (CNC) machines",
            "Computerized numerical controls CNC lathes",  # the same meaning, spelt another way
            "Automated teller machine ATM",
            "Asynchronous transfer mode ATM switches",  # two meanings, neither twice the other
            "Classes start at eight Eastern standard time EST",  # time zones are never read
            "Medical assistant MA",  # two letters: too ambiguous
            "Perform Cardiopulmonary resuscitation CPR",  # initials do not spell it
        ]
    )
    assert table == {
        "TIG": "tungsten inert gas",
        "MIG": "metal inert gas",
        "CNC": "computer numerical control",
    }


def test_expand_adds_the_words_once() -> None:
    table = {"TIG": "tungsten inert gas", "MIG": "metal inert gas"}
    assert (
        expand("MIG and TIG welding", table) == "MIG (metal inert gas) and TIG (tungsten inert gas) welding"
    )
    assert expand("tungsten inert gas (TIG) welding", table) == "tungsten inert gas (TIG) welding"
    assert expand("Tig welding, EST", table) == "Tig welding, EST"  # acronyms are written in capitals


def test_tig_welding_teaches_tungsten_inert_gas_welding(matcher) -> None:  # type: ignore[no-untyped-def]
    """ESCO has no "TIG" among the labels of "perform tungsten inert gas welding"; O*NET's tools
    spell it out, and the gap grader reads the program's "TIG" with those words."""
    assert matcher.catalog.acronyms["TIG"] == "tungsten inert gas"
    program = Program(
        title="Welding Certificate",
        description="Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon steel "
        "in flat, horizontal and vertical positions. Blueprint reading and weld symbols.",
    )
    report = matcher.gaps(program, "51-4121.00").to_dict()
    taught = {c["label"]: c for c in report["covered"]}
    assert "perform tungsten inert gas welding" in taught
    assert taught["perform tungsten inert gas welding"]["evidence"]["text"] == "TIG welding"  # as written


def test_small_words_and_commas_between_the_spelling_words() -> None:
    table = acronym_table(
        [
            "Verify that heating, ventilating, and air conditioning (HVAC) systems are balanced",
            "Install heating, ventilating, and air conditioning (HVAC) equipment",
            "Assign codes from the International Classification of Diseases ICD",
        ]
    )
    assert table["HVAC"] == "heating ventilating and air conditioning"
    assert table["ICD"] == "international classification of diseases"
