"""Skill extraction with evidence: spaCy spans from curricula and postings, linked to O*NET and
ESCO skills.

>>> extractor = SkillExtractor.from_matcher(Matcher.load())          # doctest: +SKIP
>>> [s.label for s in extractor.extract("Students learn MIG and TIG welding.")]  # doctest: +SKIP
['use metal inert gas welding', 'use tungsten inert gas welding', ...]

Every :class:`ExtractedSkill` carries taxonomy, id, label, the matched text with its character
offsets in the input, the sentence, a score and the method (exact, pattern, model, semantic).
"""

from matcher.extract.extractor import MAX_TEXT_CHARS, SkillExtractor
from matcher.extract.types import ExtractedSkill, Kind, Method, Taxonomy

__all__ = ["MAX_TEXT_CHARS", "ExtractedSkill", "Kind", "Method", "SkillExtractor", "Taxonomy"]
