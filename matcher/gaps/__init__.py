"""Skill gaps: what an occupation requires, graded taught / partly / not taught for a program,
with the evidence for each decision (see :mod:`matcher.gaps.analyzer`)."""

from matcher.gaps.analyzer import GapAnalyzer, ProgramEvidence
from matcher.gaps.grading import Grade, GradeModel
from matcher.gaps.report import Assessment, GapReport, GradedCompetency
from matcher.gaps.requirements import Competency, Requirement, RequirementList

__all__ = [
    "Assessment",
    "Competency",
    "GapAnalyzer",
    "GapReport",
    "Grade",
    "GradeModel",
    "GradedCompetency",
    "ProgramEvidence",
    "Requirement",
    "RequirementList",
]
