"""Translating recorded Slack payloads into core events (pure functions, no app running)."""

from __future__ import annotations

import pytest

from bot.adapters.slack.inbound import (
    EVENT_TRANSLATORS,
    read_text,
    translate_action,
    translate_command,
    translate_event,
    translate_form_click,
    translate_submission,
)
from bot.adapters.slack.modals import encode_form
from bot.core.events import EventKind, Invocation
from bot.core.replies import Form, FormField
from tests.adapters.slack.harness import payload

BOT = "UBOTT1"


def test_an_app_mention_is_an_addressed_message_without_the_mention() -> None:
    inbound = translate_event(payload("event_app_mention"), bot_user_id=BOT)
    assert inbound is not None
    event = inbound.event
    assert event.kind is EventKind.MESSAGE and event.addressed
    assert event.text == "help"
    assert event.event_id == "Ev0MENTION1"
    assert (event.tenant.platform, event.tenant.external_id) == ("slack", "T1")
    assert (event.actor.user_id, event.place.channel_id, event.place.is_dm) == (
        "UANA",
        "CGENERAL",
        False,
    )
    assert inbound.route.again == "help"


def test_a_direct_message_is_addressed() -> None:
    inbound = translate_event(payload("event_message_im"), bot_user_id=BOT)
    assert inbound is not None
    assert inbound.event.addressed and inbound.event.place.is_dm
    assert inbound.route.channel_id == "DUANA" and inbound.route.is_dm


def test_a_channel_message_is_heard_but_not_addressed_and_its_link_is_plain() -> None:
    inbound = translate_event(payload("event_message_channels"), bot_user_id=BOT)
    assert inbound is not None
    assert not inbound.event.addressed
    assert inbound.event.text == "Loved this one: https://example.org/fractions?a=1&b=2"
    assert inbound.route.again is None


def test_a_channel_message_mentioning_the_bot_is_left_to_its_app_mention() -> None:
    body = payload("event_message_channels")
    body["event"]["text"] = f"<@{BOT}> help"
    assert translate_event(body, bot_user_id=BOT) is None


@pytest.mark.parametrize(
    "change",
    [
        {"subtype": "message_changed"},
        {"subtype": "channel_join"},
        {"subtype": "bot_message"},
        {"type": "reaction_added"},
        {"channel": None},
    ],
)
def test_other_events_are_skipped(change: dict[str, object]) -> None:
    body = payload("event_message_im")
    body["event"] |= change
    if body["event"]["channel"] is None:
        del body["event"]["channel"]
    assert translate_event(body, bot_user_id=BOT) is None


def test_the_recorded_edit_is_skipped() -> None:
    assert translate_event(payload("event_message_changed"), bot_user_id=BOT) is None


def test_bots_are_marked_so_the_dispatcher_ignores_them() -> None:
    body = payload("event_message_im")
    body["event"] |= {"bot_id": "B9"}
    del body["event"]["user"]
    inbound = translate_event(body, bot_user_id=BOT)
    assert inbound is not None and inbound.event.actor.is_bot
    assert inbound.event.actor.user_id == "B9"


def test_joining_and_leaving_the_workspace() -> None:
    joined = translate_event(payload("event_team_join"), bot_user_id=BOT)
    left = translate_event(payload("event_user_change_deleted"), bot_user_id=BOT)
    assert joined is not None and left is not None
    assert joined.event.kind is EventKind.MEMBER_JOINED
    assert joined.event.actor.display_name == "Eli"
    assert left.event.kind is EventKind.MEMBER_LEFT
    assert joined.route.channel_id == "" and joined.route.user_id == "UELI"
    profile_change = payload("event_user_change_deleted")
    profile_change["event"]["user"]["deleted"] = False
    assert translate_event(profile_change, bot_user_id=BOT) is None


def test_the_dispatch_table_names_every_handled_type() -> None:
    assert set(EVENT_TRANSLATORS) == {"app_mention", "message", "team_join", "user_change"}


def test_a_retried_event_keeps_its_id() -> None:
    first = translate_event(payload("event_message_im"), bot_user_id=BOT)
    again = translate_event(payload("event_message_im"), bot_user_id=BOT)
    assert first is not None and again is not None
    assert first.event.event_id == again.event.event_id == "Ev0IM1"


