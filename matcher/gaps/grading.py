"""Grading a requirement against a program: taught, partly or not taught.

For every requirement the grader looks at every evidence span of the program (see
:mod:`matcher.gaps.evidence`) and measures how well the best span expresses it:

- ``sim``: cosine similarity of the best span to the requirement's texts (an ESCO skill's
  preferred and alternative labels, a DWA's title, a tool's examples, ...); ``label`` the
  preferred label alone; ``task`` the O*NET task statements behind a DWA in this occupation;
- ``rank``: competition: among all items of the requirement's taxonomy (2,080 DWAs, 13,939
  ESCO skills, ...), how many match that span better. A span that really teaches a requirement
  names it better than anything else; a setting word ("hospitals") is near many requirements
  and names none of them;
- breadth: how many spans express it (``n5``, ``n6``: above 0.5 and 0.6) and the mean of the best
  three; the program's and the requirement's closeness to the occupation; the share of the
  requirement's content words found in the program; what kind of span (sentence, clause,
  phrase, title, credential) and where (title, statement, features, credential) the best one is.

Two logistic models over these features (``resources/gap_grader.json``) give the probability
that the requirement is at least partly taught and that it is taught; each has its threshold.
They are fitted on hand-labelled curricula (``evaluation/fit_gap_grader.py``; cross-validated
figures in ``evaluation/RESULTS.md``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from enum import IntEnum
from importlib import resources
from typing import Any

import numpy as np

from matcher.gaps.evidence import GROUPS, KINDS, EvidenceSpan


class Grade(IntEnum):
    NOT_TAUGHT = 0
    PARTLY = 1
    TAUGHT = 2

    @property
    def word(self) -> str:
        return {0: "not taught", 1: "partly", 2: "taught"}[int(self)]


FEATURES = (
    "sim",
    "label",
    "task",
    "log_rank_min",
    "log_rank_best",
    "margin",
    "log_n5",
    "log_n6",
    "top3",
    "program_occupation",
    "requirement_occupation",
    "lexical",
    "noun_like",
    *(f"kind_{k}" for k in KINDS),
    *(f"group_{g}" for g in GROUPS),
)

_STOP = set(
    "a an the of or and to in on for with by from as at into other others information data "
    "equipment work activities materials such using use".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z+#]*")


def stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2]


@dataclass
class Scored:
    """A requirement's features and the best span behind them."""

    features: np.ndarray
    best: int  # index of the best evidence span, -1 when the program has none
    sim: float


@dataclass(frozen=True)
class RequirementTexts:
    """What the grader needs of one requirement: its columns in its taxonomy's score matrix,
    its preferred label's vector, task statement vectors, label, and whether it is noun-like."""

    taxonomy_key: str  # which item matrix ranks it (an index name)
    items: np.ndarray  # its columns in that matrix (a tool group has several)
    label_row: np.ndarray  # vector of the preferred label
    task_rows: np.ndarray | None
    label: str
    noun_like: bool
    occupation_sim: float


def features_for(
    req: RequirementTexts,
    span_vecs: np.ndarray,
    item_scores: np.ndarray,
    spans: list[EvidenceSpan],
    *,
    program_occupation: float,
    program_stems: set[str],
) -> Scored:
    """The feature vector of one requirement over a program's spans. ``item_scores`` holds the
    spans' scores against every item of the requirement's taxonomy (spans x items)."""
    if not spans:
        x = np.zeros(len(FEATURES), dtype=np.float32)
        x[FEATURES.index("log_rank_min")] = x[FEATURES.index("log_rank_best")] = math.log1p(1000)
        x[FEATURES.index("margin")] = -1.0
        x[FEATURES.index("program_occupation")] = program_occupation
        x[FEATURES.index("requirement_occupation")] = req.occupation_sim
        x[FEATURES.index("noun_like")] = float(req.noun_like)
        return Scored(x, -1, 0.0)
    col = item_scores[:, req.items].max(axis=1)
    rank = (item_scores > col[:, None]).sum(axis=1)
    j = int(np.argmax(col))
    label_sims = span_vecs @ req.label_row
    task = float((req.task_rows @ span_vecs.T).max()) if req.task_rows is not None else 0.0
    words = content_stems(req.label)
    lexical = sum(w in program_stems for w in words) / max(1, len(words))
    top = float(item_scores[j].max())
    values: dict[str, float] = {
        "sim": float(col[j]),
        "label": float(label_sims.max()),
        "task": task,
        "log_rank_min": math.log1p(int(rank.min())),
        "log_rank_best": math.log1p(int(rank[j])),
        "margin": float(col[j]) - top,
        "log_n5": math.log1p(int((col > 0.5).sum())),
        "log_n6": math.log1p(int((col > 0.6).sum())),
        "top3": float(np.sort(col)[-3:].mean()),
        "program_occupation": program_occupation,
        "requirement_occupation": req.occupation_sim,
        "lexical": lexical,
        "noun_like": float(req.noun_like),
        f"kind_{spans[j].kind}": 1.0,
        f"group_{spans[j].group}": 1.0,
    }
    x = np.array([values.get(name, 0.0) for name in FEATURES], dtype=np.float32)
    return Scored(x, j, float(col[j]))


