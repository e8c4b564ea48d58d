"""Requirements about leading other people, and text that teaches leading.

A program that teaches a subject does not thereby teach training, supervising or coordinating the
people who work in it: a culinary course that teaches food service does not teach "Train food
service personnel", nor does a phlebotomy course teach "Teach medical procedures to healthcare
personnel" (labelling protocol: an outcome teaches its verb-object). Such a requirement counts as
taught only when the evidence's sentence speaks of leading people: supervision, management,
coaching, mentoring, coordinating, delegating, recruiting.
"""

from __future__ import annotations

import re

# A verb of leading with people as its object: "Train food preparation or food service personnel.",
# "Supervise patient care personnel.", "mentor individuals", "Advise others on business matters."
_LEADS_OTHERS = re.compile(
    r"^(?:train|teach|supervise|manage|coordinate|direct|mentor|advise|instruct|lead|oversee|"
    r"delegate|assign|evaluate|hire|recruit|motivate|educate|coach|guide)\b[^.;]*?\b(?:staff|"
    r"personnel|workers?|employees?|subordinates|colleagues|teams?|crews?|apprentices|trainees|"
    r"volunteers|assistants|helpers|operators|drivers|providers|others|individuals|students|"
    r"professionals|caregivers|activities of)\b",
    re.IGNORECASE,
)
_NOT_PEOPLE = re.compile(r"\b(?:data|records?|information|agendas?|schedules?)\b", re.IGNORECASE)
# Words of leading people in a sentence of the program.
_LEADING = re.compile(
    r"\b(?:supervis\w*|manag\w*|leadership|leading|coach\w*|mentor\w*|coordinat\w*|delegat\w*|"
    r"precept\w*|recruit\w*|hiring|personnel|staffing|workforce|talent|human resources|HR|"
    r"(?:train|teach|instruct)(?:ing|s)? (?:\w+ )?(?:others|staff|employees|hires|workers|personnel))\b",
    re.IGNORECASE,
)


def leads_others(label: str) -> bool:
    """Whether a requirement is about leading other people (training, supervising, ...)."""
    return bool(_LEADS_OTHERS.search(label)) and not _NOT_PEOPLE.search(label)


# Being led is not leading: "Perform skills under RN supervision".
_LED = re.compile(r"\bunder (?:the )?(?:\w+ ){0,2}(?:supervision|direction|guidance)\b", re.IGNORECASE)


def speaks_of_leading(text: str) -> bool:
    """Whether a piece of program text speaks of leading people."""
    return bool(_LEADING.search(_LED.sub(" ", text)))
