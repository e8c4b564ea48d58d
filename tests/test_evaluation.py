from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.errors import BadInputError
from matcher.evaluation import evaluate, get_task
from matcher.evaluation.context import EvalContext
from matcher.evaluation.registry import TASKS
from matcher.scoring.metrics import hit_at, r_precision_at, recall_at, reciprocal_rank
from matcher.scoring.records import read_records


def test_metrics_by_hand() -> None:
    pred = ["a", "b", "c", "d", "e", "f"]
    assert reciprocal_rank(pred, {"c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(pred, {"z"}) == 0.0
    assert hit_at(pred, {"c"}, 2) == 0.0 and hit_at(pred, {"c"}, 3) == 1.0
    assert recall_at(pred, {"a", "f", "z"}, 5) == pytest.approx(1 / 3)
    # RP@5 with 2 gold labels, both in the top 5 -> 1.0; with 8 gold, 2 hits -> 2/5
    assert r_precision_at(pred, {"b", "e"}, 5) == 1.0
    assert r_precision_at(pred, {"b", "e", *"uvwxyz"}, 5) == pytest.approx(2 / 5)
    soc = lambda c: c[:7]  # noqa: E731
    assert hit_at(["51-4121.06", "53-3032.00"], {"53-3032"}, 1, soc) == 0.0
    assert reciprocal_rank(["51-4121.06", "53-3032.00"], {"53-3032"}, soc) == 0.5


def test_records_errors_name_the_line(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_text('{"title": "a", "gold_soc": [], "gold_cip": "1"}\n{"title": \n')
    with pytest.raises(BadInputError, match="line 2: invalid JSON"):
        read_records(f, required_inputs=("title",), gold_fields=("gold_soc", "gold_cip"))
    f.write_text('{"title": "a", "gold_cip": "1"}\n')
    with pytest.raises(BadInputError, match="line 1: missing required field.*gold_soc"):
        read_records(f, required_inputs=("title",), gold_fields=("gold_soc", "gold_cip"))
    f.write_text("\n\n")
    with pytest.raises(BadInputError, match="no records"):
        read_records(f, required_inputs=("title",), gold_fields=())
    f.write_text('{"title": "a", "extra": 1, "gold_soc": ["1"], "gold_cip": "2", "gold_other": 3}\n')
    (rec,) = read_records(f, required_inputs=("title",), gold_fields=("gold_soc", "gold_cip"))
    assert rec.inputs == {"title": "a", "extra": 1}
    assert set(rec.gold) == {"gold_soc", "gold_cip", "gold_other"}


def test_tasks_registered_with_baselines() -> None:
    for name in ("programs", "titles", "skills"):
        task = get_task(name)
        assert {"default", "tfidf", "embedding"} <= set(task.methods)
    with pytest.raises(BadInputError, match="unknown task"):
        get_task("nope")
    with pytest.raises(BadInputError, match="no method"):
        get_task("programs").method("magic")


def test_gold_never_reaches_the_predictor(tmp_path: Path, matcher) -> None:  # type: ignore[no-untyped-def]
    seen: list[dict] = []

    class Spy:
        def __init__(self, ctx: EvalContext) -> None:
            pass

        def predict(self, inputs):  # type: ignore[no-untyped-def]
            seen.extend(inputs)
            from matcher.align.scores import ProgramPrediction

            return [ProgramPrediction(["53-3032.00"], ["49.0205"]) for _ in inputs]

    f = tmp_path / "p.jsonl"
    f.write_text(json.dumps({"title": "CDL", "gold_soc": ["53-3032"], "gold_cip": "49.0205"}) + "\n")
    TASKS["programs"].methods["spy"] = Spy
    try:
        res = evaluate("programs", f, "spy", ctx=EvalContext(matcher=matcher))
    finally:
        del TASKS["programs"].methods["spy"]
    assert seen == [{"title": "CDL"}]
    assert res.metrics["soc_hit@1"] == 1.0 and res.metrics["cip_top1"] == 1.0 and res.n == 1


def test_programs_default_on_real_records(tmp_path: Path, matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    from tests_helpers import gold_records

    f = tmp_path / "p.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in gold_records(["nj-40812", "nj-48270", "nj-5329"])))
    ctx = EvalContext(matcher=matcher)
    for method in ("default", "tfidf", "embedding"):
        res = evaluate("programs", f, method, ctx=ctx)
        assert res.n == 3 and set(res.metrics) >= {
            "soc_hit@1",
            "soc_hit@5",
            "soc_mrr",
            "cip_top1",
            "cip_top5",
        }
    res = evaluate("programs", f, "default", ctx=ctx)
    assert res.metrics["soc_hit@1"] == 1.0
    d = res.to_dict()
    assert d["n"] == 3 and "soc_mrr" in d
