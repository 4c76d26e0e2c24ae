"""The ``Context`` a skill receives: who, where, the store session, the clock, the messages it
asks for (written to the outbox with its transaction), and member lookup. No settings, no
tokens, no platform: a skill sees only what it needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.commands import Registry
from bot.core.errors import NotFound
from bot.core.events import Actor, Event, TenantRef
from bot.core.members import (
    SYSTEM_USER_ID,
    MemberInfo,
    TenantInfo,
    ensure_member,
    find_member,
    find_member_by_name,
)
from bot.core.parsing import MemberMention
from bot.core.replies import Reply
from bot.core.roles import Role


class OutgoingKind(StrEnum):
    DM = "dm"
    GROUP_DM = "group_dm"
    POST = "post"


@dataclass(frozen=True, kw_only=True, slots=True)
class Outgoing:
    """A DM or channel post, delivered only after the skill's transaction commits."""

    kind: OutgoingKind
    tenant: TenantRef
    target: str
    """A platform user id (DM) or channel id (post); empty for a group DM."""
    reply: Reply
    members: tuple[str, ...] = ()
    """The platform user ids of a group DM."""


class PlatformLookupNeeded(Exception):
    """A typed name is not in the store and only the platform can say who it is.

    Raised by ``Context.lookup_member`` inside the event's transaction; the dispatcher rolls
    that transaction back, asks the platform with nothing held, and runs the event again with
    the answer in ``Context.platform_names``.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(kw_only=True)
class Context:
    """Everything one handler call needs; one per event, never shared."""

    event: Event
    tenant: TenantInfo
    member: MemberInfo
    role: Role
    session: AsyncSession
    clock: Clock
    registry: Registry
    """Every skill's declarations (``help`` lists them; privacy export runs every exporter)."""
    platform_names: Mapping[str, Actor | None] | None = None
    """The platform's answers for typed names (lower case) asked before this transaction;
    None where the platform cannot be asked (``lookup_member`` then knows only the store)."""
    replies: list[Reply] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    audited: bool = False
    prepared: Mapping[str, str] = field(default_factory=dict)
    """What the command's ``prepare`` step found before the transaction (``CommandSpec``)."""

    @property
    def tenant_ref(self) -> TenantRef:
        return self.event.tenant

    @property
    def is_system(self) -> bool:
        """Scheduled work acts as Staffroom itself, not as a member."""
        return self.member.user_id == SYSTEM_USER_ID

    def now(self) -> datetime:
        return self.clock.now()

    async def reply(self, reply: Reply | str) -> None:
        """Answer the actor where the event came from."""
        self.replies.append(Reply(text=reply) if isinstance(reply, str) else reply)

    async def send_dm(self, user_id: str, reply: Reply | str) -> None:
        """Direct-message a member of this tenant (sent once the transaction commits)."""
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.DM,
                tenant=self.tenant_ref,
                target=user_id,
                reply=Reply(text=reply) if isinstance(reply, str) else reply,
            )
        )

    async def post(self, channel_id: str, reply: Reply | str) -> None:
        """Post to a channel of this tenant (sent once the transaction commits)."""
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.POST,
                tenant=self.tenant_ref,
                target=channel_id,
                reply=Reply(text=reply) if isinstance(reply, str) else reply,
            )
        )

    async def send_group_dm(self, user_ids: Sequence[str], reply: Reply | str) -> None:
        """One message to several members together (each on their own where the platform
        has no group conversations); sent once the transaction commits."""
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.GROUP_DM,
                tenant=self.tenant_ref,
                target="",
                members=tuple(dict.fromkeys(user_ids)),
                reply=Reply(text=reply) if isinstance(reply, str) else reply,
            )
        )

    async def audit(
        self, action: str, *, target: str = "", before: Any = None, after: Any = None
    ) -> None:
        """Record a moderator or admin action in the audit log (same transaction).

        Commands for moderators and admins that do not call this get a generic entry (the
        command and its arguments) from the dispatcher, so no such action goes unrecorded.
        """
        self.audited = True
        await record_audit(
            self.session,
            tenant_id=self.tenant.id,
            actor=None if self.is_system else self.member,
            action=action,
            target=target,
            before=before,
            after=after,
            now=self.clock.now(),
        )

    async def lookup_member(self, who: MemberMention, *, create: bool = False) -> MemberInfo:
        """Resolve a mention to a member of this tenant; raises ``NotFound`` with a clear text.

        With ``create``, a platform user Staffroom has not seen yet gets a member row (for
        moderator actions such as granting a role); otherwise only known members are found.
        """
        if who.is_me:
            return self.member
        now = self.clock.now()
        if who.user_id is not None:
            found = await find_member(self.session, self.tenant.id, who.user_id)
            if found is not None:
                return found
            if create:
                return await ensure_member(self.session, self.tenant.id, who.user_id, now)
            raise NotFound(f"<@{who.user_id}> hasn't used Staffroom in this community yet.")
        name = who.name or ""
        found = await find_member_by_name(self.session, self.tenant.id, name)
        if found is not None:
            return found
        actor = None
        if self.platform_names is not None:
            if name.lower() not in self.platform_names:
                raise PlatformLookupNeeded(name)
            actor = self.platform_names[name.lower()]
        if actor is not None:
            found = await find_member(self.session, self.tenant.id, actor.user_id)
            if found is not None:
                return found
            if create:
                return await ensure_member(
                    self.session,
                    self.tenant.id,
                    actor.user_id,
                    now,
                    display_name=actor.display_name,
                )
            raise NotFound(f"@{name} hasn't used Staffroom in this community yet.")
        raise NotFound(f"I don't know anyone called @{name} in this community.")