@dataclass(frozen=True)
class GradeModel:
    """Two logistic models over standardised features: P(at least partly taught), P(taught)."""

    mean: np.ndarray
    scale: np.ndarray
    coef_partly: np.ndarray
    intercept_partly: float
    coef_taught: np.ndarray
    intercept_taught: float
    threshold_partly: float
    threshold_taught: float
    meta: dict[str, Any]
    # Thresholds for a program read as a syllabus (a course list with outcomes; see
    # ``ProgramEvidence.structured``): such documents teach far more of their occupation than
    # prose listings do (229 of 420 labels taught against 123 of 1,537), so the same probability
    # calls for another cut. None: the prose thresholds serve every program.
    structured_thresholds: tuple[float, float] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GradeModel:
        if tuple(d["features"]) != FEATURES:
            raise ValueError("gap grader: the stored model's features differ from the code's")
        return cls(
            np.asarray(d["mean"], dtype=np.float64),
            np.asarray(d["scale"], dtype=np.float64),
            np.asarray(d["partly"]["coef"], dtype=np.float64),
            float(d["partly"]["intercept"]),
            np.asarray(d["taught"]["coef"], dtype=np.float64),
            float(d["taught"]["intercept"]),
            float(d["partly"]["threshold"]),
            float(d["taught"]["threshold"]),
            dict(d.get("meta", {})),
            (float(d["structured"]["partly"]), float(d["structured"]["taught"]))
            if d.get("structured")
            else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "partly": {
                "coef": self.coef_partly.round(6).tolist(),
                "intercept": round(self.intercept_partly, 6),
                "threshold": self.threshold_partly,
            },
            "taught": {
                "coef": self.coef_taught.round(6).tolist(),
                "intercept": round(self.intercept_taught, 6),
                "threshold": self.threshold_taught,
            },
            **(
                {
                    "structured": {
                        "partly": self.structured_thresholds[0],
                        "taught": self.structured_thresholds[1],
                    }
                }
                if self.structured_thresholds
                else {}
            ),
            "meta": self.meta,
        }

    def probabilities(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        z = (np.atleast_2d(x) - self.mean) / self.scale
        p_partly = 1.0 / (1.0 + np.exp(-(z @ self.coef_partly + self.intercept_partly)))
        p_taught = 1.0 / (1.0 + np.exp(-(z @ self.coef_taught + self.intercept_taught)))
        return p_partly, np.minimum(p_taught, p_partly)

    def thresholds(self, structured: bool) -> tuple[float, float]:
        """(partly, taught) cuts for a prose program or a syllabus."""
        if structured and self.structured_thresholds is not None:
            return self.structured_thresholds
        return self.threshold_partly, self.threshold_taught

    def grades(
        self, x: np.ndarray, structured: bool | np.ndarray = False
    ) -> tuple[list[Grade], np.ndarray, np.ndarray]:
        """Grades of feature rows; ``structured`` says (per row, or for all) whether the program
        was read as a syllabus."""
        p_partly, p_taught = self.probabilities(x)
        flags = np.broadcast_to(np.asarray(structured, dtype=bool), p_partly.shape)
        out = []
        for p, t, flag in zip(p_partly, p_taught, flags, strict=True):
            cut_partly, cut_taught = self.thresholds(bool(flag))
            out.append(
                Grade.TAUGHT if t >= cut_taught else Grade.PARTLY if p >= cut_partly else Grade.NOT_TAUGHT
            )
        return out, p_partly, p_taught


def load_model() -> GradeModel:
    raw = resources.files("matcher.resources").joinpath("gap_grader.json").read_text()
    return GradeModel.from_dict(json.loads(raw))
