"""A ``ChatPort`` that records what it sends and can be told to fail next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.errors import CapabilityUnavailable
from bot.core.events import Actor, TenantRef
from bot.core.replies import Reply


@dataclass
class Sent:
    kind: str
    tenant: str
    target: str
    text: str
    key: str = ""


@dataclass
class RecordingPort:
    sent: list[Sent] = field(default_factory=list)
    faults: list[BaseException] = field(default_factory=list)
    """Raised, in order, by the next sends (before anything is recorded)."""
    after_send: Callable[[], None] | None = None
    """Called right after a send is recorded (to simulate a crash just after it)."""
    can_tell: bool = True
    """Whether ``find_delivery`` can look keyed messages up (Slack) or not (Discord)."""

    def _record(self, kind: str, tenant: TenantRef, target: str, reply: Reply) -> None:
        if self.faults:
            raise self.faults.pop(0)
        self.sent.append(Sent(kind, tenant.external_id, target, reply.text, reply.delivery_key))
        if self.after_send is not None:
            self.after_send()

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        self._record("dm", tenant, user_id, reply)

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        self._record("post", tenant, channel_id, reply)

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        raise CapabilityUnavailable("no group DMs here")

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        return None

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        if not self.can_tell:
            raise CapabilityUnavailable("this platform keeps no keys")
        return any(s.key == key and s.target == (user_id or channel_id) for s in self.sent)

    def texts(self, target: str | None = None) -> list[str]:
        return [s.text for s in self.sent if target is None or s.target == target]
