"""What a Slack start needs: the settings checked, the scopes asked for, the Web API client.

``check_settings`` runs before anything connects, so a missing token stops start-up with one
sentence that names the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import SlackSettings
from bot.storage.errors import SettingsError

BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "im:history",
    "im:write",
    "mpim:write",
    "usergroups:read",
    "users:read",
)
"""The bot scopes of ``manifest.yaml`` beside this module (``staffroom slack manifest`` prints
it; docs/install-slack.md says what each scope is for)."""


def app_manifest() -> str:
    """The Slack app manifest shipped in the package (``staffroom slack manifest``)."""
    return resources.files("bot.adapters.slack").joinpath("manifest.yaml").read_text("utf-8")


EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
HEALTH_PATH = "/healthz"
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2


@dataclass(frozen=True, kw_only=True, slots=True)
class SlackPlan:
    """How this start reaches Slack, read from the settings."""

    mode: Literal["socket", "http"]
    many_workspaces: bool

    @property
    def serves_http(self) -> bool:
        """HTTP mode receives everything over HTTP; Socket Mode only the OAuth pages."""
        return self.mode == "http" or self.many_workspaces


def _required(name: str, why: str) -> SettingsError:
    return SettingsError(
        f"Setting slack.{name} (STAFFROOM_SLACK__{name.upper()}) is required {why}."
    )


def check_settings(slack: SlackSettings) -> SlackPlan:
    """The plan for these settings; a ``SettingsError`` naming the first missing setting."""
    if slack.bot_token is not None and slack.client_id is not None:
        raise SettingsError(
            "Settings slack.bot_token and slack.client_id are both set: use a bot token for one "
            "workspace, or the OAuth client for many, not both."
        )
    if slack.mode == "socket" and slack.app_token is None:
        raise _required(
            "app_token",
            "for Socket Mode: the app-level token (xapp-…) with the connections:write scope, "
            "from Basic Information in your Slack app's settings",
        )
    if slack.mode == "http" and slack.signing_secret is None:
        raise _required(
            "signing_secret",
            "in HTTP mode: the Signing Secret from Basic Information in your Slack app's settings",
        )
    if slack.client_id is None:
        if slack.bot_token is None:
            raise _required(
                "bot_token",
                "for one workspace (the xoxb- token from OAuth & Permissions); to install "
                "Staffroom in many, set slack.client_id, slack.client_secret and "
                "slack.token_encryption_key instead",
            )
        return SlackPlan(mode=slack.mode, many_workspaces=False)
    if slack.client_secret is None:
        raise _required("client_secret", "with slack.client_id (from Basic Information)")
    if slack.token_encryption_key is None:
        raise _required(
            "token_encryption_key",
            "with slack.client_id, to encrypt the workspaces' tokens in the database",
        )
    return SlackPlan(mode=slack.mode, many_workspaces=True)


class CountedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (wait for ``Retry-After``), telling ``on_wait`` each time."""

    def __init__(self, *, on_wait: Callable[[], None] | None, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._on_wait = on_wait

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        if self._on_wait is not None:
            self._on_wait()
        await super().prepare_for_next_attempt_async(**kwargs)


def web_client(
    slack: SlackSettings,
    session: aiohttp.ClientSession,
    *,
    on_rate_limited: Callable[[], None] | None = None,
) -> AsyncWebClient:
    """The one Web API client: 429s wait for ``Retry-After`` (and call ``on_rate_limited``),
    server errors are retried."""
    token = slack.bot_token.get_secret_value() if slack.bot_token is not None else None
    return AsyncWebClient(
        token=token,
        base_url=slack.api_base_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            CountedRateLimitRetryHandler(
                on_wait=on_rate_limited, max_retry_count=RATE_LIMIT_RETRIES
            ),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )
