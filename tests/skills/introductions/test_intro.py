from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.community.models import Profile, ProfileTag
from bot.storage.models import Member
from tests.support.console import Chat

ANA = {
    "display_name": "Ana Lopez",
    "role_title": "teacher",
    "subjects": "math, science",
    "grades": "6-8",
    "region": "Lisbon",
    "timezone": "Lisbon",
    "languages": "Portuguese, English",
    "years_experience": "12",
    "interests": "robotics",
    "seeking": "mentor",
}
FULL = {
    "name": "Bea Santos",
    "role": "teacher",
    "subjects": "science",
    "grades": "7",
    "tz": "Europe/Madrid",
}


async def rows(app: App, model: type) -> int:
    async with app.store.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_intro_form_saves_profile_and_whois_shows_it(chat: Chat, app: App) -> None:
    out = await chat.intro(**ANA)
    assert "Your intro is saved" in out
    card = await chat("whois me")
    assert "== Ana Lopez — teacher ==" in card
    assert "Subjects: math, science" in card
    assert "Grade bands: 6–8" in card
    assert "Time zone: Europe/Lisbon (UTC+00:00, 12:00 now)" in card
    assert "Languages: Portuguese, English" in card
    assert "Years of experience: 12 years" in card
    assert "Looking for: a mentor" in card
    async with app.store.transaction() as session:
        tags = set((await session.execute(select(ProfileTag.kind, ProfileTag.value))).all())
    assert {("grade", "6"), ("grade", "7"), ("grade", "8"), ("language", "pt")} <= tags


async def test_form_reprompts_only_the_fields_that_were_wrong(chat: Chat) -> None:
    out = await chat.intro(**{**ANA, "timezone": "Mars/Olympus", "grades": "grade zero"})
    assert "couldn't find the time zone 'Mars/Olympus'" in out
    assert "I couldn't read the grade 'grade zero'" in out
    assert chat.session.form is not None
    assert [f.name for f in chat.session.form.queue] == ["grades", "timezone"]
    out = await chat("6-8", "Lisbon")
    assert "Your intro is saved" in out


async def test_the_form_can_be_cancelled(chat: Chat, app: App) -> None:
    await chat("intro", "Ana")
    assert "Form cancelled; nothing was saved." in await chat("/cancel")
    assert await rows(app, Profile) == 0


async def test_completed_intro_is_posted_and_suggests_peers(chat: Chat) -> None:
    await chat("/as mod moderator", "admin channel introductions #introductions")
    await chat.person("bea", **FULL)
    await chat.person(
        "cai", name="Cai Wong", role="coach", subjects="art", grades="K-2", tz="Tokyo"
    )
    await chat("/as ana")
    out = await chat.intro(**ANA)
    assert "── in #introductions ──" in out
    assert "== 👋 Please welcome Ana Lopez! ==" in out
    assert "I've shared it in #introductions." in out
    assert "People you might like to meet:" in out
    assert "• Bea Santos (@bea) — both teach grade 7 science; 1 h apart" in out
    assert "Cai Wong" not in out


async def test_without_an_introductions_channel_the_member_is_told(chat: Chat) -> None:
    out = await chat.intro(**ANA)
    assert "No introductions channel is set yet" in out


async def test_intro_set_reports_what_is_still_missing(chat: Chat) -> None:
    out = await chat("intro set tz new york")
    assert "Updated your time zone: America/New_York (UTC-05:00, 07:00 now)." in out
    assert "To finish your intro, add: display name, your role, subjects, grade bands." in out
    out = await chat("intro set name Ana", "intro set role teacher", "intro set subjects math")
    out = await chat("intro set grades 9-12")
    assert "No introductions channel is set yet" in out  # it just became complete


async def test_bad_intro_values_change_nothing(chat: Chat, app: App) -> None:
    bad = [
        ("intro set tz Mars/Olympus_Mons", "couldn't find the time zone"),
        ("intro set grades 13", "couldn't read the grade '13'"),
        ("intro set languages Elvish", "don't recognise the language 'Elvish'"),
        ("intro set experience lots", "Years of experience should be a number"),
        ("intro set seeking a pony", "Choose from: mentor, mentees"),
        ("intro set favourite colour blue", "There's no intro field called 'favourite'"),
        ("intro set name " + "x" * 90, "too long"),
        ("intro set", "I need `field`"),
        ("intro set tz", "I need `value`"),
    ]
    for line, expected in bad:
        out = await chat(line)
        assert expected in out, line
    assert await rows(app, Profile) == 0


async def test_emoji_and_right_to_left_text_round_trip(chat: Chat) -> None:
    await chat("intro set name نور 🌟", "intro set region القاهرة")
    out = await chat("whois me")
    assert "== نور 🌟 ==" in out
    assert "Region: القاهرة" in out
    spoof = await chat("intro set name Ana\u202eevil")
    assert "Updated your display name: Anaevil." in spoof


async def test_a_4000_character_line_is_refused(chat: Chat, app: App) -> None:
    out = await chat("intro set region " + "é" * 4000)
    assert "too long for a command" in out
    assert await rows(app, Profile) == 0


async def test_whois_someone_else_and_unknowns(chat: Chat) -> None:
    await chat.person("bea", **FULL)
    await chat("/as ana")
    await chat.intro(**ANA)
    out = await chat("whois @bea")
    assert "== Bea Santos — teacher ==" in out
    assert "In common: both teach grade 7 science; 1 h apart" in out
    assert "I don't know anyone called @zed" in await chat("whois @zed")
    await chat("/as cai", "help", "/as ana")
    assert "@cai hasn't introduced themselves yet." in await chat("whois @cai")
    await chat("/as dee")
    out = await chat("whois me")
    assert "You haven't introduced yourself yet." in out
    assert "[1] Introduce myself" in out


async def test_welcome_dm_on_join_opens_the_form(chat: Chat) -> None:
    out = await chat("/join eli")
    assert "── DM to @eli ──" in out
    assert "== Welcome to demo! ==" in out
    out = await chat("/as eli", "1")
    assert "── Introduce yourself ──" in out
    assert chat.session.form is not None
    assert chat.session.prompt == "Display name* [Eli]: "


async def test_rejoining_member_is_welcomed_back(chat: Chat) -> None:
    await chat.person("bea", **FULL)
    await chat("/as ana", "/leave bea")
    out = await chat("/join bea")
    assert "Welcome back to demo, Bea Santos!" in out


async def test_people_who_left_are_not_in_the_directory(chat: Chat) -> None:
    await chat.person("bea", **FULL)
    await chat("/as ana")
    assert "Bea Santos" in await chat("people find subject:science")
    await chat("/leave bea")
    assert "Nobody matches" in await chat("people find subject:science")


async def test_tenants_are_isolated_in_the_console(chat: Chat, app: App) -> None:
    await chat.person("bea", **FULL)
    await chat("/tenant other", "/as ana")
    assert "Nobody matches" in await chat("people find subject:science")
    assert "@bea hasn't used Staffroom in this community yet." in await chat("whois @bea")
    async with app.store.transaction() as session:
        tenants = (await session.scalars(select(Member.tenant_id).distinct())).all()
    assert len(tenants) == 2
