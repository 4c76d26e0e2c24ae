from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.community.models import Profile, ProfileTag
from bot.core.members import find_member
from tests.support.console import Chat


async def test_profile_export_and_erase_through_the_registry(chat: Chat, app: App) -> None:
    await chat("intro set name Ana", "intro set subjects math", "intro set tz Lisbon")
    registry = app.registry
    async with app.store.transaction() as session:
        member = await find_member(session, 1, "alex")
        assert member is not None
        exported = [await export(session, 1, member.id) for export in registry.exporters]
        assert {"profile"} <= set().union(*exported)
        profile = next(e["profile"] for e in exported if "profile" in e)
        assert profile["subjects"] == ("math",)
        assert profile["timezone"] == "Europe/Lisbon"
        for erase in registry.erasers:
            await erase(session, 1, member.id)
    async with app.store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Profile)) == 0
        assert await session.scalar(select(func.count()).select_from(ProfileTag)) == 0


def test_welcome_text_is_a_tenant_setting(app: App) -> None:
    spec = app.registry.tenant_settings["welcome_text"]
    assert spec.parse("  Hi!  ") == "Hi!"
