"""Slash commands generated from the command declarations, and syncing them to Discord."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from bot.adapters.discord.application import application_id, invite_url, sync_commands
from bot.adapters.discord.slash import (
    CHANNEL,
    INTEGER,
    MANAGE_GUILD,
    STRING,
    SUB_COMMAND,
    USER,
    SlashCommands,
)
from bot.app import App
from bot.core.commands import Param, ParamKind, Registry, command
from bot.core.context import Context
from bot.core.events import Invocation
from bot.core.parsing import Args
from bot.core.roles import Role
from bot.core.skills import Skill, load_registry
from bot.settings import DiscordSettings
from tests.fakes.discord_api import TOKEN, running_fake_discord
from tests.support.discord_bot import build_world, point_discord_py_at

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


@pytest.fixture(scope="module")
def slash() -> SlashCommands:
    return SlashCommands.from_registry(load_registry())


def _all_commands(payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for top in payload:
        subs = [o for o in top.get("options", []) if o["type"] == SUB_COMMAND]
        found += subs or [top]
    return found


def test_groups_follow_the_first_word(slash: SlashCommands) -> None:
    names = [c["name"] for c in slash.payload]
    assert names[:4] == ["intro", "intro-set", "whois", "people"]
    assert {"resource", "admin", "privacy", "help"} <= set(names)
    admin = next(c for c in slash.payload if c["name"] == "admin")
    subs = [o["name"] for o in admin["options"]]
    assert {"channel", "moderator-add", "config", "config-reset", "remove-profile"} <= set(subs)
    assert slash.commands[("admin", "remove-profile")] == "admin remove-profile"
    assert slash.commands[("intro-set",)] == "intro set"
    assert all(c["contexts"] == [0] for c in slash.payload)


def test_hidden_commands_are_not_slash_commands(slash: SlashCommands) -> None:
    names = set(slash.commands.values())
    assert "intro save" not in names
    assert "privacy forget confirm" not in names
    assert "resource share submit" not in names
    visible = {c.name for c in load_registry().commands()}
    assert names == visible


def test_options_are_typed(slash: SlashCommands) -> None:
    def options(path: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        top = next(c for c in slash.payload if c["name"] == path[0])
        holder = top if len(path) == 1 else next(o for o in top["options"] if o["name"] == path[1])
        return {o["name"]: o for o in holder["options"]}

    whois = options(("whois",))
    assert whois["member"]["type"] == USER
    assert whois["member"]["required"] is True
    channel = options(("admin", "channel"))
    assert channel["channel"]["type"] == CHANNEL
    assert channel["purpose"]["type"] == STRING  # skills declare purposes; the command checks
    rate = options(("resource", "rate"))
    assert rate["score"]["type"] == INTEGER
    assert (rate["score"]["min_value"], rate["score"]["max_value"]) == (1, 5)
    share = options(("resource", "share"))
    assert share["url"]["type"] == STRING
    assert {"subject", "grade", "type", "tags"} <= set(share)
    assert share["title"]["max_length"] == 1000


def test_the_tree_keeps_to_discords_rules(slash: SlashCommands) -> None:
    for top in slash.payload:
        assert NAME.match(top["name"]), top["name"]
        assert 1 <= len(top["description"]) <= 100
        assert len(top.get("options", [])) <= 25
    for cmd in _all_commands(slash.payload):
        options = cmd.get("options", [])
        assert len(options) <= 25
        required = [o["required"] for o in options]
        assert required == sorted(required, reverse=True), cmd["name"]  # required ones first
        for option in options:
            assert NAME.match(option["name"]), option["name"]
            assert 1 <= len(option["description"]) <= 100
        assert len({o["name"] for o in options}) == len(options)


def test_every_slash_command_reads_back_as_its_command(slash: SlashCommands) -> None:
    for path, name in slash.commands.items():
        data: dict[str, Any] = {"name": path[0], "type": 1}
        if len(path) == 2:
            data["options"] = [{"name": path[1], "type": SUB_COMMAND, "options": []}]
        assert slash.invocation(data) == Invocation(command=name)
    data = {
        "name": "resource",
        "options": [
            {
                "name": "rate",
                "type": SUB_COMMAND,
                "options": [
                    {"name": "id", "type": INTEGER, "value": 7},
                    {"name": "score", "type": INTEGER, "value": 5},
                ],
            }
        ],
    }
    assert slash.invocation(data) == Invocation(
        command="resource rate", args={"id": "7", "score": "5"}
    )
    assert slash.invocation({"name": "gone"}) is None


def test_a_command_heading_a_group_keeps_its_own_name() -> None:
    @command("checkin", summary="Check in.")
    async def checkin(ctx: Context, args: Args) -> None:
        return None

    @command("checkin time", summary="When.", params=[Param(name="when", kind=ParamKind.TEXT)])
    async def checkin_time(ctx: Context, args: Args) -> None:
        return None

    @command(
        "checkin skip next",
        summary="Skip.",
        params=[Param(name="count", kind=ParamKind.INT, minimum=1)],
    )
    async def checkin_skip(ctx: Context, args: Args) -> None:
        return None

    sample = Skill(name="sample", commands=(checkin, checkin_time, checkin_skip))
    slash = SlashCommands.from_registry(Registry.from_skills([sample]))
    assert [c["name"] for c in slash.payload] == ["checkin", "checkin-time", "checkin-skip-next"]
    data = {
        "name": "checkin-skip-next",
        "options": [{"name": "count", "type": INTEGER, "value": 2}],
    }
    assert slash.invocation(data) == Invocation(command="checkin skip next", args={"count": "2"})


def test_the_hash_changes_only_with_the_tree(slash: SlashCommands) -> None:
    again = SlashCommands.from_registry(load_registry())
    assert again.tree_hash() == slash.tree_hash()
    changed = SlashCommands(payload=[*slash.payload[:-1]], commands=slash.commands)
    assert changed.tree_hash() != slash.tree_hash()


async def test_sync_sends_only_what_changed(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running_fake_discord() as fake:
        world = build_world(fake)
        point_discord_py_at(fake, monkeypatch)
        settings = DiscordSettings(token=TOKEN, test_guild_id=int(world.north.id))
        first = await sync_commands(app, settings)
        assert (first.scope, first.sent) == (world.north.id, True)
        registered = fake.commands[world.north.id]
        assert [c["name"] for c in registered][:2] == ["intro", "intro-set"]
        assert first.commands == len(registered)
        again = await sync_commands(app, settings)
        assert again.sent is False
        assert len(fake.calls_to("PUT", r"/commands$")) == 1
        forced = await sync_commands(app, settings, force=True)
        assert forced.sent is True
        everywhere = await sync_commands(app, settings, everywhere=True)
        assert (everywhere.scope, everywhere.sent) == ("global", True)
        assert fake.commands["global"] == [{**c, "id": c["id"]} for c in fake.commands["global"]]
        assert len(fake.calls_to("PUT", r"^/applications/\d+/commands$")) == 1


async def test_the_invite_link_asks_for_the_bot_and_its_commands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    known = DiscordSettings(application_id=1167035512131321948)
    assert await application_id(known) == 1167035512131321948
    async with running_fake_discord() as fake:
        point_discord_py_at(fake, monkeypatch)
        looked_up = await application_id(DiscordSettings(token=TOKEN))
    assert looked_up == int(fake.application_id)
    assert invite_url(1167035512131321948) == (
        "https://discord.com/oauth2/authorize?client_id=1167035512131321948"
        "&scope=bot+applications.commands&permissions=274878024768"
    )


def test_moderators_commands_need_manage_server_and_mixed_groups_stay_visible(
    slash: SlashCommands,
) -> None:
    by_name = {c["name"]: c for c in slash.payload}
    assert by_name["admin"]["default_member_permissions"] == str(MANAGE_GUILD)
    assert by_name["pair"]["default_member_permissions"] == str(MANAGE_GUILD)
    # resource and checkin mix members' commands with moderators' ones: everyone sees them.
    for name in ("resource", "checkin", "intro", "help", "privacy"):
        assert "default_member_permissions" not in by_name[name], name


def _big_registry(count: int) -> Registry:
    handlers = []
    for number in range(count):

        async def handler(ctx: Context, args: Args) -> None:
            return None

        role = Role.MODERATOR if number % 2 else Role.MEMBER
        declare = command(f"big thing{number:02d}", summary=f"Thing {number}.", role=role)
        handlers.append(declare(handler))
    return Registry.from_skills([Skill(name="big", commands=tuple(handlers))])


def test_a_group_past_discords_limit_is_split_not_cut() -> None:
    slash = SlashCommands.from_registry(_big_registry(60))
    assert [c["name"] for c in slash.payload] == ["big", "big-2", "big-3"]
    assert [len(c["options"]) for c in slash.payload] == [25, 25, 10]
    assert len(slash.commands) == 60
    assert slash.commands[("big-3", "thing59")] == "big thing59"
    data = {"name": "big-2", "options": [{"name": "thing30", "type": SUB_COMMAND}]}
    assert slash.invocation(data) == Invocation(command="big thing30")


def test_a_tree_discord_cannot_take_fails_loudly() -> None:
    handlers = []
    for number in range(101):

        async def handler(ctx: Context, args: Args) -> None:
            return None

        handlers.append(command(f"word{number}", summary="A word.")(handler))
    wide = Skill(name="wide", commands=tuple(handlers))
    with pytest.raises(ValueError, match="Discord allows 100"):
        SlashCommands.from_registry(Registry.from_skills([wide]))


def _registered_commands(registered: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    paths = set()
    for top in registered:
        subs = [o["name"] for o in top.get("options", []) if o["type"] == SUB_COMMAND]
        paths |= {(top["name"], sub) for sub in subs} or {(top["name"],)}
    return paths


async def test_discord_receives_every_registry_command(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_fake_discord() as fake:
        world = build_world(fake)
        point_discord_py_at(fake, monkeypatch)
        settings = DiscordSettings(token=TOKEN, test_guild_id=int(world.north.id))
        for registry in (app.registry, _big_registry(60)):
            slash = SlashCommands.from_registry(registry)
            outcome = await sync_commands(dataclasses.replace(app, registry=registry), settings)
            assert outcome.sent
            registered = fake.commands[world.north.id]
            visible = {cmd.name for cmd in registry.commands()}
            assert {slash.commands[path] for path in _registered_commands(registered)} == visible
            if registry is app.registry:
                admin = next(c for c in registered if c["name"] == "admin")
                assert admin["default_member_permissions"] == str(MANAGE_GUILD)
