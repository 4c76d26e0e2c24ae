"""A loopback fake of Discord: the REST API and the gateway websocket, enough for the real
discord.py client to log in, connect (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats,
RESUME), receive MESSAGE_CREATE, INTERACTION_CREATE and GUILD_MEMBER_ADD, and answer.

Every REST call is recorded; whatever the bot said (channel messages, interaction responses,
follow-ups, edits) is also kept as a ``Sent`` message with its components. A route can be
made to answer 429 with ``retry_after``; a user can have their DMs closed (50007); the
gateway can drop a connection, after which the client resumes and gets what it missed.

Point discord.py at it with ``discord.http.Route.BASE = fake.api_base`` and
``DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)`` (tests only; see
``tests/adapters/discord/conftest.py``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

API_PREFIX = "/api/v10"
TOKEN = "fake-bot-token"
# Application flags: GATEWAY_MEMBERS_LIMITED and GATEWAY_MESSAGE_CONTENT_LIMITED.
MEMBERS_FLAG = 1 << 15
MESSAGE_CONTENT_FLAG = 1 << 19
# Gateway intents Discord calls privileged.
PRIVILEGED_INTENTS = {"members": 1 << 1, "presences": 1 << 8, "message_content": 1 << 15}
EPHEMERAL = 1 << 6
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = 0x0000_0000_0006_4C40  # view channels, send messages, read history…


@dataclass
class Call:
    """One REST request the bot made, and what the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[tuple[str, bytes]]
    status: int = 200


