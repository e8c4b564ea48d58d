"""The gap metrics, gold splitting and the grading model's arithmetic (no model, no index)."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.errors import BadInputError
from matcher.evaluation.tasks.gaps import quadratic_kappa, score_grades, split_gold
from matcher.gaps.grading import FEATURES, Grade, GradeModel, content_stems, load_model


def test_score_grades_by_hand() -> None:
    # gold: 3 taught, 1 partly, 4 not taught; predictions chosen so each count is known
    gold = {
        ("onet-dwa", "a"): 2,
        ("onet-dwa", "b"): 2,
        ("esco", "c"): 2,
        ("esco", "d"): 1,
        ("esco", "e"): 0,
        ("esco", "f"): 0,
        ("onet-dwa", "g"): 0,
        ("onet-dwa", "h"): 0,
    }
    pred = {
        ("onet-dwa", "a"): 2,
        ("onet-dwa", "b"): 1,
        ("esco", "c"): 0,
        ("esco", "d"): 0,
        ("esco", "e"): 1,
        ("esco", "f"): 0,
        ("onet-dwa", "g"): 0,
        ("onet-dwa", "h"): 0,
    }
    m = score_grades([gold], [pred])
    # covered = graded >= 1, over labels 2 vs 0: tp a,b; fp e; fn c; tn f,g,h
    assert m["covered_precision"] == pytest.approx(2 / 3)
    assert m["covered_recall"] == pytest.approx(2 / 3)
    assert m["covered_f1"] == pytest.approx(2 / 3)
    assert m["missing_precision"] == pytest.approx(3 / 4)
    # taught only: tp a; fp none; fn b, c
    assert m["taught_precision"] == 1.0 and m["taught_recall"] == pytest.approx(1 / 3)
    assert m["dwa_covered_precision"] == 1.0 and m["esco_covered_recall"] == 0.0
    assert m["grade_accuracy"] == pytest.approx(4 / 8)  # a, f, g, h agree
    assert m["grade_kappa"] < 1.0


def test_a_requirement_the_predictor_skips_counts_as_not_taught() -> None:
    m = score_grades([{("esco", "x"): 2, ("esco", "y"): 0}], [{}])
    assert m["covered_recall"] == 0.0 and m["missing_precision"] == 0.5


def test_kappa_is_one_on_agreement_and_zero_on_chance() -> None:
    g = np.array([0, 1, 2, 2, 0, 1])
    assert quadratic_kappa(g, g) == pytest.approx(1.0)
    assert quadratic_kappa(np.zeros(6, int), g) == pytest.approx(0.0)


def test_split_gold_keeps_ids_and_drops_labels_and_quotes() -> None:
    rec = {
        "id": "p1",
        "occupation": {"code": "31-9097.00"},
        "requirements": [
            {"taxonomy": "esco", "id": "u1", "label": 2, "quote": "draw blood", "description": "d"}
        ],
    }
    inputs, gold = split_gold(rec)
    assert inputs["requirements"] == [{"taxonomy": "esco", "id": "u1", "description": "d"}]
    assert gold == {"labels": {("esco", "u1"): 2}}
    assert rec["requirements"][0]["label"] == 2  # the record itself is left alone
    with pytest.raises(BadInputError):
        split_gold({"id": "p2"})


def test_shipped_model_round_trips_and_grades_stronger_evidence_higher() -> None:
    model = load_model()
    again = GradeModel.from_dict(model.to_dict())
    closer = ["sim", "label", "top3", "log_n5", "log_n6", "lexical"]  # more, closer spans
    ranks = ["log_rank_min", "log_rank_best"]  # fewer items beating it
    x = np.tile(model.mean, (3, 1))
    for row, step in enumerate((-1.5, 0.0, 1.5)):
        for f in closer:
            x[row, FEATURES.index(f)] += step * model.scale[FEATURES.index(f)]
        for f in ranks:
            x[row, FEATURES.index(f)] -= step * model.scale[FEATURES.index(f)]
    grades, p_partly, p_taught = again.grades(x)
    assert list(p_partly) == sorted(p_partly) and list(p_taught) == sorted(p_taught)
    assert np.all(p_taught <= p_partly)
    assert grades[0] is Grade.NOT_TAUGHT and grades[2] is not Grade.NOT_TAUGHT
    assert model.meta["cross_validated"]["grouped_by"] == "program"


def test_syllabus_thresholds_grade_a_syllabus_and_round_trip() -> None:
    """A program read as a syllabus is cut with the syllabus thresholds, a prose one with the
    others; the pair survives the JSON round trip, and a model without it grades both alike."""
    model = load_model()
    assert model.structured_thresholds is not None
    again = GradeModel.from_dict(model.to_dict())
    assert again.structured_thresholds == model.structured_thresholds
    cut_prose, cut_syllabus = model.threshold_partly, model.structured_thresholds[0]
    x = np.tile(model.mean, (200, 1))
    x[:, FEATURES.index("sim")] += np.linspace(-3, 3, 200) * model.scale[FEATURES.index("sim")]
    prose, p_partly, p_taught = again.grades(x)
    syllabus, _, _ = again.grades(x, structured=True)
    mixed, _, _ = again.grades(x, structured=np.arange(200) % 2 == 0)
    for i, p in enumerate(p_partly):
        assert (prose[i] is not Grade.NOT_TAUGHT) == (p >= cut_prose or p_taught[i] >= model.threshold_taught)
        assert (syllabus[i] is not Grade.NOT_TAUGHT) == (
            p >= cut_syllabus or p_taught[i] >= model.structured_thresholds[1]
        )
        assert mixed[i] is (syllabus[i] if i % 2 == 0 else prose[i])
    plain = GradeModel.from_dict({k: v for k, v in model.to_dict().items() if k != "structured"})
    assert plain.grades(x, structured=True)[0] == prose


def test_a_model_for_other_features_is_refused() -> None:
    d = load_model().to_dict()
    d["features"] = d["features"][:-1]
    with pytest.raises(ValueError, match="features"):
        GradeModel.from_dict(d)


def test_content_stems() -> None:
    assert content_stems("Collect biological specimens from patients") == [
        "collect",
        "biological",
        "specimen",
        "patient",
    ]


def test_requirements_about_leading_people_and_text_that_teaches_leading() -> None:
    from matcher.gaps.leading import leads_others, speaks_of_leading

    for label in (
        "Train food preparation or food service personnel.",
        "Supervise patient care personnel.",
        "Teach medical procedures to healthcare personnel.",
        "Coordinate activities of food service staff.",
        "mentor individuals",
        "Advise others on business or operational matters.",
    ):
        assert leads_others(label), label
    for label in (
        "Collect biological specimens from patients.",
        "manage healthcare users' data",  # data, not people
        "Schedule patient procedures or appointments.",
        "Operate vehicles or material-moving equipment.",
    ):
        assert not leads_others(label), label
    assert speaks_of_leading("Supervise and schedule a kitchen brigade of line cooks.")
    assert speaks_of_leading("Plan staffing, coach new hires and delegate station tasks.")
    assert speaks_of_leading("Train new staff on food safety procedures.")
    assert not speaks_of_leading("Perform skills under RN supervision in the skills lab.")
    assert not speaks_of_leading("Prepare stocks, sauces and soups for food service.")
    assert not speaks_of_leading("This training program prepares students for food service.")


def test_occupation_names_are_matched_as_written_not_by_shared_words() -> None:
    from matcher.text.occupation_names import OccupationNames, name_key

    assert (
        name_key("Certified Nursing Assistant (CNA)") == name_key("Nursing Assistants") == "nursing assistant"
    )
    assert name_key("Phlebotomy Technician Certificate") == "phlebotomy technician"
    names = OccupationNames([("31-9097.00", "Phlebotomists"), ("31-9097.00", "Phlebotomy Technician")])
    assert names.is_name("Certified Phlebotomy Technician (CPT)", "31-9097.00")
    assert names.is_name("phlebotomists", "31-9097.00")
    assert not names.is_name("Phlebotomy", "31-9097.00")  # a subject, which a course may teach
    assert not names.is_name("Phlebotomy Technician", "29-2061.00")


def test_search_keywords_do_not_make_a_record_a_syllabus() -> None:
    import numpy as np

    from matcher.gaps.analyzer import ProgramEvidence
    from matcher.program import SourceRef, TextUnit

    def evidence(path: str) -> ProgramEvidence:
        units = [
            TextUnit(text=t, source=SourceRef(field="outcome", path=path))
            for t in ("Medical Assistant", "Patient Intake", "Patient Medical History")
        ]
        return ProgramEvidence(units, [], np.zeros((0, 4)), np.zeros(4), set())

    assert not evidence("keyword").structured  # a Credential Registry badge's search tags
    assert not evidence("keywords").structured
    assert evidence("subject").structured  # subjects list what is taught, like course titles


def test_confidence_is_the_grader_probability_behind_each_grade() -> None:
    from matcher.gaps.report import Assessment
    from matcher.gaps.requirements import Requirement

    req = Requirement("onet-dwa", "4.A.1", "Record vital statistics.", 0.8, "task links", "dwas", ["4.A.1"])

    def conf(grade: Grade, p_partly: float, p_taught: float) -> float:
        return Assessment(req, grade, p_partly, p_taught, 0.6, None, None).confidence

    assert conf(Grade.TAUGHT, 0.95, 0.9) == pytest.approx(0.9)
    assert conf(Grade.NOT_TAUGHT, 0.2, 0.05) == pytest.approx(0.8)
    # partly: that the program touches it at all, not P(partly) - P(taught), which reads 0.02
    # here for a grade the grader is sure of (or a rule held a likely "taught" at partly)
    assert conf(Grade.PARTLY, 0.9, 0.88) == pytest.approx(0.9)
