"""The dispatcher: one event in, replies out, with cross-cutting work done by middleware.

Each event runs in one store transaction. DMs and posts a skill asks for are delivered after
that transaction commits, so input that is refused changes nothing and sends nothing. Network
work a command needs first (a shared page's title) is its declared ``prepare`` step, run before
the transaction opens: nothing waits on the network while holding the store.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.commands import Command, JobRun, Registry
from bot.core.context import Context, Outgoing, OutgoingKind
from bot.core.errors import (
    CapabilityUnavailable,
    DeliveryError,
    PermissionDenied,
    UsageError,
    UserFacingError,
)
from bot.core.events import Event, EventKind
from bot.core.observing import EventObserver, HandledEvent, Outcome, log_handled, skill_of
from bot.core.parsing import Args, UnknownCommand, bind_mapping, parse_text
from bot.core.ports import ChatPort
from bot.core.replies import Reply, mention
from bot.core.roles import Role
from bot.settings import Settings
from bot.storage.engine import Store
from bot.storage.members import MemberInfo, TenantDirectory, ensure_member, record_membership
from bot.storage.processed_events import EventKey, EventLog, LocalEventLog, SharedEventLog

_log = logging.getLogger(__name__)

SHUTTING_DOWN = "I'm restarting right now; please try that again in a minute."


@dataclass(kw_only=True)
class _Report:
    """What ``handle`` learns about an event on its way through, for the log line."""

    outcome: Outcome = Outcome.OK
    command: Command | None = None
    error_id: str = ""
    error_type: str = ""


@dataclass(kw_only=True)
class Call:
    """The state of one event on its way through the middleware chain."""

    event: Event
    session: AsyncSession
    ctx: Context | None = None
    command: Command | None = None
    claimed: bool = False
    replies: list[Reply] = field(default_factory=list)
    report: _Report = field(default_factory=_Report)
    prepared: Mapping[str, str] = field(default_factory=dict)

    def context(self) -> Context:
        if self.ctx is None:
            raise RuntimeError("the actor has not been resolved yet")
        return self.ctx


class ScheduledWork(Protocol):
    """What the scheduler lends the dispatcher to run ``SCHEDULED`` events exactly once."""

    async def claim(self, session: AsyncSession, run: JobRun, now: datetime) -> bool:
        """Claim the occurrence in this transaction; False when it is not (or no longer) due
        here: another process has it, it already ran, or it was missed and is skipped."""
        ...

    async def enqueue(
        self, session: AsyncSession, tenant_id: int, outgoing: Sequence[Outgoing], source: str
    ) -> None:
        """Write the job's messages to the outbox in this transaction."""
        ...

    async def failed(self, run: JobRun, now: datetime) -> None:
        """Record that the job raised, so that the occurrence is not retried forever."""
        ...

    async def retry_later(
        self, tenant_id: int, item: Outgoing, source: str, error: DeliveryError
    ) -> None:
        """Keep a message whose delivery failed for a passing reason (a rate limit, a server
        error) in the outbox, to be sent when the platform allows."""
        ...


SYSTEM_USER_ID = "staffroom"
"""The actor of scheduled work; it has no member row."""


Next = Callable[[Call], Awaitable[None]]
Middleware = Callable[[Call, Next], Awaitable[None]]


