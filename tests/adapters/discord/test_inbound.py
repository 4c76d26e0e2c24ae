"""Translation of recorded Discord payloads into core events."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot.adapters.discord.custom_ids import InlineAction, parse_custom_id
from bot.adapters.discord.inbound import (
    RoleRules,
    TextCommandRules,
    custom_id_of,
    interaction_event,
    member_joined_event,
    member_left_event,
    member_role,
    message_event,
    modal_answers,
    selected_value,
)
from bot.adapters.discord.slash import SlashCommands
from bot.core.events import EventKind, Invocation
from bot.core.roles import Role
from bot.core.skills import load_registry
from tests.adapters.discord.recorded import (
    BOT_USER_ID,
    COORDINATOR_ROLE_ID,
    MODERATOR_ROLE_ID,
    Recorded,
    payload,
    recorded_server,
)

TEXT = TextCommandRules(bot_user_id=BOT_USER_ID, prefix="!sr")
ROLES = RoleRules(moderator_role_id=MODERATOR_ROLE_ID)


@pytest.fixture
def server() -> Recorded:
    return recorded_server()


async def test_a_prefixed_message_is_a_command(server: Recorded) -> None:
    event = message_event(server.message("message_create_prefix"), text_rules=TEXT, roles=ROLES)
    assert event is not None
    assert event.kind is EventKind.MESSAGE
    assert event.event_id == "1210000000000000001"
    assert (event.tenant.platform, event.tenant.external_id) == ("discord", "1167032488491937843")
    assert event.tenant.name == "Northside Teachers"
    assert event.actor.user_id == "93847561029384756"
    assert event.actor.display_name == "Ana Lopez"
    assert event.actor.platform_role is Role.MEMBER
    assert event.place.channel_id == "1167032488491937846"
    assert not event.place.is_dm
    assert event.addressed
    assert event.text == 'people find subject:math "project based"'


async def test_a_mention_addresses_the_bot_and_the_role_comes_from_the_moderator_role(
    server: Recorded,
) -> None:
    event = message_event(server.message("message_create_mention"), text_rules=TEXT, roles=ROLES)
    assert event is not None
    assert event.addressed
    assert event.text == "admin stats 7d"
    assert event.actor.platform_role is Role.MODERATOR
    assert event.actor.display_name == "Mo (mod)"
    plain = message_event(
        server.message("message_create_mention"), text_rules=TEXT, roles=RoleRules()
    )
    assert plain is not None
    assert plain.actor.platform_role is Role.MEMBER


async def test_other_messages_reach_listeners_unaddressed(server: Recorded) -> None:
    event = message_event(server.message("message_create_link"), text_rules=TEXT, roles=ROLES)
    assert event is not None
    assert not event.addressed
    assert event.text == "Loved this for fractions: https://192.0.2.7/pizza"
    assert event.place.channel_id == "1167033012314370129"


async def test_system_messages_and_dms_without_a_server_are_not_events(server: Recorded) -> None:
    joined = server.message("message_create_member_join")
    assert message_event(joined, text_rules=TEXT, roles=ROLES) is None
    dm = server.message("message_create_dm")
    assert message_event(dm, text_rules=TEXT, roles=ROLES) is None
    event = message_event(dm, text_rules=TEXT, roles=ROLES, dm_guild=server.guild)
    assert event is not None
    assert event.place.is_dm
    assert event.addressed
    assert event.text == "privacy show"
    assert event.tenant.external_id == str(server.guild.id)


@pytest.mark.parametrize(
    ("content", "command"),
    [
        ("!sr help", "help"),
        ("  !sr   whois me", "whois me"),
        ("!sr", ""),
        ("!srhelp", None),
        (f"<@{BOT_USER_ID}> help", "help"),
        (f"<@!{BOT_USER_ID}>help", "help"),
        ("help", None),
        ("hello <@1167035512131321948>", None),
    ],
)
def test_what_counts_as_addressed(content: str, command: str | None) -> None:
    assert TEXT.strip(content) == command


def test_a_prefix_ending_in_punctuation_needs_no_space() -> None:
    assert TextCommandRules(bot_user_id=1, prefix="?").strip("?help") == "help"


async def test_a_slash_command_becomes_an_invocation_with_typed_options(
    server: Recorded,
) -> None:
    slash = SlashCommands.from_registry(load_registry())
    interaction = server.interaction("interaction_command")
    invocation = slash.invocation(interaction.data or {})
    assert invocation == Invocation(
        command="admin channel",
        args={"purpose": "resources", "channel": "<#1167033012314370129>"},
    )
    event = interaction_event(interaction, invocation, guild=server.guild, roles=ROLES)
    assert event.kind is EventKind.INVOCATION
    assert event.event_id == "1210000000000000101"
    assert event.actor.platform_role is Role.MODERATOR
    assert event.place.channel_id == "1167032488491937846"
    whois = server.interaction("interaction_command_user")
    assert slash.invocation(whois.data or {}) == Invocation(
        command="whois", args={"member": "<@90123456789012345>"}
    )
    owner = interaction_event(whois, Invocation(command="whois"), guild=server.guild, roles=ROLES)
    assert owner.actor.platform_role is Role.ADMIN


async def test_manage_server_makes_an_admin(server: Recorded) -> None:
    coordinator = server.guild.get_member(93847561029384756)
    assert coordinator is not None
    coordinator._roles.add(COORDINATOR_ROLE_ID)
    assert ROLES.role_of(coordinator, coordinator.guild_permissions) is Role.ADMIN


async def test_buttons_and_selects_carry_their_invocation(server: Recorded) -> None:
    button = server.interaction("interaction_button")
    parsed = parse_custom_id(custom_id_of(button.data))
    assert isinstance(parsed, InlineAction)
    assert parsed.guild_id == "1167032488491937843"
    assert parsed.action.chosen(selected_value(button.data)) == Invocation(
        command="people find", args={"subject": "math", "page": "2"}
    )
    select = server.interaction("interaction_select")
    parsed = parse_custom_id(custom_id_of(select.data))
    assert isinstance(parsed, InlineAction)
    assert parsed.action.chosen(selected_value(select.data)) == Invocation(
        command="resource rate", args={"id": "7", "score": "4"}
    )


async def test_a_button_in_a_dm_takes_its_server_and_role_from_the_member_cache(
    server: Recorded,
) -> None:
    interaction = server.interaction("interaction_button_dm")
    assert interaction.guild_id is None
    event = interaction_event(
        interaction, Invocation(command="intro"), guild=server.guild, roles=ROLES
    )
    assert event.place.is_dm
    assert event.tenant.external_id == "1167032488491937843"
    assert event.actor.user_id == "93847561029384756"
    assert event.actor.platform_role is Role.MEMBER
    assert member_role(server.guild, 90123456789012345, ROLES) is Role.MODERATOR
    assert member_role(server.guild, 80351110224678912, ROLES) is Role.ADMIN  # the owner
    assert member_role(server.guild, 1, ROLES) is Role.MEMBER  # not in the cache


async def test_modal_answers_from_rows_and_labels(server: Recorded) -> None:
    interaction = server.interaction("interaction_modal_submit")
    assert modal_answers(interaction.data) == {
        "timezone": "Lisbon",
        "languages": "English, Portuguese",
        "years_experience": "12",
        "interests": "",
    }


async def test_joins_and_departures(server: Recorded) -> None:
    newcomer = server.member("guild_member_add")
    joined = member_joined_event(newcomer, roles=ROLES)
    assert joined.kind is EventKind.MEMBER_JOINED
    assert joined.actor.display_name == "Eli Tan"
    assert (
        joined.event_id == "join:1167032488491937843:1210000000000000555:2026-03-02T12:07:00+00:00"
    )
    assert joined.place.channel_id == "1167032488491937846"  # the system channel
    left = member_left_event(
        server.guild,
        discord.User(state=server.state, data=payload("guild_member_remove")["user"]),
        now=datetime(2026, 3, 3, tzinfo=UTC),
    )
    assert left.kind is EventKind.MEMBER_LEFT
    assert left.actor.user_id == "93847561029384756"
