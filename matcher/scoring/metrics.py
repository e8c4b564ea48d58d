"""Ranking metrics. Pure functions over ranked predictions and gold sets."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def first_hit_rank(predicted: Sequence[str], gold: set[str], key: Callable[[str], str] = str) -> int | None:
    """1-based rank of the first prediction whose key is in ``gold``; None if none is."""
    for i, p in enumerate(predicted, 1):
        if key(p) in gold:
            return i
    return None


def hit_at(predicted: Sequence[str], gold: set[str], k: int, key: Callable[[str], str] = str) -> float:
    r = first_hit_rank(predicted, gold, key)
    return 1.0 if r is not None and r <= k else 0.0


def reciprocal_rank(predicted: Sequence[str], gold: set[str], key: Callable[[str], str] = str) -> float:
    r = first_hit_rank(predicted, gold, key)
    return 1.0 / r if r else 0.0


def recall_at(predicted: Sequence[str], gold: set[str], k: int, key: Callable[[str], str] = str) -> float:
    """Share of gold items found in the top k."""
    if not gold:
        return 0.0
    found = {key(p) for p in predicted[:k]} & gold
    return len(found) / len(gold)


def r_precision_at(
    predicted: Sequence[str], gold: set[str], k: int, key: Callable[[str], str] = str
) -> float:
    """RP@k: hits in the top k divided by min(k, number of gold labels) (Decorte et al.)."""
    if not gold:
        return 0.0
    hits = len({key(p) for p in predicted[:k]} & gold)
    return hits / min(k, len(gold))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
