"""The fitted alignment model: listwise fitting, the program memory, provider folds, score
calibration, cross-validated fitting, and the rules applied to the ranking (teaching gate,
stated codes, primary credential)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matcher.align import Aligner, AlignWeights, program_key
from matcher.align.calibrate import cross_validated, fit_calibration, reliability
from matcher.align.fit import Fitter, listwise_fit
from matcher.align.folds import novel, provider_folds, provider_groups, text_folds
from matcher.align.program_memory import ProgramMemory, provider_hash
from matcher.program import Program, program_from_dict


def test_listwise_fit_learns_the_informative_feature() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 30, 2))
    y = np.zeros((200, 30), dtype=bool)
    y[np.arange(200), x[:, :, 0].argmax(axis=1)] = True  # gold = best on feature 0
    w = listwise_fit(x, y)
    assert w[0] > 1.0 and abs(w[1]) < 0.5 * w[0]


def _memory(folds: list[int]) -> ProgramMemory:
    d = np.eye(4, 8, dtype=np.float32)
    return ProgramMemory(
        encoder="enc@1",
        doc=d,
        title=d,
        cips=["49.0205", "49.0205", "51.0801", "48.0508"],
        socs=[["53-3032"], ["53-3032"], ["31-9092"], ["51-4121"]],
        providers=[provider_hash("A"), provider_hash("B"), "", ""],
        keys=["k0", "k1", "k2", "k3"],
        folds=np.array(folds),
        k=2,
    )


def test_memory_excludes_own_fold_and_copies(tmp_path: Path) -> None:
    mem = _memory([0, 1, 1, 2])
    q = np.eye(1, 8, dtype=np.float32)[0]  # identical to record 0
    assert mem.exclusion("k1").tolist() == [False, True, True, False]  # fold 1
    assert mem.exclusion("unseen").tolist() == [False, False, False, False]
    assert mem.exclusion("k0", extra_fold=2).tolist() == [True, False, False, True]
    votes = mem.votes(q, q, "A", mem.exclusion("unseen"))
    assert votes.neighbours[0].row == 0 and votes.neighbours[0].same_provider
    assert abs(sum(votes.cip.values()) - 1.0) < 1e-9
    votes = mem.votes(q, q, "A", mem.exclusion("k0"))  # its own fold hidden
    assert 0 not in [nb.row for nb in votes.neighbours]
    mem.save(tmp_path)
    back = ProgramMemory.load(tmp_path)
    assert back.cips == mem.cips and back.fold_for("k2") == 1 and back.doc.shape == (4, 8)


def test_programs_unlike_the_query_vote_weakly(tmp_path: Path) -> None:
    """Ten unrelated neighbours are not one strong vote: shares are of at least ``mass`` weight
    (a one-sentence dental crown course had construction supervisors first from neighbours at
    similarity 0.27-0.35)."""
    mem = _memory([0, 1, 1, 2])
    far = np.zeros(8, dtype=np.float32)
    far[0], far[7] = 0.3, (1 - 0.3**2) ** 0.5  # cosine 0.3 with record 0, 0 with the others
    votes = mem.votes(far, far, None, mem.exclusion("unseen"))
    assert abs(sum(votes.cip.values()) - 0.3**4 / mem.mass) < 1e-6  # 0.027, not 1.0
    near = np.eye(1, 8, dtype=np.float32)[0]
    assert abs(sum(mem.votes(near, near, None, mem.exclusion("unseen")).cip.values()) - 1.0) < 1e-9
    mem.save(tmp_path)
    assert ProgramMemory.load(tmp_path).mass == mem.mass == 0.3


def test_program_key_and_folds_are_deterministic() -> None:
    k = program_key("Welding", "MIG welding", "Camden CC")
    assert k == program_key("  welding ", "MIG   welding", "camden cc") and len(k) == 16
    assert text_folds([k]).tolist() == [int(k, 16) % 5]


def test_provider_folds_keep_an_organisation_and_copies_together() -> None:
    providers = [
        "Ideal Institute of Technology - Mays Landing - PCS",
        "Ideal Institute of Technology - Pleasantville - PCS",  # another campus: same group
        "Camden County College",
        "",  # unknown provider, same text as the next: one group
        "Other School",
        "Third School",
    ]
    descriptions = ["a", "b", "c", "same program", "same program", "d"]
    keys = [f"{i:016x}" for i in range(6)]
    groups = provider_groups(providers, descriptions)
    assert groups[0] == groups[1] and groups[3] == groups[4] and len(set(groups.tolist())) == 4
    folds = provider_folds(providers, descriptions, keys, n_folds=3)
    assert folds[0] == folds[1] and folds[3] == folds[4]
    assert folds.tolist() == provider_folds(providers, descriptions, keys, n_folds=3).tolist()
    assert novel(groups, folds).all()  # no group spans two folds
    assert not novel(groups, np.arange(6)).all()  # a campus in another fold: not novel


def test_calibration_is_strictly_increasing_and_never_certain() -> None:
    rng = np.random.default_rng(0)
    shares = -rng.exponential(2.0, size=(400, 10))
    labels = (rng.random((400, 10)) < np.exp(shares)).astype(float)  # true chance = exp(share)
    cal = fit_calibration(shares, labels)
    assert (np.diff(cal.x) > 0).all() and (np.diff(cal.y) > 0).all()
    assert 0.0 < cal.y.min() and cal.y.max() < 1.0
    cv = cross_validated(shares, labels, np.arange(400) % 5)
    assert cv["top10"]["ece"] < 0.05 and cv["top10"]["n"] == 4000
    table = reliability(np.array([0.05, 0.05, 0.95, 0.95]), np.array([0.0, 0.0, 1.0, 0.0]))
    assert table["ece"] == pytest.approx(0.5 * 0.05 + 0.5 * 0.45)
    assert [r["n"] for r in table["table"]] == [2, 2]


def test_fit_on_real_programs_is_cross_validated(matcher, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests_helpers import all_gold_records

    recs = [
        r
        for r in all_gold_records()
        if any(s.startswith(("51-412", "53-303", "31-909")) for s in r["gold_soc"])
    ]
    f = tmp_path / "lab.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs[:60]))
    base = Aligner(matcher.catalog, matcher.indexes, matcher.encoder)
    fitter = Fitter(base, f)
    memory = fitter.memory("test")
    weights = fitter.fit(memory, "test")
    assert len(weights.folds) == 5 and weights.metrics["n"] == fitter.n
    assert 0.0 <= weights.metrics["soc_hit@1"] <= 1.0
    assert 0.0 <= weights.metrics["soc_practice_hit@1"] <= 1.0
    assert weights.metrics["folds"] == "provider" and weights.metrics["novel_provider"]["n"] == fitter.n
    assert 0.0 <= weights.metrics["calibration"]["top10"]["ece"] <= 1.0
    # No provider's programs in two folds.
    for g in set(fitter.groups.tolist()):
        assert len(set(fitter.folds[fitter.groups == g].tolist())) == 1
    # The memory votes practice occupations: no teaching code for these trades programs.
    assert not any(s.startswith(("25-1", "25-2", "25-3")) for socs in memory.socs for s in socs)
    assert weights.all.occupation.to_dict().keys() >= {"title", "cip", "knn", "no_match"}
    back = AlignWeights.from_json(weights.to_json())
    assert np.allclose(back.all.occupation.weights, weights.all.occupation.weights, atol=1e-5)
    # A memorised program is scored by the model of its own fold, without its fold's neighbours.
    aligner = Aligner(matcher.catalog, matcher.indexes, matcher.encoder, memory=memory, weights=weights)
    rec = {k: v for k, v in recs[0].items() if not k.startswith("gold_")}
    key = program_key(rec["title"], rec.get("description"), rec.get("provider"))
    own = memory.fold_for(key)
    assert own is not None
    assert all(memory.folds[nb.row] != own for nb in aligner.score_votes(program_from_dict(rec)).neighbours)


def test_memory_from_another_encoder_is_disabled(matcher) -> None:  # type: ignore[no-untyped-def]
    mem = _memory([0, 1, 2, 3])
    aligner = Aligner(matcher.catalog, matcher.indexes, matcher.encoder, memory=mem)
    assert aligner.memory is None
    assert aligner.align(Program(title="Welding", description="MIG welding")).occupations


def _top(matcher, program: Program, k: int = 5):  # type: ignore[no-untyped-def]
    return matcher.aligner.align(program, top_k=k)


def test_teaching_occupations_stay_out_of_a_trades_programs_top_five(matcher) -> None:  # type: ignore[no-untyped-def]
    cdl = Program(
        title="CDL Class A Instruction and Road Training",
        description="Classroom, range and road instruction for tractor-trailer drivers: pre-trip "
        "inspection, backing, coupling, hours of service and the state CDL skills test.",
        credential="Class A CDL",
    )
    codes = [o.code for o in _top(matcher, cdl).occupations]
    assert codes[0] == "53-3032.00"
    assert not any(c.startswith(("25-1", "25-2", "25-3")) for c in codes)
    teacher = Program(
        title="Career and Technical Education Teacher Preparation",
        description="Prepares experienced tradespeople to become career and technical education "
        "teachers: lesson planning, classroom management and student assessment in a high school shop.",
    )
    codes = [o.code for o in _top(matcher, teacher).occupations]
    assert {"25-1194.00", "25-2032.00"} & set(codes)  # about teaching: teaching codes may rank


def test_teacher_preparation_cips_are_gated_like_teaching_occupations(matcher) -> None:  # type: ignore[no-untyped-def]
    """CIP codes of family 13 (Education) rank after every other CIP code unless the program is
    about teaching (11 NJ ETPL ESL classes for learners had 13.1401 Teaching English as a Second
    Language first); a teacher preparation program keeps them."""
    from matcher.align.aligner import texts_of, vectors_of
    from matcher.align.prepared import prepare

    sig = matcher.aligner.signals
    assert sig.teacher_preparation.any()  # the slice holds family-13 codes (CTE teacher education)

    def cip_scores(program: Program):  # type: ignore[no-untyped-def]
        p = prepare(program)
        return matcher.aligner.score(p, vectors_of(p, matcher.encoder.encode(texts_of(p)))).cip_scores

    cdl = Program(
        title="CDL Class A Instruction and Road Training",
        description="Classroom, range and road instruction for tractor-trailer drivers: pre-trip "
        "inspection, backing, coupling, hours of service and the state CDL skills test.",
    )
    s = cip_scores(cdl)
    assert s[sig.teacher_preparation].max() < s[~sig.teacher_preparation].min()
    teacher = Program(
        title="Career and Technical Education Teacher Preparation",
        description="Prepares experienced tradespeople to become career and technical education "
        "teachers: lesson planning, classroom management and student assessment in a high school shop.",
    )
    s = cip_scores(teacher)
    assert sig.teacher_preparation[int(s.argmax())]


def test_a_stated_code_ranks_first_with_stated_evidence(matcher) -> None:  # type: ignore[no-untyped-def]
    apprenticeship = Program(
        title="Inside Journeyman Wireman Apprenticeship",
        description="Five-year apprenticeship: conduit bending, branch circuits, motor controls, "
        "the National Electrical Code, blueprint reading and job-site supervision of a crew.",
        occupations=["47-2111.00"],
    )
    first = _top(matcher, apprenticeship).occupations[0]
    assert first.code == "47-2111.00"
    stated = [e for e in first.evidence if e.kind == "stated"]
    assert stated and stated[0].program_text == "47-2111.00" and stated[0].source.field == "occupations"


def test_a_stated_teaching_code_stays_gated_for_a_program_not_about_teaching(matcher) -> None:  # type: ignore[no-untyped-def]
    cdl = Program(
        title="CDL Class A Instruction and Road Training",
        description="Classroom, range and road instruction for tractor-trailer drivers: pre-trip "
        "inspection, backing, coupling, hours of service and the state CDL skills test.",
        occupations=["25-1194.00"],  # Career/Technical Education Teachers, Postsecondary
    )
    result = _top(matcher, cdl)
    assert "25-1194.00" not in [o.code for o in result.occupations]
    assert any("25-1194.00" in n and "not about teaching" in n for n in result.notes)


def test_a_soc_2010_stated_code_is_mapped(matcher) -> None:  # type: ignore[no-untyped-def]
    aide = Program(
        title="Nurse Aide Training",
        description="Personal care of nursing home residents: bathing, feeding, transfers, vital signs.",
        occupations=["31-1014.00"],  # SOC 2010 Nursing Assistants
    )
    result = _top(matcher, aide)
    assert result.occupations[0].code == "31-1131.00"
    assert "SOC 2010 31-1014.00" in next(e.note for e in result.occupations[0].evidence if e.kind == "stated")


def test_the_primary_credential_decides_and_cites_its_source(matcher) -> None:  # type: ignore[no-untyped-def]
    it = Program(
        title="IT Support Specialist",
        description="Troubleshoot computers and networks, support users at a help desk, secure endpoints "
        "and configure routers and switches. Includes CompTIA Network+ and Security+ preparation.",
        credentials=["CompTIA A+", "CompTIA Network+", "CompTIA Security+"],
    )
    result = _top(matcher, it)
    first = result.occupations[0]
    assert first.code == "15-1232.00"
    cred = [e for e in first.evidence if e.kind == "credential"]
    assert cred and cred[0].note.startswith("primary credential") and "https://" in cred[0].note
    scores = [o.score for o in result.occupations]
    assert scores == sorted(scores, reverse=True) and 0.0 < scores[0] < 1.0
