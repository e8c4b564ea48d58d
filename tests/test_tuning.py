"""The encoder fine-tuning recipe on the real data slice: pairs, negatives, batches, adapter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher.sources import DataDir
from matcher.tuning import pairs as P


@pytest.fixture(scope="module")
def candidates(data_dir: Path):  # type: ignore[no-untyped-def]
    return P.candidate_pairs(DataDir(data_dir))


def _hash_encode(texts):  # type: ignore[no-untyped-def]
    """A cheap deterministic stand-in encoder (bag of hashed words)."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in t.lower().split():
            out[i, hash(w) % 64] += 1.0
    return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)


def test_every_source_gives_pairs_from_the_taxonomies(candidates) -> None:  # type: ignore[no-untyped-def]
    pairs, pools = candidates
    for name in P.DEFAULT_QUOTAS:
        assert pairs[name], name
        for p in pairs[name][:200]:
            assert p.source == name and p.anchor and p.positive
            assert p.pos_group in p.valid
            assert p.anchor != p.positive
            assert pools[name].position(p.positive) is not None
    welder = [p for p in pairs["onet_title"] if p.pos_group == "51-4121.00"]
    assert any(p.positive == "Welders, Cutters, Solderers, and Brazers" for p in welder)


def test_sampling_negatives_and_batches_are_seeded_and_safe(candidates) -> None:  # type: ignore[no-untyped-def]
    pairs, pools = candidates
    quotas = dict.fromkeys(P.DEFAULT_QUOTAS, 40)
    a = P.add_hard_negatives(P.sample_pairs(pairs, quotas, 7), pools, _hash_encode, seed=7)
    b = P.add_hard_negatives(P.sample_pairs(pairs, quotas, 7), pools, _hash_encode, seed=7)
    assert a == b
    c = P.sample_pairs(pairs, quotas, 8)
    assert any(a[k][:5] != c[k][:5] for k in a)
    group_of = {name: dict(zip(pools[name].texts, pools[name].groups, strict=True)) for name in pools}
    for name, items in a.items():
        assert len(items) <= 40
        for p in items:
            if p.negative is not None:  # a near neighbour from another group, never a right answer
                assert group_of[name][p.negative] not in p.valid
                assert p.negative != p.positive
    plan = P.batches(a, 8, seed=7)
    assert plan == P.batches(b, 8, seed=7)
    for batch in plan:
        assert len({p.source for p in batch}) == 1
        keys = [k for p in batch for k in p.keys]
        assert len(keys) == len(set(keys))  # no pair's right answer is another's in-batch negative


def test_tiny_training_run_gives_a_loadable_adapter(data_dir: Path, encoder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from matcher.encoding.encoder import Encoder
    from matcher.tuning.train import TrainConfig, train

    cfg = TrainConfig(seed=3, batch_size=8, max_steps=2, quotas=dict.fromkeys(P.DEFAULT_QUOTAS, 16), lr=1e-3)
    out = tmp_path / "tiny-lora"
    record = train(DataDir(data_dir), out, cfg=cfg, work_dir=tmp_path / "work", encode=encoder.encode)
    assert record["steps"] == 2 and record["pairs_total"] > 0
    assert (out / "adapter_model.safetensors").stat().st_size < 25 * 2**20
    assert record["base_model"] == encoder.family

    tuned = Encoder(str(out), export_dir=tmp_path / "home" / "onnx")
    again = Encoder(str(out), export_dir=tmp_path / "home" / "onnx")
    assert tuned.family.startswith("tiny-lora@") and tuned.family == again.family != encoder.family
    assert tuned.path.is_relative_to(tmp_path / "home" / "models")
    texts = ["welder fitter", "Operate a forklift to move pallets."]
    v_base, v_tuned = encoder.encode(texts), tuned.encode(texts)
    assert v_tuned.shape == v_base.shape
    assert np.allclose(np.linalg.norm(v_tuned, axis=1), 1.0, atol=1e-5)
    cos = (v_base * v_tuned).sum(axis=1)
    assert np.all(cos > 0.9) and not np.allclose(v_base, v_tuned, atol=1e-6)


def test_tuned_setting_selects_the_committed_adapter_and_its_program_memory(tmp_path: Path) -> None:
    from matcher.encoding.encoder import Encoder
    from matcher.settings import REPO_ROOT, Settings

    adapter = REPO_ROOT / "models" / "labour-minilm-lora"
    s = Settings(model="tuned", home=tmp_path)
    assert s.adapter_dir == adapter
    assert s.program_memory_dir == adapter / "etpl-nj"
    assert Settings(model="default", home=tmp_path).program_memory_dir == REPO_ROOT / "models" / "etpl-nj"
    tuned = Encoder("tuned", export_dir=tmp_path / "onnx")
    assert tuned.adapter == adapter and tuned.family == "labour-minilm-lora@8bf29bf23aff"
    assert (tuned.path / "modules.json").is_file()  # an ordinary sentence-transformers folder


def test_title_noise_renders_labels_as_job_boards_do(candidates) -> None:  # type: ignore[no-untyped-def]
    from matcher.tuning.title_noise import decorate

    others = ["MIG welder", "TIG welder"]
    assert decorate("welder", others, seed=1) == decorate("welder", others, seed=1)
    renderings = {decorate("welder", others, seed=s) for s in range(200)}
    assert len(renderings) > 100
    for r in renderings:  # the title stays in it, always with something added
        assert "welder" in r.lower() and r.lower() != "welder"
    assert any(r.isupper() for r in renderings) and any(" / " in r for r in renderings)
    pairs, _ = candidates
    welder = [p for p in pairs["title_noise"] if p.positive == "welder"]
    assert len(welder) > 3 and all(p.anchor.lower() != "welder" for p in welder)
    assert any(p.anchor.lower().startswith(("welder", "senior welder")) for p in welder)