class Dispatcher:
    """Routes events to skills. Adapters attach their ``ChatPort`` per platform."""

    def __init__(
        self,
        *,
        store: Store,
        registry: Registry,
        clock: Clock,
        settings: Settings,
        middleware: Sequence[Middleware] = (),
    ) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock
        self.settings = settings
        self.ports: dict[str, ChatPort] = {}
        self.scheduled: ScheduledWork | None = None
        """Set by the scheduler runtime; ``SCHEDULED`` events need it."""
        self._retention = timedelta(hours=settings.event_id_retention_hours)
        self.events: EventLog = (
            LocalEventLog(self._retention) if store.single_process else SharedEventLog()
        )
        self._tenants = TenantDirectory()
        self.observers: list[EventObserver] = []
        """Called with a ``HandledEvent`` after each event (the metrics of ``staffroom run``)."""
        self._draining = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._chain: list[Middleware] = [
            ignore_bots,
            self._drop_duplicates,
            self._resolve_actor,
            *middleware,
            turn_away_blocked,
        ]

    def attach(self, platform: str, port: ChatPort) -> None:
        self.ports[platform] = port

    async def start(self) -> None:
        """Forget event ids past the retention window and load the rest (see ``EventLog``)."""
        now = self.clock.now()
        await self.events.prune(self.store, now - self._retention)
        await self.events.start(self.store, now)

    async def close(self) -> None:
        await self.events.flush(self.store)

    async def handle(self, event: Event) -> list[Reply]:
        """Handle one event; returns the replies for where it came from. Never raises.

        The session begins its transaction lazily, so an event that needs nothing from the
        store (``help`` from a known member) costs no database round trip at all.
        """
        started = time.perf_counter()
        if self._draining:
            self._report(event, _Report(outcome=Outcome.SHED), started)
            return [Reply(text=SHUTTING_DOWN, private=True)]
        self._in_flight += 1
        self._idle.clear()
        report = _Report()
        try:
            return await self._handle(event, report)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()
            self._report(event, report, started)

    async def drain(self, grace: float) -> bool:
        """Stop taking new events and wait (up to ``grace`` s) for those under way.

        Events arriving from now on are answered with a short "restarting" note and not
        claimed, so a platform retry can still run them on another process. Returns whether
        everything under way finished in time.
        """
        self._draining = True
        try:
            async with asyncio.timeout(grace):
                await self._idle.wait()
        except TimeoutError:
            _log.warning("shut down with %d events still being handled", self._in_flight)
            return False
        return True

    async def _prepare(self, event: Event) -> Mapping[str, str]:
        """Run the command's ``prepare`` step (network work), before any transaction opens.
        Anything wrong with the command is left for the chain to answer."""
        try:
            if event.kind is EventKind.INVOCATION:
                assert event.invocation is not None
                cmd = self.registry.get(event.invocation.command)
                if cmd is None or cmd.spec.prepare is None:
                    return {}
                args = bind_mapping(cmd.spec, event.invocation.args)
            elif event.kind is EventKind.MESSAGE and event.addressed:
                parsed = parse_text(self.registry, event.text)
                cmd, args = parsed.command, parsed.args
                if cmd.spec.prepare is None:
                    return {}
            else:
                return {}
            return await cmd.spec.prepare(self.settings, args)
        except (UnknownCommand, UserFacingError):
            return {}
        except Exception:
            _log.exception("preparing %s event %s failed", event.kind, event.event_id)
            return {}

    async def _handle(self, event: Event, report: _Report) -> list[Reply]:
        call: Call | None = None
        prepared = await self._prepare(event)
        try:
            async with self.store.sessions() as session:
                call = Call(event=event, session=session, report=report, prepared=prepared)
                try:
                    await self._run_chain(call, 0)
                    if call.claimed:
                        await self.events.settle(session, _key(event), self.clock.now())
                    if event.kind is EventKind.SCHEDULED and call.ctx is not None:
                        await self._enqueue(session, call.ctx)
                    await session.commit()
                except BaseException:
                    await session.rollback()
                    raise
        except UserFacingError as exc:
            report.outcome = Outcome.REFUSED
            report.command = call.command if call is not None else None
            await self._record_failed(call)
            return [_friendly(exc)]
        except Exception as exc:
            error_id = uuid.uuid4().hex[:8]
            report.outcome = Outcome.ERROR
            report.error_id = error_id
            report.error_type = type(exc).__name__
            report.command = call.command if call is not None else None
            _log.exception(
                "error_id=%s while handling %s event %s on %s",
                error_id,
                event.kind,
                event.event_id,
                event.platform,
            )
            await self._record_failed(call)
            return [
                Reply(
                    text=(
                        "Sorry — something went wrong on my side and nothing was changed. "
                        f"If it keeps happening, give a moderator this error id: {error_id}."
                    ),
                    private=True,
                )
            ]
        report.command = call.command
        ctx = call.ctx
        replies = list(call.replies)
        if ctx is not None:
            replies = ctx.replies + replies
            replies += await self.deliver(
                ctx.outgoing,
                tenant_id=ctx.tenant.id,
                source=call.command.name if call.command is not None else str(event.kind),
            )
        return replies

    def _report(self, event: Event, report: _Report, started: float) -> None:
        command = report.command
        record = HandledEvent(
            platform=event.platform,
            tenant=event.tenant.external_id,
            kind=str(event.kind),
            skill=skill_of(command),
            command=command.name if command is not None else "",
            outcome=report.outcome,
            latency_s=time.perf_counter() - started,
            error_id=report.error_id,
            error_type=report.error_type,
        )
        log_handled(record)
        for observer in self.observers:
            try:
                observer(record)
            except Exception:
                _log.exception("an event observer failed")

    def _work(self) -> ScheduledWork:
        if self.scheduled is None:
            raise RuntimeError("scheduled events need the scheduler runtime attached")
        return self.scheduled

    async def _enqueue(self, session: AsyncSession, ctx: Context) -> None:
        """Scheduled work's messages go to the outbox, committed with the claim."""
        if ctx.outgoing:
            assert ctx.event.invocation is not None
            await self._work().enqueue(
                session, ctx.tenant.id, ctx.outgoing, ctx.event.invocation.command
            )
            ctx.outgoing.clear()

    async def deliver(
        self, outgoing: Sequence[Outgoing], *, tenant_id: int | None = None, source: str = ""
    ) -> list[Reply]:
        """Send DMs and posts; returns notes for the actor about anything that failed.

        With the tenant's id, a message refused for a passing reason (a rate limit longer
        than the platform library waits, a server error) is kept in the outbox instead.
        """
        notes: list[Reply] = []
        for item in outgoing:
            port = self.ports.get(item.tenant.platform)
            if port is None:
                _log.warning("no adapter for %s; dropped a %s", item.tenant.platform, item.kind)
                continue
            if item.kind is OutgoingKind.GROUP_DM:
                try:
                    await port.send_group_dm(item.tenant, item.members, item.reply)
                    continue
                except CapabilityUnavailable:
                    singles = [replace(item, kind=OutgoingKind.DM, target=m) for m in item.members]
                    notes += await self.deliver(singles, tenant_id=tenant_id, source=source)
                    continue
                except DeliveryError as exc:
                    if await self._retry_later(tenant_id, item, source, exc):
                        continue
                    _log.warning("could not deliver a group DM: %s", exc)
                    notes.append(Reply(text="(I couldn't open the group message.)", private=True))
                    continue
            try:
                if item.kind is OutgoingKind.DM:
                    await port.send_dm(item.tenant, item.target, item.reply)
                else:
                    await port.post(item.tenant, item.target, item.reply)
            except DeliveryError as exc:
                if await self._retry_later(tenant_id, item, source, exc):
                    continue
                _log.warning("could not deliver a %s to %s: %s", item.kind, item.target, exc)
                where = (
                    mention(item.target) if item.kind is OutgoingKind.DM else f"<#{item.target}>"
                )
                notes.append(
                    Reply(text=f"(I couldn't deliver a message to {where}.)", private=True)
                )
        return notes

    async def _retry_later(
        self, tenant_id: int | None, item: Outgoing, source: str, exc: DeliveryError
    ) -> bool:
        """Whether a failed message is now kept in the outbox, to be sent when allowed."""
        if exc.permanent or tenant_id is None or self.scheduled is None:
            return False
        try:
            await self.scheduled.retry_later(tenant_id, item, source, exc)
        except Exception:
            _log.exception("could not keep a %s to %s for later", item.kind, item.target)
            return False
        _log.info("will send a %s to %s when allowed: %s", item.kind, item.target, exc)
        return True

    async def _run_chain(self, call: Call, index: int) -> None:
        if index == len(self._chain):
            await self._route(call)
            return
        await self._chain[index](call, lambda c: self._run_chain(c, index + 1))

    async def _record_failed(self, call: Call | None) -> None:
        """Keep a failed event's id so that a platform retry does not run it again."""
        if call is not None and call.event.kind is EventKind.SCHEDULED:
            assert call.event.invocation is not None
            run = JobRun.from_invocation(call.event.invocation)
            try:
                await self._work().failed(run, self.clock.now())
            except Exception:
                _log.exception("could not record the failure of job %s", run.job)
            return
        if call is None or not call.claimed:
            return
        try:
            await self.events.record_failed(self.store, _key(call.event), self.clock.now())
        except Exception:
            _log.exception("could not record event id %s", call.event.event_id)

    async def _drop_duplicates(self, call: Call, next_: Next) -> None:
        if call.event.kind is EventKind.SCHEDULED:
            assert call.event.invocation is not None
            run = JobRun.from_invocation(call.event.invocation)
            if await self._work().claim(call.session, run, self.clock.now()):
                await next_(call)
            return
        if not await self.events.claim(call.session, _key(call.event), self.clock.now()):
            call.report.outcome = Outcome.DUPLICATE
            return
        call.claimed = True
        await next_(call)

    async def _resolve_actor(self, call: Call, next_: Next) -> None:
        event = call.event
        now = self.clock.now()
        tenant = await self._tenants.ensure(call.session, event.tenant, now)
        if event.kind is EventKind.SCHEDULED:
            call.ctx = Context(
                event=event,
                tenant=tenant,
                member=_system_member(tenant.id),
                role=Role.ADMIN,
                session=call.session,
                clock=self.clock,
                settings=self.settings,
                registry=self.registry,
                port=self.ports.get(event.platform),
            )
            await next_(call)
            return
        member = await ensure_member(
            call.session,
            tenant.id,
            event.actor.user_id,
            now,
            display_name=event.actor.display_name,
        )
        call.ctx = Context(
            event=event,
            tenant=tenant,
            member=member,
            role=max(member.granted_role, event.actor.platform_role),
            session=call.session,
            clock=self.clock,
            settings=self.settings,
            registry=self.registry,
            port=self.ports.get(event.platform),
            prepared=call.prepared,
        )
        await next_(call)

    async def _route(self, call: Call) -> None:
        ctx = call.context()
        event = ctx.event
        if event.kind is EventKind.MESSAGE:
            await self._route_message(call, ctx)
        elif event.kind is EventKind.INVOCATION:
            assert event.invocation is not None
            cmd = self.registry.get(event.invocation.command)
            if cmd is None:
                raise UserFacingError(
                    "That button or form belongs to a command that no longer exists. "
                    "Type `help` to see what I can do."
                )
            _check_role(cmd, ctx.role)
            args = bind_mapping(cmd.spec, event.invocation.args)
            await self._run_command(call, ctx, cmd, args)
        elif event.kind is EventKind.SCHEDULED:
            assert event.invocation is not None
            job = self.registry.jobs.get(event.invocation.command)
            if job is None:
                raise RuntimeError(f"no skill declares the job {event.invocation.command}")
            await job.handler(ctx, JobRun.from_invocation(event.invocation))
        else:
            now = self.clock.now()
            joined = event.kind is EventKind.MEMBER_JOINED
            await record_membership(
                ctx.session,
                ctx.member.id,
                joined_at=now if joined else None,
                left_at=None if joined else now,
            )
            for item in self.registry.listeners(event.kind):
                await item.handler(ctx)

    async def _route_message(self, call: Call, ctx: Context) -> None:
        event = ctx.event
        if not event.addressed:
            for item in self.registry.listeners(EventKind.MESSAGE):
                await item.handler(ctx)
            return
        try:
            parsed = parse_text(
                self.registry, event.text, allowed=lambda cmd: _check_role(cmd, ctx.role)
            )
        except UnknownCommand as unknown:
            for item in self.registry.listeners(EventKind.MESSAGE):
                if await item.handler(ctx):
                    return
            call.replies.append(self._unknown(unknown.words, ctx.role))
            return
        await self._run_command(call, ctx, parsed.command, parsed.args)

    async def _run_command(self, call: Call, ctx: Context, cmd: Command, args: Args) -> None:
        call.command = cmd
        reply = await cmd.handler(ctx, args)
        if reply is not None:
            call.replies.append(reply)
        if cmd.spec.role >= Role.MODERATOR and not ctx.audited:
            await ctx.audit(cmd.name, after=args.describe())

    def _unknown(self, words: list[str], role: Role) -> Reply:
        if not words:
            return Reply(text="I'm here! Type `help` to see what I can do.")
        typed = " ".join(words[:3])
        if len(typed) > 40:
            typed = typed[:39] + "…"
        typed = typed.replace("`", "'")
        suggestions = self.registry.suggest(words, role)
        if suggestions:
            options = " or ".join(f"`{name}`" for name in suggestions)
            return Reply(
                text=f"I don't know `{typed}`. Did you mean {options}? (`help` lists everything.)"
            )
        return Reply(text=f"I don't know `{typed}`. Type `help` to see what I can do.")


