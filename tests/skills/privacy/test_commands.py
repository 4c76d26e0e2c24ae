from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.community.models import Profile
from bot.core.events import EventKind, Invocation
from bot.core.members import find_member
from bot.core.roles import Role
from bot.storage.models import AuditEntry, Member
from bot.storage.tenant_data import json_ready
from tests.support.console import Chat
from tests.support.events import RecordingPort, message, text_of
from tests.support.i18n import untranslated_replies
from tests.support.rows import rows_naming
from tests.support.samples import typed

QUILL = {
    "name": "Quentin Quillfeather",
    "role": "teacher",
    "subjects": "math",
    "grades": "7",
    "tz": "Lisbon",
    "interests": "robotics",
}


def read_json(path: str) -> Any:
    return json.loads(Path(path).read_text())


async def quill_with_history(chat: Chat) -> None:
    """Member ``quill7`` with an intro, blocked and unblocked, named in moderators' commands."""
    await chat("/join quill7")
    await chat.person("quill7", **QUILL)
    await chat.person("bea", name="Bea", role="coach", subjects="math", grades="7", tz="UTC")
    await chat("/as mod admin", "admin block @quill7 too loud", "admin unblock <@quill7>")
    await chat("admin moderator add @Quill7", "admin moderator remove @quill7")
    await chat("admin channel summaries #weekly", "/as quill7")


async def everything_a_member_can_do(chat: Chat, app: App) -> None:
    """Every member command of every installed skill, by quill7 naming bea and the other way
    round, so that whatever any skill stores about a member exists before it is erased."""
    commands = [
        cmd
        for cmd in app.registry.commands(role=Role.MEMBER, include_hidden=True)
        if cmd.skill != "privacy"
    ]
    for me, other in (("quill7", "@bea"), ("bea", "@quill7")):
        await chat(f"/as {me}")
        for cmd in commands:
            for optional in (False, True):
                await chat(typed(cmd, member=other, optional=optional))
                if chat.session.form is not None:
                    await chat("/cancel")
    await chat("/as quill7")


async def test_show_lists_what_every_skill_holds(chat: Chat) -> None:
    await quill_with_history(chat)
    out = await chat("privacy show")
    assert "== What Staffroom stores about you in demo ==" in out
    assert "Membership\n  user id: quill7" in out
    assert "Profile\n  display name: Quentin Quillfeather" in out
    assert "  interests: robotics" in out
    assert "Moderator log" in out
    assert "action: admin block, target: @quill7, before: active, after: blocked: too loud" in out
    assert "admin channel" not in out  # entries that don't name them are not theirs


async def test_export_is_a_file_in_a_dm_with_every_exporters_data(chat: Chat, app: App) -> None:
    await quill_with_history(chat)
    out = await chat("privacy export")
    assert "── DM from Staffroom ──" in out
    assert "I've sent you your data as a file in a direct message." in out
    match = re.search(r"\(file saved: (.+\.json)\)", out)
    assert match is not None
    document = read_json(match.group(1))
    assert document["member"] == "quill7"
    assert document["community"]["id"] == "demo"
    async with app.store.transaction() as session:
        member = await find_member(session, 1, "quill7")
        assert member is not None
        for export in app.registry.exporters:
            for key, value in (await export(session, 1, member.id)).items():
                assert document["data"][key] == json_ready(value)
    assert {"membership", "profile", "moderator_log"} <= set(document["data"])
    assert len(document["data"]["moderator_log"]) == 4