@dataclass
class Sent:
    """A message the bot produced, however it was sent."""

    route: str
    """``channel``, ``callback`` (interaction response), ``followup`` or ``edit``."""
    channel_id: str
    body: dict[str, Any]
    files: list[tuple[str, bytes]] = field(default_factory=list)
    interaction_id: str = ""
    message_id: str = ""
    response_type: int = 0
    """For an interaction response: 4 (a message) or 9 (a modal)."""

    @property
    def content(self) -> str:
        return str(self.body.get("content") or "")

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.body.get("flags") or 0) & EPHEMERAL)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.body.get("embeds") or [])

    @property
    def text(self) -> str:
        """Content and every embed's title, description, fields and footer, as one text."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for embed_field in embed.get("fields") or []:
                parts.append(f"{embed_field['name']}: {embed_field['value']}")
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def components(self) -> list[dict[str, Any]]:
        """Every button, select and text input, flattened out of their rows."""
        found: list[dict[str, Any]] = []
        for row in self.body.get("components") or []:
            inner = row.get("components") or ([row["component"]] if "component" in row else [])
            found += inner
        return found

    def button(self, label: str) -> dict[str, Any]:
        for component in self.components():
            if component.get("type") == 2 and component.get("label") == label:
                return component
        labels = [c.get("label") for c in self.components()]
        raise LookupError(f"no button {label!r} (buttons: {labels})")

    def select(self) -> dict[str, Any]:
        for component in self.components():
            if component.get("type") == 3:
                return component
        raise LookupError("no select menu")

    @property
    def is_modal(self) -> bool:
        return self.response_type == 9


@dataclass
class FakeUser:
    id: str
    name: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeGuild:
    id: str
    name: str
    owner_id: str
    channels: dict[str, str]
    """Channel name → id."""
    members: dict[str, list[str]] = field(default_factory=dict)
    """User id → role ids."""
    roles: dict[str, int] = field(default_factory=dict)
    """Role id → permissions (the @everyone role has the guild's id)."""

    def channel(self, name: str) -> str:
        return self.channels[name]


@dataclass
class _Session:
    """One gateway session (one shard), which outlives a dropped socket until resumed."""

    id: str
    shard: tuple[int, int]
    intents: int
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None
    acked: int = 0
    acked_changed: asyncio.Condition = field(default_factory=asyncio.Condition)


@dataclass
class _RateLimit:
    method: str
    pattern: re.Pattern[str]
    retry_after: float
    remaining: int


class FakeDiscord:
    """The fake's state and its controls; start it with ``running_fake_discord()``."""

    def __init__(self, *, shard_count: int = 1) -> None:
        self._ids = itertools.count(1)
        self.application_id = self.snowflake()
        self.bot = FakeUser(id=self.application_id, name="staffroom", bot=True)
        self.application_flags = MEMBERS_FLAG | MESSAGE_CONTENT_FLAG
        self.granted_intents = PRIVILEGED_INTENTS["members"] | PRIVILEGED_INTENTS["message_content"]
        self.shard_count = shard_count
        self.users: dict[str, FakeUser] = {self.bot.id: self.bot}
        self.guilds: dict[str, FakeGuild] = {}
        self.closed_dms: set[str] = set()
        self.dm_channels: dict[str, str] = {}
        """DM channel id → user id."""
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.identified: list[dict[str, Any]] = []
        self.refuse_identify: int | None = None
        """A close code to answer every IDENTIFY with (the REST API still accepts the token)."""
        self.logging_in = asyncio.Event()
        """Set once the bot asks who it is (``GET /users/@me``: discord.py's login)."""
        self.answer_login = asyncio.Event()
        """Cleared, logins wait for it before they are answered."""
        self.answer_login.set()
        self.resumed: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        """Registered application commands by scope (``global`` or a guild id)."""
        self.base_url = ""
        self.files: dict[str, bytes] = {}
        """Attachments members posted (``attachment``), served from the fake's CDN path."""
        self._sessions: dict[str, _Session] = {}
        self._rate_limits: list[_RateLimit] = []
        self._interaction_tokens: dict[str, str] = {}
        """Interaction token → channel id."""

    def snowflake(self) -> str:
        """A new id, increasing like Discord's: its timestamp part (above bit 22) grows too,
        so that servers created one after another land on different shards."""
        number = next(self._ids)
        return str(((1_300_000_000_000 + number) << 22) + number)

    # --- addresses --------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway"

    # --- the world --------------------------------------------------------------------------

    def add_user(self, name: str, *, bot: bool = False) -> FakeUser:
        user = FakeUser(id=self.snowflake(), name=name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self, name: str, *, owner: FakeUser, channels: Iterable[str] = ("general",)
    ) -> FakeGuild:
        guild_id = self.snowflake()
        while self._shard_of(guild_id) != len(self.guilds) % self.shard_count:
            guild_id = self.snowflake()  # spread servers over the shards in turn
        guild = FakeGuild(
            id=guild_id,
            name=name,
            owner_id=owner.id,
            channels={channel: self.snowflake() for channel in channels},
            roles={guild_id: MEMBER_PERMISSIONS},
        )
        self.guilds[guild_id] = guild
        self.add_member(guild, self.bot)
        self.add_member(guild, owner)
        return guild

    def add_role(self, guild: FakeGuild, *, permissions: int = MEMBER_PERMISSIONS) -> str:
        role_id = self.snowflake()
        guild.roles[role_id] = permissions
        return role_id

    def add_member(self, guild: FakeGuild, user: FakeUser, *, roles: Iterable[str] = ()) -> None:
        guild.members[user.id] = list(roles)

    def permissions(self, guild: FakeGuild, user_id: str) -> int:
        if user_id == guild.owner_id:
            return (1 << 53) - 1
        value = guild.roles[guild.id]
        for role in guild.members.get(user_id, []):
            value |= guild.roles[role]
        return value

    def rate_limit(self, method: str, path: str, *, retry_after: float, times: int = 1) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path`` (a regular
        expression over the path after /api/v10) with 429 and ``retry_after``."""
        self._rate_limits.append(
            _RateLimit(
                method=method, pattern=re.compile(path), retry_after=retry_after, remaining=times
            )
        )

    # --- payloads ---------------------------------------------------------------------------

    def member_payload(self, guild: FakeGuild, user: FakeUser) -> dict[str, Any]:
        return {
            "user": user.payload(),
            "roles": guild.members.get(user.id, []),
            "joined_at": "2026-01-05T10:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def guild_payload(self, guild: FakeGuild) -> dict[str, Any]:
        return {
            "id": guild.id,
            "name": guild.name,
            "owner_id": guild.owner_id,
            "icon": None,
            "unavailable": False,
            "large": False,
            "member_count": len(guild.members),
            "system_channel_id": guild.channels.get("general"),
            "preferred_locale": "en-US",
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "verification_level": 0,
            "explicit_content_filter": 0,
            "default_message_notifications": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "nsfw_level": 0,
            "roles": [
                {
                    "id": role_id,
                    "name": "@everyone" if role_id == guild.id else f"role-{role_id[-4:]}",
                    "permissions": str(permissions),
                    "position": 0 if role_id == guild.id else 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
                for role_id, permissions in guild.roles.items()
            ],
            "channels": [
                {
                    "id": channel_id,
                    "type": 0,
                    "name": name,
                    "position": position,
                    "permission_overwrites": [],
                    "parent_id": None,
                    "nsfw": False,
                    "topic": None,
                    "rate_limit_per_user": 0,
                    "last_message_id": None,
                }
                for position, (name, channel_id) in enumerate(guild.channels.items())
            ],
            "members": [
                self.member_payload(guild, self.users[user_id]) for user_id in guild.members
            ],
        }

    def attachment(self, filename: str, content: bytes) -> dict[str, Any]:
        """An attachment as a message payload lists it; its URL serves ``content``."""
        attachment_id = self.snowflake()
        self.files[attachment_id] = content
        url = f"{self.base_url}/attachments/{attachment_id}/{filename}"
        return {
            "id": attachment_id,
            "filename": filename,
            "size": len(content),
            "url": url,
            "proxy_url": url,
            "content_type": "text/csv",
        }

    async def _attachment(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["id"])
        return web.Response(status=404) if content is None else web.Response(body=content)

    def message_payload(
        self, guild: FakeGuild | None, channel_id: str, author: FakeUser, content: str
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": self.snowflake(),
            "type": 0,
            "channel_id": channel_id,
            "author": author.payload(),
            "content": content,
            "timestamp": "2026-03-02T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "flags": 0,
            "components": [],
        }
        if guild is not None:
            payload["guild_id"] = guild.id
            member = self.member_payload(guild, author)
            del member["user"]
            payload["member"] = member
        return payload

    def interaction_payload(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: FakeUser,
        guild: FakeGuild | None,
        channel_id: str,
        message: Sent | None = None,
    ) -> dict[str, Any]:
        interaction_id = self.snowflake()
        token = f"token-{interaction_id}"
        self._interaction_tokens[token] = channel_id
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": self.application_id,
            "type": kind,
            "data": data,
            "channel_id": channel_id,
            "token": token,
            "version": 1,
            "locale": "en-GB",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": str(MEMBER_PERMISSIONS),
        }
        if guild is not None:
            member = self.member_payload(guild, user)
            member["permissions"] = str(self.permissions(guild, user.id))
            payload.update(
                guild_id=guild.id,
                guild_locale="en-US",
                member=member,
                channel={"id": channel_id, "type": 0, "guild_id": guild.id, "name": "x"},
                authorizing_integration_owners={"0": guild.id},
                context=0,
            )
        else:
            payload.update(
                user=user.payload(),
                channel={"id": channel_id, "type": 1, "recipients": [user.payload()]},
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = self._message_object(message)
        return payload

    def _message_object(self, sent: Sent) -> dict[str, Any]:
        return {
            "id": sent.message_id or self.snowflake(),
            "type": 0,
            "channel_id": sent.channel_id,
            "author": self.bot.payload(),
            "content": sent.content,
            "timestamp": "2026-03-02T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": sent.embeds,
            "pinned": False,
            "flags": int(sent.body.get("flags") or 0),
            "components": sent.body.get("components") or [],
        }

    # --- the gateway ------------------------------------------------------------------------

    def _shard_of(self, guild_id: str | None) -> int:
        return 0 if guild_id is None else (int(guild_id) >> 22) % self.shard_count

    def _session_for(self, guild_id: str | None) -> _Session:
        shard = self._shard_of(guild_id)
        for session in self._sessions.values():
            if session.shard[0] == shard:
                return session
        raise LookupError(f"no gateway session for shard {shard}")

    async def dispatch(self, event: str, payload: dict[str, Any], *, guild_id: str | None) -> None:
        """Send a gateway event on the shard of ``guild_id`` (kept for a resume if that
        shard's socket is down)."""
        await self._send_event(self._session_for(guild_id), event, payload)

    async def _send_event(self, session: _Session, event: str, payload: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": payload}
        session.sent.append(frame)
        if session.socket is not None and not session.socket.closed:
            await session.socket.send_str(json.dumps(frame))

    async def settle(self) -> None:
        """Return once every connected shard has read every event sent to it (the client
        answers a heartbeat request with the last sequence number it read)."""
        for session in list(self._sessions.values()):
            if session.socket is None or session.socket.closed:
                continue
            target = session.seq
            await session.socket.send_str(json.dumps({"op": 1, "d": None}))
            async with session.acked_changed:
                await asyncio.wait_for(
                    session.acked_changed.wait_for(lambda s=session, t=target: s.acked >= t), 10
                )

    async def drop_connection(self, shard: int = 0, *, code: int = 4000) -> None:
        """Close a shard's socket as Discord does when a gateway node goes away."""
        for session in self._sessions.values():
            if session.shard[0] == shard and session.socket is not None:
                socket, session.socket = session.socket, None
                await socket.close(code=code)

    async def wait_connected(self, shard: int = 0) -> None:
        for _ in range(1000):
            if any(
                s.shard[0] == shard and s.socket is not None and not s.socket.closed
                for s in self._sessions.values()
            ):
                return
            await asyncio.sleep(0.01)
        raise TimeoutError(f"shard {shard} did not reconnect")

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45_000}}))
        session: _Session | None = None
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                if session is not None:
                    async with session.acked_changed:
                        session.acked = max(session.acked, int(data or 0))
                        session.acked_changed.notify_all()
                await socket.send_str(json.dumps({"op": 11}))
            elif op == 2:
                session = await self._identify(socket, data)
                if session is None:
                    break
            elif op == 6:
                session = await self._resume(socket, data)
            elif op == 8:
                await self._send_chunk(socket, session, data)
        return socket

    async def _identify(
        self, socket: web.WebSocketResponse, data: dict[str, Any]
    ) -> _Session | None:
        self.identified.append(data)
        if data.get("token") != TOKEN:
            await socket.close(code=4004, message=b"Authentication failed.")
            return None
        if self.refuse_identify is not None:
            await socket.close(code=self.refuse_identify)
            return None
        intents = int(data.get("intents", 0))
        privileged = sum(PRIVILEGED_INTENTS.values())
        if intents & privileged & ~self.granted_intents:
            await socket.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard_id, count = data.get("shard") or [0, 1]
        session = _Session(id=uuid.uuid4().hex, shard=(shard_id, count), intents=intents)
        session.socket = socket
        self._sessions[session.id] = session
        guilds = [g for g in self.guilds.values() if self._shard_of(g.id) == shard_id]
        await self._send_event(
            session,
            "READY",
            {
                "v": 10,
                "user": self.bot.payload(),
                "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
                "session_id": session.id,
                "resume_gateway_url": self.gateway_url,
                "shard": [shard_id, count],
                "application": {"id": self.application_id, "flags": self.application_flags},
                "private_channels": [],
                "relationships": [],
            },
        )
        for guild in guilds:
            await self._send_event(session, "GUILD_CREATE", self.guild_payload(guild))
        return session

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> _Session | None:
        self.resumed.append(data)
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != TOKEN:
            await socket.send_str(json.dumps({"op": 9, "d": False}))
            return None
        session.socket = socket
        last = int(data.get("seq") or 0)
        for frame in session.sent:
            if frame["s"] > last:
                await socket.send_str(json.dumps(frame))
        await self._send_event(session, "RESUMED", {})
        return session

    async def _send_chunk(
        self, socket: web.WebSocketResponse, session: _Session | None, data: dict[str, Any]
    ) -> None:
        guild = self.guilds.get(str(data.get("guild_id")))
        if session is None or guild is None:
            return
        await self._send_event(
            session,
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": guild.id,
                "members": [self.member_payload(guild, self.users[u]) for u in guild.members],
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
            },
        )

    # --- REST -------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path.removeprefix(API_PREFIX)
        body, files = await _read_body(request)
        call = Call(
            method=request.method, path=path, query=dict(request.query), body=body, files=files
        )
        self.calls.append(call)
        if path == "/users/@me":
            self.logging_in.set()
            await self.answer_login.wait()
        for limit in self._rate_limits:
            if limit.remaining and limit.method == request.method and limit.pattern.search(path):
                limit.remaining -= 1
                call.status = 429
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": limit.retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(max(1, round(limit.retry_after))),
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": str(limit.retry_after),
                        "X-RateLimit-Bucket": "fake-bucket",
                        "X-RateLimit-Scope": "user",
                    },
                )
        bot_route = not path.startswith(("/interactions/", "/webhooks/"))
        if bot_route and request.headers.get("Authorization") != f"Bot {TOKEN}":
            call.status = 401
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        for method, pattern, handler in self._routes():
            match = pattern.fullmatch(path)
            if match and method == request.method:
                status, answer = handler(call, *match.groups())
                call.status = status
                if status == 204:
                    return web.Response(status=204)
                return _json(answer, status=status)
        call.status = 404
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _routes(self) -> list[tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]]:
        routes: list[tuple[str, str, Callable[..., tuple[int, Any]]]] = [
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", r"/gateway", lambda call: (200, {"url": self.gateway_url})),
            ("GET", r"/users/@me", lambda call: (200, self.bot.payload())),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/users/(\d+)", self._user),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("POST", r"/channels/(\d+)/messages", self._channel_message),
            ("PUT", r"/channels/(\d+)/messages/(\d+)/reactions/([^/]+)/@me", self._reaction),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/@original", self._edit_original),
            ("PUT", r"/applications/(\d+)/commands", self._global_commands),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._guild_commands),
            ("GET", r"/guilds/(\d+)/members/(\d+)", self._member),
            ("DELETE", r"/users/@me/guilds/(\d+)", self._leave_guild),
        ]
        return [(m, re.compile(p), h) for m, p, h in routes]

    def _gateway_bot(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    def _application(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": "Staffroom",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.users[next(iter(self.guilds.values())).owner_id].payload()
            if self.guilds
            else self.bot.payload(),
            "flags": self.application_flags,
            "team": None,
        }

    def _user(self, call: Call, user_id: str) -> tuple[int, Any]:
        user = self.users.get(user_id)
        if user is None:
            return 404, {"message": "Unknown User", "code": 10013}
        return 200, user.payload()

    def _member(self, call: Call, guild_id: str, user_id: str) -> tuple[int, Any]:
        guild = self.guilds.get(guild_id)
        if guild is None or user_id not in guild.members:
            return 404, {"message": "Unknown Member", "code": 10007}
        return 200, self.member_payload(guild, self.users[user_id])

    def _leave_guild(self, call: Call, guild_id: str) -> tuple[int, Any]:
        if self.guilds.pop(guild_id, None) is None:
            return 404, {"message": "Unknown Guild", "code": 10004}
        return 204, None

    def dm_channel_for(self, user_id: str) -> str:
        """The DM channel between the bot and a user (opened on first use)."""
        for channel_id, recipient in self.dm_channels.items():
            if recipient == user_id:
                return channel_id
        channel_id = self.snowflake()
        self.dm_channels[channel_id] = user_id
        return channel_id

    def _open_dm(self, call: Call) -> tuple[int, Any]:
        user_id = str(call.body["recipient_id"])
        user = self.users.get(user_id, FakeUser(id=user_id, name=f"user{user_id[-4:]}"))
        return 200, {
            "id": self.dm_channel_for(user_id),
            "type": 1,
            "recipients": [user.payload()],
            "last_message_id": None,
        }

    def _channel_message(self, call: Call, channel_id: str) -> tuple[int, Any]:
        recipient = self.dm_channels.get(channel_id)
        if recipient in self.closed_dms:
            return 403, {"message": "Cannot send messages to this user", "code": 50007}
        known = recipient is not None or any(
            channel_id in g.channels.values() for g in self.guilds.values()
        )
        if not known:
            return 404, {"message": "Unknown Channel", "code": 10003}
        nonce = call.body.get("nonce")
        if nonce and call.body.get("enforce_nonce"):
            # Discord: a nonce already used by this author recently returns that message.
            for earlier in self.sent:
                if earlier.channel_id == channel_id and earlier.body.get("nonce") == nonce:
                    return 200, self._message_object(earlier)
        sent = Sent(
            route="channel",
            channel_id=channel_id,
            body=dict(call.body),
            files=call.files,
            message_id=self.snowflake(),
        )
        self.sent.append(sent)
        return 200, self._message_object(sent)

    def _reaction(
        self, call: Call, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        return 204, None

    def _callback(self, call: Call, interaction_id: str, token: str) -> tuple[int, Any]:
        kind = int(call.body.get("type", 0))
        data = dict(call.body.get("data") or {})
        channel_id = self._interaction_tokens.get(token, "")
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
            },
            "resource": {"type": kind},
        }
        if kind in (4, 9):
            sent = Sent(
                route="callback",
                channel_id=channel_id,
                body=data,
                files=call.files,
                interaction_id=interaction_id,
                message_id=self.snowflake(),
                response_type=kind,
            )
            self.sent.append(sent)
            if kind == 4:
                answer["interaction"]["response_message_id"] = sent.message_id
                answer["resource"]["message"] = self._message_object(sent)
        return 200, answer

    def _followup(self, call: Call, application_id: str, token: str) -> tuple[int, Any]:
        return self._token_message("followup", call, token)

    def _edit_original(self, call: Call, application_id: str, token: str) -> tuple[int, Any]:
        return self._token_message("edit", call, token)

    def _token_message(self, route: str, call: Call, token: str) -> tuple[int, Any]:
        """A message sent with an interaction's token (a follow-up or an edit)."""
        sent = Sent(
            route=route,
            channel_id=self._interaction_tokens.get(token, ""),
            body=dict(call.body),
            files=call.files,
            interaction_id=token.removeprefix("token-"),
            message_id=self.snowflake(),
        )
        self.sent.append(sent)
        return 200, self._message_object(sent)

    def _global_commands(self, call: Call, application_id: str) -> tuple[int, Any]:
        return self._register("global", call.body)

    def _guild_commands(self, call: Call, application_id: str, guild_id: str) -> tuple[int, Any]:
        return self._register(guild_id, call.body)

    def _register(self, scope: str, commands: list[dict[str, Any]]) -> tuple[int, Any]:
        problem = _command_limits_broken(commands)
        if problem:
            return 400, {"code": 50035, "message": f"Invalid Form Body: {problem}"}
        registered = [
            {
                **command,
                "id": self.snowflake(),
                "application_id": self.application_id,
                "version": "1",
            }
            for command in commands
        ]
        self.commands[scope] = registered
        return 200, registered

    # --- what the tests look at -------------------------------------------------------------

    def calls_to(self, method: str, path: str) -> list[Call]:
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.search(c.path)]