async def ignore_bots(call: Call, next_: Next) -> None:
    """Never answer bots, ourselves included (that way lies an echo loop)."""
    if call.event.actor.is_bot:
        call.report.outcome = Outcome.IGNORED
        return
    await next_(call)


async def turn_away_blocked(call: Call, next_: Next) -> None:
    """A blocked member gets one polite note per command and nothing else happens, except for
    commands declared ``open_to_blocked`` (seeing, exporting and erasing their own data)."""
    ctx = call.context()
    interactive = ctx.event.kind in (EventKind.MESSAGE, EventKind.INVOCATION)
    if (
        interactive
        and ctx.member.blocked
        and ctx.role < Role.MODERATOR
        and not _open_to_blocked(ctx)
    ):
        call.report.outcome = Outcome.IGNORED
        if ctx.event.addressed:
            call.replies.append(
                Reply(
                    text="A moderator has paused your access to Staffroom in this community. "
                    "Please contact them if you think this is a mistake.",
                    private=True,
                )
            )
        return
    await next_(call)


def _open_to_blocked(ctx: Context) -> bool:
    event = ctx.event
    if event.kind is EventKind.INVOCATION:
        assert event.invocation is not None
        cmd = ctx.registry.get(event.invocation.command)
    elif event.addressed:
        found = ctx.registry.match(event.text.split())
        cmd = found[0] if found else None
    else:
        cmd = None
    return cmd is not None and cmd.spec.open_to_blocked


def _system_member(tenant_id: int) -> MemberInfo:
    return MemberInfo(
        id=0,
        tenant_id=tenant_id,
        user_id=SYSTEM_USER_ID,
        display_name="Staffroom",
        granted_role=Role.ADMIN,
        blocked=False,
    )


def _key(event: Event) -> EventKey:
    return (event.platform, event.event_id)


def _check_role(cmd: Command, role: Role) -> None:
    needed = cmd.spec.role
    if role < needed:
        who = "admins" if needed is Role.ADMIN else "moderators and admins"
        raise PermissionDenied(f"Only {who} can use `{cmd.name}`. Nothing was changed.")


def _friendly(exc: UserFacingError) -> Reply:
    text = exc.message
    if isinstance(exc, UsageError) and exc.usage:
        text += f"\nUsage: `{exc.usage}`"
    field_errors = getattr(exc, "field_errors", {})
    return Reply(text=text, private=True, field_errors=dict(field_errors))
