"""The SkillSpan span model: a small spaCy NER (own CNN token encoder, labels SKILL and
KNOWLEDGE) trained on ``../shared/eval/skillspan/train.json``; see
``models/skillspan-ner/README.md`` for the data, recipe, seed and measured scores.

It runs on the Docs of :class:`~matcher.extract.pipeline.TextPipeline` (shared vocabulary) and
is self-contained (its token encoder lives inside the NER component), so it does not read the
tensors of the tagger/parser pipeline.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from matcher.settings import REPO_ROOT

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "skillspan-ner" / "model"
LABELS = {"SKILL": "skill", "KNOWLEDGE": "knowledge"}


class SpanModel:
    """Predict skill and knowledge spans on Docs in place (``doc.ents``)."""

    def __init__(self, path: Path, nlp: Language) -> None:
        import spacy

        self.path = Path(path)
        self.nlp = spacy.load(self.path, vocab=nlp.vocab)
        self._lock = threading.Lock()
        self.version = f"{self.nlp.meta.get('name', 'skillspan')}-{self.nlp.meta.get('version', '0')}"

    @classmethod
    def load_default(cls, nlp: Language, path: Path | None = None) -> SpanModel | None:
        folder = Path(path) if path else DEFAULT_MODEL_DIR
        if not (folder / "meta.json").is_file():
            log.warning("no span model at %s: extraction runs without model spans", folder)
            return None
        return cls(folder, nlp)

    def predict(self, docs: Sequence[Doc], batch_size: int = 256) -> list[list[tuple[int, int, str]]]:
        """(start token, end token, "skill" | "knowledge") spans of each doc."""
        if not docs:
            return []
        with self._lock:
            stream = docs
            for _, proc in self.nlp.pipeline:
                stream = proc.pipe(stream, batch_size=batch_size)
            out = [[(e.start, e.end, LABELS[e.label_]) for e in d.ents if e.label_ in LABELS] for d in stream]
        return out
