"""Starting the Slack adapter: settings checks, the manifest, the stores' tables, pacing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Connection, MetaData

from bot.adapters.slack.installations import TokenCipher
from bot.adapters.slack.port import ChannelPacer
from bot.adapters.slack.setup import BOT_SCOPES, check_settings
from bot.settings import Settings, SlackSettings, load_settings
from bot.storage.engine import open_store
from bot.storage.errors import SettingsError
from bot.storage.schema import LIBRARY_TABLES
from tests.test_cli import staffroom

MANIFEST = Path(__file__).resolve().parents[3] / "bot" / "adapters" / "slack" / "manifest.yaml"
KEY = Fernet.generate_key().decode()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"mode": "socket", "bot_token": "xoxb-1"},
            "Setting slack.app_token (STAFFROOM_SLACK__APP_TOKEN) is required for Socket Mode",
        ),
        (
            {"mode": "http", "bot_token": "xoxb-1"},
            "Setting slack.signing_secret (STAFFROOM_SLACK__SIGNING_SECRET) is required in HTTP",
        ),
        (
            {"mode": "http", "signing_secret": "s"},
            "Setting slack.bot_token (STAFFROOM_SLACK__BOT_TOKEN) is required for one workspace",
        ),
        (
            {"mode": "http", "signing_secret": "s", "client_id": "1.2"},
            "Setting slack.client_secret (STAFFROOM_SLACK__CLIENT_SECRET) is required",
        ),
        (
            {"mode": "http", "signing_secret": "s", "client_id": "1.2", "client_secret": "c"},
            "Setting slack.token_encryption_key (STAFFROOM_SLACK__TOKEN_ENCRYPTION_KEY) is",
        ),
        (
            {"mode": "http", "signing_secret": "s", "client_id": "1", "bot_token": "xoxb-1"},
            "Settings slack.bot_token and slack.client_id are both set",
        ),
    ],
)
def test_a_missing_setting_is_one_sentence_naming_it(
    settings: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        check_settings(SlackSettings.model_validate(settings))
    assert str(caught.value).startswith(message)
    assert str(caught.value).count(". ") == 0 and str(caught.value).endswith(".")


def test_plans() -> None:
    one = check_settings(SlackSettings(mode="socket", app_token="xapp-1", bot_token="xoxb-1"))
    assert (one.mode, one.many_workspaces, one.serves_http) == ("socket", False, False)
    many = check_settings(
        SlackSettings(
            mode="socket",
            app_token="xapp-1",
            client_id="1.2",
            client_secret="c",
            token_encryption_key=KEY,
        )
    )
    assert (many.many_workspaces, many.serves_http) == (True, True)


def test_slack_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFFROOM_SLACK__MODE", "http")
    monkeypatch.setenv("STAFFROOM_SLACK__BOT_TOKEN", "xoxb-123")
    slack = load_settings().slack
    assert slack.mode == "http" and slack.bot_token is not None
    assert "xoxb-123" not in repr(slack)
    monkeypatch.setenv("STAFFROOM_SLACK__BOT_TOKEN", "xoxp-123")
    with pytest.raises(SettingsError, match=r"slack\.bot_token .* a bot token starts with xoxb-"):
        load_settings()


def test_run_slack_without_a_token_stops_with_one_sentence(tmp_path: Path) -> None:
    result = staffroom(["run", "slack"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("staffroom: Setting slack.app_token")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "staffroom.db").exists()  # stopped before opening the store


def test_a_wrong_encryption_key_names_the_setting() -> None:
    with pytest.raises(SettingsError, match=r"slack\.token_encryption_key"):
        TokenCipher("not-a-key")


def test_the_key_can_be_rotated() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = TokenCipher(old).encrypt("xoxb-1")
    assert TokenCipher(f"{new},{old}").decrypt(sealed) == "xoxb-1"
    assert TokenCipher(new).decrypt(sealed) is None


def test_the_manifest_asks_for_exactly_the_scopes_the_code_names() -> None:
    text = MANIFEST.read_text()
    bot = re.search(r"\n +bot:\n((?: +- .+\n)+)", text)
    assert bot is not None
    assert tuple(re.findall(r"- ([\w:.]+)", bot.group(1))) == BOT_SCOPES
    assert "/staffroom" in text and "socket_mode_enabled: true" in text
    # Slack then sends a typed @member or #channel as <@U…|name> / <#C…|name>, not as a name
    assert "should_escape: true" in text


def _library_metadata() -> MetaData:
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, parents: kind != "table" or name in LIBRARY_TABLES,
        },
    )
    return list(compare_metadata(context, _library_metadata()))


def _widened_token(difference: object) -> bool:
    """Token columns are wider than slack_sdk's (they hold Fernet tokens): expected."""
    if not isinstance(difference, list):
        return False
    (change,) = difference
    return change[0] == "modify_type" and change[3].endswith("token") and change[6].length == 200


async def test_the_migration_creates_slack_sdks_tables(settings: Settings) -> None:
    assert {t.name for t in _library_metadata().sorted_tables} == LIBRARY_TABLES
    store = open_store(settings.database_url, schema=settings.database_schema, exclusive=False)
    try:
        async with store.engine.connect() as conn:
            differences = await conn.run_sync(_differences)
    finally:
        await store.close()
    assert [d for d in differences if not _widened_token(d)] == []
    assert len(differences) == 6  # the installation's 4 tokens and the bot's 2


async def test_the_pacer_spaces_posts_to_one_conversation() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = ChannelPacer(interval=1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        await pacer.wait("T1", "C1")
    await pacer.wait("T1", "C2")
    await pacer.wait("T2", "C1")
    assert slept == [1.0, 1.0]
    now[0] += 5
    await pacer.wait("T1", "C1")
    assert slept == [1.0, 1.0]
