from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.storage.models import Profile, ProfileTag
from tests.support.console import Chat


async def profile_rows(app: App) -> int:
    async with app.store.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Profile)) or 0)


async def test_intro_form_saves_profile_and_whois_shows_it(chat: Chat, app: App) -> None:
    out = await chat.intro(
        display_name="Ana Lopez",
        role_title="teacher",
        subjects="math, science",
        grades="6-8",
        region="Lisbon",
        timezone="Lisbon",
        languages="Portuguese, English",
        years_experience="12",
        interests="robotics",
        seeking="mentor",
    )
    assert "Your intro is saved" in out
    card = await chat("whois me")
    assert "Ana Lopez — teacher" in card
    assert "Subjects: math, science" in card
    assert "Grade bands: 6–8" in card
    assert "Europe/Lisbon (UTC+00:00" in card
    assert "Languages: Portuguese, English" in card
    assert "Looking for: a mentor" in card
    async with app.store.transaction() as session:
        tags = (await session.execute(select(ProfileTag.kind, ProfileTag.value))).all()
    assert ("grade", "7") in tags
    assert ("language", "pt") in tags


async def test_invalid_time_zone_is_refused_and_changes_nothing(chat: Chat, app: App) -> None:
    out = await chat("intro set tz Mars/Olympus_Mons")
    assert "couldn't find the time zone 'Mars/Olympus_Mons'" in out
    assert "Nothing was changed" in out
    assert await profile_rows(app) == 0
