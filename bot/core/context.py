"""The ``Context`` a skill receives: who, where, the store session, the clock, the messages it
asks for (written to the outbox with its transaction), and member lookup. No settings, no
tokens, no platform: a skill sees only what it needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.commands import Registry
from bot.core.errors import CapabilityUnavailable, NotFound
from bot.core.events import Actor, Event, TenantRef
from bot.core.i18n import CORE_DOMAIN, SOURCE_LANGUAGE, Catalogs, Translator
from bot.core.languages import community_language, language_of
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

Compose = Callable[[Translator], "Reply | str"]
"""Writes one message for one reader, given a translator in their language (``send_dm``)."""
Message = Reply | str | Compose
"""What a skill sends: a finished reply or text, or how to compose it per reader."""


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


class MemberDirectory(Protocol):
    """The one platform question a skill may ask (``ChatPort.lookup_member``)."""

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None: ...


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
    directory: MemberDirectory | None = None
    replies: list[Reply] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    audited: bool = False
    prepared: Mapping[str, str] = field(default_factory=dict)
    """What the command's ``prepare`` step found before the transaction (``CommandSpec``)."""
    catalogs: Catalogs = field(default_factory=Catalogs)
    language: str = SOURCE_LANGUAGE
    """The actor's language (``bot.core.languages``); replies to them are in it."""
    domain: str = CORE_DOMAIN
    """The gettext domain of the skill being called (its name); set by the dispatcher."""

    @property
    def translator(self) -> Translator:
        """The actor's language, in the running skill's domain (also dates, numbers, lists)."""
        return self.catalogs.translator(self.domain, self.language)

    def gettext(self, message: str, /, **params: Any) -> str:
        """``message`` in the actor's language with ``{placeholders}`` filled from ``params``."""
        return self.catalogs.translator(self.domain, self.language).gettext(message, **params)

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        """The right plural form for ``n`` in the actor's language (``{n}`` is filled)."""
        return self.catalogs.translator(self.domain, self.language).ngettext(
            singular, plural, n, **params
        )

    def translator_for(self, language: str, *, domain: str | None = None) -> Translator:
        """Another reader's language (or another skill's words: ``help`` shows every skill's
        summaries)."""
        return self.catalogs.translator(domain or self.domain, language)

    async def language_of(self, user_id: str) -> str:
        """The language a member of this tenant reads (the community's for an unknown one)."""
        member = await find_member(self.session, self.tenant.id, user_id)
        if member is None:
            return await community_language(self.session, self.tenant.id)
        return await language_of(self.session, member)

    async def _render(self, message: Message, language: str) -> Reply:
        if isinstance(message, Reply):
            return message
        if isinstance(message, str):
            return Reply(text=message)
        made = message(self.translator_for(language))
        return Reply(text=made) if isinstance(made, str) else made

    @property
    def tenant_ref(self) -> TenantRef:
        return self.event.tenant

    @property
    def is_system(self) -> bool:
        """Scheduled work acts as Staffroom itself, not as a member."""
        return self.member.user_id == SYSTEM_USER_ID

    def now(self) -> datetime:
        return self.clock.now()

    async def reply(self, reply: Message) -> None:
        """Answer the actor where the event came from (in their language)."""
        self.replies.append(await self._render(reply, self.language))

    async def send_dm(self, user_id: str, message: Message) -> None:
        """Direct-message a member of this tenant (sent once the transaction commits).

        Pass a ``Compose`` (a function of a ``Translator``) and it is written in the
        recipient's language, looked up now, in this transaction.
        """
        language = await self.language_of(user_id) if callable(message) else self.language
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.DM,
                tenant=self.tenant_ref,
                target=user_id,
                reply=await self._render(message, language),
            )
        )

    async def post(self, channel_id: str, message: Message) -> None:
        """Post to a channel of this tenant in the community's language (sent once the
        transaction commits)."""
        language = (
            await community_language(self.session, self.tenant.id)
            if callable(message)
            else self.language
        )
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.POST,
                tenant=self.tenant_ref,
                target=channel_id,
                reply=await self._render(message, language),
            )
        )

    async def send_group_dm(self, user_ids: Sequence[str], message: Message) -> None:
        """One message to several members together (each on their own where the platform
        has no group conversations); sent once the transaction commits.

        With a ``Compose``, members who read different languages get one DM each, in theirs.
        """
        members = tuple(dict.fromkeys(user_ids))
        if not callable(message):
            self._group(members, await self._render(message, self.language))
            return
        languages = {user_id: await self.language_of(user_id) for user_id in members}
        if len(set(languages.values())) <= 1:
            language = next(iter(languages.values()), self.language)
            self._group(members, await self._render(message, language))
            return
        for user_id, language in languages.items():
            await self.send_dm(user_id, await self._render(message, language))

    def _group(self, members: tuple[str, ...], reply: Reply) -> None:
        self.outgoing.append(
            Outgoing(
                kind=OutgoingKind.GROUP_DM,
                tenant=self.tenant_ref,
                target="",
                members=members,
                reply=reply,
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
        if self.directory is not None:
            try:
                actor = await self.directory.lookup_member(self.tenant_ref, name)
            except CapabilityUnavailable:
                actor = None
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
