"""Every flow of the installed skills through the real bolt app, against the fake Slack API."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select, text

from bot.adapters.slack.inbound import PLATFORM
from bot.app import App
from bot.community.models import Profile
from bot.core.errors import CapabilityUnavailable
from bot.core.events import Invocation, TenantRef
from bot.core.replies import Form, FormField, Reply
from bot.storage.models import Member
from tests.adapters.slack.harness import Slack, elements, last_view, messages, payload, texts
from tests.fakes.slack_api import FakeSlack, user_object

T1 = TenantRef(platform=PLATFORM, external_id="T1")
FULL_INTRO = {
    "display_name": "Ana",
    "role_title": "teacher",
    "subjects": "math",
    "grades": "6-8",
    "region": "Lisbon",
    "timezone": "Europe/Lisbon",
    "languages": "pt, en",
}


def said_to(fake: FakeSlack, where: str) -> list[dict[str, object]]:
    return [m for m in messages(fake) if m["where"] == where]


async def test_help_in_a_dm_is_posted_in_the_dm(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UANA", "help")
    (answer,) = messages(fake)
    assert answer["where"] == "DUANA"
    assert "What I can do for you (member)" in texts(answer)
    assert fake.calls_to("chat.postMessage")[0].team_id == "T1"


async def test_a_private_answer_to_a_mention_is_ephemeral(slack: Slack, fake: FakeSlack) -> None:
    await slack.mention("UANA", "help intro")
    (answer,) = messages(fake)
    assert answer["ephemeral"] and answer["where"] == "CGENERAL" and answer["user"] == "UANA"
    assert "help: intro" in texts(answer)


async def test_the_slash_command_alone_is_help(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UANA", "")
    (answer,) = messages(fake)
    assert answer["where"].startswith("response:") and answer["ephemeral"]
    assert "What I can do for you" in texts(answer)


async def test_workspace_admins_are_admins(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UANA", "admin channel introductions <#CINTRO|introductions>")
    await slack.command("UADA", "admin channel introductions <#CINTRO|introductions>")
    refused, done = messages(fake)
    assert "Only moderators and admins can use `admin channel`" in texts(refused)
    assert "<#CINTRO>" in texts(done)
    assert len(fake.calls_to("users.info")) == 2  # each user looked up once


async def test_moderators_come_from_the_user_group(app: App, fake: FakeSlack) -> None:
    from tests.adapters.slack.harness import running_slack

    fake.workspace("T1").usergroups["SMODS"] = ["UBEA"]
    async with running_slack(
        app, fake, bot_token=fake.token_of("T1"), moderator_user_group="SMODS"
    ) as slack:
        await slack.command("UBEA", "admin config")
        await slack.command("UANA", "admin config")
    allowed, refused = messages(fake)
    assert "welcome_text" in texts(allowed)
    assert "Only moderators and admins" in texts(refused)
    assert len(fake.calls_to("usergroups.users.list")) == 1


async def test_moderators_named_in_the_store(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UBEA", "admin config")
    await slack.command("UADA", "admin moderator add <@UBEA|bea>")
    await slack.command("UBEA", "admin config")
    refused, added, allowed = messages(fake)
    assert "Only moderators and admins" in texts(refused)
    assert "<@UBEA>" in texts(added)
    assert "welcome_text" in texts(allowed)


async def test_intro_by_modal_with_field_errors_then_saved(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    await slack.command("UADA", "admin channel introductions <#CINTRO>")
    await slack.command("UANA", "intro")
    view = last_view(fake)
    assert view["type"] == "modal" and view["title"]["text"] == "Introduce yourself"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["display_name"]["element"]["initial_value"] == "Ana"
    # Slack's users.info knows her zone: the intro starts with it.
    assert inputs["timezone"]["element"]["initial_value"] == "Europe/Lisbon"
    assert inputs["display_name"]["optional"] is False
    assert inputs["years_experience"]["element"]["type"] == "number_input"

    status, body = await slack.submit("UANA", view, FULL_INTRO | {"timezone": "Mars/Olympus"})
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["timezone"]
    async with app.store.transaction() as session:
        assert (await session.execute(select(Profile))).first() is None

    status, body = await slack.submit("UANA", view, FULL_INTRO)
    assert status == 200 and body == ""
    saved = [m for m in messages(fake) if "Thanks! Your intro is saved." in texts(m)]
    assert saved and saved[0]["ephemeral"] and saved[0]["where"] == "CGENERAL"
    (posted,) = said_to(fake, "CINTRO")
    assert "Please welcome Ana!" in texts(posted)
    assert "<@UANA> just introduced themselves." in texts(posted)


async def test_a_typed_intro_offers_a_button_that_opens_the_modal(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.mention("UANA", "intro")
    (offer,) = messages(fake)
    assert offer["ephemeral"] and "Tell the network about yourself" in texts(offer)
    assert not fake.calls_to("views.open")
    await slack.click("UANA", offer, "Introduce yourself")
    assert last_view(fake)["title"]["text"] == "Introduce yourself"


async def test_intro_set_whois_and_mentions(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UBEA", "intro set tz Lisbon")
    await slack.dm("UANA", "intro set subjects math, science")
    for name, value in FULL_INTRO.items():
        await slack.dm("UBEA", f"intro set {_short(name)} {value}")
    await slack.mention("UANA", "whois <@UBEA>")
    answer = messages(fake)[-1]
    assert answer["where"] == "CGENERAL" and not answer["ephemeral"]
    shown = texts(answer)
    assert "<@UBEA>" in shown and "Europe/Lisbon" in shown
    assert "Updated your time zone: Europe/Lisbon" in texts(said_to(fake, "DUBEA")[0])


def _short(field: str) -> str:
    return {
        "display_name": "name",
        "role_title": "role",
        "timezone": "tz",
        "years_experience": "experience",
    }.get(field, field)


async def test_people_find_pages_with_the_more_button(slack: Slack, fake: FakeSlack) -> None:
    for index in range(9):
        user = f"UT{index:02d}"
        fake.add_user("T1", user, f"Teacher{index:02d}")
        await slack.command(user, "intro")
        await slack.submit(user, last_view(fake), FULL_INTRO | {"display_name": user})
    await slack.command("UANA", "people find subject:math")
    first = messages(fake)[-1]
    assert "9 members found (page 1 of 2)" in texts(first)
    await slack.click("UANA", first, "More")
    second = messages(fake)[-1]
    assert second["ephemeral"] and "(page 2 of 2)" in texts(second)
    assert "UT08" in texts(second) and "UT08" not in texts(first)


async def test_a_newcomer_gets_a_welcome_dm_whose_button_opens_the_intro(
    slack: Slack, fake: FakeSlack
) -> None:
    join = payload("event_team_join")
    await slack.event_body(join)
    (welcome,) = said_to(fake, "DUELI")
    assert "Welcome to Lisbon Teachers!" in texts(welcome)
    await slack.click("UELI", welcome, "Introduce myself", channel="DUELI")
    view = last_view(fake)
    assert view["title"]["text"] == "Introduce yourself"
    await slack.submit("UELI", view, FULL_INTRO | {"display_name": "Eli"})
    (thanks,) = [m for m in said_to(fake, "DUELI") if "intro is saved" in texts(m)]
    assert not thanks["ephemeral"]


async def test_a_departure_is_recorded(slack: Slack, fake: FakeSlack, app: App) -> None:
    await slack.event_body(payload("event_team_join"))
    await slack.event_body(payload("event_user_change_deleted"))
    async with app.store.transaction() as session:
        member = (await session.execute(select(Member).where(Member.user_id == "UELI"))).scalar()
    assert member is not None and member.left_at is not None


async def test_resource_find_pages_with_more(slack: Slack, fake: FakeSlack) -> None:
    for index in range(7):
        await slack.command(
            "UANA",
            f'resource share https://example.org/r{index} "Fractions {index}" subject:math',
        )
    await slack.command("UBEA", "resource find fractions")
    first = messages(fake)[-1]
    assert "Fractions" in texts(first)
    await slack.click("UBEA", first, "More")
    second = messages(fake)[-1]
    assert second["ephemeral"] and "Fractions" in texts(second)
    assert texts(first) != texts(second)


async def test_rating_a_resource_with_its_select(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UANA", 'resource share https://example.org/p "Pizza" subject:math')
    await slack.command("UBEA", "resource show 1")
    card = messages(fake)[-1]
    selects = [e for _, e in elements(card) if e["type"] == "static_select"]
    assert selects, texts(card)
    await slack.pick("UBEA", card, "★★★★")
    assert "4" in texts(messages(fake)[-1])


async def test_a_link_in_the_resources_channel_gets_a_private_offer(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("UADA", "admin channel resources <#CRESOURCES>")
    await slack.say("UANA", "Look: <https://example.org/new|example.org/new>", channel="CRESOURCES")
    offer = messages(fake)[-1]
    assert offer["ephemeral"] and offer["where"] == "CRESOURCES" and offer["user"] == "UANA"
    assert "Add this to the resource library?" in texts(offer)
    (button,) = [e for _, e in elements(offer) if e["type"] == "button"]
    assert json.loads(button["value"]) == [
        "resource share form",
        {"url": "https://example.org/new"},
    ]


async def test_privacy_export_uploads_a_file_to_the_dm(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UANA", "intro set tz Lisbon")
    await slack.command("UANA", "privacy export")
    (completed,) = fake.calls_to("files.completeUploadExternal")
    assert completed.args["channel_id"] == "DUANA"
    (content,) = fake.uploads.values()
    assert b"Europe/Lisbon" in content
    assert "sent you your data" in texts(messages(fake)[-1])


async def test_privacy_forget_with_its_danger_button(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    await slack.dm("UANA", "intro set tz Lisbon")
    await slack.dm("UANA", "privacy forget")
    ask = messages(fake)[-1]
    (button,) = [e for _, e in elements(ask) if e["type"] == "button"]
    assert button["style"] == "danger"
    await slack.click("UANA", ask, "Yes, forget me", channel="DUANA")
    assert "has forgotten you" in texts(messages(fake)[-1])
    async with app.store.transaction() as session:
        gone = await session.execute(select(Member).where(Member.user_id == "UANA"))
        assert gone.first() is None


async def test_edits_and_bot_messages_are_ignored(slack: Slack, fake: FakeSlack) -> None:
    await slack.event_body(payload("event_message_changed"))
    bot = payload("event_message_im")["event"] | {"bot_id": "BOTHER", "text": "help"}
    await slack.event(bot)
    await slack.event({"type": "reaction_added", "user": "UANA", "reaction": "tada"})
    assert messages(fake) == []


async def test_group_dm_opens_one_conversation(slack: Slack, fake: FakeSlack) -> None:
    await slack.adapter.port.send_group_dm(T1, ["UANA", "UBEA", "UADA"], Reply(text="Meet!"))
    (opened,) = fake.calls_to("conversations.open")
    assert opened.args["users"] == "UANA,UBEA,UADA"
    (posted,) = messages(fake)
    assert posted["where"].startswith("G") and texts(posted) == "Meet!"


def test_user_objects_match_the_recorded_team_join() -> None:
    recorded = payload("event_team_join")["event"]["user"]
    assert set(user_object("T1", "UELI", "Eli")) <= set(recorded) | {"tz"}


async def test_a_group_too_big_for_slack_is_sent_one_by_one(slack: Slack, fake: FakeSlack) -> None:
    people = [f"U{i:02d}" for i in range(9)]
    with pytest.raises(CapabilityUnavailable):
        await slack.adapter.port.send_group_dm(T1, people, Reply(text="Hello all"))
    assert fake.calls_to("conversations.open") == []


async def test_a_typed_name_is_found_among_known_members(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UBEA", "intro set tz Lisbon")
    await slack.mention("UANA", "whois @Bea")
    assert "<@UBEA> hasn't introduced themselves yet." in texts(messages(fake)[-1])
    await slack.mention("UANA", "whois @nobody")
    assert "I don't know anyone called @nobody" in texts(messages(fake)[-1])


async def test_saving_a_resource_with_its_button(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UANA", 'resource share https://example.org/p "Pizza" subject:math')
    await slack.command("UBEA", "resource show 1")
    await slack.click("UBEA", messages(fake)[-1], "Save")
    saved = messages(fake)[-1]
    assert saved["ephemeral"] and "Saved #1 “Pizza”." in texts(saved)
    await slack.command("UBEA", "resource saved")
    assert "Pizza" in texts(messages(fake)[-1])


async def test_sharing_through_the_offer_opens_the_form_filled_in(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    await slack.command("UADA", "admin channel resources <#CRESOURCES>")
    await slack.say("UANA", "Look: <https://192.0.2.7/pizza>", channel="CRESOURCES")
    await slack.click("UANA", messages(fake)[-1], "Add to the library", channel="CRESOURCES")
    view = last_view(fake)
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["url"]["element"]["initial_value"] == "https://192.0.2.7/pizza"
    status, body = await slack.submit("UANA", view, {"title": "Pizza fractions", "grades": "x"})
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    assert list(json.loads(body)["errors"]) == ["grades"]
    status, body = await slack.submit("UANA", view, {"title": "Pizza fractions", "grades": "3-5"})
    assert status == 200 and body == ""
    thanks = messages(fake)[-1]
    assert thanks["ephemeral"] and thanks["where"] == "CRESOURCES"
    assert "Thanks! #1 “Pizza fractions” is in the library." in texts(thanks)
    async with app.store.transaction() as session:
        (url,) = (await session.execute(text("SELECT url FROM resources"))).one()
    assert url == "https://192.0.2.7/pizza"


async def test_the_share_form_from_the_slash_command(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UADA", "admin channel resources <#CRESOURCES>")
    await slack.command("UANA", "resource share", channel="CGENERAL")
    view = last_view(fake)
    await slack.submit(
        "UANA", view, {"url": "https://192.0.2.8/cake", "title": "Cake", "subject": "math"}
    )
    (posted,) = said_to(fake, "CRESOURCES")
    assert "New resource: Cake" in texts(posted)
    assert [e["text"]["text"] for _, e in elements(posted) if e["type"] == "button"] == ["Save"]


async def test_admin_config_and_stats(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UADA", "admin config privacy.retention_days 60")
    assert "Done: `privacy.retention_days` is now 60." in texts(messages(fake)[-1])
    await slack.command("UADA", "admin config")
    assert "now: 60 (default 30)" in texts(messages(fake)[-1])
    await slack.command("UANA", "intro set tz Lisbon")
    await slack.command("UADA", "admin stats")
    stats = messages(fake)[-1]
    assert stats["ephemeral"] and "Community stats, last 30 days" in texts(stats)


async def test_admin_export_is_a_zip_in_the_admins_dm(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UANA", "intro set tz Lisbon")
    await slack.command("UADA", "admin export")
    (completed,) = fake.calls_to("files.completeUploadExternal")
    assert completed.args["channel_id"] == "DUADA"
    (content,) = fake.uploads.values()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        document = json.loads(archive.read("staffroom.json"))
    assert document["community"] == {"platform": "slack", "id": "T1", "name": "Lisbon Teachers"}
    dumped = json.dumps(document)
    assert "Europe/Lisbon" in dumped and fake.token_of("T1") not in dumped
    assert "I've sent you the export in a direct message." in texts(messages(fake)[-1])


async def test_privacy_show(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UANA", "intro set tz Lisbon")
    await slack.command("UANA", "privacy show")
    shown = messages(fake)[-1]
    assert shown["ephemeral"]
    assert "What Staffroom stores about you in Lisbon Teachers" in texts(shown)
    assert "Europe/Lisbon" in texts(shown)


async def test_a_form_sent_by_dm_is_a_button_that_opens_it(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    form = Form(
        title="Your time zone",
        fields=(FormField(name="timezone", label="Time zone", required=True),),
        submit=Invocation(command="intro save"),
    )
    await slack.adapter.port.send_dm(T1, "UANA", Reply(text="One question:", form=form))
    (sent,) = said_to(fake, "DUANA")
    assert "One question:" in texts(sent)
    await slack.click("UANA", sent, "Your time zone", channel="DUANA")
    view = last_view(fake)
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["timezone"]
    status, body = await slack.submit("UANA", view, {"timezone": "Mars/Olympus"})
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    await slack.submit("UANA", view, {"timezone": "Lisbon"})
    async with app.store.transaction() as session:
        (timezone,) = (await session.execute(select(Profile.timezone))).one()
    assert timezone == "Europe/Lisbon"
    assert "intro" in texts(said_to(fake, "DUANA")[-1]).lower()
