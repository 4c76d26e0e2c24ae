"""Starting on Discord: the token, privileged intents, sharding, and messages in DMs."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import aiohttp
import pytest

from bot.adapters.discord.adapter import start_discord
from bot.app import App
from bot.cli import main
from bot.cli.run import serve
from bot.runtime.health import CheckResult, HealthServer
from bot.settings import DiscordSettings, Settings
from bot.storage.errors import StartupError
from tests.adapters.discord.test_introductions import only
from tests.fakes.discord_api import (
    MESSAGE_CONTENT_FLAG,
    PRIVILEGED_INTENTS,
    TOKEN,
    FakeDiscord,
    running_fake_discord,
)
from tests.support.discord_bot import DiscordBot, build_world, discord_bot, point_discord_py_at


def test_a_missing_token_stops_start_up_with_one_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "discord"]) == 2
    assert capsys.readouterr().err == (
        "staffroom: Setting discord.token is required to run on Discord: set it in "
        'staffroom.toml ([discord] token = "…") or as STAFFROOM_DISCORD__TOKEN.\n'
    )
    assert main(["discord", "sync"]) == 2


async def test_a_wrong_token_is_one_clear_sentence(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_fake_discord() as fake:
        point_discord_py_at(fake, monkeypatch)
        with pytest.raises(StartupError, match="Discord rejected the bot token in setting"):
            await start_discord(app, DiscordSettings(token="not-the-token"))


async def test_an_intent_not_granted_is_left_out_and_explained(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def members_not_enabled(fake: FakeDiscord) -> None:
        fake.application_flags = MESSAGE_CONTENT_FLAG
        fake.granted_intents = PRIVILEGED_INTENTS["message_content"]

    caplog.set_level(logging.WARNING, logger="bot.adapters.discord")
    async with discord_bot(app, monkeypatch, prepare=members_not_enabled) as bot:
        [identify] = bot.fake.identified
        assert not identify["intents"] & PRIVILEGED_INTENTS["members"]
        assert identify["intents"] & PRIVILEGED_INTENTS["message_content"]
        answer = only(await bot.say(bot.world.ana, "!sr nonsense"))
        assert "I don't know" in answer.content
    [warning] = [r.getMessage() for r in caplog.records if "intent" in r.getMessage()]
    assert warning.startswith("Discord has not granted the SERVER MEMBERS intent")
    assert "newcomers get no welcome DM" in warning
    assert "commands typed in a DM can't tell which server they are for" in warning


async def test_close_code_4014_says_what_to_enable(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    def portal_out_of_date(fake: FakeDiscord) -> None:
        fake.granted_intents = 0  # the flags still say granted

    with pytest.raises(StartupError) as caught:
        async with discord_bot(app, monkeypatch, prepare=portal_out_of_date):
            pass
    assert str(caught.value).startswith("Discord closed the connection with code 4014")
    assert "MESSAGE CONTENT INTENT" in str(caught.value)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (4004, "Discord rejected the bot token in setting discord.token"),
        (4010, "set discord.shard_ids to shard numbers from 0"),
        (4011, 'set discord.shard_count = "auto"'),
        (4012, "upgrade Staffroom"),
        (4013, "Staffroom sent an intents value Discord does not know"),
    ],
)
async def test_gateway_refusals_say_what_to_do(
    app: App, monkeypatch: pytest.MonkeyPatch, code: int, sentence: str
) -> None:
    def refuse(fake: FakeDiscord) -> None:
        fake.refuse_identify = code

    with pytest.raises(StartupError) as caught:
        async with discord_bot(app, monkeypatch, prepare=refuse):
            pass
    assert sentence in str(caught.value)
    assert "()" not in str(caught.value)


# discord.py waits 5 s between two shards' IDENTIFYs (Discord's rule), and the store plays
# no part here: once, on SQLite.
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_sharded_across_two_gateway_connections(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_bot(
        app, monkeypatch, shard_count=2, settings={"shard_count": "auto"}
    ) as bot:
        north, south = bot.world.north, bot.world.south
        assert [bot.fake._shard_of(north.id), bot.fake._shard_of(south.id)] == [0, 1]
        assert len(bot.fake.calls_to("GET", r"^/gateway/bot$")) == 1  # how many shards
        assert sorted(i["shard"] for i in bot.fake.identified) == [[0, 2], [1, 2]]
        for guild in (north, south):
            answer = only(await bot.say(bot.world.ana, "!sr nonsense", guild=guild))
            assert answer.channel_id == guild.channel("general")


async def test_only_the_configured_shards_run(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_bot(
        app, monkeypatch, shard_count=2, settings={"shard_count": 2, "shard_ids": [1]}
    ) as bot:
        assert [i["shard"] for i in bot.fake.identified] == [[1, 2]]
        south = bot.world.south
        answer = only(await bot.say(bot.world.ana, "!sr nonsense", guild=south))
        assert answer.channel_id == south.channel("general")


async def test_a_dm_is_about_the_one_server_we_share(bot: DiscordBot) -> None:
    bea, ana = bot.world.bea, bot.world.ana
    shown = only(await bot.dm(bea, "privacy show"))
    assert bot.fake.dm_channels[shown.channel_id] == bea.id
    assert "What Staffroom stores about you in Northside Teachers" in shown.text
    unsure = only(await bot.dm(ana, "privacy show"))  # ana is in both servers
    assert unsure.content.startswith("I help inside a server we share")


async def test_unknown_custom_ids_and_commands_are_answered_politely(bot: DiscordBot) -> None:
    ana, north = bot.world.ana, bot.world.north
    for custom_id in ("something-else", "sr:i:1:[broken", "sr:s:999", "sr:f:999:1"):
        [answer] = await bot.press(ana, custom_id, guild=north)
        assert answer.ephemeral
        assert answer.content.startswith(("That button no longer works", "That form has expired"))
    payload = bot.fake.interaction_payload(
        2,
        {"id": "1", "name": "retired", "type": 1},
        user=ana,
        guild=north,
        channel_id=north.channel("general"),
    )
    await bot.fake.dispatch("INTERACTION_CREATE", payload, guild_id=north.id)
    await bot.settle()
    assert bot.fake.sent[-1].content.startswith("That button no longer works")


async def test_staffroom_run_discord_serves_until_sigterm(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_token = settings.model_copy(
        update={"discord": DiscordSettings(token=TOKEN), "health_port": 0}
    )
    servers: list[HealthServer] = []
    async with running_fake_discord() as fake:
        build_world(fake)
        point_discord_py_at(fake, monkeypatch)
        running = asyncio.create_task(serve(with_token, ["discord"], on_health=servers.append))
        await fake.wait_connected()
        (health,) = servers
        async with asyncio.timeout(10):  # ready once the gateway's READY has been handled
            while not (await health.readiness()).get("discord", CheckResult(ok=False)).ok:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        assert (await health.readiness())["store"].ok
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(running, 10)
        fake.granted_intents = 0
        with pytest.raises(StartupError, match="code 4014"):
            await serve(with_token, ["discord"])


async def test_not_ready_until_logged_in_and_the_gateway_session_is_up(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_token = settings.model_copy(
        update={"discord": DiscordSettings(token=TOKEN), "health_port": 0}
    )
    servers: list[HealthServer] = []
    async with running_fake_discord() as fake:
        build_world(fake)
        point_discord_py_at(fake, monkeypatch)
        fake.answer_login.clear()
        running = asyncio.create_task(serve(with_token, ["discord"], on_health=servers.append))
        try:
            async with asyncio.timeout(10):
                await fake.logging_in.wait()
            (health,) = servers
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{health.port}/readyz") as response,
            ):
                assert response.status == 503
                assert not (await response.json())["checks"]["discord"]["ok"]
            fake.answer_login.set()
            async with asyncio.timeout(10):
                while not (await health.readiness())["discord"].ok:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
        finally:
            fake.answer_login.set()
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(running, 10)
