"""The alignment model: two linear rankers fitted with a listwise loss on labelled programs.

1. CIP ranker over :data:`CIP_FEATURES` (+ ``knn`` votes of similar labelled programs); its
   softmax is a distribution over CIP codes, pushed to occupations through the crosswalk
   (the ``cip`` occupation signal).
2. Occupation ranker over :data:`OCC_FEATURES`. Its logits are turned into an estimated chance
   that the program prepares people for the occupation: an isotonic map of the occupation's
   log-softmax share (its logit minus the log-sum-exp of all logits), fitted on the out-of-fold
   rankings' top ten of every labelled program and interpolated between block centres, so
   scores rise strictly with the logit and stop short of 0 and 1 (no five "certainties").

Weights are stored per cross-validation fold as well as fitted on all records, so a program
the model was fitted on is always scored by the model that did not see it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import logsumexp

from matcher.align.signals import CIP_FEATURES, TAXONOMY_FEATURES

OCC_FEATURES = (*TAXONOMY_FEATURES, "cip", "knn", "no_match")
CIP_MODEL_FEATURES = (*CIP_FEATURES, "knn")


@dataclass
class LinearRanker:
    features: tuple[str, ...]
    weights: np.ndarray

    def scores(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        n = len(next(iter(feats.values())))
        out = np.zeros(n, dtype=np.float64)
        for name, w in zip(self.features, self.weights, strict=True):
            if name in feats:
                out += w * feats[name]
        return out

    def to_dict(self) -> dict[str, float]:
        return {f: round(float(w), 6) for f, w in zip(self.features, self.weights, strict=True)}

    @classmethod
    def from_dict(cls, d: dict[str, float], features: tuple[str, ...]) -> LinearRanker:
        return cls(features, np.array([float(d.get(f, 0.0)) for f in features]))


def log_softmax(logits: np.ndarray) -> np.ndarray:
    return logits - logsumexp(logits)


@dataclass
class Calibration:
    """Isotonic map from an occupation's log-softmax share to the chance it is one the program
    prepares for: knots ``x`` (increasing) and ``y`` (strictly increasing, inside (0, 1)),
    linear in between, flat beyond the ends. Without knots: ``sigmoid(a * logit + b)``."""

    x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    a: float = 1.0
    b: float = 0.0

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        if len(self.x):
            return np.interp(log_softmax(logits), self.x, self.y)
        return 1.0 / (1.0 + np.exp(-(self.a * logits + self.b)))

    def to_dict(self) -> dict[str, Any]:
        if len(self.x):
            return {
                "kind": "isotonic on log-softmax",
                "x": [round(float(v), 5) for v in self.x],
                "y": [round(float(v), 5) for v in self.y],
            }
        return {"a": round(self.a, 6), "b": round(self.b, 6)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Calibration:
        if "x" in d:
            return cls(np.array(d["x"], dtype=np.float64), np.array(d["y"], dtype=np.float64))
        return cls(a=float(d.get("a", 1.0)), b=float(d.get("b", 0.0)))


@dataclass
class AlignModel:
    cip: LinearRanker
    occupation: LinearRanker
    temperature: float = 1.0
    calibration: Calibration = field(default_factory=Calibration)

    def cip_probabilities(self, scores: np.ndarray) -> np.ndarray:
        z = (scores - scores.max()) / max(self.temperature, 1e-6)
        e = np.exp(z)
        return e / e.sum()

    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        return self.calibration(logits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cip": self.cip.to_dict(),
            "occupation": self.occupation.to_dict(),
            "temperature": self.temperature,
            "calibration": self.calibration.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AlignModel:
        return cls(
            LinearRanker.from_dict(d["cip"], CIP_MODEL_FEATURES),
            LinearRanker.from_dict(d["occupation"], OCC_FEATURES),
            float(d.get("temperature", 1.0)),
            Calibration.from_dict(d.get("calibration", {})),
        )


@dataclass
class AlignWeights:
    """The model fitted on all records, the per-fold models, and how they were fitted."""

    all: AlignModel
    folds: list[AlignModel] = field(default_factory=list)
    fitted: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)

    def for_fold(self, fold: int | None) -> AlignModel:
        if fold is None or not self.folds:
            return self.all
        return self.folds[fold]

    def to_json(self) -> str:
        return json.dumps(
            {
                "fitted": self.fitted,
                "metrics": self.metrics,
                "all": self.all.to_dict(),
                "folds": [f.to_dict() for f in self.folds],
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> AlignWeights:
        d = json.loads(text)
        return cls(
            AlignModel.from_dict(d["all"]),
            [AlignModel.from_dict(f) for f in d.get("folds", [])],
            d.get("fitted", ""),
            d.get("metrics", {}),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> AlignWeights:
        """``path``, or the taxonomy-only weights shipped in ``matcher/resources``."""
        if path is not None:
            return cls.from_json(Path(path).read_text())
        text = resources.files("matcher.resources").joinpath("align_weights.json").read_text()
        return cls.from_json(text)
