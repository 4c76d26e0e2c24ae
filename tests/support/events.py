"""Building core events and a recording chat port for tests that talk to the dispatcher."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.errors import CapabilityUnavailable, DeliveryError
from bot.core.events import Actor, Event, EventKind, Invocation, Place, TenantRef
from bot.core.replies import Reply
from bot.core.roles import Role

_ids = itertools.count(1)


def message(
    text: str,
    *,
    user: str = "ana",
    tenant: str = "t1",
    platform: str = "test",
    event_id: str | None = None,
    role: Role = Role.MEMBER,
    is_bot: bool = False,
    addressed: bool = True,
    kind: EventKind = EventKind.MESSAGE,
    invocation: Invocation | None = None,
    locale: str = "",
) -> Event:
    return Event(
        kind=kind,
        event_id=event_id or f"evt-{next(_ids)}",
        tenant=TenantRef(platform=platform, external_id=tenant, name=tenant.upper()),
        actor=Actor(
            user_id=user,
            display_name=user.title(),
            platform_role=role,
            is_bot=is_bot,
            locale=locale,
        ),
        place=Place(channel_id="general"),
        text=text,
        addressed=addressed,
        invocation=invocation,
    )


@dataclass
class RecordingPort:
    """A ``ChatPort`` that records what it was asked to send."""

    fail_dms_to: set[str] = field(default_factory=set)
    dms: list[tuple[str, str, Reply]] = field(default_factory=list)
    posts: list[tuple[str, str, Reply]] = field(default_factory=list)
    group_dms: list[tuple[str, tuple[str, ...], Reply]] = field(default_factory=list)
    group_dms_supported: bool = True

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        if user_id in self.fail_dms_to:
            raise DeliveryError("DMs closed", permanent=True)
        self.dms.append((tenant.external_id, user_id, reply))

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        self.posts.append((tenant.external_id, channel_id, reply))

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        if not self.group_dms_supported:
            raise CapabilityUnavailable("no group DMs here")
        self.group_dms.append((tenant.external_id, tuple(user_ids), reply))

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        raise CapabilityUnavailable("no directory here")

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        raise CapabilityUnavailable("a recording keeps no history")


def text_of(replies: list[Reply]) -> str:
    return "\n".join(f"{r.title}\n{r.text}".strip() for r in replies)
