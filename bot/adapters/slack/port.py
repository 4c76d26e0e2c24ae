"""Sending to Slack: the ``ChatPort`` the core uses, and the answers to inbound events.

Messages go through one ``AsyncWebClient`` (its retry handlers honour 429 ``Retry-After`` and
retry server errors), with each workspace's bot token passed per call. ``chat.postMessage``
is paced to about one message a second per conversation, as Slack asks. Private answers are
ephemeral (through the ``response_url`` of a slash command or click when there is one), and
files always go to the member's DM, since ephemeral messages cannot carry them. A form opens
as a modal where the event brought a trigger; elsewhere it is a button that opens it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import (
    BUTTON_ACTION,
    MAX_BUTTON_VALUE,
    OPEN_ACTION,
    SAY_ACTION,
    FormOpener,
    MessagePayload,
    render_message,
)
from bot.adapters.slack.directory import MemberDirectory
from bot.adapters.slack.errors import delivery_error
from bot.adapters.slack.inbound import FormClick, Route
from bot.adapters.slack.installations import Workspace, Workspaces
from bot.adapters.slack.modals import (
    FormOrigin,
    encode_form,
    render_modal,
)
from bot.core.errors import CapabilityUnavailable, DeliveryError
from bot.core.events import Actor, Invocation, TenantRef
from bot.core.i18n import CORE_DOMAIN, SOURCE_LANGUAGE, Catalogs, Translator
from bot.core.replies import Attachment, Form, Reply

_log = logging.getLogger(__name__)

MAX_GROUP_DM_USERS = 8
"""``conversations.open`` takes at most 8 users besides the bot."""
MAX_REMEMBERED = 20_000
DELIVERY_EVENT = "staffroom_delivery"
"""The message metadata type marking a message the outbox sent, with its key."""
HISTORY_PAGE_SIZE = 200
MAX_HISTORY_PAGES = 5


class ChannelPacer:
    """About one ``chat.postMessage`` a second per conversation (Slack's stated limit).

    Each send takes the next free slot of its conversation and waits for it; sends to
    different conversations never wait for each other.
    """

    def __init__(
        self,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[tuple[str, str], float] = {}

    async def wait(self, team_id: str, channel_id: str) -> None:
        now = self._clock()
        if len(self._next) >= MAX_REMEMBERED:
            self._next = {k: t for k, t in self._next.items() if t > now}
        key = (team_id, channel_id)
        slot = max(now, self._next.get(key, now))
        self._next[key] = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class SlackPort:
    """The core's ``ChatPort`` for Slack, and how answers to inbound events are sent."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        workspaces: Workspaces,
        directory: MemberDirectory,
        pacer: ChannelPacer,
        catalogs: Catalogs,
    ) -> None:
        self._catalogs = catalogs
        self._client = client
        self._workspaces = workspaces
        self._directory = directory
        self._pacer = pacer
        self._dm_channels: dict[tuple[str, str], str] = {}

    # --- ChatPort ---------------------------------------------------------------------------

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        workspace = await self._workspaces.get(tenant.external_id)
        channel = await self._dm_channel(workspace, user_id)
        await self._post(workspace, channel, reply)

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        await self._post(await self._workspaces.get(tenant.external_id), channel_id, reply)

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        if not 2 <= len(user_ids) <= MAX_GROUP_DM_USERS:
            raise CapabilityUnavailable(
                f"a Slack group DM takes 2 to {MAX_GROUP_DM_USERS} people, not {len(user_ids)}"
            )
        workspace = await self._workspaces.get(tenant.external_id)
        opened = await self._call(
            "open a group DM",
            self._client.conversations_open(token=workspace.bot_token, users=",".join(user_ids)),
        )
        await self._post(workspace, str(opened["channel"]["id"]), reply)

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        return await self._directory.lookup(tenant.external_id, name)

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        """Look through the conversation's messages since ``since`` for our metadata ``key``.

        Needs ``im:history`` (DMs) or ``channels:history`` (public channels), which Staffroom
        has for its events anyway; elsewhere Slack answers ``missing_scope`` and we cannot tell.
        """
        workspace = await self._workspaces.get(tenant.external_id)
        channel = channel_id or await self._dm_channel(workspace, user_id)
        cursor: str | None = None
        for _ in range(MAX_HISTORY_PAGES):
            page = await self._call(
                "look for an earlier message",
                self._client.conversations_history(
                    token=workspace.bot_token,
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=HISTORY_PAGE_SIZE,
                    cursor=cursor,
                ),
            )
            for message in page.get("messages") or ():
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == DELIVERY_EVENT and payload.get("key") == key:
                    return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return False
        raise CapabilityUnavailable(f"more than {MAX_HISTORY_PAGES} pages of history to search")

    # --- answers ----------------------------------------------------------------------------

    async def answer(self, route: Route, replies: Sequence[Reply]) -> None:
        """Send the replies to one inbound event where it came from; never raises."""
        trigger = route.trigger_id
        for reply in replies:
            try:
                workspace = await self._workspaces.get(route.team_id)
                if reply.form is not None and trigger is not None:
                    opened = await self._open_form(workspace, trigger, route, reply, reply.form)
                    trigger = None
                    if opened:
                        continue
                opener = _opener(reply.form, route.again) if reply.form is not None else None
                await self._answer(workspace, route, replace(reply, form=None), opener)
            except DeliveryError as exc:
                _log.warning("could not answer %s in %s: %s", route.user_id, route.team_id, exc)

    def _words(self, language: str) -> Translator:
        """Our own words (buttons, apologies) in the reader's language."""
        return self._catalogs.translator(CORE_DOMAIN, language or SOURCE_LANGUAGE)

    async def open_form(self, click: FormClick) -> None:
        """Open the form a button carried (a DM or post's form), in answer to its click."""
        route = click.route
        try:
            workspace = await self._workspaces.get(route.team_id)
            assert route.trigger_id is not None
            if not await self._open_form(workspace, route.trigger_id, route, Reply(), click.form):
                sorry = self._words("").gettext("Sorry, I couldn't open that form.")
                await self._answer(workspace, route, Reply(text=sorry, private=True), None)
        except DeliveryError as exc:
            _log.warning("could not open a form for %s: %s", route.user_id, exc)

    async def _open_form(
        self, workspace: Workspace, trigger: str, route: Route, reply: Reply, form: Form
    ) -> bool:
        origin = FormOrigin(
            submit=form.submit,
            channel_id=route.channel_id,
            is_dm=route.is_dm,
            thread_ts=route.thread_ts,
        )
        try:
            view = render_modal(
                form, origin=origin, words=self._words(reply.language), lead=reply.text
            )
            await self._call(
                "open a modal",
                self._client.views_open(token=workspace.bot_token, trigger_id=trigger, view=view),
            )
        except (ValueError, DeliveryError) as exc:
            _log.warning("could not open the form %r as a modal: %s", form.title, exc)
            return False
        return True

    async def _answer(
        self, workspace: Workspace, route: Route, reply: Reply, opener: FormOpener | None
    ) -> None:
        if reply.attachments:
            channel = await self._dm_channel(workspace, route.user_id)
            await self._upload(workspace, channel, reply.attachments)
            reply = replace(reply, attachments=())
        if not _has_message(reply, opener):
            return
        payload = render_message(reply, opener=opener)
        if route.response_url is not None:
            await self._respond(route.response_url, payload, private=reply.private)
            return
        if not route.is_dm and route.channel_id:
            try:
                await self._in_channel(workspace, route, payload, private=reply.private)
                return
            except DeliveryError as exc:
                if not exc.permanent:
                    raise
                _log.info("answering %s by DM instead: %s", route.user_id, exc)
        # The member's own DM with Staffroom (a DM between people is not Staffroom's to post in).
        channel = await self._dm_channel(workspace, route.user_id)
        thread = route.thread_ts if channel == route.channel_id else None
        await self._send(workspace, channel, payload, thread_ts=thread)

    async def _in_channel(
        self, workspace: Workspace, route: Route, payload: MessagePayload, *, private: bool
    ) -> None:
        if not private:
            await self._send(workspace, route.channel_id, payload, thread_ts=route.thread_ts)
            return
        await self._call(
            "send an ephemeral message",
            self._client.chat_postEphemeral(
                token=workspace.bot_token,
                channel=route.channel_id,
                user=route.user_id,
                text=payload.text,
                blocks=payload.blocks,
                thread_ts=route.thread_ts,
            ),
        )

    # --- sending ----------------------------------------------------------------------------

    async def _post(self, workspace: Workspace, channel: str, reply: Reply) -> None:
        opener = None
        if reply.form is not None:
            value = encode_form(reply.form)
            if value is None:
                _log.warning("left out the form %r: it is too big for a button", reply.form.title)
            else:
                opener = FormOpener(label=reply.form.title, action_id=OPEN_ACTION, value=value)
        if _has_message(reply, opener):
            await self._send(
                workspace,
                channel,
                render_message(reply, opener=opener),
                delivery_key=reply.delivery_key,
            )
        await self._upload(workspace, channel, reply.attachments)

    async def _send(
        self,
        workspace: Workspace,
        channel: str,
        payload: MessagePayload,
        *,
        thread_ts: str | None = None,
        delivery_key: str = "",
    ) -> None:
        await self._pacer.wait(workspace.team_id, channel)
        metadata = (
            {"event_type": DELIVERY_EVENT, "event_payload": {"key": delivery_key}}
            if delivery_key
            else None
        )
        await self._call(
            "post a message",
            self._client.chat_postMessage(
                token=workspace.bot_token,
                channel=channel,
                text=payload.text,
                blocks=payload.blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            ),
        )

    async def _upload(
        self, workspace: Workspace, channel: str, attachments: Sequence[Attachment]
    ) -> None:
        for attachment in attachments:
            await self._call(
                "upload a file",
                self._client.files_upload_v2(
                    token=workspace.bot_token,
                    channel=channel,
                    content=attachment.content,
                    filename=attachment.filename,
                    title=attachment.filename,
                ),
            )

    async def _respond(self, url: str, payload: MessagePayload, *, private: bool) -> None:
        hook = AsyncWebhookClient(url, session=self._client.session, timeout=10)
        body = {
            "response_type": "ephemeral" if private else "in_channel",
            "replace_original": False,
            "text": payload.text,
            "blocks": payload.blocks,
        }
        try:
            response = await hook.send_dict(body)
        except Exception as exc:  # network errors of any kind
            raise DeliveryError(f"answer through the response URL: {exc}") from exc
        if response.status_code != 200:
            raise DeliveryError(
                f"answer through the response URL: HTTP {response.status_code} {response.body}",
                permanent=response.status_code == 404,
            )

    async def _dm_channel(self, workspace: Workspace, user_id: str) -> str:
        key = (workspace.team_id, user_id)
        channel = self._dm_channels.get(key)
        if channel is None:
            opened = await self._call(
                "open a DM",
                self._client.conversations_open(token=workspace.bot_token, users=user_id),
            )
            channel = str(opened["channel"]["id"])
            if len(self._dm_channels) >= MAX_REMEMBERED:
                self._dm_channels.clear()
            self._dm_channels[key] = channel
        return channel

    def forget(self, team_id: str) -> None:
        self._dm_channels = {k: v for k, v in self._dm_channels.items() if k[0] != team_id}

    @staticmethod
    async def _call(what: str, request: Awaitable[Any]) -> Any:
        try:
            return await request
        except (SlackApiError, SlackRequestError) as exc:
            raise delivery_error(exc, what) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"{what}: {exc or type(exc).__name__}") from exc


def _has_message(reply: Reply, opener: FormOpener | None) -> bool:
    return bool(
        reply.text
        or reply.title
        or reply.fields
        or reply.footer
        or reply.buttons
        or reply.choices
        or opener
    )


def _opener(form: Form, again: Invocation | str | None) -> FormOpener | None:
    """A button that runs the event again, for a click to give us a trigger for the form."""
    if isinstance(again, Invocation):
        value = again.encode()
        action_id = f"{BUTTON_ACTION}:form"
    elif isinstance(again, str):
        value, action_id = again, SAY_ACTION
    else:
        return None
    if len(value) > MAX_BUTTON_VALUE:
        return None
    return FormOpener(label=form.title, action_id=action_id, value=value)