def test_a_slash_command_runs_its_text_and_answers_through_its_url() -> None:
    inbound = translate_command(payload("slash_command"))
    assert inbound is not None
    event = inbound.event
    assert event.kind is EventKind.MESSAGE and event.addressed and event.text == "help"
    assert event.event_id == "trigger:13345224609.738474920.8088930838d88f008e0"
    assert event.actor.display_name == "ana"
    assert inbound.route.response_url == "https://hooks.slack.com/commands/1234/5678"
    assert inbound.route.trigger_id == "13345224609.738474920.8088930838d88f008e0"
    alone = translate_command(payload("slash_command") | {"text": "  "})
    assert alone is not None and alone.event.text == "help"
    assert translate_command(payload("slash_command") | {"command": "/other"}) is None


def test_a_button_click_is_its_invocation() -> None:
    inbound = translate_action(payload("block_actions"))
    assert inbound is not None
    event = inbound.event
    assert event.kind is EventKind.INVOCATION
    assert event.invocation == Invocation(
        command="people find", args={"subject": "math", "page": "2"}
    )
    assert event.event_id == "trigger:12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3"
    assert inbound.route.response_url == "https://hooks.slack.com/actions/T1/1234/abcd"
    assert inbound.route.again == event.invocation


def test_a_select_pick_adds_its_value() -> None:
    body = payload("block_actions")
    body["actions"] = [
        {
            "action_id": "sr:sel",
            "block_id": 'sr:sel:["resource rate",{"id":"4"},"stars"]',
            "selected_option": {"text": {"type": "plain_text", "text": "★★★"}, "value": "3"},
            "type": "static_select",
            "action_ts": "1548426417.840180",
        }
    ]
    inbound = translate_action(body)
    assert inbound is not None
    assert inbound.event.invocation == Invocation(
        command="resource rate", args={"id": "4", "stars": "3"}
    )


def test_a_say_button_runs_its_text_again() -> None:
    body = payload("block_actions")
    body["actions"][0] |= {"action_id": "sr:say", "value": "intro"}
    inbound = translate_action(body)
    assert inbound is not None
    assert inbound.event.kind is EventKind.MESSAGE and inbound.event.text == "intro"


def test_a_form_button_is_a_form_to_open_not_an_event() -> None:
    form = Form(
        title="Check-in",
        fields=(FormField(name="mood", label="How was your week?"),),
        submit=Invocation(command="checkin answer", args={"id": "3"}),
    )
    body = payload("block_actions")
    body["actions"][0] |= {"action_id": "sr:open", "value": encode_form(form)}
    click = translate_form_click(body)
    assert click is not None and click.form == form
    assert click.route.trigger_id == body["trigger_id"]
    assert translate_action(body) is None
    assert translate_form_click(payload("block_actions")) is None
    body["actions"][0]["value"] = "garbled"
    assert translate_form_click(body) is None


@pytest.mark.parametrize(
    "action",
    [
        {"action_id": "sr:btn:0", "value": "not json"},
        {"action_id": "sr:open", "value": "not a form"},
        {"action_id": "sr:sel", "block_id": "sr:sel:[1]", "selected_option": {"value": "1"}},
        {"action_id": "someone_else", "value": "x"},
    ],
)
def test_foreign_or_broken_actions_are_skipped(action: dict[str, object]) -> None:
    body = payload("block_actions")
    body["actions"] = [action]
    assert translate_action(body) is None


def test_a_submitted_form_is_its_submit_invocation_with_the_answers() -> None:
    inbound = translate_submission(payload("view_submission"))
    assert inbound is not None
    event = inbound.event
    assert event.invocation == Invocation(command="intro save", args={"timezone": "Lisbon"})
    assert event.event_id == "trigger:12466734323.1395872398.d8c1bb837935619ccad0f624c448ffb3"
    assert (inbound.route.channel_id, inbound.route.is_dm) == ("CGENERAL", False)
    forged = payload("view_submission")
    forged["view"]["private_metadata"] = "{}"
    assert translate_submission(forged) is None


@pytest.mark.parametrize(
    ("slack", "core"),
    [
        ("hi <@U1> and <@U2|bea>", "hi <@U1> and <@U2>"),
        ("in <#C1|general>", "in <#C1>"),
        ("<!here> <!subteam^S1|@mods>", "@here @mods"),
        ("<mailto:a@b.org|a@b.org>", "a@b.org"),
        ("x &lt; y &amp;&amp; y &gt; z", "x < y && y > z"),
        ("<https://a.org/x?y=1&amp;z=2>", "https://a.org/x?y=1&z=2"),
    ],
)
def test_slack_text_is_read_as_typed(slack: str, core: str) -> None:
    assert read_text(slack) == core
