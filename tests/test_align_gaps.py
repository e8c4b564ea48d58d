"""Alignment and gaps on a slice of the real data, with real ETPL programs."""

from __future__ import annotations

import pytest

from matcher.engine import Matcher
from matcher.errors import BadInputError, NotFoundError
from matcher.program import Program, program_from_dict


def _codes(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.code for o in result.occupations]


def test_welding_program(matcher: Matcher, etpl: dict[str, dict]) -> None:
    result = matcher.align(program_from_dict(etpl["nj-40812"]))
    assert "51-4121.00" in _codes(result)[:3]
    top = result.occupations[0]
    kinds = {e.kind for e in top.evidence}
    assert {"title", "task"} <= kinds
    task_ev = next(e for e in top.evidence if e.kind == "task")
    assert task_ev.program_text and task_ev.program_text in etpl["nj-40812"]["description"]
    assert task_ev.source is not None and task_ev.source.field == "description"
    assert 0 <= top.score <= 1


def test_cdl_program_puts_truck_drivers_first(matcher: Matcher, etpl: dict[str, dict]) -> None:
    result = matcher.align(program_from_dict(etpl["nj-48270"]))
    assert _codes(result)[0] == "53-3032.00"
    assert any(e.kind == "cip" and "49.0205" in e.matched for e in result.occupations[0].evidence)
    assert result.cip[0].code == "49.0205"


def test_medical_assistant_program(matcher: Matcher, etpl: dict[str, dict]) -> None:
    result = matcher.align(program_from_dict(etpl["nj-5329"]))
    assert "31-9092.00" in _codes(result)[:3]


def test_align_json_shape(matcher: Matcher, etpl: dict[str, dict]) -> None:
    d = matcher.align(program_from_dict(etpl["nj-40812"]), top_k=5).to_dict()
    assert len(d["occupations"]) == 5
    for o in d["occupations"]:
        assert {"code", "title", "score", "evidence", "signals"} <= set(o)
        assert o["code"][2] == "-" and o["code"][7] == "."
    scores = [o["score"] for o in d["occupations"]]
    assert scores == sorted(scores, reverse=True)
    assert d["versions"]["data"]["onet"] == "29.3"


def test_stated_cip_is_used(matcher: Matcher) -> None:
    p = Program(
        title="Commercial vehicle operations", description="Vehicle inspection and logs.", cip="49.0205"
    )
    result = matcher.align(p)
    assert result.cip[0].code == "49.0205" and result.cip[0].stated


def test_gaps_welding(matcher: Matcher, etpl: dict[str, dict]) -> None:
    program = program_from_dict(etpl["nj-40812"])
    report = matcher.gaps(program, "51-4121.00")
    d = report.to_dict()
    assert 0 < d["coverage"] < 100
    assert d["covered"], "a welding program covers some welding requirements"
    units = {u.source.label(): u.text for u in program.iter_units()}
    for c in d["covered"]:
        ev = c["evidence"]
        assert ev["sentence"] and units[ev["source"]][ev["start"] : ev["end"]] == ev["text"]
    covered_text = " ".join(c["label"].lower() for c in d["covered"] + d["partly"])
    assert "weld" in covered_text
    ranks = [m["importance"] * m["confidence"] for m in d["missing"]]  # confidence: 1 - p_partly
    assert all(a >= b - 1e-3 for a, b in zip(ranks, ranks[1:], strict=False))  # both rounded
    assert {m["taxonomy"] for m in d["missing"]} & {"onet-dwa", "onet-tool", "esco", "onet-tech"}


def test_gaps_unknown_code_suggests(matcher: Matcher, etpl: dict[str, dict]) -> None:
    with pytest.raises(NotFoundError, match=r"Did you mean: .*51-4121.00 \(Welders"):
        matcher.gaps(program_from_dict(etpl["nj-40812"]), "51-4112.00")


def test_search(matcher: Matcher) -> None:
    hits = matcher.search_occupations("tractor trailer driver", k=3)
    assert hits[0]["code"] == "53-3032.00"
    skills = matcher.search_skills("MIG welding", k=5)
    assert skills and all(s["taxonomy"] in {"esco", "onet-tech", "onet-tool", "onet-dwa"} for s in skills)
    with pytest.raises(BadInputError):
        matcher.search_occupations("   ")


def test_repeated_alignment_is_memoised_and_isolated(matcher: Matcher, etpl: dict[str, dict]) -> None:
    """A stored program aligned again is answered from the memo with the same result; what a
    caller does to its copy never reaches the memo; a changed program is aligned afresh."""
    program = program_from_dict(etpl["nj-48270"])
    first = matcher.align(program, top_k=5)
    again = matcher.align(program, top_k=5)
    assert again is not first and again.to_dict() == first.to_dict()
    again.occupations.clear()
    assert matcher.align(program, top_k=5).to_dict() == first.to_dict()
    assert len(matcher.align(program, top_k=3).occupations) == 3  # top_k is part of the key
    changed = program.model_copy(update={"title": "Medical Assistant Certificate"})
    assert matcher.align(changed, top_k=5).to_dict() != first.to_dict()


def test_concurrent_requests_for_one_new_program_compute_it_once(
    matcher: Matcher, etpl: dict[str, dict]
) -> None:
    """Alignments compute one at a time; requests that waited for the same program get the
    result the first one computed instead of computing it again."""
    from concurrent.futures import ThreadPoolExecutor

    program = program_from_dict(etpl["nj-40812"]).model_copy(update={"title": "Concurrent CDL program"})
    calls: list[int] = []
    aligner = matcher.aligner
    original = aligner.align_prepared

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    aligner.align_prepared = counted  # type: ignore[method-assign]
    try:
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda _: matcher.align(program, top_k=4).to_dict(), range(6)))
    finally:
        del aligner.align_prepared
    assert len(calls) == 1
    assert all(r == results[0] for r in results) and len(results[0]["occupations"]) == 4


def test_group_topk_mean_matches_the_loop() -> None:
    import numpy as np

    from matcher.align.signals import group_topk_mean

    rng = np.random.default_rng(7)
    lens = rng.integers(0, 9, 300)
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    ends = starts + lens
    values = rng.standard_normal(int(lens.sum())).astype(np.float32)
    got = group_topk_mean(values, starts, ends, 3)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        want = np.sort(values[s:e])[::-1][:3].mean() if e > s else 0.0
        assert abs(got[i] - want) < 1e-6
