from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.app import App, start_app, wire
from bot.community.models import Profile
from bot.core.clock import ManualClock
from bot.core.commands import Command, CommandHandler, CommandSpec, Registry
from bot.core.context import Context
from bot.core.dispatcher import Dispatcher
from bot.core.errors import UserFacingError
from bot.core.events import EventKind, Invocation
from bot.core.observing import HandledEvent, Outcome
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.settings import Settings
from bot.storage.models import AuditEntry, Member, ProcessedEvent, TenantSetting
from bot.storage.tenant_settings import set_setting
from tests.support.events import RecordingPort, message, text_of


async def count(app: App, model: type) -> int:
    async with app.store.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def port(app: App) -> RecordingPort:
    recording = RecordingPort()
    app.dispatcher.attach("test", recording)
    return recording


async def test_a_duplicate_event_id_runs_once(app: App, port: RecordingPort) -> None:
    first = await app.dispatcher.handle(message("intro set region Lisbon", event_id="E1"))
    again = await app.dispatcher.handle(message("intro set region Porto", event_id="E1"))
    assert "Updated your region: Lisbon" in text_of(first)
    assert again == []
    async with app.store.transaction() as session:
        assert await session.scalar(select(Profile.region)) == "Lisbon"


async def test_event_ids_survive_a_restart(settings: Settings, clock: ManualClock) -> None:
    app = await start_app(settings, clock=clock)
    await app.dispatcher.handle(message("intro set region Lisbon", event_id="W1"))
    await app.dispatcher.handle(message("help", event_id="R1"))
    await app.close()
    restarted = await start_app(settings, clock=clock)
    try:
        assert (
            await restarted.dispatcher.handle(message("intro set region Porto", event_id="W1"))
            == []
        )
        assert await restarted.dispatcher.handle(message("help", event_id="R1")) == []
        assert await restarted.dispatcher.handle(message("help", event_id="R2")) != []
        async with restarted.store.transaction() as session:
            assert await session.scalar(select(Profile.region)) == "Lisbon"
            stored = set((await session.scalars(select(ProcessedEvent.event_id))).all())
        assert {"W1", "R1"} <= stored
    finally:
        await restarted.close()


async def test_bots_are_ignored(app: App) -> None:
    assert await app.dispatcher.handle(message("help", is_bot=True)) == []
    assert await count(app, Member) == 0


async def test_role_is_checked_and_refusal_changes_nothing(app: App, port: RecordingPort) -> None:
    replies = await app.dispatcher.handle(message("admin channel introductions #intros"))
    assert "Only moderators and admins can use `admin channel`" in text_of(replies)
    assert await count(app, TenantSetting) == 0
    replies = await app.dispatcher.handle(
        message("admin channel introductions #intros", role=Role.MODERATOR)
    )
    assert "introductions go to <#intros>" in text_of(replies)


async def test_a_role_granted_in_the_store_counts(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("help", user="bea"))
    replies = await app.dispatcher.handle(message("admin moderator add <@bea>", role=Role.ADMIN))
    assert "<@bea> is now a moderator" in text_of(replies)
    replies = await app.dispatcher.handle(message("admin channel resources #lib", user="bea"))
    assert "resources go to <#lib>" in text_of(replies)
    await app.dispatcher.handle(message("admin moderator remove <@bea>", role=Role.ADMIN))
    replies = await app.dispatcher.handle(message("admin channel resources #lib", user="bea"))
    assert "Only moderators" in text_of(replies)


async def test_blocked_members_get_a_note_and_nothing_else(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("help"))
    async with app.store.transaction() as session:
        member = await session.scalar(select(Member).where(Member.user_id == "ana"))
        assert member is not None
        member.blocked_at = app.clock.now()
    replies = await app.dispatcher.handle(message("intro set region Lisbon"))
    assert "paused your access" in text_of(replies)
    assert await count(app, Profile) == 0


async def test_empty_and_unknown_messages_get_a_friendly_answer(app: App) -> None:
    assert "Type `help`" in text_of(await app.dispatcher.handle(message("")))
    assert "Did you mean `help`" in text_of(await app.dispatcher.handle(message("hlep")))
    replies = await app.dispatcher.handle(message("𝔣𝔬𝔬 ✨ مرحبا"))
    assert "I don't know" in text_of(replies)


async def test_an_invocation_of_a_vanished_command_is_explained(app: App) -> None:
    event = message(
        "", kind=EventKind.INVOCATION, invocation=Invocation(command="poll vote", args={})
    )
    assert "no longer exists" in text_of(await app.dispatcher.handle(event))


