"""Practice occupations: the occupations a program prepares people to practise, not to teach.

The NCES CIP -> SOC crosswalk attaches a teaching code to most CIP codes (49.0205 Truck and Bus
Driver -> 25-1194 Career/Technical Education Teachers, Postsecondary), so labels made from it
reward predicting teachers for a CDL course. A short program prepares teachers only when it is
teacher preparation (CIP family 13, Education) or its text is about teaching.

* :func:`practice_socs`: a program's crosswalk SOC set without teaching codes (25-1xxx
  postsecondary, 25-2xxx preschool to secondary, 25-3xxx other teachers and instructors),
  unless they are its only codes or its CIP is in family 13.
* :func:`about_teaching`: whether a program's own words are about teaching (its title names a
  teaching job, a stated CIP in family 13, or two distinct teaching phrases in its text); if not,
  the aligner ranks teaching occupations after every other occupation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TEACHING_PREFIXES = ("25-1", "25-2", "25-3")
TEACHER_PREPARATION_CIP = "13."

# A teaching job named in a program title ("Paraprofessional Certificate", "Substitute Teacher
# Training", "Adult ESL Instructor", "Early Childhood Educator").
_TITLE = re.compile(
    r"\b(teach(er|ers|ing)|educators?|paraprofessionals?|paraeducators?|tutor(s|ing)?|instructors?|"
    r"pedagog\w*|early\s+childhood|preschool|child\s+development\s+associate|praxis)\b",
    re.I,
)
# Phrases about teaching as the work the program prepares for.
_PHRASES = re.compile(
    r"\b(lesson\s+plan\w*|classroom\s+management|student\s+teaching|teach(er|ing)\s+(certification|"
    r"certificate|licen[cs]e\w*|preparation|candidates?)|become\s+an?\s+(teacher|educator|instructor)|"
    r"substitute\s+teach\w*|paraprofessional|paraeducator|teach(er|ing)\s+(aide|assistant)s?|"
    r"early\s+childhood\s+educat\w*|preschool\s+(teacher|classroom)s?|pedagog\w*|"
    r"instructional\s+(strategies|methods|design)|differentiated\s+instruction|tutor(s|ing)?|"
    r"praxis|child\s+development\s+associate|adult\s+learning\s+theory|train[- ]the[- ]trainer)\b",
    re.I,
)


def is_teaching(code: str) -> bool:
    """A SOC or O*NET-SOC teaching code (25-1xxx, 25-2xxx, 25-3xxx)."""
    return code.startswith(TEACHING_PREFIXES)


def is_teacher_preparation(cip: str | None) -> bool:
    return bool(cip) and str(cip).startswith(TEACHER_PREPARATION_CIP)


def practice_socs(socs: Iterable[str], cip: str | None) -> list[str]:
    """The SOC codes a program with crosswalk set ``socs`` and CIP ``cip`` prepares people to
    practise: teaching codes dropped unless they are all there is or the CIP is in family 13."""
    socs = list(socs)
    if is_teacher_preparation(cip) or all(is_teaching(s) for s in socs):
        return socs
    return [s for s in socs if not is_teaching(s)]


def about_teaching(title: str, texts: Iterable[str], cip: str | None = None) -> bool:
    """Whether a program's own words are about teaching (see the module docstring)."""
    if is_teacher_preparation(cip) or _TITLE.search(title or ""):
        return True
    found = {m.group(0).lower() for t in texts for m in _PHRASES.finditer(t)}
    return len(found) >= 2
