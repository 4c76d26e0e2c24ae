"""Migration ``0013_hostile_input`` repairs text stored before input was cleaned, so that
exports work again (a lone surrogate in a JSON field used to break them for good)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, text

from bot.app import App
from bot.core.roles import Role
from bot.storage.schema import alembic_config
from tests.support.console import Chat

BROKEN = '"Welcome\\ud800 to\\u0007 the network"'


def _break_and_repair(connection: Connection) -> None:
    json = "CAST(:value AS JSON)" if connection.dialect.name == "postgresql" else ":value"
    connection.execute(
        text(f"UPDATE tenant_settings SET value = {json} WHERE key = 'welcome_text'"),
        {"value": BROKEN},
    )
    connection.execute(text(f"UPDATE audit_entries SET after = {json}"), {"value": BROKEN})
    command.downgrade(alembic_config(connection), "0010_defects")  # before 0013_hostile_input
    command.upgrade(alembic_config(connection), "head")


async def _exports_work(chat: Chat) -> bool:
    admin = await chat("admin export")
    mine = await chat("privacy export")
    return "I've sent you the export" in admin and "I've sent you your data" in mine


async def test_stored_surrogates_are_repaired_and_exports_work_again(
    chat: Chat, app: App
) -> None:
    await chat(f"/role {Role.ADMIN.label}", "admin config welcome_text Welcome to the network")
    assert await _exports_work(chat)
    async with app.store.engine.begin() as connection:
        await connection.run_sync(_break_and_repair)
    assert await _exports_work(chat)
    assert 'Now: "Welcome to the network"' in await chat("admin config welcome_text")
    async with app.store.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT after FROM audit_entries"))).scalars()
        assert all("\\ud800" not in str(value) for value in stored)
