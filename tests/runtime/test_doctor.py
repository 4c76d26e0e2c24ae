"""``staffroom doctor`` against a real database and the loopback fakes of Slack and Discord."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.runtime.doctor import Finding, Status, examine
from bot.settings import DiscordSettings, Settings, SlackSettings
from tests.fakes.discord_api import MESSAGE_CONTENT_FLAG, TOKEN, running_fake_discord
from tests.fakes.slack_api import fake_slack
from tests.support.discord_bot import point_discord_py_at


def by_check(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.check, []).append(finding)
    return grouped


async def test_database_and_schema(settings: Settings, tmp_path: Path) -> None:
    found = by_check(await examine(settings))
    assert found["database"][0].status is Status.OK
    assert found["schema"][0].status is Status.OK
    assert found["platforms"][0].status is Status.WARN
    stale = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", auto_upgrade=False)
    [schema] = by_check(await examine(stale))["schema"]
    assert schema.status is Status.FAIL
    assert "run `staffroom db upgrade`" in schema.detail
    down = Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    [database] = by_check(await examine(down))["database"]
    assert database.status is Status.FAIL
    assert "check database_url" in database.detail


async def test_slack_token_and_scopes(settings: Settings) -> None:
    async with fake_slack() as slack:
        workspace = slack.add_workspace("T1", "North")
        configured = settings.model_copy(
            update={
                "slack": SlackSettings(
                    bot_token=SecretStr(workspace.bot_token),
                    app_token=SecretStr("xapp-1-test"),
                    api_base_url=slack.api_url,
                )
            }
        )
        found = by_check(await examine(configured))
        assert found["slack token"][0].detail == "works in workspace North (T1)"
        assert found["slack scopes"][0].status is Status.OK
        workspace.scopes = ("chat:write",)
        [scopes] = by_check(await examine(configured))["slack scopes"]
        assert scopes.status is Status.FAIL
        assert "missing app_mentions:read" in scopes.detail
        wrong = configured.model_copy(
            update={
                "slack": configured.slack.model_copy(
                    update={"bot_token": SecretStr("xoxb-not-a-real-one")}
                )
            }
        )
        [token] = by_check(await examine(wrong))["slack token"]
        assert token.status is Status.FAIL
        assert "invalid_auth" in token.detail
        assert "xoxb-not-a-real-one" not in token.detail
        unfinished = configured.model_copy(
            update={"slack": configured.slack.model_copy(update={"app_token": None})}
        )
        [plan] = by_check(await examine(unfinished))["slack settings"]
        assert plan.status is Status.FAIL
        assert "slack.app_token" in plan.detail


async def test_discord_token_and_intents(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = settings.model_copy(update={"discord": DiscordSettings(token=SecretStr(TOKEN))})
    async with running_fake_discord() as fake:
        point_discord_py_at(fake, monkeypatch)
        found = by_check(await examine(configured))
        assert found["discord token"][0].status is Status.OK
        assert found["discord intents"][0].detail == "all granted"
        fake.application_flags = MESSAGE_CONTENT_FLAG
        [intents] = by_check(await examine(configured))["discord intents"]
        assert intents.status is Status.WARN
        assert "SERVER MEMBERS" in intents.detail
        bad = configured.model_copy(
            update={"discord": DiscordSettings(token=SecretStr("wrong-token"))}
        )
        [token] = by_check(await examine(bad))["discord token"]
        assert token.status is Status.FAIL
        assert "rejected the bot token" in token.detail
