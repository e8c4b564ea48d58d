"""Occupations a short program does not lead to directly: BLS says they are entered after five
years or more of related work experience (Employment Projections, "Education and training
assignments by detailed occupation": 28 occupations, among them computer network architects,
computer and information systems managers, first-line supervisors of construction trades, chefs
and head cooks, construction and building inspectors).

A program under :data:`SHORT_CLOCK_HOURS` clock hours (Workforce Pell's short programs run 150
to 599), or of fewer than :data:`SHORT_WEEKS` weeks when no hours are stated, prepares people
for the jobs such occupations are entered *from*, not for the occupations themselves. The
aligner ranks them after the first :data:`TOP_PLACES` occupations for such a program (their
order among themselves kept) and says why in their evidence; a code the program states still
ranks first. Measured on the 714 NJ ETPL dev programs (provider folds; the crosswalk labels
count supervisors and chefs as practice occupations): practice hit@1 / @5 / mrr 0.682 / 0.818 /
0.743 without the rule, 0.681 / 0.814 / 0.742 with it (only the 20 of them that also need a
bachelor's degree: 0.682 / 0.818 / 0.743, the rule measured before the memory's vote mass:
0.681 / 0.810 / 0.740 -> 0.678 / 0.815 / 0.740). A 240-hour construction laborer syllabus ranks
Carpenters first, not First-Line Supervisors of Construction Trades.
"""

from __future__ import annotations

import numpy as np

from matcher.program import Program

SHORT_CLOCK_HOURS = 600.0
SHORT_WEEKS = 15.0
TOP_PLACES = 5


def needs_years_of_experience(experience: str) -> bool:
    """BLS's typical entry: 5 years or more of related work experience."""
    return experience.lower().startswith("5 years")


def program_length(program: Program) -> str | None:
    """The program's length as the note says it, when it is short; ``None`` otherwise (or when
    the text states no length)."""
    hours = program.clock_hours
    if hours:
        return f"{hours:g}-clock-hour" if hours < SHORT_CLOCK_HOURS else None
    weeks = program.weeks or (program.weeks_range[1] if program.weeks_range else None)
    if weeks:
        return f"{weeks:g}-week" if weeks < SHORT_WEEKS else None
    return None


def after_direct_entry(logits: np.ndarray, experienced: np.ndarray) -> np.ndarray:
    """``logits`` with the ``experienced`` rows placed after the :data:`TOP_PLACES`-th other row
    (one shift for them all, so their order among themselves is kept)."""
    order = np.argsort(-logits, kind="stable")
    if not experienced[order[:TOP_PLACES]].any():
        return logits
    others = order[~experienced[order]]
    if len(others) < TOP_PLACES:
        return logits
    shifted = logits.copy()
    shifted[experienced] -= logits[experienced].max() - logits[others[TOP_PLACES - 1]] + 1e-3
    return shifted


def entry_note(education: str, experience: str, length: str) -> str:
    schooling = f"a {education.lower()} and " if education and education[0].isalpha() else ""
    return (
        f"BLS: typically entered with {schooling}{experience.lower()} of related work experience; "
        f"ranked after the occupations a {length} program leads to directly"
    )
