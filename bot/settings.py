"""Settings: defaults, then ``staffroom.toml`` (or ``$STAFFROOM_CONFIG``), then ``STAFFROOM_*``.

A wrong or missing setting stops start-up with one sentence that names it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.scheduling.config import SchedulerSettings
from bot.storage.errors import SettingsError

ENV_PREFIX = "STAFFROOM_"
DEFAULT_CONFIG_FILE = "staffroom.toml"


def config_file() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}CONFIG", DEFAULT_CONFIG_FILE))


class SlackSettings(BaseModel):
    """The ``[slack]`` section: how ``staffroom run slack`` reaches Slack.

    One workspace needs a bot token; many workspaces need the OAuth client id and secret and a
    key to encrypt their tokens at rest. Which tokens a start needs is checked at start-up
    (``bot.adapters.slack.setup``), so the console never needs any of them.
    """

    model_config = ConfigDict(extra="forbid")

    mode: Literal["socket", "http"] = Field(
        default="socket",
        description="socket: Socket Mode, no public URL needed; http: Slack posts to our URL.",
    )
    bot_token: SecretStr | None = Field(
        default=None, description="One workspace: the bot token (xoxb-…)."
    )
    app_token: SecretStr | None = Field(
        default=None, description="Socket Mode: the app-level token (xapp-…)."
    )
    signing_secret: SecretStr | None = Field(
        default=None, description="HTTP mode: the signing secret that proves requests are Slack's."
    )
    client_id: str | None = Field(
        default=None, description="Many workspaces: the app's OAuth client id."
    )
    client_secret: SecretStr | None = Field(
        default=None, description="Many workspaces: the app's OAuth client secret."
    )
    token_encryption_key: SecretStr | None = Field(
        default=None,
        description="Many workspaces: Fernet key(s) encrypting stored tokens; comma-separated, "
        "the first encrypts and every one decrypts (to rotate the key).",
    )
    redirect_url: str | None = Field(
        default=None,
        description="Many workspaces: the public URL of /slack/oauth_redirect, as registered in "
        "the app's OAuth settings.",
    )
    http_host: str = Field(default="0.0.0.0", description="Where the HTTP server listens.")
    http_port: int = Field(default=3000, ge=0, le=65535, description="0 picks a free port.")
    moderator_user_group: str | None = Field(
        default=None,
        pattern=r"^S[A-Z0-9]{2,20}$",
        description="The id (S…) of a Slack user group whose members are Staffroom moderators.",
    )
    api_base_url: str = Field(
        default="https://slack.com/api/",
        pattern=r"^https?://.+/$",
        description="Slack's Web API address (tests point it at a local fake).",
    )

    @field_validator("bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("xoxb-", "xoxe.xoxb-")):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value


class DiscordSettings(BaseModel):
    """The ``[discord]`` section: what ``staffroom run discord`` and ``discord sync`` need."""

    model_config = ConfigDict(extra="forbid")

    token: SecretStr | None = Field(
        default=None, description="The bot token (Developer Portal → Bot → Reset Token)."
    )
    application_id: int | None = Field(
        default=None,
        ge=1,
        description="The application id; read from Discord at start-up when not set "
        "(it only makes the invite URL printable without logging in).",
    )
    test_guild_id: int | None = Field(
        default=None,
        ge=1,
        description="`staffroom discord sync` puts the slash commands in this server only "
        "(they appear at once) instead of in every server.",
    )
    allowed_guilds: list[PositiveInt] = Field(
        default_factory=list,
        description="The ids of the only servers Staffroom serves: events from any other "
        "server are ignored, and a server that adds it later is left (with a log line). "
        "Empty: every server it is added to.",
    )
    command_prefix: str = Field(
        default="!sr",
        min_length=1,
        max_length=16,
        description="Text commands start with this (or with a mention of the bot).",
    )
    moderator_role_id: int | None = Field(
        default=None, ge=1, description="Members with this role are Staffroom moderators."
    )
    fallback_channel: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="A channel (id or name) where members whose DMs are closed get their "
        "messages instead, mentioned.",
    )
    shard_count: int | Literal["auto"] | None = Field(
        default=None,
        description="Run discord.py's AutoShardedClient with this many shards (or 'auto': "
        "as many as Discord recommends).",
    )
    shard_ids: list[int] | None = Field(
        default=None, description="Only these shards run in this process (needs shard_count)."
    )

    @field_validator("shard_count")
    @classmethod
    def _positive_shards(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("use a number of shards of at least 1, or 'auto'")
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shard_ids_fit(cls, value: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if value is None:
            return value
        count = info.data.get("shard_count")
        if not isinstance(count, int):
            raise ValueError("shard_ids needs shard_count set to a number")
        if not value or any(not 0 <= i < count for i in value):
            raise ValueError(f"use shard numbers from 0 to {count - 1}")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    database_url: str = Field(
        default="sqlite+aiosqlite:///staffroom.db",
        description="sqlite+aiosqlite:///file.db (one process) or postgresql+asyncpg://… (many)",
    )
    database_schema: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL only: keep Staffroom's tables in this schema (search_path).",
    )
    auto_upgrade: bool = Field(
        default=True, description="Apply pending schema migrations on start."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description="DEBUG applies to Staffroom's own code only: the platform libraries log "
        "whole message payloads at DEBUG, so they stay at INFO.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text: one readable line per record; json: one JSON object per line.",
    )
    health_host: str = Field(
        default="127.0.0.1",
        description="Where /healthz, /readyz and /metrics listen (loopback unless you expose it).",
    )
    health_port: int = Field(
        default=9100,
        ge=0,
        le=65535,
        description="Port of /healthz, /readyz and /metrics; 0 picks a free one.",
    )
    shutdown_grace_seconds: float = Field(
        default=10.0,
        ge=0,
        le=300,
        description="On SIGTERM, how long events already being handled may take to finish.",
    )
    event_id_retention_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 30,
        description="How long handled event ids are kept to drop platform retries.",
    )
    fetch_private_addresses: bool = Field(
        default=False,
        description="Let link-title fetches reach private, loopback and link-local addresses "
        "(tests and closed networks only).",
    )

    slack: SlackSettings = Field(default_factory=SlackSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "use sqlite+aiosqlite:///staffroom.db or postgresql+asyncpg://user@host/db"
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning any problem into a one-sentence ``SettingsError``."""
    path = config_file()
    if f"{ENV_PREFIX}CONFIG" in os.environ and not path.is_file():
        raise SettingsError(f"STAFFROOM_CONFIG points to {path}, which is not a file.")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_describe(exc.errors()[0], path)) from None
    except ValueError as exc:  # a TOML syntax error
        raise SettingsError(f"{path} is not valid TOML ({exc}).") from None


def _describe(error: Any, path: Path) -> str:
    location = [str(part) for part in error.get("loc", ())]
    name = ".".join(location) or "settings"
    env_name = ENV_PREFIX + "__".join(location).upper()
    if error.get("type") == "extra_forbidden":
        return f"Setting {name} (in {path} or {env_name}) is not a Staffroom setting; remove it."
    if error.get("type") == "missing":
        return f"Setting {name} is required: set it in {path} or as {env_name}."
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    return f"Setting {name} ({env_name}) is invalid: {message}."


def secret_values(settings: BaseModel) -> list[str]:
    """Every secret in these settings (tokens, signing secrets, keys, the database password),
    for the log filter that keeps them out of every line written."""
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            found += [part.strip() for part in value.get_secret_value().split(",")]
        elif isinstance(value, BaseModel):
            found += secret_values(value)
    url = getattr(settings, "database_url", None)
    if isinstance(url, str):
        from sqlalchemy.engine import make_url

        password = make_url(url).password
        if password:
            found.append(str(password))
    return [value for value in found if value]
