"""Practice occupations: the labels the harness scores against, the teaching test on program
text, and the credential table every "credential" evidence line cites."""

from __future__ import annotations

import re

import pytest

from matcher.align.credentials import find_credentials, find_keywords, load_rules
from matcher.align.practice import about_teaching, is_teaching, practice_socs
from matcher.align.scores import ProgramPrediction, score
from matcher.scoring.records import Record


def test_practice_socs_drop_teaching_codes_unless_teacher_preparation() -> None:
    cdl = ["25-1194", "53-3032"]  # 49.0205 Truck and Bus Driver/Commercial Vehicle Operator and Instructor
    assert practice_socs(cdl, "49.0205") == ["53-3032"]
    assert practice_socs(cdl, "13.1319") == cdl  # Technical Teacher Education keeps them
    assert practice_socs(["25-1123"], "23.9999") == ["25-1123"]  # only teaching codes: kept
    assert is_teaching("25-3021.00") and is_teaching("25-2011") and not is_teaching("25-9045.00")


@pytest.mark.parametrize(
    ("title", "texts", "cip", "expected"),
    [
        ("Substitute Teacher Training", [], None, True),
        ("Early Childhood Educator Certificate", [], None, True),
        ("Program A", ["Write lesson plans and practise classroom management."], None, True),
        ("Program B", ["Prepares teaching candidates."], "13.1206", True),
        ("Phlebotomy Technician", ["Our teaching staff are experienced phlebotomists."], None, False),
        ("CDL Class A", ["Classroom and range instruction for the CDL skills test."], None, False),
        ("Medical Coding", ["Tutorials on ICD-10-CM; coding lesson plan"], None, False),  # one phrase only
    ],
)
def test_about_teaching(title: str, texts: list[str], cip: str | None, expected: bool) -> None:
    assert about_teaching(title, texts, cip) is expected


def test_a_teaching_code_ranked_first_is_a_practice_miss() -> None:
    recs = [Record(1, {}, {"gold_cip": "49.0205", "gold_soc": ["25-1194", "53-3032"]})]
    first_teacher = score(recs, [ProgramPrediction(["25-1194.00", "53-3032.00"], ["49.0205"])])
    assert first_teacher["soc_hit@1"] == 1.0  # the crosswalk set accepts the teacher
    assert first_teacher["soc_practice_hit@1"] == 0.0 and first_teacher["soc_practice_mrr"] == 0.5
    assert first_teacher["teaching_in_top5"] == 1.0
    first_driver = score(recs, [ProgramPrediction(["53-3032.00", "53-3033.00"], ["49.0205"])])
    assert first_driver["soc_practice_hit@1"] == 1.0 and first_driver["teaching_in_top5"] == 0.0


def test_credential_table_rows_cite_a_public_source() -> None:
    rules = load_rules()
    assert len(rules) >= 40
    for r in rules:
        assert r.kind in {"licence", "certification", "registration"}, r.name
        assert r.source.startswith("https://") and r.issuer and r.socs, r.name
        assert all(re.fullmatch(r"\d{2}-\d{4}", s) for s in r.socs), r.name
        assert r.source in r.citation()
    assert all(r.kind == "keyword" and not r.source for r in load_rules("keywords"))


def test_credential_socs_are_soc_2018_occupations(full_data_dir) -> None:  # type: ignore[no-untyped-def]
    socs = {
        line.split("\t")[0][:7]
        for line in (full_data_dir / "onet" / "Occupation Data.txt").read_text().splitlines()[1:]
    }
    for table in ("credentials", "keywords"):
        for r in load_rules(table):  # type: ignore[arg-type]
            assert set(r.socs) <= socs, (table, r.name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prepares for the CompTIA A+ (220-1101) exam", "CompTIA A+"),
        ("CompTIA A+, Network+ and Security+", "CompTIA A+"),
        ("Class A CDL with air brakes", "Commercial Driver's License, Class A"),
        ("CDL-A tractor-trailer", "Commercial Driver's License, Class A"),
        ("Certified Nursing Assistant (CNA)", "Certified Nursing Assistant (state nurse aide registry)"),
        (
            "NHA Certified Phlebotomy Technician",
            "Certified Phlebotomy Technician (NHA CPT, ASCP PBT, AMT RPT, NCCT NCPT)",
        ),
        ("EPA Section 608 Universal", "EPA Section 608 technician certification"),
        ("HOMEMAKER-HOME HEALTH AIDE", "Certified Home Health Aide"),
        (
            "Certified Billing and Coding Specialist (CBCS)",
            "Medical coding certification (AAPC CPC, AHIMA CCA/CCS, NHA CBCS)",
        ),
    ],
)
def test_named_credentials_are_found(text: str, expected: str) -> None:
    assert expected in [m.rule.name for m in find_credentials([text])]


@pytest.mark.parametrize(
    "text",
    [
        "Assign CPT and HCPCS procedure codes",  # CPT the code set, not the phlebotomy credential
        "Nate will show you the shop",  # a name, not NATE
        "Amazon AWS certification for cloud architects",  # not the American Welding Society
        "Students earned an A+ grade average",
    ],
)
def test_lookalikes_are_not_credentials(text: str) -> None:
    assert find_credentials([text]) == []


