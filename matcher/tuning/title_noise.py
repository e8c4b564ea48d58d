"""Job-board renderings of taxonomy titles, for the ``title_noise`` training source.

Vacancy titles rarely look like taxonomy labels: they carry seniority ("Senior", "Jr."),
employment terms ("(Contract)"), places ("- Kuala Lumpur", "(Remote)"), requisition numbers,
language requirements ("(Mandarin Speaker)"), pay, urgency, two titles in one ("A / B") and
upper case. This module decorates a taxonomy title with such conventions, deterministically
(the generator is seeded by the title and a seed), so that a training pair teaches the encoder
that the decorations do not change the occupation. The decorations were written here by hand;
several (language requirements, "cum", Malaysian places and pay) were prompted by reading the
titles dev set's failures, so a gain from this source would have needed a check against fitting
that set (it gave none: RESULTS.md, issue 11). Nothing is read from any evaluation file.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

SENIORITY = (
    "Senior",
    "Junior",
    "Sr.",
    "Jr",
    "Lead",
    "Trainee",
    "Experienced",
    "Entry Level",
    "Graduate",
)
TERMS = (
    "(Full Time)",
    "(Part-Time)",
    "- Contract",
    "(Temporary)",
    "(Permanent)",
    "- 12 Month Contract",
    "(Night Shift)",
    "(Weekends)",
    "(Shift Work)",
    "- Internship",
)
PLACES = (
    "- London",
    "- Kuala Lumpur",
    "(Remote)",
    "- Hybrid",
    ", Singapore",
    "- Manchester",
    "| Sydney",
    "- Penang",
    "(Johor Bahru)",
    "- New York, NY",
    "- Dublin",
    "(Selangor)",
    "- Petaling Jaya",
    "- Birmingham",
    "(Work From Home)",
    "- Chicago, IL",
)
CODES = ("- 2290417", "(Req #20451)", "[JR-10432]", "- REF 7731", "(Job ID 88213)", "#4412")
LANGUAGES = (
    "(Mandarin Speaker)",
    "- Japanese Speaking",
    "(Bilingual)",
    "(Korean Speaker)",
    "- Cantonese",
    "(Thai Speaking)",
    "(Spanish Speaker)",
)
PAY = ("(RM3,500)", "£12.50/hr", "$60k-$70k", "(Up to RM 4000)", "- £28,000", "(Negotiable Salary)")
URGENT = ("URGENT!", "Immediate Start", "*Hiring Now*", "Urgently Required:", "Vacancy:")
JOINERS = (" / ", " & ", " cum ", " - ", ", ")


def decorate(title: str, others: Sequence[str], seed: int | str) -> str:
    """One job-board rendering of ``title``; ``others`` are further titles of the same occupation
    (one may be joined on, "A / B"). The same title and seed always give the same rendering."""
    rng = random.Random(f"{seed}:{title}")
    out = title
    if rng.random() < 0.3:
        out = f"{rng.choice(SENIORITY)} {out}"
    if others and rng.random() < 0.15:
        out = f"{out}{rng.choice(JOINERS)}{rng.choice(list(others))}"
    extras = [group for group in (TERMS, PLACES, CODES, LANGUAGES, PAY) if rng.random() < 0.18]
    rng.shuffle(extras)
    for group in extras:
        out = f"{out} {rng.choice(group)}"
    if rng.random() < 0.07:
        out = f"{rng.choice(URGENT)} {out}"
    case = rng.random()
    if case < 0.25:
        out = out.upper()
    elif case < 0.6:
        out = " ".join(w[:1].upper() + w[1:] for w in out.split(" "))
    if out.lower() == title.lower():  # always teach something (the encoder is uncased)
        out = f"{title} {rng.choice(PLACES + TERMS + CODES)}"
    return out
