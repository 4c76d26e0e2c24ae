"""A loopback Slack: the Web API methods Staffroom calls, response URLs, file uploads, the
OAuth token exchange and a Socket Mode WebSocket.

Every call is recorded in order (method, arguments, the workspace its token belongs to); a
post to a response URL is recorded as the method ``response_url``. A method can be told to
fail next with an error, or with HTTP 429 and ``Retry-After``, or to hold its answers until the
test lets them go (a slow Slack). Tests wait for calls with ``wait_for`` (an
``asyncio.Condition``), never by sleeping.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from bot.adapters.slack.setup import BOT_SCOPES

Json = dict[str, Any]


@dataclass
class Call:
    method: str
    args: Json
    team_id: str | None
    """The workspace of the token used (None without a known token)."""


@dataclass
class Fault:
    error: str
    status: int = 200
    retry_after: int | None = None


@dataclass
class Workspace:
    team_id: str
    name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    users: dict[str, Json] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    scopes: tuple[str, ...] = BOT_SCOPES
    """The bot scopes granted (``auth.test`` reports them in ``x-oauth-scopes``)."""


@dataclass
class PendingInstall:
    """What ``oauth.v2.access`` answers for one authorization code."""

    team_id: str
    name: str
    installer: str
    rotating: bool = False


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        self.shared_files: dict[str, bytes] = {}
        """Files members attached to messages (``share_file``), served to a bot token."""
        self.history: dict[tuple[str, str], list[Json]] = {}
        """(team, channel) → messages posted there, oldest first, as ``conversations.history``
        returns them (with ``metadata``)."""
        self.socket_acks: list[Json] = []
        self.base = ""
        self._workspaces: dict[str, Workspace] = {}
        self._by_token: dict[str, Workspace] = {}
        self._faults: dict[str, list[Fault]] = {}
        self._holds: dict[str, asyncio.Event] = {}
        self._slow: dict[str, float] = {}
        self._meanwhile: dict[str, Callable[[], Awaitable[None]]] = {}
        self._installs: dict[str, PendingInstall] = {}
        self._spent_refresh_tokens: set[str] = set()
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self._rate_limit_every = 0
        self._web_calls = 0

    # --- set-up ---------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def add_workspace(self, team_id: str, name: str = "", *, bot_token: str = "") -> Workspace:
        workspace = Workspace(
            team_id=team_id,
            name=name or f"Team {team_id}",
            bot_token=bot_token or f"xoxb-{team_id}-token",
            bot_user_id=f"UBOT{team_id}",
            bot_id=f"B{team_id}",
        )
        self._workspaces[team_id] = workspace
        self._by_token[workspace.bot_token] = workspace
        return workspace

    def add_user(
        self,
        team_id: str,
        user_id: str,
        name: str,
        *,
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
    ) -> Json:
        user = user_object(team_id, user_id, name, admin=admin, owner=owner, bot=bot)
        self._workspaces[team_id].users[user_id] = user
        return user

    def expect_install(self, code: str, install: PendingInstall) -> None:
        self._installs[code] = install

    def fail_next(
        self, method: str, error: str, *, status: int = 200, retry_after: int | None = None
    ) -> None:
        self._faults.setdefault(method, []).append(
            Fault(error=error, status=status, retry_after=retry_after)
        )

    def hold(self, method: str) -> asyncio.Event:
        """Keep calls to ``method`` waiting (recorded, unanswered) until the event is set."""
        return self._holds.setdefault(method, asyncio.Event())

    def answer_slowly(self, method: str, seconds: float) -> None:
        """Carry out calls to ``method`` at once but answer them ``seconds`` later, so that a
        client that dies meanwhile never learns that its message was posted."""
        self._slow[method] = seconds

    def meanwhile(self, method: str, work: Callable[[], Awaitable[None]]) -> None:
        """Carry out calls to ``method`` at once but answer only after ``work`` (what else
        happens, e.g. on a ``ManualClock``, while Slack is slow to answer) has run."""
        self._meanwhile[method] = work

    def rate_limit_next(self, method: str, *, retry_after: int = 0) -> None:
        self.fail_next(method, "ratelimited", status=429, retry_after=retry_after)

    def rate_limit_every(self, n: int, *, retry_after: int = 0) -> None:
        """Answer 429 with ``Retry-After`` to every ``n``-th Web API call (0: never)."""
        self._rate_limit_every = n
        self._rate_limit_retry_after = retry_after

    def response_url(self) -> str:
        return f"{self.base}/response/R{next(self._ids)}"

    def token_of(self, team_id: str) -> str:
        return self._workspaces[team_id].bot_token

    def workspace(self, team_id: str) -> Workspace:
        return self._workspaces[team_id]

    # --- reading ------------------------------------------------------------------------------

    def calls_to(self, method: str, *, team_id: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (team_id is None or c.team_id == team_id)
        ]

    async def wait_for(self, ready: Callable[[FakeSlack], bool], *, within: float = 10) -> None:
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: ready(self))

    async def _record(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- serving ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{id}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}/{name}", self._shared_file)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: Json = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(await request.post())
        token = str(args.pop("token", "")) or request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        workspace = self._by_token.get(token)
        self.calls.append(
            Call(method=method, args=args, team_id=workspace.team_id if workspace else None)
        )
        await self._record()
        if method in self._holds:
            await self._holds[method].wait()
        self._web_calls += 1
        if self._rate_limit_every and self._web_calls % self._rate_limit_every == 0:
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self._rate_limit_retry_after)},
            )
        faults = self._faults.get(method)
        if faults:
            fault = faults.pop(0)
            headers = (
                {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            )
            return web.json_response(
                {"ok": False, "error": fault.error}, status=fault.status, headers=headers
            )
        handler = _METHODS.get(method)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        needs_token = method not in ("oauth.v2.access", "apps.connections.open")
        if needs_token and workspace is None:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        headers = {}
        if method == "auth.test" and workspace is not None:
            headers["x-oauth-scopes"] = ",".join(workspace.scopes)
        body = {"ok": True, **handler(self, workspace, args)}
        await self._record()
        if method in self._slow:
            await asyncio.sleep(self._slow[method])
        if method in self._meanwhile:
            await self._meanwhile[method]()
        return web.json_response(body, headers=headers)

    async def _response(self, request: web.Request) -> web.Response:
        url_id, body = request.match_info["id"], await request.json()
        self.calls.append(
            Call(method="response_url", args={**body, "url_id": url_id}, team_id=None)
        )
        await self._record()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        await self._record()
        return web.Response(text="OK - 1")

    def share_file(self, name: str, content: bytes) -> Json:
        """A file a member attached, as a message event's ``files`` lists it."""
        file_id = f"F{len(self.shared_files) + 1:05d}"
        self.shared_files[file_id] = content
        url = f"{self.base}/files/{file_id}/{name}"
        return {
            "id": file_id,
            "name": name,
            "size": len(content),
            "mimetype": "text/csv",
            "url_private": url,
            "url_private_download": f"{url}?download=1",
        }

    async def _shared_file(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        workspace = self._by_token.get(token)
        file_id = request.match_info["file_id"]
        self.calls.append(
            Call(
                method="files.download",
                args={"file": file_id},
                team_id=workspace.team_id if workspace else None,
            )
        )
        await self._record()
        if workspace is None or file_id not in self.shared_files:
            return web.Response(status=404)
        return web.Response(body=self.shared_files[file_id])

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                await self._record()
        return socket

    async def socket_send(self, envelope: Json) -> Json:
        """Send one Socket Mode envelope; returns Staffroom's acknowledgement of it."""
        await self.wait_for(lambda fake: bool(fake._sockets))
        await self._sockets[-1].send_json(envelope)
        envelope_id = envelope["envelope_id"]
        await self.wait_for(
            lambda fake: any(a.get("envelope_id") == envelope_id for a in fake.socket_acks)
        )
        return next(a for a in self.socket_acks if a.get("envelope_id") == envelope_id)

    # --- Web API methods ----------------------------------------------------------------------

    def _ts(self) -> str:
        return f"1700000000.{next(self._ids):06d}"

    def _auth_test(self, workspace: Workspace | None, args: Json) -> Json:
        assert workspace is not None
        return {
            "url": f"https://{workspace.team_id.lower()}.slack.com/",
            "team": workspace.name,
            "user": "staffroom",
            "team_id": workspace.team_id,
            "user_id": workspace.bot_user_id,
            "bot_id": workspace.bot_id,
            "is_enterprise_install": False,
        }

    def _post_message(self, workspace: Workspace | None, args: Json) -> Json:
        ts = self._ts()
        if workspace is not None:
            metadata = args.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            message = {
                "type": "message",
                "ts": ts,
                "text": args.get("text", ""),
                "posted": time.time(),
            }
            if metadata:
                message["metadata"] = metadata
            where = (workspace.team_id, str(args.get("channel")))
            self.history.setdefault(where, []).append(message)
        return {"channel": args.get("channel"), "ts": ts, "message": dict(args)}

    def _conversations_history(self, workspace: Workspace | None, args: Json) -> Json:
        """Newest first, from ``oldest`` (a Unix time in seconds), ``limit`` at a time; metadata
        only with ``include_all_metadata``."""
        assert workspace is not None
        messages = self.history.get((workspace.team_id, str(args.get("channel"))), [])
        oldest = float(args.get("oldest") or 0)
        newest_first = [m for m in reversed(messages) if m["posted"] >= oldest]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = newest_first[start : start + limit]
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        shown = [
            {k: v for k, v in m.items() if k != "posted" and (with_metadata or k != "metadata")}
            for m in page
        ]
        more = start + limit < len(newest_first)
        return {
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _post_ephemeral(self, workspace: Workspace | None, args: Json) -> Json:
        return {"message_ts": self._ts()}

    def _conversations_open(self, workspace: Workspace | None, args: Json) -> Json:
        users = sorted(str(args.get("users", "")).split(","))
        channel = "D" + users[0] if len(users) == 1 else "G" + "".join(u[-3:] for u in users)
        return {"channel": {"id": channel}}

    def _users_info(self, workspace: Workspace | None, args: Json) -> Json:
        assert workspace is not None
        user = workspace.users.get(str(args.get("user")))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": user}

    def _usergroup_users(self, workspace: Workspace | None, args: Json) -> Json:
        assert workspace is not None
        group = workspace.usergroups.get(str(args.get("usergroup")))
        if group is None:
            raise _ApiError("no_such_subteam")
        return {"users": group}

    def _views_open(self, workspace: Workspace | None, args: Json) -> Json:
        view = args["view"] if isinstance(args["view"], dict) else json.loads(args["view"])
        return {"view": {**view, "id": f"V{next(self._ids)}"}}

    def _views_update(self, workspace: Workspace | None, args: Json) -> Json:
        view = args["view"] if isinstance(args["view"], dict) else json.loads(args["view"])
        return {"view": {**view, "id": args.get("view_id")}}

    def _oauth_access(self, workspace: Workspace | None, args: Json) -> Json:
        if args.get("grant_type") == "refresh_token":
            return self._refreshed(str(args.get("refresh_token")))
        install = self._installs.pop(str(args.get("code")), None)
        if install is None:
            raise _ApiError("invalid_code")
        fresh = self.add_workspace(install.team_id, install.name)
        answer: Json = {
            "access_token": fresh.bot_token,
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": fresh.bot_user_id,
            "app_id": "A0STAFFROOM",
            "team": {"name": install.name, "id": install.team_id},
            "enterprise": None,
            "authed_user": {"id": install.installer},
            "is_enterprise_install": False,
        }
        if install.rotating:
            answer |= {"expires_in": 43200, "refresh_token": f"xoxe-1-{install.team_id}-r1"}
        return answer

    def _refreshed(self, refresh_token: str) -> Json:
        """A new token for a refresh token ``xoxe-1-<team>-r<n>``, which then stops working."""
        if refresh_token in self._spent_refresh_tokens:
            raise _ApiError("invalid_refresh_token")
        self._spent_refresh_tokens.add(refresh_token)
        team_id = refresh_token.split("-")[2]
        workspace = self._workspaces[team_id]
        generation = int(refresh_token.rsplit("-r", 1)[1]) + 1
        del self._by_token[workspace.bot_token]
        workspace.bot_token = f"xoxe.xoxb-{team_id}-token-{generation}"
        self._by_token[workspace.bot_token] = workspace
        return {
            "access_token": workspace.bot_token,
            "token_type": "bot",
            "expires_in": 43200,
            "refresh_token": f"xoxe-1-{team_id}-r{generation}",
            "team": {"id": team_id, "name": workspace.name},
        }

    def _upload_url(self, workspace: Workspace | None, args: Json) -> Json:
        file_id = f"F{next(self._ids)}"
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, workspace: Workspace | None, args: Json) -> Json:
        files = args["files"] if isinstance(args["files"], list) else json.loads(args["files"])
        return {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _connections_open(self, workspace: Workspace | None, args: Json) -> Json:
        return {"url": self.base.replace("http://", "ws://") + "/socket"}


class _ApiError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _guarded(
    handler: Callable[[FakeSlack, Workspace | None, Json], Json],
) -> Callable[[FakeSlack, Workspace | None, Json], Json]:
    def call(fake: FakeSlack, workspace: Workspace | None, args: Json) -> Json:
        try:
            return handler(fake, workspace, args)
        except _ApiError as exc:
            return {"ok": False, "error": exc.error}

    return call


_METHODS: dict[str, Callable[[FakeSlack, Workspace | None, Json], Json]] = {
    name: _guarded(handler)
    for name, handler in {
        "auth.test": FakeSlack._auth_test,
        "chat.postMessage": FakeSlack._post_message,
        "chat.postEphemeral": FakeSlack._post_ephemeral,
        "conversations.open": FakeSlack._conversations_open,
        "conversations.history": FakeSlack._conversations_history,
        "users.info": FakeSlack._users_info,
        "usergroups.users.list": FakeSlack._usergroup_users,
        "views.open": FakeSlack._views_open,
        "views.update": FakeSlack._views_update,
        "oauth.v2.access": FakeSlack._oauth_access,
        "files.getUploadURLExternal": FakeSlack._upload_url,
        "files.completeUploadExternal": FakeSlack._complete_upload,
        "apps.connections.open": FakeSlack._connections_open,
    }.items()
}


def user_object(
    team_id: str,
    user_id: str,
    name: str,
    *,
    admin: bool = False,
    owner: bool = False,
    bot: bool = False,
    deleted: bool = False,
) -> Json:
    """A user as ``users.info`` and the ``team_join``/``user_change`` events give it."""
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name.lower(),
        "deleted": deleted,
        "real_name": name,
        "tz": "Europe/Lisbon",
        "profile": {"display_name": name, "real_name": name, "team": team_id},
        "is_admin": admin,
        "is_owner": owner,
        "is_primary_owner": False,
        "is_bot": bot,
        "is_app_user": False,
        "updated": 1700000000,
    }


@asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
