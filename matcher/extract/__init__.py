"""Skill extraction with evidence: spaCy spans from curricula and postings, linked to O*NET and
ESCO skills.

>>> extractor = SkillExtractor.from_matcher(Matcher.load())          # doctest: +SKIP
>>> [s.label for s in extractor.extract("Students learn MIG and TIG welding.")]  # doctest: +SKIP
['use metal inert gas welding', 'use tungsten inert gas welding', ...]

Every :class:`ExtractedSkill` carries taxonomy, id, label, the matched text with its character
offsets in the input, the sentence, a score and the method (exact, pattern, model, semantic).
"""

from typing import TYPE_CHECKING, Any

from matcher.extract.types import ExtractedSkill, Kind, Method, Taxonomy

if TYPE_CHECKING:
    from matcher.extract.extractor import MAX_TEXT_CHARS, SkillExtractor

__all__ = ["MAX_TEXT_CHARS", "ExtractedSkill", "Kind", "Method", "SkillExtractor", "Taxonomy"]


def __getattr__(name: str) -> Any:
    """The extractor (and spaCy behind it) loads on first use, so that the index encoder's
    transformer pass (:mod:`matcher.encoding.minilm`) can be imported without them."""
    if name in ("MAX_TEXT_CHARS", "SkillExtractor"):
        from matcher.extract import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
