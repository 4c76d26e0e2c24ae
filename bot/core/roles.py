"""Community roles, ordered so that a higher role can do everything a lower one can."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """A member's standing in one community (tenant)."""

    MEMBER = 0
    MODERATOR = 1
    ADMIN = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        """Read a role name such as ``moderator``; raises ``ValueError`` for anything else."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(role.label for role in cls)
            raise ValueError(f"unknown role {text!r} (expected one of: {names})") from None
