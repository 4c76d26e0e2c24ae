"""Slack payloads in, core events out: one pure function per payload type.

Each returns an ``Inbound`` (the core ``Event`` and the ``Route`` its answers take), or None
for anything Staffroom does not handle. Event ids are stable across Slack's retries: the
Events API's own ``event_id``; for slash commands, clicks and form submissions, which have no
event id, the ``trigger_id``: Slack makes one per user action and it is part of the payload,
so any second delivery of the same payload (a redelivered Socket Mode envelope, a proxy's
retry; Slack itself does not retry these over HTTP, the user sees an error instead) has it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.adapters.slack.blocks import (
    BUTTON_ACTION,
    FORM_CALLBACK,
    OPEN_ACTION,
    SAY_ACTION,
    SELECT_ACTION,
    read_select_block,
)
from bot.adapters.slack.files import FileRef, file_refs
from bot.adapters.slack.modals import (
    FormOrigin,
    decode_form,
    submitted_values,
)
from bot.core.events import Actor, Event, EventKind, Invocation, Place, TenantRef
from bot.core.replies import Form

PLATFORM = "slack"
SLASH_COMMAND = "/staffroom"
Payload = Mapping[str, Any]

_CONTROL = re.compile(r"<([^<>]*)>")
_HANDLED_MESSAGE_SUBTYPES = frozenset({"", "file_share", "thread_broadcast"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Route:
    """Where the answers to one inbound event go, and what Slack lets us answer with."""

    team_id: str
    user_id: str
    channel_id: str = ""
    """Empty when the event happened in no conversation (someone joined the workspace)."""
    is_dm: bool = False
    thread_ts: str | None = None
    response_url: str | None = None
    """Slash commands and clicks: answers there work in any conversation, even private ones."""
    trigger_id: str | None = None
    """Slash commands and clicks: lets us open a modal within three seconds."""
    again: Invocation | str | None = None
    """What to run again to open a form later: the invocation, or the typed command line."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Inbound:
    event: Event
    route: Route
    files: tuple[FileRef, ...] = ()
    """Files attached to an addressed message, read by the adapter before dispatch."""


def read_text(text: str) -> str:
    """Slack's message text as the core reads it.

    Mentions keep their core form (``<@U1>``, ``<#C1>``), links become the bare URL,
    ``<!here>`` becomes ``@here``, a user group its label, and ``&amp;``, ``&lt;`` and
    ``&gt;`` their characters again.
    """

    def control(found: re.Match[str]) -> str:
        inner = found.group(1)
        target, _, label = inner.partition("|")
        if target.startswith(("@", "#")):
            return f"<{target}>"
        if target.startswith("!"):
            if label:
                return label
            return "@" + target[1:].split("^")[0]
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        return target

    return html.unescape(_CONTROL.sub(control, text))


def _without_mention(text: str, user_id: str) -> str:
    """The text with every mention of ``user_id`` (the bot) taken out."""
    if not user_id:
        return text.strip()
    return " ".join(re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", " ", text).split())


def _tenant(team_id: str, name: str = "") -> TenantRef:
    return TenantRef(platform=PLATFORM, external_id=team_id, name=name)


def _user_name(user: Payload) -> str:
    profile = user.get("profile") or {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
        user.get("username"),
    ):
        if isinstance(name, str) and name.strip():
            return name.strip()
    return ""


# --- Events API -------------------------------------------------------------------------------

EventTranslator = Callable[[Payload, Payload, str], "Inbound | None"]


def translate_event(body: Payload, *, bot_user_id: str) -> Inbound | None:
    """An Events API callback (``event_callback``) as an inbound event, or None to skip it."""
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, Mapping):
        return None
    translate = EVENT_TRANSLATORS.get(str(event.get("type", "")))
    if translate is None or not body.get("event_id") or not body.get("team_id"):
        return None
    return translate(body, event, bot_user_id)


def _app_mention(body: Payload, event: Payload, bot_user_id: str) -> Inbound | None:
    text = _without_mention(read_text(str(event.get("text", ""))), bot_user_id)
    return _message_event(body, event, text=text, addressed=True)


