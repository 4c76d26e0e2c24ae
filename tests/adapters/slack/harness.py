"""Driving the real bolt app over HTTP as Slack does: signed requests built from the recorded
payloads in ``payloads/``, and what Staffroom sent read back from the fake Web API."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.bolt_app import SlackAdapter, create_adapter
from bot.adapters.slack.port import ChannelPacer
from bot.adapters.slack.service import SlackService
from bot.app import App
from bot.settings import SlackSettings
from tests.fakes.slack_api import FakeSlack

Json = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_ids = itertools.count(1)


def payload(name: str) -> Json:
    """A recorded payload (a fresh copy) from ``payloads/<name>.json``."""
    loaded: Json = json.loads((PAYLOADS / f"{name}.json").read_text())
    return loaded


def texts(message: Json) -> str:
    """Everything a person would read in a message: its blocks' texts, else its text."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                parts.append(str(node["text"]))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    blocks = message.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    walk(blocks or [])
    return "\n".join(parts) if parts else str(message.get("text", ""))


def elements(message: Json) -> Iterator[tuple[Json, Json]]:
    """(block, element) for every interactive element of a message."""
    blocks = message.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks or []:
        for element in block.get("elements", ()):
            yield block, element


@dataclass
class Slack:
    """Slack's side of the conversation: sends what a person does, as Slack would send it."""

    url: str
    fake: FakeSlack
    adapter: SlackAdapter
    session: aiohttp.ClientSession
    secret: str = SIGNING_SECRET
    sent: int = 0
    """Requests that reach a Staffroom listener (each is awaited to its end)."""

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        retry: int | None = None,
        reaches_listener: bool = True,
    ) -> tuple[int, str]:
        """POST to the request URL, signed unless told otherwise; waits for the work to end."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            or SignatureVerifier(self.secret).generate_signature(timestamp=stamp, body=body),
        }
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            status, text = response.status, await response.text()
        if reaches_listener and status == 200:
            self.sent += 1
            target = self.sent
            async with asyncio.timeout(10):
                await self.adapter.work.wait_until(lambda work: work.finished >= target)
        return status, text

    async def event_body(
        self, body: Json, *, team: str | None = None, retry: int | None = None
    ) -> tuple[int, str]:
        """An Events API callback as recorded, or moved to workspace ``team``."""
        if team is not None:
            body = for_team(body, team, self.fake.workspace(team).bot_user_id)
        return await self.post(json.dumps(body), "application/json", retry=retry)

    async def event(
        self,
        event: Json,
        *,
        team: str = "T1",
        event_id: str | None = None,
        template: str = "event_message_im",
        retry: int | None = None,
    ) -> tuple[int, str]:
        body = payload(template)
        body["event"] = event
        body["event_id"] = event_id or f"Ev{next(_ids):08d}"
        return await self.event_body(body, team=team, retry=retry)

    async def dm(self, user: str, text: str, *, team: str = "T1") -> None:
        event = payload("event_message_im")["event"] | {
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": _ts(),
        }
        await self.event(event, team=team)

    async def mention(
        self, user: str, text: str, *, team: str = "T1", channel: str = "CGENERAL"
    ) -> None:
        bot = self.fake.workspace(team).bot_user_id
        event = payload("event_app_mention")["event"] | {
            "user": user,
            "text": f"<@{bot}> {text}",
            "channel": channel,
            "ts": _ts(),
        }
        await self.event(event, team=team, template="event_app_mention")

    async def say(self, user: str, text: str, *, team: str = "T1", channel: str) -> None:
        """A message in a channel that does not address Staffroom."""
        event = payload("event_message_channels")["event"] | {
            "user": user,
            "text": text,
            "channel": channel,
            "ts": _ts(),
        }
        await self.event(event, team=team, template="event_message_channels")

    async def command(
        self, user: str, text: str, *, team: str = "T1", channel: str = "CGENERAL"
    ) -> str:
        """``/staffroom text``; returns the response URL the answers go to."""
        form = payload("slash_command") | {
            "team_id": team,
            "user_id": user,
            "user_name": user.lower(),
            "text": text,
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "response_url": self.fake.response_url(),
            "trigger_id": _trigger(),
        }
        await self.post(urlencode(form), "application/x-www-form-urlencoded")
        return str(form["response_url"])

    async def interaction(self, body: Json) -> tuple[int, str]:
        form = urlencode({"payload": json.dumps(body)})
        return await self.post(form, "application/x-www-form-urlencoded")

    async def click(
        self,
        user: str,
        message: Json,
        label: str,
        *,
        team: str = "T1",
        channel: str | None = None,
    ) -> str:
        """Press the button called ``label`` in a message; returns the click's response URL."""
        for block, element in elements(message):
            if element.get("type") == "button" and element["text"]["text"] == label:
                action = {
                    "action_id": element["action_id"],
                    "block_id": block.get("block_id", "b1"),
                    "text": element["text"],
                    "value": element.get("value", ""),
                    "type": "button",
                    "action_ts": _ts(),
                }
                return await self._act(user, message, action, team=team, channel=channel)
        raise AssertionError(f"no button {label!r} in {texts(message)!r}")

    async def pick(
        self,
        user: str,
        message: Json,
        option: str,
        *,
        team: str = "T1",
        channel: str | None = None,
    ) -> str:
        """Choose ``option`` (by its label) in a message's select."""
        for block, element in elements(message):
            for choice in element.get("options", ()):
                if element.get("type") == "static_select" and choice["text"]["text"] == option:
                    action = {
                        "action_id": element["action_id"],
                        "block_id": block["block_id"],
                        "selected_option": choice,
                        "type": "static_select",
                        "action_ts": _ts(),
                    }
                    return await self._act(user, message, action, team=team, channel=channel)
        raise AssertionError(f"no option {option!r} in {texts(message)!r}")

    async def _act(
        self, user: str, message: Json, action: Json, *, team: str, channel: str | None
    ) -> str:
        body = payload("block_actions")
        where = channel or str(message.get("channel") or "CGENERAL")
        body["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team}
        body["team"] = {"id": team, "domain": team.lower()}
        body["channel"] = {"id": where, "name": "directmessage" if where.startswith("D") else "x"}
        body["container"] = body["container"] | {"channel_id": where}
        body["trigger_id"] = _trigger()
        body["response_url"] = self.fake.response_url()
        body["actions"] = [action]
        await self.interaction(body)
        return str(body["response_url"])

    async def submit(
        self, user: str, view: Json, answers: dict[str, str], *, team: str = "T1"
    ) -> tuple[int, str]:
        """Submit a modal Staffroom opened, changing the named fields (others keep their
        shown values, as in Slack)."""
        view = copy.deepcopy(view)
        values: Json = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            element = block["element"]
            name = block["block_id"]
            values[name] = {"value": _state(element, answers.get(name))}
        body = payload("view_submission")
        body["team"] = {"id": team, "domain": team.lower()}
        body["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team}
        body["trigger_id"] = _trigger()
        body["view"] = body["view"] | view | {"id": f"V{next(_ids)}", "state": {"values": values}}
        return await self.interaction(body)


def for_team(body: Json, team: str, bot_user_id: str) -> Json:
    """An Events API callback as workspace ``team`` would send it (bolt reads the workspace
    from ``authorizations``)."""
    moved = body | {"team_id": team}
    if "authorizations" in body:
        moved["authorizations"] = [
            a | {"team_id": team, "user_id": bot_user_id} for a in body["authorizations"]
        ]
    return moved


def _state(element: Json, answer: str | None) -> Json:
    kind = element["type"]
    options = {o["value"]: o for o in element.get("options", ())}
    if kind == "static_select":
        chosen = options.get(answer) if answer is not None else element.get("initial_option")
        return {"type": kind, "selected_option": chosen}
    if kind == "multi_static_select":
        if answer is None:
            chosen = element.get("initial_options", [])
        else:
            chosen = [options[v.strip()] for v in answer.split(",") if v.strip()]
        return {"type": kind, "selected_options": chosen}
    value = answer if answer is not None else element.get("initial_value")
    return {"type": kind, "value": value or None}


def _ts() -> str:
    return f"1700000000.{next(_ids):06d}"


def _trigger() -> str:
    return f"{next(_ids)}.738474920.8088930838d88f008e0"


def messages(fake: FakeSlack) -> list[Json]:
    """Everything Staffroom said, in order: posts, ephemerals and response-URL answers.

    Each has ``where`` (channel or ``response``), ``ephemeral`` and the message's fields.
    """
    said: list[Json] = []
    for call in fake.calls:
        if call.method == "chat.postMessage":
            said.append({**call.args, "where": call.args["channel"], "ephemeral": False})
        elif call.method == "chat.postEphemeral":
            said.append({**call.args, "where": call.args["channel"], "ephemeral": True})
        elif call.method == "response_url":
            private = call.args["response_type"] == "ephemeral"
            said.append(
                {**call.args, "where": "response:" + call.args["url_id"], "ephemeral": private}
            )
    return said


def last_view(fake: FakeSlack) -> Json:
    """The modal most recently opened."""
    view = fake.calls_to("views.open")[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


@asynccontextmanager
async def running_slack(
    app: App,
    fake: FakeSlack,
    *,
    submission_budget: float = 2.0,
    **slack: Any,
) -> AsyncIterator[Slack]:
    """The Slack adapter of ``app`` in HTTP mode on a free port, talking to ``fake``."""
    settings = SlackSettings(
        mode="http",
        signing_secret=SIGNING_SECRET,
        api_base_url=fake.api_url,
        http_host="127.0.0.1",
        http_port=0,
        **slack,
    )
    app.settings = app.settings.model_copy(update={"slack": settings})
    async with aiohttp.ClientSession() as session:
        adapter = await create_adapter(
            app, session, submission_budget=submission_budget, pacer=ChannelPacer(interval=0)
        )
        service = SlackService(adapter)
        await service.start()
        try:
            yield Slack(
                url=f"http://127.0.0.1:{service.http_port}/slack/events",
                fake=fake,
                adapter=adapter,
                session=session,
            )
        finally:
            await service.stop()