def _command_limits_broken(commands: list[dict[str, Any]]) -> str | None:
    """What Discord refuses in a bulk command overwrite (its documented limits)."""
    if len(commands) > 100:
        return "more than 100 commands"
    if len({c["name"] for c in commands}) != len(commands):
        return "two commands share a name"
    for command in commands:
        permissions = command.get("default_member_permissions")
        if permissions is not None and not str(permissions).isdigit():
            return f"{command['name']}: default_member_permissions is not a bit set"
        for holder in [command, *command.get("options", [])]:
            if len(holder.get("options", [])) > 25:
                return f"{holder['name']}: more than 25 options"
    return None


def _json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord sends it: discord.py reads a body as JSON only when the content type is
    exactly ``application/json`` (no charset)."""
    return web.Response(
        body=json.dumps(body).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        body: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            content = await part.read()
            if part.name == "payload_json":
                body = json.loads(content)
            else:
                files.append((part.filename or "", bytes(content)))
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []


@asynccontextmanager
async def running_fake_discord(*, shard_count: int = 1) -> AsyncIterator[FakeDiscord]:
    """Serve the fake on 127.0.0.1 (an ephemeral port) for the duration of the block."""
    fake = FakeDiscord(shard_count=shard_count)
    app = web.Application()
    app.router.add_get("/gateway", fake._gateway)
    app.router.add_get("/attachments/{id}/{name}", fake._attachment)
    app.router.add_route("*", API_PREFIX + "/{tail:.*}", fake._rest)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.base_url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        for session in fake._sessions.values():
            if session.socket is not None and not session.socket.closed:
                await session.socket.close()
        await runner.cleanup()
