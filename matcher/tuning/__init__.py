"""Fine-tuning the sentence encoder on taxonomy pairs (O*NET, ESCO, CIP), shipped as a LoRA adapter.

- :mod:`matcher.tuning.pairs` builds (anchor, positive, hard negative) triples from the data
  directory only, never from evaluation files;
- :mod:`matcher.tuning.train` fine-tunes all-MiniLM-L6-v2 with a LoRA adapter and
  MultipleNegativesRankingLoss on CPU;
- loading a committed adapter is :mod:`matcher.encoding.adapter` (training imports encoding,
  never the reverse).
"""

from __future__ import annotations