async def test_member_join_is_recorded_and_welcomed(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("", user="cai", kind=EventKind.MEMBER_JOINED))
    assert [(t, u) for t, u, _ in port.dms] == [("t1", "cai")]
    welcome = port.dms[0][2]
    assert welcome.title == "Welcome to T1!"
    assert welcome.buttons[0].action == Invocation(command="intro")
    async with app.store.transaction() as session:
        member = await session.scalar(select(Member).where(Member.user_id == "cai"))
        assert member is not None
        assert member.joined_at == app.clock.now()


async def test_welcome_text_is_configurable(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("help"))
    async with app.store.transaction() as session:
        await set_setting(session, 1, "welcome_text", "Hello from the Maths Hub!")
    await app.dispatcher.handle(message("", user="dee", kind=EventKind.MEMBER_JOINED))
    assert port.dms[-1][2].text == "Hello from the Maths Hub!"


async def test_same_user_id_in_two_tenants_is_two_people(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("intro set region Lisbon", tenant="t1"))
    await app.dispatcher.handle(message("intro set region Oslo", tenant="t2"))
    mine = text_of(await app.dispatcher.handle(message("whois me", tenant="t1")))
    theirs = text_of(await app.dispatcher.handle(message("whois me", tenant="t2")))
    assert await count(app, Member) == 2
    assert "Lisbon" not in theirs or "Oslo" not in mine


# --- with a registry of test commands ----------------------------------------------------------


async def _boom(ctx: Context, args: Args) -> Reply:
    await ctx.post("general", "this must never be sent")
    raise RuntimeError("kaput")


async def _refuse(ctx: Context, args: Args) -> Reply:
    await ctx.send_dm("bea", "this must never be sent either")
    raise UserFacingError("Not like that.")


async def _notify(ctx: Context, args: Args) -> Reply:
    await ctx.send_dm("closed", "hello")
    await ctx.post("general", "posted")
    return Reply(text="done")


async def _together(ctx: Context, args: Args) -> Reply:
    await ctx.send_group_dm(["ana", "bea"], "hello both")
    return Reply(text="sent")


@pytest.fixture
async def test_dispatcher(app: App, port: RecordingPort) -> AsyncIterator[Dispatcher]:
    registry = Registry(
        Command(spec=CommandSpec(name=name, summary=name), handler=handler, skill="test")
        for name, handler in (
            ("boom", _boom),
            ("refuse", _refuse),
            ("notify", _notify),
            ("together", _together),
        )
    )
    dispatcher, _ = wire(app.store, registry, app.clock, app.settings)
    dispatcher.attach("test", port)
    await dispatcher.start()
    yield dispatcher
    await dispatcher.close()


