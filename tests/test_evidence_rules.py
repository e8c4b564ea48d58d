"""Evidence packet rules as plain unit tests: the length boundaries, credit-hour conversion,
state list CSV validation (naming the line), list matching by SOC group, the default list rule,
the wage check's bar and missing state data, and the employer validation arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.errors import BadInputError
from matcher.evidence.checks import credential_check, employer_check, resolve_wage_bar, wage_check
from matcher.evidence.labour import LabourData, labour_data
from matcher.evidence.length import check_clock_hours, check_weeks, weeks_in_text
from matcher.evidence.rules import Status
from matcher.evidence.state_lists import OccupationList, default_list, parse_state_list
from matcher.program import Program
from matcher.settings import EmployerRule, Settings

SRC = {"source": "program version 1, field clock_hours", "vintage": "version 1 of 2026-12-01"}


@pytest.mark.parametrize(
    ("hours", "status"),
    [(149, Status.FAIL), (150, Status.PASS), (599, Status.PASS), (600, Status.FAIL), (149.9, Status.FAIL)],
)
def test_clock_hour_boundaries(hours: float, status: Status) -> None:
    check = check_clock_hours(hours, None, **SRC)
    assert check.status is status
    assert check.value == {"clock_hours": hours, "stated_as": "clock hours"}
    assert check.source and check.vintage and check.rule.startswith("150 to 599 clock hours")


@pytest.mark.parametrize(
    ("weeks", "status"),
    [(7, Status.FAIL), (8, Status.PASS), (14, Status.PASS), (15, Status.FAIL), (14.9, Status.PASS)],
)
def test_week_boundaries(weeks: float, status: Status) -> None:
    check = check_weeks(weeks, **SRC)
    assert check.status is status
    assert check.value == {"weeks": weeks}


@pytest.mark.parametrize(
    ("credits", "status"), [(3.9, Status.FAIL), (4, Status.PASS), (15.9, Status.PASS), (16, Status.FAIL)]
)
def test_credit_hours_convert_at_37_5_clock_hours(credits: float, status: Status) -> None:
    check = check_clock_hours(None, credits, **SRC)
    assert check.status is status
    assert check.value["clock_hours"] == round(credits * 37.5, 1)
    assert check.value["stated_as"] == "semester credit hours"
    assert "x 37.5" in check.reason


def test_clock_hours_win_over_credit_hours() -> None:
    assert check_clock_hours(300, 40, **SRC).value == {"clock_hours": 300, "stated_as": "clock hours"}


@pytest.mark.parametrize(("hours", "credits"), [(None, None), (0, None), (0, 0), (-5, None)])
def test_unstated_length_is_unknown_never_a_crash(hours: float | None, credits: float | None) -> None:
    check = check_clock_hours(hours, credits, **SRC)
    assert check.status is Status.UNKNOWN and check.value is None and check.reason
    weeks = check_weeks(None, **SRC)
    assert weeks.status is Status.UNKNOWN and weeks.value is None


def test_weeks_in_prose_are_a_hint_not_a_value() -> None:
    hints = weeks_in_text("Program is from 4 to 12 weeks. Tuition varies.", "Class meets 2 nights/week.")
    assert hints == ["Program is from 4 to 12 weeks"]
    check = check_weeks(None, **SRC, hints=hints)
    assert check.status is Status.UNKNOWN
    assert check.details == {"mentioned_in_text": hints}


KNOWN = {"51-4121", "53-3032", "31-9092", "51-4120", "51-4000", "51-0000"}


def test_state_list_rejects_invalid_soc_codes_naming_each_line() -> None:
    csv = b"SOC Code,Title\n51-4121,Welders\n\n5l-4121,typo\n53-3032,Truck drivers\n99-9999,nothing\n"
    with pytest.raises(BadInputError) as info:
        parse_state_list(csv, KNOWN, filename="nj.csv")
    message = info.value.message
    assert message.startswith("nj.csv line 4: '5l-4121' is not a SOC code (NN-NNNN) (and 1 more line(s))")
    assert "nothing was imported" in message
    assert info.value.details["errors"] == [
        {"line": 4, "value": "5l-4121", "message": "not a SOC code (NN-NNNN)"},
        {"line": 6, "value": "99-9999", "message": "not a SOC 2018 occupation code"},
    ]


def test_state_list_reads_aliases_onet_codes_and_duplicates() -> None:
    csv = b"O*NET-SOC Code,Occupation,Category\r\n51-4121.00,Welders,in-demand\r\n51-4121.06,Welders,x\r\n"
    rows = parse_state_list(b"\xef\xbb\xbf" + csv, KNOWN)
    assert rows == [{"soc": "51-4121", "title": "Welders", "designation": "in-demand", "line": 2}]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"title,category\nWelders,x\n", "line 1: no SOC code column"),
        (b"soc\n\n", "lists no occupation"),
        (b"soc\n00-0000\n", "line 2: '00-0000' is not a SOC 2018 occupation code"),
    ],
)
def test_state_list_bad_files(content: bytes, expected: str) -> None:
    with pytest.raises(BadInputError, match=expected):
        parse_state_list(content, KNOWN | {"00-0000"})


def test_list_matches_soc_groups() -> None:
    lst = OccupationList("NJ", "x", "", "2025", False, codes={"51-4120": {}, "29-0000": {}, "47-2000": {}})
    assert lst.find("51-4121") == "51-4120"
    assert lst.find("29-1141") == "29-0000"
    assert lst.find("47-2111") == "47-2000"
    assert lst.find("53-3032") is None


@pytest.fixture(scope="module")
def labour(data_dir: Path) -> LabourData:
    return labour_data(data_dir)


def test_default_list_is_growth_and_openings_from_projections(labour: LabourData) -> None:
    lst = default_list(labour)
    assert lst.derived and lst.vintage == "2024-34" and "Employment Projections" in lst.source
    assert "growth above 0%" in lst.rule and "median" in lst.rule
    for soc in ("53-3032", "31-9092", "51-4121"):  # growing, with many openings
        assert lst.find(soc) == soc
    assert lst.find("43-9022") is None  # word processors and typists: declining
    projections = {p.soc: p for p in labour.bls.projections}
    assert (projections["43-9022"].change_percent or 0) < 0
    assert all((projections[s].change_percent or 0) > 0 for s in lst.codes)
    assert all(projections[s].openings_annual >= 4.5 for s in lst.codes)  # the median: 4,500 a year
    small = [
        p
        for p in projections.values()
        if p.line_item and (p.change_percent or 0) > 0 and p.openings_annual < 4.5
    ]
    assert small and all(lst.find(p.soc) is None for p in small)


def _occupation(soc: str, title: str, labour: LabourData, state: str, *, counted: bool = True) -> dict:
    w, n = labour.state_wage(state, soc), labour.national_wage(soc)
    return {
        "soc": soc,
        "title": title,
        "counted": counted,
        "state_wage": w.to_dict() if w else None,
        "national_wage": n.to_dict() if n else None,
        "outlook": labour.outlook(soc),
    }


def test_wage_check_against_the_state_median(labour: LabourData) -> None:
    nj_median, basis = resolve_wage_bar("state-median", "NJ", labour)
    assert nj_median == 58570 and "New Jersey all-occupations median" in basis
    truck = _occupation("53-3032", "Heavy and Tractor-Trailer Truck Drivers", labour, "NJ")
    assistant = _occupation("31-9092", "Medical Assistants", labour, "NJ")
    assert wage_check([truck], "NJ", labour, "state-median").status is Status.PASS
    fail = wage_check([assistant], "NJ", labour, "state-median")
    assert fail.status is Status.FAIL and fail.value["occupations"][0]["state_median"] == 47210
    assert wage_check([assistant], "NJ", labour, "45,000").status is Status.PASS
    assert (
        resolve_wage_bar("national-median", "NJ", labour)[0] == labour.national_wage("00-0000").annual_median
    )


def test_wage_check_cites_the_best_aligned_occupation_that_meets_the_bar(labour: LabourData) -> None:
    truck = _occupation("53-3032", "Heavy and Tractor-Trailer Truck Drivers", labour, "NJ")
    electrician = _occupation("47-2111", "Electricians", labour, "NJ")
    check = wage_check([truck, electrician], "NJ", labour, "state-median")  # in alignment order
    assert check.status is Status.PASS and check.reason.startswith("53-3032")


def test_a_soc_shared_by_two_onet_occupations_is_counted_once(labour: LabourData) -> None:
    truck = _occupation("53-3032", "Heavy and Tractor-Trailer Truck Drivers", labour, "NJ")
    twin = {**truck, "code": "53-3032.01", "title": "A breakout of the same SOC"}
    check = wage_check([truck, twin], "NJ", labour, "state-median")
    assert [o["soc"] for o in check.value["occupations"]] == ["53-3032"]


def test_wage_check_is_unknown_for_a_state_without_oews_rows(labour: LabourData) -> None:
    check = wage_check([_occupation("53-3032", "Truck drivers", labour, "ZZ")], "ZZ", labour, "state-median")
    assert check.status is Status.UNKNOWN
    assert check.reason == "the OEWS May 2025 data has no rows for state 'ZZ'"
    assert check.source and check.vintage == "OEWS May 2025; projections 2024-34"


def test_wage_check_unknown_when_no_counted_occupation_has_a_state_median(labour: LabourData) -> None:
    occ = {**_occupation("53-3032", "Truck drivers", labour, "NJ"), "state_wage": None}
    check = wage_check([occ], "NJ", labour, "state-median")
    assert check.status is Status.UNKNOWN and "no OEWS row for 53-3032 in New Jersey" in check.reason
    assert wage_check([], "NJ", labour, "state-median").status is Status.UNKNOWN
    uncounted = {**occ, "counted": False}
    assert wage_check([uncounted], "NJ", labour, "state-median").status is Status.FAIL


def _decision(org: str, occupation: str, skill: str | None, decision: str) -> dict:
    return {
        "organisation": {"name": org},
        "occupation": occupation,
        "skill": skill,
        "decision": decision,
        "updated_at": "2026-12-01T10:00:00+00:00",
    }


def test_employer_validation_counts_employers_and_the_share_of_taught_skills_required() -> None:
    snapshot = {
        "id": 7,
        "created_at": "2026-11-30T09:00:00+00:00",
        "subjects": [
            {"kind": "occupation", "occupation": "A", "skill": None},
            *({"kind": "skill", "occupation": "A", "skill": f"s{i}", "covered": True} for i in range(4)),
            {"kind": "skill", "occupation": "A", "skill": "m1", "covered": False},
        ],
    }
    decisions = [
        _decision("E1", "A", None, "required_at_hire"),
        _decision("E1", "A", "s0", "required_at_hire"),
        _decision("E2", "A", "s0", "required_at_hire"),  # same skill, second employer: counted once
        _decision("E2", "A", "s1", "nice_to_have"),
        _decision("E2", "A", "m1", "required_at_hire"),  # a missing skill, not a taught one
    ]
    check = employer_check(snapshot, decisions)
    assert check.status is Status.PASS
    assert check.value["employers"] == 2 and check.value["employer_names"] == ["E1", "E2"]
    assert check.value["skills_taught_under_review"] == 4
    assert check.value["skills_marked_required"] == 1
    assert check.value["share_of_taught_skills_required"] == 0.25
    assert check.value["missing_skills_marked_required"] == 1
    assert check.vintage == "reviews up to 2026-12-01" and "snapshot 7" in check.source
    assert check.value["top_taught_decided"] == 2 and check.value["share_of_top_taught_decided"] == 0.5
    assert employer_check(snapshot, []).status is Status.FAIL
    alone = employer_check(snapshot, [_decision("E1", "A", f"s{i}", "nice_to_have") for i in range(4)])
    assert (
        alone.status is Status.FAIL
        and "1 employer organisation(s) reviewed (E1); the rule needs 2" in alone.reason
    )


def test_employer_validation_needs_half_the_top_occupations_taught_competencies() -> None:
    """Only subjects graded "taught" of the top occupation count; partly taught ones and other
    occupations' do not, and the rule is a per-state setting."""
    snapshot = {
        "id": 8,
        "created_at": "2026-11-30T09:00:00+00:00",
        "subjects": [
            {"kind": "occupation", "occupation": "A", "skill": None},
            *({"kind": "skill", "occupation": "A", "skill": f"t{i}", "grade": "taught"} for i in range(4)),
            {"kind": "skill", "occupation": "A", "skill": "p1", "grade": "partly", "covered": True},
            {"kind": "occupation", "occupation": "B", "skill": None},
            {"kind": "skill", "occupation": "B", "skill": "b1", "grade": "taught", "covered": True},
        ],
    }
    one = [
        _decision("E1", "A", "t0", "required_at_hire"),
        _decision("E2", "A", "p1", "required_at_hire"),
        _decision("E2", "B", "b1", "required_at_hire"),
    ]
    check = employer_check(snapshot, one)
    assert check.status is Status.FAIL
    assert "only 1 of 4 taught competencies of A (25%) decided, the rule needs 50%" in check.reason
    two = [*one, _decision("E2", "A", "t3", "not_needed")]
    assert employer_check(snapshot, two).status is Status.PASS
    by = {e["organisation"]: e for e in employer_check(snapshot, two).value["by_employer"]}
    assert by["E2"]["decisions"] == {"required_at_hire": 2, "not_needed": 1}

    settings = Settings(employer_rules={"nj": {"min_employers": 3, "min_share": 0.25}})
    assert settings.employer_rule_for("NJ").min_employers == 3
    assert settings.employer_rule_for("NY") == EmployerRule()
    strict = employer_check(snapshot, two, settings.employer_rule_for("NJ"))
    assert strict.status is Status.FAIL and "the rule needs 3" in strict.reason
    lenient = employer_check(snapshot, one, EmployerRule(min_employers=2, min_share=0.25))
    assert lenient.status is Status.PASS


