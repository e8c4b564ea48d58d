"""Who is acting: the user behind an API key or a web session, as the policy sees them."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.review.vocab import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # None: the command line (admin CLI, demo seed)
    name: str
    email: str
    role: Role
    org_id: int | None
    org_name: str
    org_kind: str
    state: str  # the organisation's state

    @classmethod
    def command_line(cls, label: str = "cli") -> Actor:
        """The operator at the command line: acts as an admin, audited as ``label``."""
        return cls(None, label, "", Role.ADMIN, None, "", "", "")

    @property
    def label(self) -> str:
        if self.user_id is None:
            return self.name
        return f"{self.name} <{self.email}> ({self.role.value}, {self.org_name})"
