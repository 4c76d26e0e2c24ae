"""The privacy contract every skill that stores member data keeps.

A skill declares, once each, how to export and how to erase what it holds about one member,
and lists both in its manifest (``Skill(exporters=..., erasers=...)``):

    async def export_profile(session, tenant_id, member_id) -> dict[str, object]: ...
    async def forget_profile(session, tenant_id, member_id) -> None: ...

The registry collects them at start-up; ``privacy export``/``privacy forget`` and the retention
clean-up call every one of them. Once every eraser has run, the member row itself is deleted,
and with it (by ``ondelete="CASCADE"``) every row still linked to it: an eraser that keeps a
row (a shared resource, with the sharer anonymised) unlinks it from the member first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

MemberDataExporter = Callable[[AsyncSession, int, int], Awaitable[dict[str, Any]]]
"""(session, tenant id, member id) → JSON-ready data, keyed by what it is."""
MemberDataEraser = Callable[[AsyncSession, int, int], Awaitable[None]]
"""(session, tenant id, member id) → nothing left that names the member."""
