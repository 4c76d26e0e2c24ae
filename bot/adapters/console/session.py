"""One console conversation: who is typing, where, and what the bot said back.

``ConsoleSession.feed`` takes one line and returns the lines to print, so the same object
serves the interactive REPL, scripted stdin, tests and benchmarks.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from bot.adapters.console.forms import FormProgress, field_prompt, pick_options
from bot.adapters.console.paste import Paste
from bot.adapters.console.render import Action, render
from bot.core.clock import Clock, ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.errors import CapabilityUnavailable
from bot.core.events import Actor, Event, EventFile, EventKind, Invocation, Place, TenantRef
from bot.core.replies import FieldKind, Form, FormField, Reply
from bot.core.roles import Role
from bot.core.text import whole_number
from bot.scheduling.recurrence import LATEST

PLATFORM = "console"
_NAME = re.compile(r"^@?([\w.\-]{1,32})$")
_CLOCK_STEP = re.compile(r"^\+([0-9]{1,4})\s*(m|min|h|d|w)$", re.IGNORECASE)
_CLOCK_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
META_HELP = """Console commands (everything else goes to Staffroom):
  /as NAME [member|moderator|admin]  be someone else (created on first use)
  /role member|moderator|admin       change your own role
  /join NAME                         simulate NAME joining the community
  /leave NAME                        simulate NAME leaving it
  /in #channel                       talk in a channel (default #general)
  /dm                                talk to Staffroom in a direct message
  /say TEXT                          post TEXT in the channel without addressing Staffroom
  /tenant NAME                       switch to another community
  /clock [+30m|+2h|+3d|+1w|YYYY-MM-DD HH:MM]  show or move the (simulated) clock, in UTC
  /whoami                            where you are and who you are
  /cancel                            abandon the form you are filling in
  /paste COMMAND                     send COMMAND with the lines that follow, up to /end, as
                                     an attached file (like `/paste resource import`)
  /quit                              leave
A number picks one of the numbered options the bot offered you."""


class DueWork(Protocol):
    """The scheduler, as the console sees it (``bot.scheduling.runtime.Scheduler``)."""

    async def run_until(self, target: datetime) -> None: ...


@dataclass(kw_only=True)
class _User:
    user_id: str
    display_name: str
    role: Role = Role.MEMBER
    actions: list[Action] = field(default_factory=list)


class ConsolePort:
    """The console's ``ChatPort``: DMs and posts are printed into the transcript."""

    def __init__(self, session: ConsoleSession) -> None:
        self._session = session

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        self._session.deliver(tenant, Place(channel_id=f"dm-{user_id}", is_dm=True), reply, user_id)

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        self._session.deliver(tenant, Place(channel_id=channel_id), reply, None)

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        self._session.deliver_group(tenant, list(user_ids), reply)

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        user = self._session.users.get(name.lower())
        if user is None:
            raise CapabilityUnavailable("the console only knows people who have typed or joined")
        return Actor(user_id=user.user_id, display_name=user.display_name)

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        raise CapabilityUnavailable("the console keeps no message history")


CONSOLE_COMMANDS = (
    "as", "role", "join", "leave", "in", "dm", "say", "tenant", "clock", "whoami", "help", "cancel",
    "paste",
)
"""The console's own commands (``/as``…); ``/quit`` is the REPL's."""


