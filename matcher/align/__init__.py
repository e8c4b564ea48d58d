"""Program -> ranked O*NET-SOC occupations, each with the evidence behind its score.

See ``docs/method.md``. Modules: :mod:`.prepared` (sentences, credentials), :mod:`.signals`
(taxonomy similarity signals), :mod:`.model` (fitted linear rankers), :mod:`.aligner`
(orchestration), :mod:`.evidence`, :mod:`.results`, :mod:`.fit` (fitting on labelled programs).
"""

from matcher.align.aligner import Aligner
from matcher.align.model import AlignModel, AlignWeights
from matcher.align.prepared import PreparedProgram, Sentence, prepare, program_key
from matcher.align.results import AlignedOccupation, Alignment, CipPrediction, Evidence
from matcher.align.signals import NO_MATCH_CODE

__all__ = [
    "NO_MATCH_CODE",
    "AlignModel",
    "AlignWeights",
    "AlignedOccupation",
    "Aligner",
    "Alignment",
    "CipPrediction",
    "Evidence",
    "PreparedProgram",
    "Sentence",
    "prepare",
    "program_key",
]
