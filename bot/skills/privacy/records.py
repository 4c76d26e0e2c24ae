"""What the core's own tables hold about a member: their member row and audit entries.

Audit entries name a member as the actor (by id and name), as the target (``<@id>``) and in
the before/after values (a typed ``@name``). Erasing a member keeps each entry — the log of
what moderators did stays whole — but replaces every such mention with ``FORGOTTEN``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.members import MemberInfo, find_member_by_id
from bot.core.roles import Role
from bot.storage.models import AuditEntry, Member

FORGOTTEN = "(forgotten member)"


async def membership_record(
    session: AsyncSession, tenant_id: int, member_id: int
) -> dict[str, Any]:
    row = await session.scalar(
        select(Member).where(Member.tenant_id == tenant_id, Member.id == member_id)
    )
    if row is None:
        return {}
    return {
        "membership": {
            "user_id": row.user_id,
            "display_name": row.display_name,
            "granted_role": Role(row.granted_role).label,
            "first_seen": row.created_at.isoformat(),
            "joined_at": _iso(row.joined_at),
            "left_at": _iso(row.left_at),
            "blocked_at": _iso(row.blocked_at),
            "language": row.language,
            "platform_locale": row.platform_locale,
        }
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class MemberNames:
    """Finds the ways text can name one member: ``<@id>``, ``@id``, the bare id, ``@Name``
    and a value that is exactly their display name (any case)."""

    def __init__(self, member: MemberInfo) -> None:
        self.member = member
        user_id = re.escape(member.user_id)
        patterns = [rf"<@!?{user_id}(?:\|[^>]*)?>", rf"(?<!\w)@?{user_id}(?!\w)"]
        name = member.display_name.strip()
        if name:
            patterns.append(rf"(?<!\w)@{re.escape(name)}(?!\w)")
        self._pattern = re.compile("|".join(patterns), re.IGNORECASE)
        self._name = name.lower()
        self.needles = tuple(n.lower() for n in {member.user_id, name} if n)
        """Lower-case text every entry that names the member contains (a cheap SQL filter)."""

    def found_in(self, value: Any) -> bool:
        if isinstance(value, str):
            return bool(self._pattern.search(value)) or (
                bool(self._name) and value.strip().lower() == self._name
            )
        if isinstance(value, dict):
            return any(self.found_in(k) or self.found_in(v) for k, v in value.items())
        if isinstance(value, list):
            return any(self.found_in(v) for v in value)
        return False

    def scrub(self, value: Any) -> Any:
        """``value`` with every mention of the member replaced (a new object, never mutated)."""
        if isinstance(value, str):
            if self._name and value.strip().lower() == self._name:
                return FORGOTTEN
            return self._pattern.sub(FORGOTTEN, value)
        if isinstance(value, dict):
            return {self.scrub(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        return value

    def names_entry(self, entry: AuditEntry) -> bool:
        return entry.actor_member_id == self.member.id or any(
            self.found_in(value)
            for value in (entry.actor_name, entry.target, entry.before, entry.after)
        )


async def audit_entries_naming(
    session: AsyncSession, tenant_id: int, member_id: int
) -> tuple[MemberNames | None, list[AuditEntry]]:
    """The member's names, and the tenant's audit entries that name them (oldest first)."""
    member = await find_member_by_id(session, tenant_id, member_id)
    if member is None:
        return None, []
    names = MemberNames(member)
    text_columns = (
        func.lower(AuditEntry.actor_name),
        func.lower(AuditEntry.target),
        func.lower(cast(AuditEntry.before, String)),
        func.lower(cast(AuditEntry.after, String)),
    )
    candidates = await session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.tenant_id == tenant_id,
            or_(
                AuditEntry.actor_member_id == member_id,
                *(
                    column.contains(needle, autoescape=True)
                    for column in text_columns
                    for needle in names.needles
                ),
            ),
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return names, [entry for entry in candidates if names.names_entry(entry)]


async def export_audit_mentions(
    session: AsyncSession, tenant_id: int, member_id: int
) -> dict[str, Any]:
    _, entries = await audit_entries_naming(session, tenant_id, member_id)
    if not entries:
        return {}
    return {
        "moderator_log": [
            {
                "when": entry.created_at,
                "by": entry.actor_name,
                "action": entry.action,
                "target": entry.target,
                "before": entry.before,
                "after": entry.after,
            }
            for entry in entries
        ]
    }


async def anonymise_audit_mentions(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    names, entries = await audit_entries_naming(session, tenant_id, member_id)
    if names is None:
        return
    for entry in entries:
        if entry.actor_member_id == member_id:
            entry.actor_member_id = None
            entry.actor_name = FORGOTTEN
        entry.actor_name = names.scrub(entry.actor_name)
        entry.target = names.scrub(entry.target)
        entry.before = names.scrub(entry.before)
        entry.after = names.scrub(entry.after)
    await session.flush()
