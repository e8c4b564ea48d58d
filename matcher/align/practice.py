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
* :func:`is_leading` / :func:`about_leading`: first-line supervisors and managers (SOC major
  group 11, and the supervisors' minor groups XX-10xx of groups 33-53), whom BLS lists as entered
  after work in a related occupation, and whether a program speaks of supervising or managing
  people. For a program that does not, the aligner never ranks such an occupation first when
  one its top CIP code leads to and that leads no one is among the next four.
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


# A title about leading people ("Construction Supervisor", "Restaurant Management").
_LEADING_TITLE = re.compile(r"\b(supervis\w*|foreman|forem[ae]n|leadership|managers?|management)\b", re.I)
# Text about leading people as the work prepared for: being supervised ("under supervision",
# "a supervised placement", "a foreman's instructions") and a credential's name ("ServSafe
# Manager") are not.
_LEADING_TEXT = re.compile(
    r"\b(?:supervis(?:e|es|ing)|manag(?:e|es|ing)|lead(?:s|ing)?|direct(?:s|ing)?|coordinat(?:e|es|ing))\s+"
    r"(?:[\w-]+\s+){0,2}(?:staff|employees|workers|crews?|teams?|others|personnel|"
    r"subordinates|people)\b|\b(?:first[- ]line|frontline)\s+supervis\w*|\bsupervisory\s+(?:skills|"
    r"roles?|positions?|training)|\bleadership\b|\bcrew\s+lead\w*|\b(?:people|personnel|staff)\s+"
    r"management\b|\bbecome\s+an?\s+(?:supervisor|manager|foreman|lead)\b",
    re.I,
)


def is_leading(code: str) -> bool:
    """A manager (11-xxxx) or a first-line supervisor (33-10xx to 53-10xx, Chefs and Head Cooks
    among them): occupations entered after work in a related one. Read from the SOC structure,
    which needs no labour data at alignment time; the evidence packet's occupation checks use
    BLS's own "work experience in a related occupation" column instead
    (:data:`matcher.evidence.rules.PRIOR_EXPERIENCE`: 116 codes, some outside these groups). The
    BLS list as the ranking rule lost practice hit@1 (0.665-0.667 against 0.681, RESULTS)."""
    return code.startswith("11-") or ("33" <= code[:2] <= "53" and code[3:5] == "10")


def about_leading(title: str, texts: Iterable[str]) -> bool:
    """Whether a program speaks of supervising or managing people: its title, or its text (see
    :data:`_LEADING_TEXT`)."""
    return bool(_LEADING_TITLE.search(title or "")) or any(_LEADING_TEXT.search(t) for t in texts)
