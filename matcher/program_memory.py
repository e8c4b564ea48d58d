"""Labelled-program memory: occupations and CIP codes of similar, already-approved programs.

States' eligible training provider lists (ETPL) pair each approved program with the CIP code
the state accepted. A nearest-neighbour memory over such programs is a strong signal for new
programs of the same kind. The memory is optional: without one, alignment uses the taxonomy
signals only. ``models/etpl-memory/`` documents how the shipped memory is built.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.encoder import Encoder


@dataclass
class ProgramMemory:
    vectors: np.ndarray  # (n, d) program document vectors
    title_vectors: np.ndarray  # (n, d)
    cips: list[str]
    socs: list[list[str]]
    text_keys: set[str]  # hashes of memorised program texts (excluded when queried)
    k: int = 10

    @classmethod
    def load_default(cls, encoder: Encoder) -> ProgramMemory | None:
        return None

    def _neighbours(self, doc: np.ndarray, title: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sims = 0.5 * (self.vectors @ doc) + 0.5 * (self.title_vectors @ title)
        order = np.argsort(-sims)
        # never let a program vote for itself (exact text match)
        order = order[sims[order] < 0.9999][: self.k]
        return order, sims[order]

    def soc_vote(self, doc: np.ndarray, title: np.ndarray) -> dict[str, float]:
        idx, sims = self._neighbours(doc, title)
        votes: dict[str, float] = {}
        total = float(np.clip(sims, 0, None).sum()) or 1.0
        for i, s in zip(idx, sims, strict=True):
            for soc in self.socs[i]:
                votes[soc] = votes.get(soc, 0.0) + max(float(s), 0.0) / total
        return votes

    def cip_vote(self, doc: np.ndarray, title: np.ndarray, cip_ids: list[str]) -> np.ndarray:
        idx, sims = self._neighbours(doc, title)
        pos = {c: i for i, c in enumerate(cip_ids)}
        out = np.zeros(len(cip_ids), dtype=np.float32)
        total = float(np.clip(sims, 0, None).sum()) or 1.0
        for i, s in zip(idx, sims, strict=True):
            j = pos.get(self.cips[i])
            if j is not None:
                out[j] += max(float(s), 0.0) / total
        return out


def load_memory(path: Path) -> dict:
    return json.loads(path.read_text())