async def test_forget_leaves_no_row_that_names_the_member(chat: Chat, app: App) -> None:
    await quill_with_history(chat)
    await chat("/tenant north")
    await chat.person("quill7", **QUILL)  # the same person in another community stays
    await chat("/tenant demo")
    await everything_a_member_can_do(chat, app)
    async with app.store.transaction() as session:
        member = await find_member(session, 1, "quill7")
        assert member is not None
    out = await chat("privacy forget")
    assert "== Erase everything about you? ==" in out
    listed = out.split("keeps about you in demo (", 1)[1].split(")", 1)[0]
    assert {"profile", "membership", "moderator log"} <= set(listed.split(", "))
    assert "[1] Yes, forget me" in out
    assert await rows_naming(app.store, member_id=member.id, names=("quill7", "Quillfeather"))
    out = await chat("1")
    assert "Done: Staffroom has forgotten you in demo." in out
    left = await rows_naming(app.store, member_id=member.id, names=("quill7", "Quillfeather"))
    assert [row for row in left if "'tenant_id': 2" not in row and "tenant_id=2" not in row] == []
    async with app.store.transaction() as session:
        names = set(await session.scalars(select(Member.user_id).where(Member.tenant_id == 1)))
        assert names == {"bea", "mod"}
        assert await session.scalar(select(Profile.display_name).where(Profile.tenant_id == 2))
        entries = list(await session.scalars(select(AuditEntry).where(AuditEntry.tenant_id == 1)))
    assert [(e.action, e.target, e.after) for e in entries][:4] == [
        ("admin block", "(forgotten member)", "blocked: too loud"),
        ("admin unblock", "(forgotten member)", "active"),
        ("admin moderator add", "(forgotten member)", "moderator"),
        ("admin moderator remove", "(forgotten member)", "member"),
    ]
    assert "You haven't introduced yourself yet." in await chat("whois me")
    assert "Updated your region: Porto" in await chat("intro set region Porto")  # starts afresh


async def test_forget_anonymises_the_members_own_moderator_actions(chat: Chat, app: App) -> None:
    await chat("/as bea", "help", "/as quill7 moderator", "admin block @bea", "privacy forget")
    assert "forgotten you" in await chat("1")
    async with app.store.transaction() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert (entry.actor_member_id, entry.actor_name, entry.target) == (
        None,
        "(forgotten member)",
        "<@bea>",
    )


async def test_the_forget_button_is_only_for_its_owner_and_expires(app: App) -> None:
    port = RecordingPort()
    app.dispatcher.attach("test", port)
    replies = await app.dispatcher.handle(message("privacy forget", user="ana"))
    (button,) = replies[0].buttons
    assert replies[0].private
    stolen = message("", user="bea", kind=EventKind.INVOCATION, invocation=button.action)
    assert "That button was for someone else" in text_of(await app.dispatcher.handle(stolen))
    app.clock.advance(timedelta(hours=2))
    late = message("", user="ana", kind=EventKind.INVOCATION, invocation=button.action)
    assert "That button has expired" in text_of(await app.dispatcher.handle(late))
    forged = Invocation(command="privacy forget confirm", args={"member": "ana", "asked": "soon"})
    event = message("", user="ana", kind=EventKind.INVOCATION, invocation=forged)
    assert "isn't valid" in text_of(await app.dispatcher.handle(event))
    async with app.store.transaction() as session:
        assert await find_member(session, 1, "ana") is not None


async def test_blocked_members_keep_their_privacy_rights(chat: Chat, app: App) -> None:
    await chat("/as sam", "intro set region Leeds", "/as mod moderator", "admin block @sam")
    out = await chat("/as sam", "whois me")
    assert "paused your access" in out
    assert "blocked at: 3/2/26, 12:00 PM" in await chat("privacy show")
    assert "file saved" in await chat("privacy export")
    await chat("privacy forget")
    assert "forgotten you" in await chat("1")
    async with app.store.transaction() as session:
        assert await find_member(session, 1, "sam") is None


async def test_privacy_speaks_the_members_language(chat: Chat) -> None:
    await chat("me language fr")
    out = await chat("privacy show")
    assert "Ce que Staffroom conserve à votre sujet dans" in out
    assert "language: fr" in out
    out = await chat("privacy forget")
    assert "Tout effacer à votre sujet ?" in out and "Oui, oubliez-moi" in out


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    # The data's own labels (the exporters' keys, as in the exported file) stay as they are.
    labels = [
        "Membership",
        "user",
        "id",
        "display",
        "name",
        "granted",
        "role",
        "admin",
        "first",
        "seen",
        "joined",
        "at",
        "left",
        "blocked",
        "language",
        "platform",
        "locale",
        "member",
    ]
    assert await untranslated_replies(app, chat, "privacy", allowed=labels) == []
