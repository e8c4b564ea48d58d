"""The extractor's vocabulary: taxonomies, methods, and one extracted skill with its evidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Taxonomy(StrEnum):
    ONET_TECH = "onet-tech"  # O*NET technology skill examples (and commodity titles)
    ONET_TOOL = "onet-tool"  # O*NET tools-used examples (and commodity titles)
    ONET_DWA = "onet-dwa"  # O*NET detailed work activities
    ESCO = "esco"  # ESCO skills and knowledge


class Method(StrEnum):
    EXACT = "exact"  # a taxonomy surface form found verbatim (lemma- and case-insensitive)
    PATTERN = "pattern"  # a noun chunk or verb-object phrase, linked by similarity
    MODEL = "model"  # a span from the SkillSpan-trained span model, linked by similarity
    SEMANTIC = "semantic"  # the whole sentence, linked by similarity


class Kind(StrEnum):
    CURRICULUM = "curriculum"
    POSTING = "posting"
    AUTO = "auto"


@dataclass(frozen=True)
class ExtractedSkill:
    """One skill found in a text, with the evidence a reviewer can check.

    ``text == input[start:end]`` where ``input`` is the string given to ``extract()``.
    """

    taxonomy: str  # "onet-tech" | "onet-tool" | "onet-dwa" | "esco"
    id: str  # ESCO URI, O*NET DWA id, or technology/tool example text
    label: str
    text: str  # the matched text in the input
    start: int  # character offsets of `text` in the input string given to extract()
    end: int
    sentence: str
    score: float
    method: str  # "exact" | "pattern" | "model" | "semantic"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"] = round(float(self.score), 4)
        return d


@dataclass(frozen=True, slots=True)
class Candidate:
    """A piece of a sentence that may express a skill, before linking.

    Offsets are relative to the input text. ``kind`` is the span model's label (skill or
    knowledge) or the pattern that produced it (noun_chunk, verb_object).
    """

    sentence: int  # index into the sentences of the batch
    start: int
    end: int
    text: str
    method: Method
    kind: str = ""
    query: str = ""  # what to link when it differs from ``text`` ("MIG" -> "MIG welding")

    @property
    def query_text(self) -> str:
        return self.query or self.text
