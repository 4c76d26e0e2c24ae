from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.community.models import Profile, ProfileTag
from bot.storage.models import AuditEntry
from tests.support.console import Chat


async def test_moderators_choose_channels(chat: Chat) -> None:
    refused = await chat("admin channel resources #library")
    assert "Only moderators and admins can use `admin channel`. Nothing was changed." in refused
    out = await chat("/role moderator", "admin channel resources #library")
    assert "Done: resources go to #library." in out
    refused = await chat("admin channel lunch #food")
    assert "Choose one of: `events`, `introductions`, `resources`, `summaries`." in refused
    assert "should be a channel" in await chat("admin channel resources library")


async def test_admins_grant_and_take_moderator_rights(chat: Chat) -> None:
    await chat("/as bea", "help", "/as root admin")
    assert "@bea is now a moderator." in await chat("admin moderator add @bea")
    assert "@bea is already a moderator." in await chat("admin moderator add @bea")
    assert "Done" in await chat("/as bea", "admin channel summaries #weekly")
    assert "Only admins" in await chat("admin moderator add @cai")
    assert "@bea is no longer a moderator." in await chat("/as root", "admin moderator remove @bea")
    assert "can't change your own role" in await chat("admin moderator remove @root")
    assert "I don't know anyone called @ghost" in await chat("admin moderator add @ghost")


async def audit_rows(app: App) -> list[tuple[str, str, str, object, object]]:
    async with app.store.transaction() as session:
        entries = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.actor_name, e.action, e.target, e.before, e.after) for e in entries]


async def test_block_and_unblock(chat: Chat, app: App) -> None:
    await chat("/as sam", "intro set region Leeds", "/as mod moderator")
    out = await chat("admin block @sam posting adverts")
    assert "── DM to @sam ──" in out
    assert "paused your access to Staffroom in demo. Reason: posting adverts." in out
    assert "@sam is blocked" in out
    assert "already blocked. Nothing was changed." in await chat("admin block @sam")
    out = await chat("/as sam", "intro set region York", "help", "/say hello")
    assert out.count("A moderator has paused your access") == 2  # once per command, not per line
    assert "Updated" not in out
    async with app.store.transaction() as session:
        assert await session.scalar(select(Profile.region)) == "Leeds"
    out = await chat("/as mod", "admin unblock @sam")
    assert "Your access to Staffroom in demo is back." in out
    assert "isn't blocked. Nothing was changed." in await chat("admin unblock @sam")
    assert "Updated your region: York" in await chat("/as sam", "intro set region York")
    assert await audit_rows(app) == [
        ("Mod", "admin block", "<@sam>", "active", "blocked: posting adverts"),
        ("Mod", "admin unblock", "<@sam>", "blocked", "active"),
    ]


async def test_moderators_cannot_block_themselves_or_each_other(chat: Chat, app: App) -> None:
    await chat("/as bea", "help", "/as root admin", "admin moderator add @bea", "/as mod moderator")
    assert "You can't block yourself. Nothing was changed." in await chat("admin block @mod")
    assert "@bea is a moderator" in await chat("admin block @bea")
    assert "hasn't used Staffroom in this community yet" in await chat("admin unblock <@zed>")


async def test_remove_profile(chat: Chat, app: App) -> None:
    await chat.person("sam", name="Sam Spam", role="seller", subjects="math", grades="7", tz="UTC")
    out = await chat("/as mod moderator", "admin remove-profile @sam selling things")
    assert "A moderator removed your intro in demo. Reason: selling things." in out
    assert "Removed the intro of @sam" in out
    async with app.store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Profile)) == 0
        assert await session.scalar(select(func.count()).select_from(ProfileTag)) == 0
    assert "has no intro to remove. Nothing was changed." in await chat("admin remove-profile @sam")
    (entry,) = await audit_rows(app)
    assert entry == (
        "Mod",
        "admin remove-profile",
        "<@sam>",
        {
            "intro": "complete",
            "fields": ["display_name", "role_title", "subjects", "grades", "timezone"],
        },
        "removed: selling things",
    )
    assert "Sam Spam" not in str(entry)  # the log keeps no copy of the intro


async def test_config_lists_changes_and_resets_every_declared_setting(chat: Chat, app: App) -> None:
    await chat("/as mod moderator", "admin channel resources #library")
    out = await chat("admin config")
    for key in app.registry.tenant_settings:
        assert f"`{key}`" in out
    assert "`privacy.retention_days` — Days after a member leaves" in out
    assert "now: 30 (default)" in out
    assert "resources → #library" in out
    assert "introductions → (not set)" in out
    out = await chat("admin config privacy.retention_days 60d")
    assert "Done: `privacy.retention_days` is now 60." in out
    assert "now: 60 (default 30)" in await chat("admin config")
    assert "already 60. Nothing was changed." in await chat(
        "admin config privacy.retention_days 60"
    )
    out = await chat("admin config Privacy.Retention_Days forever")
    assert "a number of days from 0 to 3650" in out
    assert "Nothing was changed." in out
    out = await chat("admin config retention 5")
    assert "There's no setting called `retention`." in out
    out = await chat("admin config welcome_txt Hi")
    assert "Did you mean `welcome_text`?" in out
    out = await chat("admin config welcome_text")
    assert "== Setting welcome_text ==" in out
    assert "(This is the default.)" in out
    await chat("admin config welcome_text Hello, teachers! Say hi.")
    assert "Hello, teachers! Say hi." in await chat("/join eli")
    assert "is back to 30" in await chat("admin config reset privacy.retention_days")
    assert "already has its default" in await chat("admin config reset privacy.retention_days")
    changes = [row for row in await audit_rows(app) if row[3] is not None]
    assert changes == [
        ("Mod", "admin config", "privacy.retention_days", 30, 60),
        (
            "Mod",
            "admin config",
            "welcome_text",
            app.registry.tenant_settings["welcome_text"].default,
            "Hello, teachers! Say hi.",
        ),
        ("Mod", "admin config reset", "privacy.retention_days", 60, 30),
    ]


async def test_admin_speaks_the_moderators_language_and_dms_the_members_own(chat: Chat) -> None:
    await chat("/as sam", "me language pt", "/as mod moderator", "me language es")
    out = await chat("admin config language klingon")
    assert "Staffroom habla English (en), español (es)" in out and "No se ha cambiado nada." in out
    out = await chat("admin config")
    assert "== Configuración de la comunidad ==" in out
    assert "`language` — El idioma de la comunidad" in out
    out = await chat("admin block @sam")
    assert "@sam está bloqueado: Staffroom solo le responderá con un aviso." in out
    assert "Um moderador suspendeu o seu acesso ao Staffroom em demo." in out
