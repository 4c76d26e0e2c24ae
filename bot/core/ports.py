"""The small port through which the core reaches a chat platform."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.core.events import Actor, TenantRef
from bot.core.replies import Reply


class ChatPort(Protocol):
    """Implemented by each adapter.

    Methods raise ``DeliveryError`` when a message cannot be delivered and
    ``CapabilityUnavailable`` when the platform cannot do what was asked.
    """

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None: ...

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None: ...

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        """One conversation with several members (a group DM or private thread).

        Raises ``CapabilityUnavailable`` where the platform has none; the dispatcher then
        sends the message to each member on their own.
        """
        ...

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        """Find a platform user by name (for ``@name`` written as plain text)."""
        ...

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        """Whether a message sent with ``Reply.delivery_key`` ``key`` since ``since`` is in the
        DM with ``user_id`` (or in ``channel_id``).

        Raises ``CapabilityUnavailable`` where the platform cannot tell, and ``DeliveryError``
        when asking failed.
        """
        ...
