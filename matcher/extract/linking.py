"""Linking spans and sentences to taxonomy items through the FAISS indexes, with thresholds per
taxonomy and per method calibrated on labelled data (``resources/extract_thresholds.json``;
the calibration recipe is ``evaluation/calibrate_extract.py``)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from matcher.extract.types import Method, Taxonomy
from matcher.indexes.store import IndexSet
from matcher.indexes.vector_index import VectorIndex
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

# Index holding each taxonomy's texts, best first (the first one present in the build is used).
INDEXES: dict[str, tuple[str, ...]] = {
    Taxonomy.ESCO: ("esco_skill_labels", "esco_skills"),
    Taxonomy.ONET_TECH: ("technology",),
    Taxonomy.ONET_TOOL: ("tools",),
    Taxonomy.ONET_DWA: ("dwas",),
}
# Which taxonomies a candidate of each kind is linked to. Knowledge spans and noun chunks name
# things (skills, software, tools); skill spans, verb-object phrases and sentences name
# activities (skills, work activities).
ROUTES: dict[str, tuple[str, ...]] = {
    "knowledge": (Taxonomy.ESCO, Taxonomy.ONET_TECH, Taxonomy.ONET_TOOL),
    "skill": (Taxonomy.ESCO, Taxonomy.ONET_DWA),
    "noun_chunk": (Taxonomy.ESCO, Taxonomy.ONET_TECH, Taxonomy.ONET_TOOL),
    "verb_object": (Taxonomy.ESCO, Taxonomy.ONET_DWA),
    "sentence": (Taxonomy.ESCO, Taxonomy.ONET_DWA),
}
DISABLED = 2.0  # a threshold no cosine reaches
PREF_SHARE = 0.5  # ESCO: score = PREF_SHARE * cos(preferred label) + rest * cos(best label)


@dataclass(frozen=True, slots=True)
class Link:
    taxonomy: str
    id: str
    label: str
    score: float


class Thresholds:
    """Cosine thresholds by taxonomy and method; a missing pair is disabled."""

    def __init__(self, table: dict[str, dict[str, float]], info: dict[str, Any] | None = None) -> None:
        self.table = {t: {m: float(v) for m, v in ms.items()} for t, ms in table.items()}
        self.info = info or {}

    @classmethod
    def load(cls) -> Thresholds:
        raw = json.loads(resources.files("matcher.resources").joinpath("extract_thresholds.json").read_text())
        return cls(raw["thresholds"], {k: v for k, v in raw.items() if k != "thresholds"})

    def get(self, taxonomy: str, method: str) -> float:
        return self.table.get(taxonomy, {}).get(method, DISABLED)

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {t: dict(ms) for t, ms in self.table.items()}


class Linker:
    """Top taxonomy items for query vectors, per taxonomy, from the built indexes."""

    def __init__(self, catalog: Catalog, indexes: IndexSet, thresholds: Thresholds | None = None) -> None:
        self.catalog = catalog
        self.thresholds = thresholds or Thresholds.load()
        self.indexes: dict[str, VectorIndex] = {}
        for taxonomy, names in INDEXES.items():
            name = next((n for n in names if n in indexes), None)
            if name is None:
                log.warning("no index for %s (looked for %s); it is not linked", taxonomy, names)
                continue
            self.indexes[taxonomy] = indexes[name]
            # the linker searches in large batches: int8 candidates, exact float32 scores
            indexes[name].enable_int8_candidates()
        # With alternative labels, an ESCO skill scores the mean of its preferred-label cosine
        # and its best-label cosine: an alternative label alone ("react") is weaker evidence.
        self._esco_pref: VectorIndex | None = None

        if self.indexes.get(Taxonomy.ESCO) is not None and "esco_skills" in indexes:
            if self.indexes[Taxonomy.ESCO].name != "esco_skills":
                self._esco_pref = indexes["esco_skills"]

    def label(self, taxonomy: str, id_: str, text: str = "") -> str:
        if taxonomy == Taxonomy.ESCO:
            s = self.catalog.esco_skills.get(id_)
            return s.label if s else text or id_
        if taxonomy == Taxonomy.ONET_DWA:
            d = self.catalog.dwas.get(id_)
            return d.title if d else text or id_
        return id_

    def search(self, vectors: np.ndarray, taxonomy: str, k: int = 3) -> list[list[Link]]:
        """The ``k`` best distinct items of ``taxonomy`` for each row of ``vectors``."""
        index = self.indexes.get(taxonomy)
        if index is None or len(vectors) == 0 or len(index) == 0:
            return [[] for _ in range(len(vectors))]
        mix = self._esco_pref if taxonomy == Taxonomy.ESCO else None
        fetch = k * 4 if mix is not None else k  # re-scored by the preferred label below
        scores, rows = index.search(vectors, min(len(index), fetch * 6))
        out: list[list[Link]] = []
        for q, (srow, rrow) in enumerate(zip(scores, rows, strict=True)):
            seen: dict[str, tuple[float, str]] = {}
            for s, r in zip(srow, rrow, strict=True):
                if r < 0:
                    continue
                id_ = index.ids[r]
                if id_ not in seen:
                    seen[id_] = (float(s), index.texts[r])
                    if len(seen) == fetch:
                        break
            if mix is not None:
                ids = list(seen)
                prows = [mix.rows_by_id.get(i, [-1])[0] for i in ids]
                pref = mix.matrix[[max(r, 0) for r in prows]] @ vectors[q]
                seen = {
                    i: (PREF_SHARE * float(p) + (1 - PREF_SHARE) * max(seen[i][0], float(p)), seen[i][1])
                    for i, p, r in zip(ids, pref, prows, strict=True)
                    if r >= 0
                }
            best = sorted(seen.items(), key=lambda kv: -kv[1][0])[:k]
            out.append([Link(str(taxonomy), i, self.label(taxonomy, i, t), s) for i, (s, t) in best])
        return out

    def link(
        self,
        vectors: np.ndarray,
        routes: Sequence[str],
        methods: Sequence[Method],
        *,
        per_taxonomy: int = 1,
    ) -> list[list[Link]]:
        """Thresholded links for each query (its route picks the taxonomies, its method the
        thresholds); at most ``per_taxonomy`` items per taxonomy per query."""
        out: list[list[Link]] = [[] for _ in range(len(vectors))]
        for taxonomy in self.indexes:
            rows = [
                i
                for i, r in enumerate(routes)
                if taxonomy in ROUTES.get(r, ()) and self.thresholds.get(taxonomy, methods[i]) <= 1.0
            ]  # (a disabled taxonomy/method pair is not searched at all)
            if not rows:
                continue
            found = self.search(vectors[rows], taxonomy, k=max(per_taxonomy, 1))
            for i, links in zip(rows, found, strict=True):
                thr = self.thresholds.get(taxonomy, methods[i])
                out[i].extend(lk for lk in links[:per_taxonomy] if lk.score >= thr)
        return out