def test_employer_rule_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHER_EMPLOYER_RULE", '{"min_employers": 4, "min_share": 0.75}')
    monkeypatch.setenv("MATCHER_EMPLOYER_RULES", '{"NJ": {"min_employers": 2}}')
    settings = Settings()
    assert settings.employer_rule_for("CA") == EmployerRule(min_employers=4, min_share=0.75)
    assert settings.employer_rule_for("nj") == EmployerRule(min_employers=2, min_share=0.5)


def test_credential_named_or_unknown() -> None:
    named = credential_check(
        Program(title="Welding", credential="AWS Certified Welder; Certificate of Completion"), **SRC
    )
    assert named.status is Status.PASS and named.value["named"] == ["AWS Certified Welder"]
    generic = credential_check(Program(title="Office skills", credential="Certificate of Completion"), **SRC)
    assert generic.status is Status.UNKNOWN and "Certificate of Completion" in generic.reason


def test_a_credential_named_in_an_exam_sentence_is_recognised() -> None:
    p = Program(
        title="Pharmacy Technician",
        description="Learn to fill prescriptions. Graduates are eligible to take the Pharmacy Technician "
        "Certification Board Exam (PTCE).",
        credential="Certificate of Completion",
    )
    check = credential_check(p, **SRC)
    assert check.status is Status.PASS
    assert check.value["recognised"] == ["Certified Pharmacy Technician (PTCB CPhT, NHA ExCPT)"]
    assert "eligible to take" in check.reason  # the sentence that names it is cited
    # a title or a sentence that only names the occupation is no credential
    plain = Program(
        title="Certified Nursing Assistant",
        description="The Certified Nursing Assistant program teaches bathing and feeding.",
    )
    assert credential_check(plain, **SRC).status is Status.UNKNOWN


