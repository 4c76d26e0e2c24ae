"""Component custom ids: what a button, a select or a modal does, in at most 100 characters.

Staffroom routes every interaction itself by its custom id, so a button keeps working after a
restart without any view held in memory (discord.py's "persistent views", done by decoding):

- ``sr:i:<guild>:<json>`` — an action written out in full (the server it belongs to, so that
  a button in a DM knows its community);
- ``sr:s:<id>`` — an action too long for that, kept in ``discord_actions``;
- ``sr:f:<draft>:<page>`` — a button that opens page ``page`` of a form being filled in;
- ``sr:m:<draft>:<page>`` — that page's modal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.core.events import Invocation

MAX_CUSTOM_ID = 100
_INLINE = re.compile(r"^sr:i:([0-9]{1,20}):(.+)$", re.DOTALL)
_STORED = re.compile(r"^sr:s:([0-9]{1,18})$")
_FORM = re.compile(r"^sr:([fm]):([0-9]{1,18}):([0-9]{1,2})$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Action:
    """What pressing a button or picking an option does; a select's chosen value goes into
    the invocation's ``choice_arg`` argument."""

    invocation: Invocation
    choice_arg: str | None = None

    def encode(self) -> str:
        parts: list[object] = [self.invocation.command, dict(self.invocation.args)]
        if self.choice_arg is not None:
            parts.append(self.choice_arg)
        return json.dumps(parts, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def decode(cls, text: str) -> Action:
        """Read back ``encode``'s output; raises ``ValueError`` for anything malformed."""
        try:
            parts = json.loads(text)
        except ValueError as exc:
            raise ValueError("not an encoded action") from exc
        if not isinstance(parts, list) or len(parts) not in (2, 3):
            raise ValueError("not an encoded action")
        invocation = Invocation.decode(json.dumps(parts[:2]))
        choice_arg = parts[2] if len(parts) == 3 else None
        if choice_arg is not None and not isinstance(choice_arg, str):
            raise ValueError("a choice argument is a name")
        return cls(invocation=invocation, choice_arg=choice_arg)

    def chosen(self, value: str | None) -> Invocation:
        """The invocation to run, with a select's chosen value added."""
        if self.choice_arg is None or value is None:
            return self.invocation
        return self.invocation.with_args({self.choice_arg: value})


@dataclass(frozen=True, kw_only=True, slots=True)
class InlineAction:
    guild_id: str
    action: Action


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredAction:
    action_id: int


@dataclass(frozen=True, kw_only=True, slots=True)
class FormPage:
    """A button that opens one page (modal) of a form."""

    draft_id: int
    page: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ModalPage:
    """A submitted page (modal) of a form."""

    draft_id: int
    page: int


CustomId = InlineAction | StoredAction | FormPage | ModalPage


def inline_id(guild_id: str, action: Action) -> str | None:
    """The custom id carrying the whole action, or None when it would be too long."""
    custom_id = f"sr:i:{guild_id}:{action.encode()}"
    return custom_id if len(custom_id) <= MAX_CUSTOM_ID else None


def stored_id(action_id: int) -> str:
    return f"sr:s:{action_id}"


def form_page_id(draft_id: int, page: int) -> str:
    return f"sr:f:{draft_id}:{page}"


def modal_id(draft_id: int, page: int) -> str:
    return f"sr:m:{draft_id}:{page}"


def parse_custom_id(custom_id: str) -> CustomId | None:
    """What a custom id means, or None when it is not one of Staffroom's (or is damaged)."""
    if m := _STORED.match(custom_id):
        return StoredAction(action_id=int(m.group(1)))
    if m := _FORM.match(custom_id):
        draft, page = int(m.group(2)), int(m.group(3))
        if m.group(1) == "f":
            return FormPage(draft_id=draft, page=page)
        return ModalPage(draft_id=draft, page=page)
    if m := _INLINE.match(custom_id):
        try:
            action = Action.decode(m.group(2))
        except ValueError:
            return None
        return InlineAction(guild_id=m.group(1), action=action)
    return None
