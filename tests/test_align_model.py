"""The fitted alignment model: listwise fitting, the program memory, cross-validated fitting."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from matcher.align import Aligner, AlignWeights, program_key
from matcher.align.fit import Fitter, fold_of, listwise_fit
from matcher.program import Program, program_from_dict
from matcher.program_memory import ProgramMemory, provider_hash


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


def test_program_key_and_folds_are_deterministic() -> None:
    k = program_key("Welding", "MIG welding", "Camden CC")
    assert k == program_key("  welding ", "MIG   welding", "camden cc") and len(k) == 16
    assert fold_of(k) == int(k, 16) % 5


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