def test_occupations_entered_after_related_work_are_not_counted() -> None:
    from matcher.evidence.occupations import _exclusion

    assert "related occupation" in _exclusion(0.9, "High school diploma or equivalent", "5 years or more")
    assert "related occupation" in _exclusion(0.9, "Postsecondary nondegree award", "Less than 5 years")
    assert _exclusion(0.9, "High school diploma or equivalent", "None") == ""
    assert "bachelor" in _exclusion(0.9, "Bachelor's degree", "None")


def test_an_award_named_only_by_its_kind_is_no_credential() -> None:
    from matcher.text.credential_kinds import named_credentials

    assert named_credentials("Technical Certificate") == []
    assert named_credentials("Career Certificate; CompTIA A+") == ["CompTIA A+"]
    assert named_credentials("Associate of Applied Science") == []
    assert named_credentials("AWS Certified Welder") == ["AWS Certified Welder"]


def test_the_hours_check_says_where_the_hours_were_read() -> None:
    c = check_clock_hours(
        188,
        None,
        source="program version 1, field clock_hours",
        vintage="v1",
        read_from="'Total clock hours of instruction for this course is 188' (cna.txt, line 6)",
    )
    assert c.status is Status.PASS
    assert "line 6" in c.reason and c.details["read_from"].startswith("'Total clock hours")


def test_the_employer_value_shown_is_the_one_the_rule_tests() -> None:
    from matcher.evidence.formatting import value_text

    value = {
        "employers": 1,
        "top_taught": 9,
        "top_taught_decided": 0,
        "share_of_top_taught_decided": 0.0,
        "skills_taught_under_review": 25,
        "skills_marked_required": 0,
        "share_of_taught_skills_required": 0.0,
        "occupations_marked_required": [],
    }
    text = value_text({"id": "employer_validation", "value": value})
    assert text.startswith("1 employer(s); 0 of 9 taught competencies of the top occupation decided (0%)")