def test_field_words_are_keywords_not_credentials() -> None:
    assert find_credentials(["phlebotomy and help desk"]) == []
    assert {m.rule.name for m in find_keywords(["phlebotomy and help desk"])} >= {
        "phlebotomy",
        "IT support / help desk",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fiber Optic Association Certified Fiber Optic Technician (CFOT)", "49-9052"),
        ("North American Board of Certified Energy Practitioners (NABCEP) PV Associate", "47-2231"),
        ("NCCCO mobile crane operator certification", "53-7021"),
        ("Prepare for the CCHI CoreCHI exam", "27-3091"),
        ("OSHA 40-hour HAZWOPER", "47-4041"),
        ("Lead Abatement Worker certification", "47-4041"),
        ("Pesticide applicator core exam", "37-2021"),
        ("NASM Certified Personal Trainer", "39-9031"),
        ("Registered Professional Reporter (RPR) exam", "27-3092"),
        ("ABO and NCLE certification exams", "29-2081"),
        ("CCHT exam preparation", "29-2099"),
        ("the national Pharmacy Technician Certification Examination", "29-2052"),
        ("licensure as a Licensed Nurse Assistant (LNA)", "31-1131"),
        ("sit for the NCCT National Certified Medical Assistant (NCMA) exam", "31-9092"),
        ("NCET (National Certified ECG Technician)", "29-2031"),
        ("EPA, NORA Bronze", "49-9021"),
        ("EPA Section 608 Universal Certification", "49-9071"),  # 40 CFR 82.152: maintenance workers too
        ("MSSC Certified Production Technician (CPT) credential", "51-9199"),
        ("National Oilheat Research Alliance technician certification", "49-9021"),
    ],
)
def test_credentials_of_trades_and_services_name_their_occupation(text: str, expected: str) -> None:
    assert expected in {soc for m in find_credentials([text]) for soc in m.rule.socs}


@pytest.mark.parametrize(
    "text",
    [
        "a commercial applicator of coatings",
        "abort the procedure",
        "The ETA is 5 pm",
        "the ace of spades",
        "Nora will show you the lab",  # a name, not NORA
    ],
)
def test_lookalikes_of_the_trade_credentials_are_not_credentials(text: str) -> None:
    assert find_credentials([text]) == []


def test_supervisors_and_managers_are_leading_occupations() -> None:
    from matcher.align.practice import is_leading

    assert is_leading("47-1011.00") and is_leading("35-1011.00") and is_leading("11-3021.00")
    assert not is_leading("47-2061.00") and not is_leading("31-1131.00") and not is_leading("35-2014.00")


def test_being_supervised_is_not_speaking_of_leading() -> None:
    from matcher.align.practice import about_leading

    texts = [
        "Operate hammer drills and grinders under supervision.",
        "Complete a 24-hour supervised site placement, following a foreman's instructions.",
        "Pass the ServSafe Food Protection Manager examination.",
    ]
    assert not about_leading("Construction Laborer Pre-Apprenticeship", texts)
    assert about_leading("Construction Supervisor Training", [])
    assert about_leading("Culinary Arts", ["Supervise kitchen staff and plan menus."])
    assert about_leading("Retail Skills", ["Build leadership skills for the sales floor."])


def test_a_supervisor_first_gives_way_to_a_practice_occupation_of_the_top_cip() -> None:
    from types import SimpleNamespace

    import numpy as np

    from matcher.align.aligner import practice_first

    codes = ["47-1011.00", "49-9051.00", "53-3032.00", "99-9999.00"]
    sig = SimpleNamespace(
        codes=codes,
        leading=np.array([True, False, False, False]),
        cip_occ=[np.array([0, 1]), np.array([0])],  # CIP 0: the supervisor and the lineworker
        pos={c: i for i, c in enumerate(codes)},
    )
    logits = np.array([3.0, 2.0, 2.5, 1.0])
    out = practice_first(sig, logits, top_cip=0)  # type: ignore[arg-type]
    assert list(np.argsort(-out)) == [1, 2, 0, 3]  # the lineworker and the supervisor swap places
    assert list(np.argsort(-practice_first(sig, logits, top_cip=1))) == [
        0,
        2,
        1,
        3,
    ]  # truck driving's CIP: none


# -- occupations entered after 5+ years of related work (matcher/align/entry.py)


def test_entry_rule_reads_bls_work_experience() -> None:
    from matcher.align.entry import entry_note, needs_years_of_experience

    assert needs_years_of_experience("5 years or more")  # network architects, chefs, supervisors
    assert not needs_years_of_experience("Less than 5 years")
    assert not needs_years_of_experience("None")
    assert not needs_years_of_experience("—")  # summary rows
    note = entry_note("High school diploma or equivalent", "5 years or more", "240-clock-hour")
    assert note.startswith("BLS: typically entered with a high school diploma or equivalent and 5 years")
    assert "240-clock-hour program" in note
    assert entry_note("—", "5 years or more", "8-week").startswith("BLS: typically entered with 5 years")


def test_a_short_program_is_read_from_its_hours_or_weeks() -> None:
    from matcher.align.entry import program_length
    from matcher.program import Program

    assert program_length(Program(title="A", clock_hours=360)) == "360-clock-hour"
    assert program_length(Program(title="A", clock_hours=600)) is None  # past Workforce Pell's 599
    assert program_length(Program(title="A", weeks=12)) == "12-week"
    assert program_length(Program(title="A", weeks_range=(10, 14))) == "14-week"
    assert program_length(Program(title="A", clock_hours=900, weeks=10)) is None  # hours decide
    assert program_length(Program(title="A")) is None  # unknown length: no rule


def test_degree_and_experience_occupations_rank_after_the_top_five_in_order() -> None:
    import numpy as np

    from matcher.align.entry import after_direct_entry

    logits = np.array([9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0])
    experienced = np.array([True, False, False, True, False, False, False, False])
    order = np.argsort(-after_direct_entry(logits, experienced), kind="stable").tolist()
    assert order[:6] == [1, 2, 4, 5, 6, 0]  # after the fifth other row (one shift: order kept)
    assert order.index(0) < order.index(3)
    late = np.array([False] * 6 + [True, False])
    assert after_direct_entry(logits, late) is logits  # none in the top five: nothing moves