async def test_unexpected_errors_become_an_apology_with_an_error_id(
    test_dispatcher: Dispatcher, port: RecordingPort, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        replies = await test_dispatcher.handle(message("boom"))
    text = text_of(replies)
    match = re.search(r"error id: ([0-9a-f]{8})", text)
    assert match is not None
    assert f"error_id={match.group(1)}" in caplog.text
    assert "kaput" in caplog.text
    assert port.posts == []
    assert text_of(await test_dispatcher.handle(message("notify"))).startswith("done")


async def test_refused_commands_send_nothing(
    test_dispatcher: Dispatcher, port: RecordingPort
) -> None:
    assert text_of(await test_dispatcher.handle(message("refuse"))) == "Not like that."
    assert port.dms == []


async def test_failed_deliveries_are_reported_to_the_actor(
    test_dispatcher: Dispatcher, port: RecordingPort
) -> None:
    port.fail_dms_to.add("closed")
    text = text_of(await test_dispatcher.handle(message("notify")))
    assert "couldn't deliver a message to <@closed>" in text
    assert [(t, c, r.text) for t, c, r in port.posts] == [("t1", "general", "posted")]


async def test_messages_not_sent_at_once_wait_in_the_outbox_for_the_tick(
    app: App, port: RecordingPort, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = CommandSpec(name="notify", summary="n")
    registry = Registry([Command(spec=spec, handler=_notify, skill="t")])
    dispatcher, scheduler = wire(app.store, registry, app.clock, app.settings)
    dispatcher.attach("test", port)

    async def store_gone(ids: object) -> list[Reply]:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(dispatcher.outbox, "send_now", store_gone)
    assert text_of(await dispatcher.handle(message("notify"))).startswith("done")
    assert port.posts == []  # committed with the command, not sent yet
    await scheduler.tick()
    assert [(c, r.text) for _, c, r in port.posts] == [("general", "posted")]


async def test_group_dms_fall_back_to_single_dms(
    test_dispatcher: Dispatcher, port: RecordingPort
) -> None:
    await test_dispatcher.handle(message("together"))
    assert [(t, u, r.text) for t, u, r in port.group_dms] == [("t1", ("ana", "bea"), "hello both")]
    port.group_dms_supported = False
    await test_dispatcher.handle(message("together"))
    assert [(t, u) for t, u, _ in port.dms] == [("t1", "ana"), ("t1", "bea")]


async def test_moderator_commands_are_audited(app: App, port: RecordingPort) -> None:
    await app.dispatcher.handle(message("admin channel introductions #intros", role=Role.ADMIN))
    await app.dispatcher.handle(message("help", role=Role.ADMIN))
    async with app.store.transaction() as session:
        entries = (await session.scalars(select(AuditEntry))).all()
    assert [(e.action, e.actor_name, e.target, e.before, e.after) for e in entries] == [
        ("admin channel", "Ana", "introductions", None, "intros")
    ]


# --- what the dispatcher reports, and shutting down ---------------------------------------------


async def test_each_event_is_reported_once_with_its_outcome_and_never_its_text(
    test_dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[HandledEvent] = []
    test_dispatcher.observers.append(seen.append)
    with caplog.at_level(logging.INFO, logger="bot.core.dispatcher"):
        await test_dispatcher.handle(message("notify", event_id="N1"))
        await test_dispatcher.handle(message("notify", event_id="N1"))
        await test_dispatcher.handle(message("refuse"))
        await test_dispatcher.handle(message("boom"))
        await test_dispatcher.handle(message("secret-words from a bot", is_bot=True))
        await test_dispatcher.handle(message("secret-words nobody understands"))
    outcomes = [(r.command, r.outcome) for r in seen]
    assert outcomes == [
        ("notify", Outcome.OK),
        ("", Outcome.DUPLICATE),
        ("refuse", Outcome.REFUSED),
        ("boom", Outcome.ERROR),
        ("", Outcome.IGNORED),
        ("", Outcome.OK),
    ]
    assert seen[0].skill == "test" and seen[0].tenant == "t1" and seen[0].platform == "test"
    assert seen[3].error_type == "RuntimeError" and len(seen[3].error_id) == 8
    lines = [r for r in caplog.records if r.getMessage() == "event handled"]
    assert len(lines) == 6
    assert lines[3].fields["error_id"] == seen[3].error_id
    assert "secret-words" not in caplog.text


async def one_command_dispatcher(app: App, name: str, handler: CommandHandler) -> Dispatcher:
    spec = CommandSpec(name=name, summary=name)
    registry = Registry([Command(spec=spec, handler=handler, skill="test")])
    dispatcher, _ = wire(app.store, registry, app.clock, app.settings)
    await dispatcher.start()
    return dispatcher


async def test_draining_finishes_what_is_under_way_and_turns_new_events_away(app: App) -> None:
    release = asyncio.Event()

    async def slow(ctx: Context, args: Args) -> Reply:
        await release.wait()
        return Reply(text="finished")

    dispatcher = await one_command_dispatcher(app, "slow", slow)
    under_way = asyncio.create_task(dispatcher.handle(message("slow", event_id="S1")))
    await asyncio.sleep(0)
    draining = asyncio.create_task(dispatcher.drain(5))
    await asyncio.sleep(0)
    turned_away = await dispatcher.handle(message("slow", event_id="S2"))
    assert "restarting" in text_of(turned_away)
    release.set()
    assert text_of(await under_way) == "finished"
    assert await draining is True
    await dispatcher.close()
    restarted = await one_command_dispatcher(app, "slow", slow)
    assert text_of(await restarted.handle(message("slow", event_id="S2"))) == "finished"
    await restarted.close()


async def test_draining_gives_up_after_the_grace_period(app: App) -> None:
    never = asyncio.Event()

    async def stuck(ctx: Context, args: Args) -> Reply:
        await never.wait()
        return Reply(text="never")

    dispatcher = await one_command_dispatcher(app, "stuck", stuck)
    under_way = asyncio.create_task(dispatcher.handle(message("stuck")))
    await asyncio.sleep(0)
    assert await dispatcher.drain(0.05) is False
    under_way.cancel()
    await asyncio.gather(under_way, return_exceptions=True)
    await dispatcher.close()
