"""The Discord adapter's rows: long component actions, form drafts, command-sync state, and
the record of messages delivered in a channel because a member's DMs were closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.discord.custom_ids import Action
from bot.adapters.discord.forms import form_from_data, form_to_data, paginate
from bot.adapters.discord.inbound import PLATFORM
from bot.adapters.discord.models import DiscordAction, DiscordCommandSync, DiscordFormDraft
from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.events import TenantRef
from bot.core.members import TenantDirectory, ensure_member, find_member
from bot.core.replies import Form, mention
from bot.storage.engine import Store
from bot.storage.models import Member, Tenant

ACTIONS_KEPT = timedelta(days=90)
"""Buttons whose action had to be stored stop working after this long."""
DRAFTS_KEPT = timedelta(days=1)
"""A form left half filled in is forgotten after this long."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Draft:
    """A form being filled in by one member, page by page."""

    id: int
    guild_id: str
    user_id: str
    form: Form
    answers: dict[str, str]
    pages: list[list[str]]


class DiscordRecords:
    """Reads and writes the adapter's rows, each call in a short transaction of its own."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._tenants = TenantDirectory()

    async def _tenant_id(self, session: AsyncSession, tenant: TenantRef) -> int:
        return (await self._tenants.ensure(session, tenant, self._clock.now())).id

    async def remember_action(
        self, tenant: TenantRef, action: Action, *, private_to: str | None
    ) -> int:
        """Keep an action too long for a custom id; returns its id.

        ``private_to`` (a user id) ties it to the member it was shown to, so that it goes when
        they erase their data.
        """
        async with self._store.transaction() as session:
            tenant_id = await self._tenant_id(session, tenant)
            member = await find_member(session, tenant_id, private_to) if private_to else None
            row = DiscordAction(
                tenant_id=tenant_id,
                member_id=member.id if member else None,
                payload=action.encode(),
                created_at=self._clock.now(),
            )
            session.add(row)
            await session.flush()
            return row.id

    async def load_action(self, action_id: int) -> tuple[str, Action] | None:
        """The server (guild id) and action of a stored action, if it is still kept."""
        async with self._store.transaction() as session:
            row = (
                await session.execute(
                    select(Tenant.external_id, DiscordAction.payload)
                    .join(Tenant, Tenant.id == DiscordAction.tenant_id)
                    .where(DiscordAction.id == action_id, Tenant.platform == PLATFORM)
                )
            ).first()
        if row is None:
            return None
        try:
            return str(row[0]), Action.decode(row[1])
        except ValueError:
            return None

    async def create_draft(self, tenant: TenantRef, user_id: str, form: Form) -> Draft:
        now = self._clock.now()
        pages = paginate([f.name for f in form.fields])
        async with self._store.transaction() as session:
            await session.execute(
                delete(DiscordFormDraft).where(DiscordFormDraft.created_at < now - DRAFTS_KEPT)
            )
            tenant_id = await self._tenant_id(session, tenant)
            member = await ensure_member(session, tenant_id, user_id, now)
            row = DiscordFormDraft(
                tenant_id=tenant_id,
                member_id=member.id,
                form=form_to_data(form),
                answers={},
                pages=pages,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            draft_id = row.id
        return Draft(
            id=draft_id,
            guild_id=tenant.external_id,
            user_id=user_id,
            form=form,
            answers={},
            pages=pages,
        )

    async def load_draft(self, draft_id: int) -> Draft | None:
        async with self._store.transaction() as session:
            row = (
                await session.execute(
                    select(DiscordFormDraft, Tenant.external_id, Member.user_id)
                    .join(Tenant, Tenant.id == DiscordFormDraft.tenant_id)
                    .join(Member, Member.id == DiscordFormDraft.member_id)
                    .where(
                        DiscordFormDraft.id == draft_id,
                        DiscordFormDraft.created_at >= self._clock.now() - DRAFTS_KEPT,
                    )
                )
            ).first()
        if row is None:
            return None
        draft, guild_id, user_id = row
        return Draft(
            id=draft.id,
            guild_id=str(guild_id),
            user_id=str(user_id),
            form=form_from_data(draft.form),
            answers={str(k): str(v) for k, v in dict(draft.answers).items()},
            pages=[[str(name) for name in page] for page in draft.pages],
        )

    async def update_draft(
        self, draft_id: int, answers: dict[str, str], pages: list[list[str]]
    ) -> None:
        async with self._store.transaction() as session:
            await session.execute(
                update(DiscordFormDraft)
                .where(DiscordFormDraft.id == draft_id)
                .values(answers=answers, pages=pages)
            )

    async def delete_draft(self, draft_id: int) -> None:
        async with self._store.transaction() as session:
            await session.execute(delete(DiscordFormDraft).where(DiscordFormDraft.id == draft_id))

    async def record_dm_fallback(self, tenant: TenantRef, user_id: str, channel_id: str) -> None:
        """Note in the community's audit log that a member's DM went to a channel instead."""
        async with self._store.transaction() as session:
            tenant_id = await self._tenant_id(session, tenant)
            await record_audit(
                session,
                tenant_id=tenant_id,
                actor=None,
                action="dm fallback",
                target=mention(user_id),
                after={"channel": channel_id, "reason": "direct messages closed"},
                now=self._clock.now(),
            )

    async def synced_tree(self, application_id: str, scope: str) -> str | None:
        async with self._store.transaction() as session:
            found: Any = await session.scalar(
                select(DiscordCommandSync.tree_hash).where(
                    DiscordCommandSync.application_id == application_id,
                    DiscordCommandSync.scope == scope,
                )
            )
        return str(found) if found is not None else None

    async def record_sync(self, application_id: str, scope: str, tree_hash: str) -> None:
        async with self._store.transaction() as session:
            row = await session.get(DiscordCommandSync, (application_id, scope))
            if row is None:
                session.add(
                    DiscordCommandSync(
                        application_id=application_id,
                        scope=scope,
                        tree_hash=tree_hash,
                        synced_at=self._clock.now(),
                    )
                )
            else:
                row.tree_hash = tree_hash
                row.synced_at = self._clock.now()

    async def prune(self) -> None:
        """Forget stored actions and drafts past their time."""
        now = self._clock.now()
        async with self._store.transaction() as session:
            await session.execute(
                delete(DiscordAction).where(DiscordAction.created_at < now - ACTIONS_KEPT)
            )
            await session.execute(
                delete(DiscordFormDraft).where(DiscordFormDraft.created_at < now - DRAFTS_KEPT)
            )
