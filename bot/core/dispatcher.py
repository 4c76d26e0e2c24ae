"""The dispatcher: one event in, replies out, with cross-cutting work done by middleware.

Each event runs in one store transaction, claimed by its kind's policy (``bot.core.pipeline``):
a member's event by its platform event id, a scheduled job by its due occurrence. The DMs and
posts a skill asks for are written to the outbox in that transaction and sent after it
commits, so input that is refused changes nothing and sends nothing. Network work a command
needs first (a shared page's title) is its declared ``prepare`` step, run before the
transaction opens: nothing waits on the network while holding the store.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.commands import Command, JobRun, NetworkAccess, Registry
from bot.core.context import Context
from bot.core.errors import FormError, PermissionDenied, UsageError, UserFacingError
from bot.core.events import Event, EventKind
from bot.core.i18n import CORE_DOMAIN, SOURCE_LANGUAGE, Catalogs, LazyText
from bot.core.languages import language_of, note_platform_locale
from bot.core.members import TenantDirectory, record_membership
from bot.core.observing import EventObserver, HandledEvent, Outcome, log_handled, skill_of
from bot.core.parsing import Args, ParsedCommand, UnknownCommand, bind_mapping, parse_text
from bot.core.pipeline import EventPolicy, MemberEvents, Outbox
from bot.core.ports import ChatPort
from bot.core.prompts import is_exactly_a_command, newest_prompt, taken_as_answer
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.core.text import clean_event
from bot.storage.engine import Store

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
    policy: EventPolicy
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
        outbox: Outbox,
        ports: dict[str, ChatPort] | None = None,
        policies: Mapping[EventKind, EventPolicy] | None = None,
        event_id_retention: timedelta = timedelta(hours=72),
        network: NetworkAccess | None = None,
        middleware: Sequence[Middleware] = (),
        catalogs: Catalogs | None = None,
    ) -> None:
        """``policies`` claim kinds of events other than a member's (``SCHEDULED``: the
        scheduler's due occurrences); ``ports`` is shared with the outbox that sends."""
        self.store = store
        self.registry = registry
        self.clock = clock
        self.outbox = outbox
        self.ports: dict[str, ChatPort] = {} if ports is None else ports
        self.member_events = MemberEvents(store, event_id_retention)
        self._policies: dict[EventKind, EventPolicy] = dict(policies or {})
        self._network = network or NetworkAccess()
        self.catalogs = catalogs or Catalogs(registry.domains)
        """Every domain's words, loaded on first use (``bot.core.i18n``)."""
        self._tenants = TenantDirectory()
        self.observers: list[EventObserver] = []
        """Called with a ``HandledEvent`` after each event (the metrics of ``staffroom run``)."""
        self._draining = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._chain: list[Middleware] = [
            ignore_bots,
            self._claim,
            self._resolve_actor,
            *middleware,
            turn_away_blocked,
        ]
        self._routes: dict[EventKind, Callable[[Call, Context], Awaitable[None]]] = {
            EventKind.MESSAGE: self._route_message,
            EventKind.INVOCATION: self._route_invocation,
            EventKind.MEMBER_JOINED: self._route_membership,
            EventKind.MEMBER_LEFT: self._route_membership,
            EventKind.SCHEDULED: self._route_job,
        }

    def attach(self, platform: str, port: ChatPort) -> None:
        self.ports[platform] = port

    async def start(self) -> None:
        await self.member_events.start(self.clock.now())

    async def close(self) -> None:
        await self.member_events.close()

    def _policy(self, event: Event) -> EventPolicy:
        return self._policies.get(event.kind, self.member_events)

    async def handle(self, event: Event) -> list[Reply]:
        """Handle one event; returns the replies for where it came from. Never raises.

        The session begins its transaction lazily, so an event that needs nothing from the
        store (``help`` from a known member) costs no database round trip at all.
        """
        started = time.perf_counter()
        event = clean_event(event)
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
            return await cmd.spec.prepare(self._network, args)
        except (UnknownCommand, UserFacingError):
            return {}
        except Exception:
            _log.exception("preparing %s event %s failed", event.kind, event.event_id)
            return {}

    async def _handle(self, event: Event, report: _Report) -> list[Reply]:
        call: Call | None = None
        queued: list[int] = []
        prepared = await self._prepare(event)
        try:
            async with self.store.sessions() as session:
                call = Call(
                    event=event,
                    session=session,
                    policy=self._policy(event),
                    report=report,
                    prepared=prepared,
                )
                try:
                    await self._run_chain(call, 0)
                    if call.claimed:
                        await call.policy.settle(session, event, self.clock.now())
                    queued = await self._enqueue(call)
                    await session.commit()
                except BaseException:
                    await session.rollback()
                    raise
        except UserFacingError as exc:
            report.outcome = Outcome.REFUSED
            report.command = call.command if call is not None else None
            await self._record_failed(call)
            return [self._friendly(exc, call.ctx if call is not None else None)]
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
        replies = (call.ctx.replies if call.ctx is not None else []) + call.replies
        if queued:
            replies += await self._send_now(queued)
        return replies

    async def _send_now(self, queued: list[int]) -> list[Reply]:
        """Send what the event wrote to the outbox; anything not sent now (the store or the
        platform failing) stays there for the scheduler's tick."""
        try:
            return await self.outbox.send_now(queued)
        except Exception:
            _log.exception("could not send %d outbox messages now; they are retried", len(queued))
            return []

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

    async def _enqueue(self, call: Call) -> list[int]:
        """Every message the skill asked for becomes an outbox row in the event's transaction."""
        ctx = call.ctx
        if ctx is None or not ctx.outgoing:
            return []
        invocation = ctx.event.invocation
        source = (
            call.command.name
            if call.command is not None
            else invocation.command
            if invocation is not None
            else str(ctx.event.kind)
        )
        return await self.outbox.enqueue(
            call.session, ctx.tenant.id, ctx.outgoing, source, self.clock.now()
        )

    async def _run_chain(self, call: Call, index: int) -> None:
        if index == len(self._chain):
            await self._route(call)
            return
        await self._chain[index](call, lambda c: self._run_chain(c, index + 1))

    async def _record_failed(self, call: Call | None) -> None:
        if call is None or not call.claimed:
            return
        try:
            await call.policy.failed(call.event, self.clock.now())
        except Exception:
            _log.exception("could not record the failure of event %s", call.event.event_id)

    async def _claim(self, call: Call, next_: Next) -> None:
        if not await call.policy.claim(call.session, call.event, self.clock.now()):
            call.report.outcome = Outcome.DUPLICATE
            return
        call.claimed = True
        await next_(call)

    async def _resolve_actor(self, call: Call, next_: Next) -> None:
        event = call.event
        now = self.clock.now()
        tenant = await self._tenants.ensure(call.session, event.tenant, now)
        member, role = await call.policy.actor(call.session, event, tenant, now)
        if event.actor.locale and member.id:
            member = await note_platform_locale(call.session, member, event.actor.locale)
        call.ctx = Context(
            event=event,
            tenant=tenant,
            member=member,
            role=role,
            session=call.session,
            clock=self.clock,
            registry=self.registry,
            directory=self.ports.get(event.platform),
            prepared=call.prepared,
            catalogs=self.catalogs,
            language=await language_of(call.session, member),
        )
        await next_(call)

    async def _route(self, call: Call) -> None:
        ctx = call.context()
        await self._routes[ctx.event.kind](call, ctx)

    async def _route_invocation(self, call: Call, ctx: Context) -> None:
        """A button, a choice or a form: the command it names, with the arguments it carries."""
        assert ctx.event.invocation is not None
        cmd = self.registry.get(ctx.event.invocation.command)
        if cmd is None:
            raise UserFacingError(
                "That button or form belongs to a command that no longer exists. "
                "Type `help` to see what I can do."
            )
        _check_role(cmd, ctx.role)
        args = bind_mapping(cmd.spec, ctx.event.invocation.args)
        await self._run_command(call, ctx, cmd, args)

    async def _route_job(self, call: Call, ctx: Context) -> None:
        """A due occurrence of a schedule: the job it names, with the ids it carries."""
        assert ctx.event.invocation is not None
        job = self.registry.jobs.get(ctx.event.invocation.command)
        if job is None:
            raise RuntimeError(f"no skill declares the job {ctx.event.invocation.command}")
        ctx.domain = job.skill
        await job.handler(ctx, JobRun.from_invocation(ctx.event.invocation))

    async def _route_membership(self, call: Call, ctx: Context) -> None:
        now = self.clock.now()
        joined = ctx.event.kind is EventKind.MEMBER_JOINED
        await record_membership(
            ctx.session,
            ctx.member.id,
            joined_at=now if joined else None,
            left_at=None if joined else now,
        )
        for item in self.registry.listeners(ctx.event.kind):
            ctx.domain = item.skill
            await item.handler(ctx)

    async def _route_message(self, call: Call, ctx: Context) -> None:
        event = ctx.event
        if not event.addressed:
            for item in self.registry.listeners(EventKind.MESSAGE):
                ctx.domain = item.skill
                await item.handler(ctx)
            return
        if event.place.is_dm and await self._answer_prompt(call, ctx):
            return
        try:
            parsed = parse_text(
                self.registry, event.text, allowed=lambda cmd: _check_role(cmd, ctx.role)
            )
        except UnknownCommand as unknown:
            for item in self.registry.listeners(EventKind.MESSAGE):
                ctx.domain = item.skill
                if await item.handler(ctx):
                    return
            ctx.domain = CORE_DOMAIN
            call.replies.append(self._unknown(unknown.words, ctx.role))
            return
        await self._run_command(call, ctx, parsed.command, parsed.args)

    async def _answer_prompt(self, call: Call, ctx: Context) -> bool:
        """While a prompt waits for the member, a DM that is not exactly a command answers the
        newest one (see ``bot.core.prompts``); returns whether it did."""
        if not self.registry.prompts:
            return False
        prompt = await newest_prompt(ctx)
        if prompt is None:
            return False
        try:
            parsed: ParsedCommand | None = parse_text(
                self.registry, ctx.event.text, allowed=lambda cmd: _check_role(cmd, ctx.role)
            )
        except (UnknownCommand, UserFacingError):
            parsed = None
        if parsed is not None and is_exactly_a_command(parsed):
            return False
        ctx.domain = prompt.domain
        thanks = await prompt.answer(ctx.event.text)
        call.replies.append(taken_as_answer(thanks, prompt, parsed))
        return True

    async def _run_command(self, call: Call, ctx: Context, cmd: Command, args: Args) -> None:
        call.command = cmd
        ctx.domain = cmd.skill
        reply = await cmd.handler(ctx, args)
        if reply is not None:
            call.replies.append(reply)
        if cmd.spec.role >= Role.MODERATOR and not ctx.audited:
            await ctx.audit(cmd.name, after=args.describe())

    def _friendly(self, exc: UserFacingError, ctx: Context | None) -> Reply:
        """The refusal in the actor's language (``LazyText`` messages are translated here)."""
        language = ctx.language if ctx is not None else SOURCE_LANGUAGE
        domain = ctx.domain if ctx is not None else CORE_DOMAIN
        core = self.catalogs.translator(CORE_DOMAIN, language)

        def shown(text: str) -> str:
            if isinstance(text, LazyText):
                return self.catalogs.translator(text.domain or domain, language).text(text)
            return text

        field_errors = {
            name: shown(text) for name, text in getattr(exc, "field_errors", {}).items()
        }
        if isinstance(exc, FormError):
            summary = "; ".join(f"{name}: {text}" for name, text in field_errors.items())
            text = core.gettext("Some answers need another look — {summary}", summary=summary)
        else:
            text = shown(exc.message)
        if isinstance(exc, UsageError) and exc.usage:
            text += "\n" + core.gettext("Usage: `{usage}`", usage=exc.usage)
        return Reply(text=text, private=True, field_errors=field_errors)

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


def _check_role(cmd: Command, role: Role) -> None:
    needed = cmd.spec.role
    if role < needed:
        who = "admins" if needed is Role.ADMIN else "moderators and admins"
        raise PermissionDenied(f"Only {who} can use `{cmd.name}`. Nothing was changed.")