class ConsoleSession:
    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        clock: Clock,
        user: str = "alex",
        role: Role = Role.MEMBER,
        tenant: str = "demo",
        exports_dir: Path = Path("staffroom-exports"),
        scheduler: DueWork | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.clock = clock
        self.scheduler = scheduler
        self.users: dict[str, _User] = {}
        self.tenant = tenant
        self.channel = "general"
        self.in_dm = False
        self.form: FormProgress | None = None
        self.paste: Paste | None = None
        self._last_form: tuple[Form, dict[str, str]] | None = None
        self.exports_dir = exports_dir
        self._buffer: list[str] = []
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]
        self.user = self._user(user)
        self.user.role = role
        dispatcher.attach(PLATFORM, ConsolePort(self))

    # --- what the REPL asks -------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        if self.form is not None:
            return field_prompt(
                self.form.current, self.form.values.get(self.form.current.name, "")
            )
        where = "DM" if self.in_dm else f"#{self.channel}"
        return f"{self.user.user_id}@{self.tenant} {where}> "

    async def feed(self, line: str) -> list[str]:
        """Handle one typed line; returns what to print."""
        stripped = line.strip()
        if self.paste is not None:
            await self._paste_line(line)
        elif self.form is not None:
            await self._answer_form(stripped)
        elif stripped.startswith("/"):
            await self._meta(stripped)
        elif stripped.isascii() and stripped.isdigit() and self.user.actions:
            await self._pick(stripped)
        else:
            await self._send(self._event(EventKind.MESSAGE, text=line))
        out, self._buffer = self._buffer, []
        return out

    def take_output(self) -> list[str]:
        """Lines produced outside ``feed`` (for example by scheduled work)."""
        out, self._buffer = self._buffer, []
        return out

    # --- events -------------------------------------------------------------------------------

    def _tenant_ref(self) -> TenantRef:
        return TenantRef(platform=PLATFORM, external_id=self.tenant, name=self.tenant)

    def _place(self) -> Place:
        if self.in_dm:
            return Place(channel_id=f"dm-{self.user.user_id}", is_dm=True)
        return Place(channel_id=self.channel)

    def _event(
        self,
        kind: EventKind,
        *,
        text: str = "",
        invocation: Invocation | None = None,
        place: Place | None = None,
        user: _User | None = None,
        addressed: bool = True,
        files: tuple[EventFile, ...] = (),
    ) -> Event:
        user = user or self.user
        return Event(
            kind=kind,
            event_id=f"console-{self._run}-{next(self._ids)}",
            tenant=self._tenant_ref(),
            actor=Actor(
                user_id=user.user_id, display_name=user.display_name, platform_role=user.role
            ),
            place=place or self._place(),
            text=text,
            invocation=invocation,
            addressed=addressed,
            files=files,
        )

    async def _send(self, event: Event) -> None:
        replies = await self.dispatcher.handle(event)
        user = self.users[event.actor.user_id]
        if event.actor.user_id == self.user.user_id:
            user.actions = []
        for reply in replies:
            self._show(reply, event.place, user)

    def deliver(self, tenant: TenantRef, place: Place, reply: Reply, dm_to: str | None) -> None:
        """Called by the port for DMs and channel posts."""
        if tenant.external_id != self.tenant:
            self._buffer.append(f"[{tenant.external_id}] (a message in another community)")
        if dm_to is not None:
            recipient = self._user(dm_to)
            if recipient is self.user:
                self._buffer.append("── DM from Staffroom ──")
            else:
                self._buffer.append(f"── DM to @{recipient.user_id} ──")
            self._show(reply, place, recipient)
        else:
            self._buffer.append(f"── in #{place.channel_id} ──")
            self._show(reply, place, None)

    def deliver_group(self, tenant: TenantRef, user_ids: list[str], reply: Reply) -> None:
        """A group DM: printed once, with each member's own numbers for its options."""
        place = Place(channel_id="group-" + "-".join(sorted(user_ids)), is_dm=True)
        self._buffer.append("── group DM to " + ", ".join(f"@{u}" for u in user_ids) + " ──")
        lines, actions = render(reply, place=place, first_number=1)
        self._buffer += lines[:-1] if actions else lines
        for user_id in user_ids:
            user = self._user(user_id)
            if actions:
                first = len(user.actions) + 1
                numbered = "   ".join(f"[{first + i}] {a.label}" for i, a in enumerate(actions))
                self._buffer.append(f"  @{user.user_id}: {numbered}")
                user.actions.extend(actions)

    def _show(self, reply: Reply, place: Place, user: _User | None) -> None:
        first = len(user.actions) + 1 if user is not None else 1
        lines, actions = render(reply, place=place, first_number=first)
        self._buffer += lines
        if reply.field_errors and user is self.user and self.form is None and self._last_form:
            form, values = self._last_form
            retry = [f for f in form.fields if f.name in reply.field_errors]
            self._begin_form(form, place, values, retry)
            return
        for attachment in reply.attachments:
            self._buffer.append(
                f"  (file saved: {self._export(attachment.filename, attachment.content)})"
            )
        if user is not None:
            user.actions.extend(actions)
        if reply.form is not None and user is self.user:
            defaults = {f.name: f.default for f in reply.form.fields}
            self._begin_form(reply.form, place, defaults, list(reply.form.fields))

    def _export(self, filename: str, content: bytes) -> Path:
        self.exports_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^\w.\-]", "_", filename)[:100] or "export"
        path = self.exports_dir / safe
        path.write_bytes(content)
        return path.resolve()

    # --- numbered options and forms -----------------------------------------------------------

    async def _pick(self, typed: str) -> None:
        actions = self.user.actions
        number = whole_number(typed, minimum=1, maximum=len(actions))
        if number is None:
            shown = typed if len(typed) <= 12 else typed[:11] + "…"
            self._buffer.append(f"There's no option {shown} (you have 1–{len(actions)}).")
            return
        action = actions[number - 1]
        await self._send(
            self._event(EventKind.INVOCATION, invocation=action.invocation, place=action.place)
        )

    def _begin_form(
        self, form: Form, place: Place, values: dict[str, str], queue: list[FormField]
    ) -> None:
        self.form = FormProgress(form=form, place=place, values=dict(values), queue=list(queue))
        self._buffer.append(
            f"── {form.title} ── "
            "(Enter keeps the value in [brackets], '-' clears it, /cancel stops)"
        )

    async def _answer_form(self, answer: str) -> None:
        progress = self.form
        assert progress is not None
        if answer == "/cancel":
            self.form = None
            self._buffer.append("Form cancelled; nothing was saved.")
            return
        current = progress.current
        value = progress.values.get(current.name, "") if answer == "" else answer
        if answer == "-":
            value = ""
        if current.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE) and value:
            value = pick_options(current, value)
        if current.required and not value.strip():
            self._buffer.append(f"{current.label} is needed.")
            return
        progress.values[current.name] = value
        progress.queue.pop(0)
        if progress.queue:
            return
        self.form = None
        self._last_form = (progress.form, dict(progress.values))
        invocation = progress.form.submit.with_args(progress.values)
        await self._send(
            self._event(EventKind.INVOCATION, invocation=invocation, place=progress.place)
        )

    # --- meta commands ------------------------------------------------------------------------

    async def _meta(self, line: str) -> None:
        name, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        name = name.lower()
        handler = getattr(self, f"_meta_{name}", None) if name in CONSOLE_COMMANDS else None
        if handler is None:
            self._buffer.append(f"Unknown console command /{name[:20]}. /help lists them.")
            return
        await handler(rest)

    def _user(self, name: str) -> _User:
        key = name.lower()
        if key not in self.users:
            self.users[key] = _User(user_id=key, display_name=name[:1].upper() + name[1:])
        return self.users[key]

    def _parse_name(self, text: str) -> str | None:
        m = _NAME.match(text)
        if m is None:
            self._buffer.append(
                "Names are one word of letters, digits, '.', '-' or '_' (at most 32)."
            )
            return None
        return m.group(1)

    async def _meta_as(self, rest: str) -> None:
        parts = rest.split()
        if not parts or len(parts) > 2:
            self._buffer.append("Usage: /as NAME [member|moderator|admin]")
            return
        name = self._parse_name(parts[0])
        if name is None:
            return
        role = None
        if len(parts) == 2:
            try:
                role = Role.parse(parts[1])
            except ValueError as exc:
                self._buffer.append(str(exc).capitalize() + ".")
                return
        self.user = self._user(name)
        if role is not None:
            self.user.role = role
        self.in_dm = False
        self._buffer.append(f"You are now @{self.user.user_id} ({self.user.role.label}).")

    async def _meta_role(self, rest: str) -> None:
        try:
            self.user.role = Role.parse(rest)
        except ValueError as exc:
            self._buffer.append(str(exc).capitalize() + ".")
            return
        self._buffer.append(f"@{self.user.user_id} now has the {self.user.role.label} role here.")

    async def _meta_join(self, rest: str) -> None:
        name = self._parse_name(rest)
        if name is None:
            return
        user = self._user(name)
        self._buffer.append(f"(@{user.user_id} joined {self.tenant})")
        await self._send(
            self._event(EventKind.MEMBER_JOINED, user=user, place=Place(channel_id=self.channel))
        )

    async def _meta_leave(self, rest: str) -> None:
        name = self._parse_name(rest)
        if name is None:
            return
        user = self._user(name)
        self._buffer.append(f"(@{user.user_id} left {self.tenant})")
        await self._send(
            self._event(EventKind.MEMBER_LEFT, user=user, place=Place(channel_id=self.channel))
        )

    async def _meta_in(self, rest: str) -> None:
        channel = rest.lstrip("#")
        if not re.fullmatch(r"[\w\-]{1,64}", channel):
            self._buffer.append("Usage: /in #channel")
            return
        self.channel, self.in_dm = channel, False
        self._buffer.append(f"You are in #{channel}.")

    async def _meta_dm(self, rest: str) -> None:
        self.in_dm = True
        self._buffer.append("You are in a direct message with Staffroom.")

    async def _meta_say(self, rest: str) -> None:
        if not rest:
            self._buffer.append("Usage: /say TEXT")
            return
        await self._send(self._event(EventKind.MESSAGE, text=rest, addressed=False))

    async def _meta_tenant(self, rest: str) -> None:
        if not re.fullmatch(r"[\w.\-]{1,64}", rest):
            self._buffer.append("Usage: /tenant NAME (one word)")
            return
        self.tenant = rest
        for user in self.users.values():
            user.actions = []
        self._buffer.append(f"You are now in the community '{rest}'.")

    async def _meta_clock(self, rest: str) -> None:
        if rest:
            if not isinstance(self.clock, ManualClock):
                self._buffer.append(
                    "The clock follows real time here; start with --clock to move it."
                )
                return
            try:
                moment = _clock_target(rest, self.clock.now())
                if self.scheduler is None:
                    self.clock.set(moment)
            except ValueError as exc:
                self._buffer.append(
                    f"{exc}. Try /clock +2h, /clock +3d or /clock 2026-12-01 09:00."
                )
                return
            if self.scheduler is not None:
                # Stop at each due moment on the way, so that scheduled work runs in order.
                await self.scheduler.run_until(moment)
        self._buffer.append(f"It is now {self.clock.now():%A %Y-%m-%d %H:%M} UTC.")

    async def _meta_whoami(self, rest: str) -> None:
        where = "a DM with Staffroom" if self.in_dm else f"#{self.channel}"
        self._buffer.append(
            f"You are @{self.user.user_id} ({self.user.role.label}) in '{self.tenant}', in {where}."
        )

    async def _meta_help(self, rest: str) -> None:
        self._buffer += META_HELP.splitlines()

    async def _meta_cancel(self, rest: str) -> None:
        self._buffer.append("There's no form to cancel.")

    async def _meta_paste(self, rest: str) -> None:
        if not rest:
            self._buffer.append("Usage: /paste COMMAND, then the lines, then /end")
            return
        self.paste = Paste(command=rest)
        self._buffer.append("Paste the lines, then /end (/cancel stops).")

    async def _paste_line(self, line: str) -> None:
        assert self.paste is not None
        pasted, ended = self.paste, line.strip() in ("/end", "/cancel")
        if not ended:
            pasted.lines.append(line.rstrip("\r\n"))
            return
        self.paste = None
        if line.strip() == "/cancel":
            self._buffer.append("Paste cancelled; nothing was sent.")
            return
        await self._send(
            self._event(EventKind.MESSAGE, text=pasted.command, files=(pasted.file(),))
        )


def _clock_target(text: str, now: datetime) -> datetime:
    if m := _CLOCK_STEP.match(text.strip()):
        moment = now + timedelta(**{_CLOCK_UNITS[m.group(2).lower()]: int(m.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"I can't read '{text[:30]}' as a time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment < now:
        raise ValueError("The clock only moves forward")
    if moment.astimezone(UTC).date() > LATEST:
        raise ValueError(f"The clock stops at {LATEST} (the end of the dates Staffroom schedules)")
    return moment
