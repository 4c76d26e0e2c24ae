"""Many workspaces: OAuth installs kept encrypted in our database, each workspace its own
community, uninstalls and revocations, and token rotation by one process at a time."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from bot.adapters.slack.installations import (
    EncryptedInstallationStore,
    LockedTokenRotator,
    RotationLock,
    TokenCipher,
)
from bot.app import App
from bot.core.clock import ManualClock
from bot.scheduling.models import OutboxMessage
from tests.adapters.slack.harness import (
    Slack,
    for_team,
    messages,
    payload,
    running_slack,
    texts,
)
from tests.fakes.slack_api import FakeSlack, PendingInstall

KEY = Fernet.generate_key().decode()
CLIENT_ID = "1111.2222"


@pytest.fixture
async def many(app: App, fake: FakeSlack) -> AsyncIterator[Slack]:
    """Staffroom set up for many workspaces (nothing installed yet)."""
    async with app.store.engine.begin() as conn:
        for table in ("slack_installations", "slack_bots", "slack_oauth_states"):
            await conn.execute(text(f"DELETE FROM {table}"))
    async with running_slack(
        app,
        fake,
        client_id=CLIENT_ID,
        client_secret="s3cret",
        token_encryption_key=KEY,
        redirect_url="https://staffroom.example.org/slack/oauth_redirect",
    ) as driver:
        yield driver


async def install(slack: Slack, team: str, *, rotating: bool = False) -> str:
    """Go through the install page and Slack's redirect back; returns the redirect's page."""
    slack.fake.expect_install(
        f"code-{team}",
        PendingInstall(
            team_id=team, name=f"School {team}", installer="UINSTALLER", rotating=rotating
        ),
    )
    base = slack.url.removesuffix("/slack/events")
    async with slack.session.get(f"{base}/slack/install") as page:
        assert page.status == 200
        state = re.search(r"state=([\w-]+)", await page.text())
        cookie = page.headers["Set-Cookie"].split(";")[0]
    assert state is not None
    async with slack.session.get(
        f"{base}/slack/oauth_redirect",
        params={"code": f"code-{team}", "state": state.group(1)},
        headers={"Cookie": cookie},
    ) as done:
        return await done.text()


async def test_two_workspaces_are_two_communities(many: Slack, fake: FakeSlack, app: App) -> None:
    page = await install(many, "T7")
    assert "Thank you!" in page, page
    assert "Thank you!" in await install(many, "T8")
    await many.dm("UANA", "intro set tz Lisbon", team="T7")
    await many.mention("UANA", "whois me", team="T8")
    seven, eight = messages(fake)
    assert fake.calls_to("chat.postMessage")[0].team_id == "T7"
    assert "Europe/Lisbon" in texts(seven)
    assert "You haven't introduced yourself yet." in texts(eight)
    assert fake.calls_to("chat.postEphemeral")[0].team_id == "T8"
    async with app.store.transaction() as session:
        names = (await session.execute(text("SELECT name FROM tenants ORDER BY name"))).all()
    assert [n for (n,) in names] == ["School T7", "School T8"]


async def test_tokens_are_encrypted_at_rest(many: Slack, fake: FakeSlack, app: App) -> None:
    await install(many, "T7")
    async with app.store.transaction() as session:
        (stored,) = (await session.execute(text("SELECT bot_token FROM slack_bots"))).one()
        (installed,) = (
            await session.execute(text("SELECT bot_token FROM slack_installations"))
        ).one()
    plain = fake.token_of("T7")
    assert plain not in stored and plain not in installed
    assert TokenCipher(KEY).decrypt(stored) == plain


async def test_a_bad_install_state_is_refused(many: Slack, fake: FakeSlack) -> None:
    base = many.url.removesuffix("/slack/events")
    async with many.session.get(
        f"{base}/slack/oauth_redirect", params={"code": "x", "state": "forged"}
    ) as page:
        assert page.status == 400
    assert not fake.calls_to("oauth.v2.access")


async def test_an_uninstalled_workspace_is_forgotten(
    many: Slack, fake: FakeSlack, app: App
) -> None:
    await install(many, "T7")
    await install(many, "T8")
    await many.event_body(payload("event_app_uninstalled"), team="T7")
    await many.event_body(payload("event_tokens_revoked"), team="T8")
    async with app.store.transaction() as session:
        rows = (await session.execute(text("SELECT count(*) FROM slack_installations"))).scalar()
    assert rows == 0
    body = json.dumps(for_team(payload("event_message_im"), "T7", "UBOTT7"))
    await many.post(body, "application/json", reaches_listener=False)
    assert many.adapter.work.finished == 2  # the uninstall and the revocation only
    assert messages(fake) == []


async def test_rotating_tokens_are_refreshed_once(many: Slack, fake: FakeSlack, app: App) -> None:
    await install(many, "T7", rotating=True)
    soon = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)
    async with app.store.engine.begin() as conn:
        for table in ("slack_installations", "slack_bots"):
            await conn.execute(text(f"UPDATE {table} SET bot_token_expires_at = :at"), {"at": soon})
    await many.dm("UANA", "help", team="T7")
    await many.dm("UANA", "help", team="T7")
    refreshes = [c for c in fake.calls_to("oauth.v2.access") if "refresh_token" in c.args]
    assert len(refreshes) == 1
    sent = fake.calls_to("chat.postMessage")
    assert [c.team_id for c in sent] == ["T7", "T7"]


async def test_two_processes_never_refresh_at_once(app: App, fake: FakeSlack) -> None:
    """Two rotators (as two processes would have) refresh an expiring token together."""
    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
    from slack_sdk.web.async_client import AsyncWebClient

    fake.add_workspace("T9")
    async with app.store.engine.begin() as conn:
        await conn.execute(text("DELETE FROM slack_installations"))
        await conn.execute(text("DELETE FROM slack_bots"))
    store = EncryptedInstallationStore(
        AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=app.store.engine),
        TokenCipher(KEY),
    )
    await store.async_save(
        Installation(
            app_id="A0STAFFROOM",
            team_id="T9",
            user_id="UINSTALLER",
            bot_token=fake.token_of("T9"),
            bot_id="BT9",
            bot_user_id="UBOTT9",
            bot_refresh_token="xoxe-1-T9-r1",
            bot_token_expires_at=int(time.time()) + 60,
        )
    )
    client = AsyncWebClient(base_url=fake.api_url)
    processes = 2 if app.store.dialect == "postgresql" else 1  # SQLite is one process

    def rotator() -> LockedTokenRotator:
        return LockedTokenRotator(
            client_id=CLIENT_ID,
            client_secret="s3cret",
            client=client,
            installations=store,
            lock=RotationLock(app.store),
        )

    rotators = [rotator() for _ in range(processes)]
    found = await store.async_find_installation(enterprise_id=None, team_id="T9")
    assert found is not None
    results = await asyncio.gather(
        *(rotators[i % processes].perform_token_rotation(installation=found) for i in range(4))
    )
    refreshes = [c for c in fake.calls_to("oauth.v2.access") if "refresh_token" in c.args]
    assert len(refreshes) == 1
    tokens = {r.bot_token for r in results if r is not None}
    assert tokens == {fake.token_of("T9")}


async def test_the_encryption_key_can_be_changed(many: Slack, fake: FakeSlack, app: App) -> None:
    await install(many, "T7", rotating=True)
    new = Fernet.generate_key().decode()
    settings = {"client_id": CLIENT_ID, "client_secret": "s3cret"}
    async with running_slack(app, fake, token_encryption_key=f"{new},{KEY}", **settings):
        pass  # starting re-encrypts every stored token with the first key
    async with app.store.transaction() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT bot_token, bot_refresh_token FROM slack_bots UNION ALL "
                    "SELECT bot_token, bot_refresh_token FROM slack_installations"
                )
            )
        ).all()
    assert len(rows) == 2
    for token, refresh in rows:
        assert TokenCipher(new).decrypt(token) == fake.token_of("T7")
        assert TokenCipher(new).decrypt(refresh) == "xoxe-1-T7-r1"
    async with running_slack(app, fake, token_encryption_key=new, **settings) as only_new:
        await only_new.dm("UANA", "help", team="T7")
    assert fake.calls_to("chat.postMessage", team_id="T7")


async def test_schedules_pause_with_an_uninstall_and_resume_with_a_reinstall(
    many: Slack, fake: FakeSlack, app: App, clock: ManualClock
) -> None:
    await install(many, "T7")
    await many.dm("UANA", "remind me every day 13:00 water the plants", team="T7")

    def reminders() -> int:
        return sum("water the plants" in texts(m) for m in messages(fake)[1:])

    await many.event_body(payload("event_app_uninstalled"), team="T7")
    await app.scheduler.run_until(clock.now() + timedelta(days=2))
    assert reminders() == 0
    async with app.store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    await install(many, "T7")
    await app.scheduler.run_until(clock.now() + timedelta(days=1))
    assert reminders() == 1  # the next one; those due while away are not sent late
