"""Slack's error answers, read the same way everywhere."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.core.errors import DeliveryError

_PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_auth",
        "is_archived",
        "messages_tab_disabled",
        "missing_scope",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_disabled",
        "user_not_found",
        "user_not_in_channel",
    }
)


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code of a failed call (or its HTTP status when the answer was not JSON)."""
    data = exc.response.data
    if isinstance(data, dict):
        return str(data.get("error", "unknown_error"))
    return f"http_{exc.response.status_code}"


def delivery_error(exc: SlackApiError | SlackRequestError, what: str) -> DeliveryError:
    if isinstance(exc, SlackRequestError):
        return DeliveryError(f"{what}: {exc}")
    error = slack_error(exc)
    retry_after = None
    if exc.response.status_code == 429:
        retry_after = float(exc.response.headers.get("Retry-After", 1))
    return DeliveryError(
        f"{what}: Slack answered {error}",
        permanent=error in _PERMANENT_ERRORS,
        retry_after=retry_after,
    )
