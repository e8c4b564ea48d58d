"""Labelled-program memory: CIP codes and occupations of similar, already-approved programs.

States' eligible training provider lists (ETPL) pair each approved program with the CIP code
the state accepted. Nearest neighbours among such programs are a strong signal for a new
program of the same kind. The memory stores, per labelled program, only vectors (document and
title embeddings), its CIP code and crosswalked SOC codes, a hash of its provider's name, a
hash of its text, and the cross-validation fold it belongs to: never its text.

A program whose text hash is in the memory (a program the model was fitted on) is scored
without its own fold, so evaluation on the fitting data is cross-validated, not in-sample.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matcher.text.normalise import fold


def provider_hash(provider: str | None) -> str:
    name = fold(provider or "")
    return hashlib.sha1(name.encode()).hexdigest()[:12] if name else ""


@dataclass
class Neighbour:
    row: int
    similarity: float
    weight: float
    cip: str
    same_provider: bool


@dataclass
class MemoryVotes:
    soc: dict[str, float]
    cip: dict[str, float]
    neighbours: list[Neighbour] = field(default_factory=list)


@dataclass
class ProgramMemory:
    encoder: str  # identity of the encoder the vectors were made with
    doc: np.ndarray  # (n, d) float32
    title: np.ndarray  # (n, d) float32
    cips: list[str]
    socs: list[list[str]]
    providers: list[str]  # provider_hash() per record
    keys: list[str]  # program_key() per record
    folds: np.ndarray  # (n,) int, cross-validation fold of each record
    source: str = ""
    k: int = 10
    power: float = 4.0
    provider_bonus: float = 0.2
    # Votes are shares of at least this much weight (sum of sim^power over the k neighbours),
    # so ten programs unlike the query (similarity about 0.3) vote weakly, not as one.
    mass: float = 0.3

    def __post_init__(self) -> None:
        self.fold_of = dict(zip(self.keys, (int(f) for f in self.folds), strict=True))
        self._providers = np.array(self.providers)
        self._keys = np.array(self.keys)

    def __len__(self) -> int:
        return len(self.cips)

    def fold_for(self, key: str) -> int | None:
        """The fold of a memorised program (by text hash), else None."""
        return self.fold_of.get(key)

    def exclusion(self, key: str, extra_fold: int | None = None) -> np.ndarray:
        """Rows a query may not see: its own fold (when memorised), exact copies of its text,
        and ``extra_fold`` (used while fitting)."""
        mask = self._keys == key
        own = self.fold_of.get(key)
        if own is not None:
            mask |= self.folds == own
        if extra_fold is not None:
            mask |= self.folds == extra_fold
        return mask

    def votes(
        self, doc: np.ndarray, title: np.ndarray, provider: str | None, exclude: np.ndarray
    ) -> MemoryVotes:
        sims = 0.5 * (self.doc @ doc) + 0.5 * (self.title @ title)
        ph = provider_hash(provider)
        same = (self._providers == ph) if ph else np.zeros(len(sims), dtype=bool)
        ranked = sims + self.provider_bonus * same
        ranked = np.where(exclude, -np.inf, ranked)
        k = min(self.k, int((~exclude).sum()))
        if k <= 0:
            return MemoryVotes({}, {})
        top = np.argpartition(-ranked, k - 1)[:k]
        top = top[np.argsort(-ranked[top])]
        w = np.clip(ranked[top], 0, None) ** self.power
        total = max(float(w.sum()), self.mass) or 1.0
        soc: dict[str, float] = {}
        cip: dict[str, float] = {}
        neighbours = []
        for row, weight in zip(top, w / total, strict=True):
            row = int(row)
            for s in self.socs[row]:
                soc[s] = soc.get(s, 0.0) + float(weight)
            cip[self.cips[row]] = cip.get(self.cips[row], 0.0) + float(weight)
            neighbours.append(
                Neighbour(row, float(sims[row]), float(weight), self.cips[row], bool(same[row]))
            )
        return MemoryVotes(soc, cip, neighbours)

    # -- persistence -----------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "memory.npz",
            doc=self.doc.astype(np.float16),
            title=self.title.astype(np.float16),
            folds=self.folds.astype(np.int8),
        )
        meta = {
            "encoder": self.encoder,
            "source": self.source,
            "k": self.k,
            "power": self.power,
            "provider_bonus": self.provider_bonus,
            "mass": self.mass,
            "records": [
                {"cip": c, "soc": s, "provider": p, "key": k}
                for c, s, p, k in zip(self.cips, self.socs, self.providers, self.keys, strict=True)
            ],
        }
        (folder / "memory.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path) -> ProgramMemory:
        arrays = np.load(folder / "memory.npz")
        meta = json.loads((folder / "memory.json").read_text())
        recs = meta["records"]
        return cls(
            encoder=meta["encoder"],
            doc=arrays["doc"].astype(np.float32),
            title=arrays["title"].astype(np.float32),
            cips=[r["cip"] for r in recs],
            socs=[r["soc"] for r in recs],
            providers=[r["provider"] for r in recs],
            keys=[r["key"] for r in recs],
            folds=arrays["folds"].astype(np.int64),
            source=meta.get("source", ""),
            k=int(meta.get("k", 10)),
            power=float(meta.get("power", 4.0)),
            provider_bonus=float(meta.get("provider_bonus", 0.2)),
            mass=float(meta.get("mass", 0.0)),  # memories saved before it: plain shares
        )
