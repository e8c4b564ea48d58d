"""Acceptance rankings pinned on the full O*NET/ESCO/CIP data (all 1,016 occupations).

Builds the full indexes once (minutes on a clean machine; seconds with a warm embedding cache),
except ESCO skills' alternative labels (84k texts, a quarter of a cold build; the extractor then
links ESCO skills by their preferred labels). The vectors come from the session's encoder, the
default ONNX Runtime float32 backend.
"""

from __future__ import annotations

import numpy as np
import pytest

from matcher.program import program_from_dict

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_matcher(full_data_dir, encoder, tmp_path_factory):  # type: ignore[no-untyped-def]
    from matcher.build import SPECS, build_indexes
    from matcher.catalog import Catalog
    from matcher.engine import Matcher
    from matcher.index_store import IndexStore
    from matcher.settings import Settings
    from matcher.sources import DataDir

    settings = Settings(data_dir=full_data_dir, home=tmp_path_factory.mktemp("full"))
    catalog = Catalog(DataDir(full_data_dir))
    store = IndexStore(settings.index_root)
    skip = {"esco_skill_labels"}
    build_indexes(store, catalog, encoder, specs=tuple(s for s in SPECS if s.name not in skip))
    indexes = store.load(model=encoder.identity, data_fingerprint=catalog.data.fingerprint)
    return Matcher(settings, catalog, encoder, indexes)


def _codes(m, rec) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.code for o in m.align(program_from_dict(rec)).occupations]


def test_welding_top3(full_matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    assert "51-4121.00" in _codes(full_matcher, etpl["nj-40812"])[:3]


def test_cdl_first(full_matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    assert _codes(full_matcher, etpl["nj-48270"])[0] == "53-3032.00"


def test_medical_assistant_top3(full_matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    assert "31-9092.00" in _codes(full_matcher, etpl["nj-5329"])[:3]


def test_gaps_welding_full(full_matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    d = full_matcher.gaps(program_from_dict(etpl["nj-40812"]), "51-4121.00").to_dict()
    labels = " ".join(c["label"].lower() for c in d["covered"] + d["partly"])
    assert "weld" in labels
    assert 20 <= d["required_count"] <= 30 and 0 < d["coverage"] < 100


def test_no_match_cip_routes_to_the_no_match_row(full_matcher) -> None:  # type: ignore[no-untyped-def]
    from matcher.align import NO_MATCH_CODE

    sig = full_matcher.aligner.signals
    assert "32.0109" in full_matcher.catalog.cip_no_match  # ESL: no SOC in the crosswalk
    probs = np.zeros(len(sig.cip_ids))
    probs[sig.cip_pos["32.0109"]] = 1.0
    mass = sig.occupations_for_cips(probs)
    assert mass[sig.pos[NO_MATCH_CODE]] == 1.0 and mass.sum() == 1.0


def test_esl_program_ranks_no_match_high(full_matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    from matcher.align import NO_MATCH_CODE

    codes = _codes(
        full_matcher,
        {
            "title": "English as a Second Language",
            "cip": "32.0109",
            "description": "Reading, writing, listening and speaking English.",
        },
    )
    assert NO_MATCH_CODE in codes[:3]


def test_search_puts_a_specific_occupation_before_its_all_other_sibling(full_matcher) -> None:  # type: ignore[no-untyped-def]
    # "Phlebotomist" is an alternate title of both; the scores tie exactly
    top = full_matcher.search_occupations("phlebotomist", k=3)
    assert [r["code"] for r in top[:2]] == ["31-9097.00", "31-9099.00"]
    assert top[0]["score"] == top[1]["score"]
