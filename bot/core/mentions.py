"""Mentions a member typed are repeated as plain text, never as live mentions.

The rule: when Staffroom repeats what a member wrote where others read it (an intro, a shared
resource, a check-in answer in a summary, a reminder, the welcome text), a platform mention
inside that text (``<@U999>`` on Slack, ``<@123>`` or ``<@&123>`` on Discord) becomes the
plain ``@name`` it stood for, so nobody is pinged by someone else's words. Mentions Staffroom
makes itself stay live: the people a command names through a member argument (``whois
@ana``, ``pair manual @a @b``, a check-in audience), the sharer of a resource, the partners
of a mentoring proposal. ``@here``, ``@channel`` and ``@everyone`` are never sent live.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Member

_TYPED = re.compile(r"<@([!&]?)([A-Za-z0-9_.\-]{1,64})(?:\|([^>]*))?>")
UNKNOWN = "someone"
"""Shown for a mention of someone Staffroom has never seen in the community."""


def typed_mention_ids(text: str) -> set[str]:
    """The user ids of the member mentions in ``text``."""
    return {m.group(2) for m in _TYPED.finditer(text) if m.group(1) != "&"}


def inert_mentions(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every platform mention replaced by ``@name`` (see the module)."""

    def plain(found: re.Match[str]) -> str:
        kind, target, label = found.groups()
        if kind == "&":
            return "@" + (label or "role")
        return "@" + (label or names.get(target) or UNKNOWN)

    return _TYPED.sub(plain, text)


async def without_live_mentions(session: AsyncSession, tenant_id: int, text: str) -> str:
    """``inert_mentions`` with the names of this community's members."""
    ids = typed_mention_ids(text)
    if not ids:
        return text
    rows = await session.execute(
        select(Member.user_id, Member.display_name).where(
            Member.tenant_id == tenant_id, Member.user_id.in_(ids)
        )
    )
    return inert_mentions(text, {user_id: name for user_id, name in rows if name})
