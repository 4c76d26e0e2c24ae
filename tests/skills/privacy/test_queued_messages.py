"""Scheduled messages still waiting for a member are not sent once they are forgotten."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.core.context import Outgoing, OutgoingKind
from bot.core.events import TenantRef
from bot.core.replies import Reply
from bot.scheduling.models import OutboxMessage
from bot.scheduling.outbox import enqueue
from bot.storage.models import Tenant
from tests.support.console import Chat

DEMO = TenantRef(platform="console", external_id="demo", name="demo")


def waiting(kind: OutgoingKind, target: str = "", members: tuple[str, ...] = ()) -> Outgoing:
    return Outgoing(kind=kind, tenant=DEMO, target=target, members=members, reply=Reply(text="hi"))


async def test_forgetting_drops_waiting_dms_and_leaves_group_dms(chat: Chat, app: App) -> None:
    await chat("/as bo", "help", "/as ana", "help")
    async with app.store.transaction() as session:
        tenant_id = await session.scalar(select(Tenant.id).where(Tenant.external_id == "demo"))
        assert tenant_id is not None
        await enqueue(
            session,
            tenant_id,
            [
                waiting(OutgoingKind.DM, "ana"),
                waiting(OutgoingKind.DM, "bo"),
                waiting(OutgoingKind.GROUP_DM, members=("ana", "bo", "cy")),
            ],
            "test",
            app.clock.now(),
        )
    await chat("privacy forget")
    assert "Staffroom has forgotten you" in await chat("1")
    async with app.store.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(r.kind, r.target, list(r.members)) for r in rows] == [
        ("dm", "bo", []),
        ("group_dm", "", ["bo", "cy"]),
    ]
