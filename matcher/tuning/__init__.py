"""Fine-tuning the sentence encoder on taxonomy pairs (O*NET, ESCO, CIP), shipped as a LoRA adapter.

- :mod:`matcher.tuning.pairs` builds (anchor, positive, hard negative) triples from the data
  directory only, never from evaluation files;
- :mod:`matcher.tuning.train` fine-tunes all-MiniLM-L6-v2 with a LoRA adapter and
  MultipleNegativesRankingLoss on CPU;
- :mod:`matcher.encoding.adapter` turns a committed adapter folder into a loadable model folder.
"""

from __future__ import annotations

TUNED_ALIASES = ("tuned",)
DEFAULT_ADAPTER = "labour-minilm-lora"