def _message(body: Payload, event: Payload, bot_user_id: str) -> Inbound | None:
    if event.get("subtype", "") not in _HANDLED_MESSAGE_SUBTYPES or "channel" not in event:
        return None
    raw = str(event.get("text", ""))
    if event.get("channel_type") == "im":
        return _message_event(
            body, event, text=_without_mention(read_text(raw), bot_user_id), addressed=True
        )
    if bot_user_id and f"<@{bot_user_id}" in raw:
        return None  # the app_mention event for the same message carries it
    return _message_event(body, event, text=read_text(raw).strip(), addressed=False)


def _message_event(body: Payload, event: Payload, *, text: str, addressed: bool) -> Inbound | None:
    is_bot = bool(event.get("bot_id"))
    user_id = str(event.get("user") or event.get("bot_id") or "")
    channel = str(event.get("channel", ""))
    if not user_id or not channel:
        return None
    is_dm = event.get("channel_type") == "im"
    thread = event.get("thread_ts")
    team_id = str(body["team_id"])
    return Inbound(
        event=Event(
            kind=EventKind.MESSAGE,
            event_id=str(body["event_id"]),
            tenant=_tenant(team_id),
            actor=Actor(user_id=user_id, is_bot=is_bot),
            place=Place(channel_id=channel, is_dm=is_dm),
            text=text,
            addressed=addressed,
        ),
        route=Route(
            team_id=team_id,
            user_id=user_id,
            channel_id=channel,
            is_dm=is_dm,
            thread_ts=str(thread) if thread else None,
            again=text if addressed else None,
        ),
        files=file_refs(event) if addressed else (),
    )


def _membership(kind: EventKind) -> EventTranslator:
    def translate(body: Payload, event: Payload, bot_user_id: str) -> Inbound | None:
        user = event.get("user")
        if not isinstance(user, Mapping) or not user.get("id"):
            return None
        if kind is EventKind.MEMBER_LEFT and not user.get("deleted"):
            return None  # a profile change, not a departure
        team_id = str(body["team_id"])
        user_id = str(user["id"])
        return Inbound(
            event=Event(
                kind=kind,
                event_id=str(body["event_id"]),
                tenant=_tenant(team_id),
                actor=Actor(
                    user_id=user_id,
                    display_name=_user_name(user),
                    is_bot=bool(user.get("is_bot")),
                ),
                place=Place(channel_id=""),
            ),
            route=Route(team_id=team_id, user_id=user_id),
        )

    return translate


EVENT_TRANSLATORS: dict[str, EventTranslator] = {
    "app_mention": _app_mention,
    "message": _message,
    "team_join": _membership(EventKind.MEMBER_JOINED),
    "user_change": _membership(EventKind.MEMBER_LEFT),
}
"""Event types Staffroom handles; every other type is acknowledged and skipped."""


# --- slash commands and interactions ---------------------------------------------------------


def translate_command(body: Payload) -> Inbound | None:
    """``/staffroom <command line>``: the line runs as a command (alone, it means ``help``)."""
    team_id, user_id, trigger = body.get("team_id"), body.get("user_id"), body.get("trigger_id")
    channel = str(body.get("channel_id", ""))
    if not team_id or not user_id or not trigger or body.get("command") != SLASH_COMMAND:
        return None
    text = read_text(str(body.get("text", ""))).strip() or "help"
    is_dm = body.get("channel_name") == "directmessage" or channel.startswith("D")
    return Inbound(
        event=Event(
            kind=EventKind.MESSAGE,
            event_id=f"trigger:{trigger}",
            tenant=_tenant(str(team_id)),
            actor=Actor(user_id=str(user_id), display_name=str(body.get("user_name", ""))),
            place=Place(channel_id=channel, is_dm=is_dm),
            text=text,
        ),
        route=Route(
            team_id=str(team_id),
            user_id=str(user_id),
            channel_id=channel,
            is_dm=is_dm,
            response_url=str(body.get("response_url") or "") or None,
            trigger_id=str(trigger),
            again=text,
        ),
    )


