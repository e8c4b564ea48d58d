"""The review workflow's closed vocabularies and limits."""

from __future__ import annotations

from enum import StrEnum

MAX_COMMENT_CHARS = 10_000
MAX_NAME_CHARS = 200
MIN_PASSWORD_CHARS = 10


class OrgKind(StrEnum):
    PROVIDER = "provider"  # a training provider (college, school, union program)
    EMPLOYER = "employer"  # an employer of the sector partnership
    STATE = "state"  # a state agency (workforce board, higher-education office)


class Role(StrEnum):
    PROVIDER = "provider"  # edits its organisation's programs
    EMPLOYER = "employer"  # reviews programs shared with its organisation
    REVIEWER = "reviewer"  # state reviewer: reads every program of its state
    ADMIN = "admin"  # manages organisations, users and keys; reads everything


# Which organisation kinds a role's users may belong to (admins: any).
ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind]] = {
    Role.PROVIDER: frozenset({OrgKind.PROVIDER}),
    Role.EMPLOYER: frozenset({OrgKind.EMPLOYER}),
    Role.REVIEWER: frozenset({OrgKind.STATE}),
    Role.ADMIN: frozenset(OrgKind),
}


class Decision(StrEnum):
    """An employer's decision on an occupation or a skill."""

    REQUIRED_AT_HIRE = "required_at_hire"
    NICE_TO_HAVE = "nice_to_have"
    NOT_NEEDED = "not_needed"
    MISSING_FROM_PROGRAM = "missing_from_program"

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]


DECISION_LABELS = {
    Decision.REQUIRED_AT_HIRE: "Required at hire",
    Decision.NICE_TO_HAVE: "Nice to have",
    Decision.NOT_NEEDED: "Not needed",
    Decision.MISSING_FROM_PROGRAM: "Missing from the program",
}


def valid_id(value: int) -> bool:
    """Whether ``value`` can be a row id (larger integers would overflow the database)."""
    return 0 < value < 2**63


def text_ok(value: str) -> bool:
    """PostgreSQL text cannot hold NUL characters; such input is refused before any SQL."""
    return "\x00" not in value
