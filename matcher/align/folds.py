"""Cross-validation folds for labelled programs.

``provider`` (the default): a provider's programs never sit in two folds. Programs are grouped
by organisation (the provider name up to its first " - ", so "Ideal Institute of Technology -
Mays Landing - PCS" and "... - Pleasantville - PCS" are one group) and by identical description
text (the same program listed under two names), then whole groups are dealt to the fold with
fewest programs, largest groups first. Every held-out program is then scored as a program of a
provider the memory has never seen.

``text``: fold = the program's text hash modulo the number of folds (programs of one provider
spread over all folds; the memory then helps where a provider repeats).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Literal

import numpy as np

from matcher.text.normalise import fold

N_FOLDS = 5
FoldScheme = Literal["provider", "text"]


def organisation(provider: str | None) -> str:
    """The provider's organisation: its folded name up to the first " - " (campus, division)."""
    return fold(provider or "").split(" - ")[0].strip()


def text_folds(keys: Sequence[str], n_folds: int = N_FOLDS) -> np.ndarray:
    return np.array([int(k, 16) % n_folds for k in keys], dtype=np.int64)


def provider_groups(providers: Sequence[str | None], descriptions: Sequence[str]) -> np.ndarray:
    """A group id per program: programs sharing an organisation or a description text share one."""
    parent = list(range(len(providers)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for i, (prov, desc) in enumerate(zip(providers, descriptions, strict=True)):
        keys = []
        if org := organisation(prov):
            keys.append("org:" + org)
        if text := fold(desc or ""):
            keys.append("text:" + text)
        for k in keys:
            if k in first:
                parent[find(i)] = find(first[k])
            else:
                first[k] = i
    return np.array([find(i) for i in range(len(providers))], dtype=np.int64)


def provider_folds(
    providers: Sequence[str | None], descriptions: Sequence[str], keys: Sequence[str], n_folds: int = N_FOLDS
) -> np.ndarray:
    """Whole provider groups dealt to folds, largest first, to the fold with fewest programs
    (ties: lower fold number; groups of equal size in order of their first program's text hash)."""
    groups = provider_groups(providers, descriptions)
    sizes = Counter(groups.tolist())
    tie = {g: hashlib.sha1(keys[g].encode()).hexdigest() for g in sizes}
    load = [0] * n_folds
    fold_of: dict[int, int] = {}
    for g in sorted(sizes, key=lambda g: (-sizes[g], tie[g])):
        f = min(range(n_folds), key=lambda j: (load[j], j))
        fold_of[g] = f
        load[f] += sizes[g]
    return np.array([fold_of[g] for g in groups.tolist()], dtype=np.int64)


def novel(groups: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Programs none of whose group's other programs sit outside their own fold: scored without
    any program of their provider in the memory."""
    out = np.ones(len(groups), dtype=bool)
    for i in range(len(groups)):
        out[i] = not ((groups == groups[i]) & (folds != folds[i])).any()
    return out
