"""Resources, check-ins and reminders are numbered within their community: the numbers a
member sees say nothing about how busy other communities are, and only their own work."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, select, text

from bot.app import App
from bot.core.roles import Role
from bot.skills.reminders.models import Reminder
from bot.skills.resources.models import Resource
from bot.storage.schema import alembic_config
from tests.support.console import Chat


async def _busy_and_quiet(chat: Chat) -> None:
    await chat(f"/role {Role.ADMIN.label}", "admin channel summaries #staff")
    for n in range(3):
        await chat(f'resource share https://example.org/{n} "Busy {n}"')
        await chat(f"remind me in {n + 1}h busy {n}")
    await chat("/tenant quiet", f"/role {Role.ADMIN.label}", "admin channel summaries #staff")


async def test_each_community_counts_from_one(chat: Chat) -> None:
    await _busy_and_quiet(chat)
    assert "Thanks! #1 “Quiet”" in await chat('resource share https://example.org/q "Quiet"')
    assert "Reminder #1:" in await chat("remind me in 2h quiet")
    out = await chat("checkin create", "Pulse", "How are you?", "every monday 9:00", *[""] * 5)
    assert "Check-in #1 “Pulse” is set" in out
    assert "#1 Quiet" in await chat("resource show 1")
    assert "There's no resource #2" in await chat("resource show 2")
    assert "#1 Pulse" in await chat("checkin list")
    assert "You have no reminder #2" in await chat("remind cancel 2")
    assert "Reminder #1 is cancelled" in await chat("remind cancel 1")
    assert "Reminder #2:" in await chat("remind me in 3h again")  # numbers are never reused
    await chat("/tenant demo")
    assert "#3 Busy 2" in await chat("resource show 3")
    assert "Reminder #4:" in await chat("remind me in 5h busy again")


def _renumber(connection: Connection) -> None:
    command.downgrade(alembic_config(connection), "0010_defects")  # before 0013_hostile_input
    command.upgrade(alembic_config(connection), "head")


async def test_the_migration_numbers_existing_rows_per_community(chat: Chat, app: App) -> None:
    await _busy_and_quiet(chat)
    await chat('resource share https://example.org/q "Quiet"', "remind me in 2h quiet")
    async with app.store.engine.begin() as connection:
        await connection.run_sync(_renumber)
    async with app.store.transaction() as session:
        resources = (await session.execute(select(Resource.title, Resource.number))).all()
        reminders = (await session.execute(select(Reminder.text, Reminder.number))).all()
        sequences = (await session.execute(text("SELECT kind, last FROM tenant_sequences"))).all()
    assert sorted(resources) == [("Busy 0", 1), ("Busy 1", 2), ("Busy 2", 3), ("Quiet", 1)]
    assert sorted(reminders) == [("busy 0", 1), ("busy 1", 2), ("busy 2", 3), ("quiet", 1)]
    assert sorted(sequences) == [("reminder", 1), ("reminder", 3), ("resource", 1), ("resource", 3)]
    assert "Thanks! #2 “Later”" in await chat('resource share https://example.org/l "Later"')
