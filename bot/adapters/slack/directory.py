"""Who a Slack user is, as the core needs it: a display name, the role Slack grants and the
time zone set in Slack (``tz``, which pre-fills the intro).

Workspace admins and owners (``users.info``: ``is_admin``/``is_owner``) are Staffroom admins;
members of the configured user group (``usergroups.users.list``) are moderators. Both answers
are remembered for a few minutes, so a burst of messages costs one lookup, and a change made in
Slack takes effect within that time.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import slack_error
from bot.adapters.slack.installations import Workspace, Workspaces
from bot.core.errors import CapabilityUnavailable
from bot.core.events import Actor
from bot.core.roles import Role

_log = logging.getLogger(__name__)

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
MAX_REMEMBERED = 20_000
_K = TypeVar("_K")
_V = TypeVar("_V")


@dataclass(frozen=True, kw_only=True, slots=True)
class SlackUser:
    user_id: str
    display_name: str
    is_admin: bool
    is_bot: bool
    timezone: str = ""


class MemberDirectory:
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        workspaces: Workspaces,
        moderator_group: str | None,
        ttl_seconds: float = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._workspaces = workspaces
        self._moderator_group = moderator_group
        self._ttl = ttl_seconds
        self._clock = clock
        self._users: dict[tuple[str, str], tuple[float, SlackUser | None]] = {}
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}

    async def actor(self, team_id: str, actor: Actor) -> Actor:
        """``actor`` with its display name and platform role filled in from Slack."""
        if actor.is_bot:
            return actor
        workspace = await self._workspaces.get(team_id)
        user = await self.user(workspace, actor.user_id)
        if user is None:
            return actor
        role = Role.MEMBER
        if user.is_admin:
            role = Role.ADMIN
        elif user.user_id in await self._moderators(workspace):
            role = Role.MODERATOR
        return replace(
            actor,
            display_name=user.display_name or actor.display_name,
            platform_role=role,
            is_bot=user.is_bot,
            timezone=user.timezone or actor.timezone,
        )

    async def lookup(self, team_id: str, name: str) -> Actor | None:
        """A user by id; Slack offers no lookup by name, which ``CapabilityUnavailable`` says."""
        if not USER_ID.fullmatch(name):
            raise CapabilityUnavailable(
                "Slack finds people by mention only: type @ and pick them from the list"
            )
        user = await self.user(await self._workspaces.get(team_id), name)
        return None if user is None else Actor(user_id=name, display_name=user.display_name)

    async def user(self, workspace: Workspace, user_id: str) -> SlackUser | None:
        key = (workspace.team_id, user_id)
        now = self._clock()
        remembered = self._users.get(key)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        try:
            response = await self._client.users_info(token=workspace.bot_token, user=user_id)
        except (SlackRequestError, aiohttp.ClientError, TimeoutError) as exc:
            _log.warning("users.info for %s failed: %s", user_id, exc)
            return None
        except SlackApiError as exc:
            error = slack_error(exc)
            if error not in ("user_not_found", "user_not_visible"):
                _log.warning("users.info for %s failed: %s", user_id, error)
                return None
            found = None
        else:
            found = _slack_user(response.get("user") or {}, user_id)
        self._remember(self._users, key, (now + self._ttl, found))
        return found

    async def _moderators(self, workspace: Workspace) -> frozenset[str]:
        if self._moderator_group is None:
            return frozenset()
        now = self._clock()
        remembered = self._groups.get(workspace.team_id)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        try:
            response = await self._client.usergroups_users_list(
                token=workspace.bot_token, usergroup=self._moderator_group
            )
            members = frozenset(str(u) for u in response.get("users") or ())
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError) as exc:
            _log.warning(
                "could not read the moderators' user group %s in workspace %s: %s",
                self._moderator_group,
                workspace.team_id,
                slack_error(exc) if isinstance(exc, SlackApiError) else exc,
            )
            members = frozenset()
        self._remember(self._groups, workspace.team_id, (now + self._ttl, members))
        return members

    def forget(self, team_id: str) -> None:
        self._users = {k: v for k, v in self._users.items() if k[0] != team_id}
        self._groups.pop(team_id, None)

    @staticmethod
    def _remember(cache: dict[_K, _V], key: _K, value: _V) -> None:
        if len(cache) >= MAX_REMEMBERED:
            cache.clear()
        cache[key] = value


def _slack_user(raw: dict[str, object], user_id: str) -> SlackUser:
    profile = raw.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    name = ""
    for candidate in (
        profile.get("display_name"),
        profile.get("real_name"),
        raw.get("real_name"),
        raw.get("name"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            name = candidate.strip()
            break
    return SlackUser(
        user_id=user_id,
        display_name=name,
        is_admin=bool(raw.get("is_admin") or raw.get("is_owner") or raw.get("is_primary_owner")),
        is_bot=bool(raw.get("is_bot")),
        timezone=zone if isinstance(zone := raw.get("tz"), str) else "",
    )