def translate_action(body: Payload) -> Inbound | None:
    """A click on one of Staffroom's buttons or a pick in one of its selects."""
    route = _action_route(body)
    if route is None:
        return None
    for action in body.get("actions") or ():
        found = _clicked(action)
        if found is not None:
            break
    else:
        return None
    kind = EventKind.INVOCATION if isinstance(found, Invocation) else EventKind.MESSAGE
    user = body.get("user") or {}
    return Inbound(
        event=Event(
            kind=kind,
            event_id=f"trigger:{route.trigger_id}",
            tenant=_tenant(route.team_id),
            actor=Actor(user_id=route.user_id, display_name=_user_name(user)),
            place=Place(channel_id=route.channel_id, is_dm=route.is_dm),
            text=found if isinstance(found, str) else "",
            invocation=found if isinstance(found, Invocation) else None,
        ),
        route=replace(route, again=found),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class FormClick:
    """A click on a button that carries a whole form: the adapter opens it as a modal."""

    form: Form
    route: Route


def translate_form_click(body: Payload) -> FormClick | None:
    """A click on a form button of a DM or post (``blocks.OPEN_ACTION``), or None."""
    route = _action_route(body)
    if route is None:
        return None
    for action in body.get("actions") or ():
        if action.get("action_id") == OPEN_ACTION:
            try:
                return FormClick(form=decode_form(str(action.get("value", ""))), route=route)
            except ValueError:
                return None
    return None


def _action_route(body: Payload) -> Route | None:
    """Who clicked, where, and how to answer them, for any ``block_actions`` payload."""
    if body.get("type") != "block_actions":
        return None
    team_id = (body.get("team") or {}).get("id")
    user_id = (body.get("user") or {}).get("id")
    trigger = body.get("trigger_id")
    if not team_id or not user_id or not trigger:
        return None
    container = body.get("container") or {}
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
    thread = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    return Route(
        team_id=str(team_id),
        user_id=str(user_id),
        channel_id=channel,
        is_dm=channel.startswith("D"),
        thread_ts=str(thread) if thread else None,
        response_url=str(body.get("response_url") or "") or None,
        trigger_id=str(trigger),
    )


def _clicked(action: Payload) -> Invocation | str | None:
    """What one action asks for: an invocation, a command line to run again, or None."""
    action_id = str(action.get("action_id", ""))
    try:
        if action_id.startswith(BUTTON_ACTION + ":"):
            return Invocation.decode(str(action.get("value", "")))
        if action_id == SELECT_ACTION:
            invocation, arg = read_select_block(str(action.get("block_id", "")))
            picked = (action.get("selected_option") or {}).get("value")
            return invocation.with_args({arg: str(picked)}) if picked is not None else None
    except ValueError:
        return None
    if action_id == SAY_ACTION and action.get("value"):
        return str(action["value"])
    return None


def translate_submission(body: Payload) -> Inbound | None:
    """A submitted Staffroom form: its submit invocation with every field's answer."""
    view = body.get("view") or {}
    team_id = (body.get("team") or {}).get("id") or view.get("team_id")
    user = body.get("user") or {}
    trigger = body.get("trigger_id")
    if (
        body.get("type") != "view_submission"
        or view.get("callback_id") != FORM_CALLBACK
        or not team_id
        or not user.get("id")
        or not trigger
    ):
        return None
    try:
        origin = FormOrigin.decode(str(view.get("private_metadata", "")))
    except ValueError:
        return None
    invocation = origin.submit.with_args(submitted_values(view))
    return Inbound(
        event=Event(
            kind=EventKind.INVOCATION,
            event_id=f"trigger:{trigger}",
            tenant=_tenant(str(team_id)),
            actor=Actor(user_id=str(user["id"]), display_name=_user_name(user)),
            place=Place(channel_id=origin.channel_id, is_dm=origin.is_dm),
            invocation=invocation,
        ),
        route=Route(
            team_id=str(team_id),
            user_id=str(user["id"]),
            channel_id=origin.channel_id,
            is_dm=origin.is_dm,
            thread_ts=origin.thread_ts,
        ),
    )
