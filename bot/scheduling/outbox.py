"""The outbox: every DM, channel post and group DM, persisted with the work that asked for it
and sent by a worker.

A row is written in the same transaction as the event that asked for it (a member's command,
a scheduled occurrence's claim), so a message exists exactly when its work committed. A
member's event has its rows sent right after the commit (``send_now``); anything not sent then
(a rate limit, a platform error) is retried by the scheduler's tick like the rest.

The worker claims rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``) under a lease, sends each
through its platform's port, and marks it sent in its own transaction right after the send.
A process killed between the send and that mark leaves the row leased; once the lease expires
the row is *in doubt*: it may have arrived. Every message
carries its row's key (``Reply.delivery_key``; Slack keeps it as message metadata), so before
sending an in-doubt row again the worker asks the platform whether it arrived
(``ChatPort.find_delivery``) and only sends it when it did not. Where a platform cannot tell,
an in-doubt row is sent again: Discord then de-duplicates it by its nonce (the same key); Slack
group DMs and private channels are the one case in which a message can arrive twice.

A lease belongs to one worker (``lease_owner``, a token per worker). Sending a batch can take
longer than the lease (a slow platform, a paced channel), so right before each send the worker
renews its leases (the row's, and its other rows' once past half their lease) and checks that
it still owns the row. A row another process has retaken meanwhile (its sender stalled longer
than a lease) is left to that process, and every later mark is conditional on ownership too.
Only a single send that outlives the whole lease can still overlap with a takeover.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Update, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.context import Outgoing, OutgoingKind
from bot.core.errors import CapabilityUnavailable, DeliveryError
from bot.core.events import TenantRef
from bot.core.i18n import LazyText, core_text
from bot.core.ports import ChatPort
from bot.core.replies import Reply, channel_mention, mention
from bot.scheduling.codec import decode_reply, encode_reply
from bot.scheduling.config import SchedulerSettings
from bot.scheduling.models import OutboxMessage
from bot.storage.engine import Store
from bot.storage.models import Tenant

_log = logging.getLogger(__name__)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


@dataclass(kw_only=True)
class OutboxMetrics:
    """Counts since start, by platform, for /metrics (``observer`` hears each as it happens)."""

    sent: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    """Messages given up: permanent errors, or out of attempts."""
    rate_limit_waits: Counter[str] = field(default_factory=Counter)
    reconciled: Counter[str] = field(default_factory=Counter)
    """In-doubt messages found already delivered (not sent again)."""
    leases_recovered: int = 0
    observer: Callable[[str, str], None] | None = None
    """Called with (figure, platform): ``"sent"``, ``"retries"``, ``"failures"``,
    ``"rate_limit_waits"`` or ``"reconciled"`` — to increment Prometheus counters."""

    def count(self, figure: str, platform: str) -> None:
        counter: Counter[str] = getattr(self, figure)
        counter[platform] += 1
        if self.observer is not None:
            self.observer(figure, platform)


def delivery_key(row_id: int) -> str:
    """The key a message from outbox row ``row_id`` carries, to find it after a crash."""
    return f"outbox-{row_id}"


async def enqueue(
    session: AsyncSession,
    tenant_id: int,
    outgoing: Sequence[Outgoing],
    source: str,
    now: datetime,
) -> list[int]:
    """Write messages as pending rows in the caller's transaction; returns their ids."""
    rows = [
        OutboxMessage(
            tenant_id=tenant_id,
            platform=item.tenant.platform,
            tenant_external_id=item.tenant.external_id,
            kind=str(item.kind),
            target=item.target,
            members=list(item.members),
            reply=encode_reply(item.reply),
            source=source[:64],
            status=PENDING,
            attempts=0,
            rate_limited=0,
            next_attempt_at=now,
            created_at=now,
            last_error="",
        )
        for item in outgoing
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def drop_queued_for(session: AsyncSession, tenant_id: int, user_id: str) -> int:
    """Delete the DMs to ``user_id`` (a member being forgotten), waiting or kept after their
    send, and take them out of group DMs; returns how many DMs were dropped. Rows being sent
    right now finish."""
    dropped = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.tenant_id == tenant_id,
            OutboxMessage.status != SENDING,
            OutboxMessage.kind == str(OutgoingKind.DM),
            OutboxMessage.target == user_id,
        )
    )
    groups = await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.tenant_id == tenant_id,
            OutboxMessage.status != SENDING,
            OutboxMessage.kind == str(OutgoingKind.GROUP_DM),
        )
    )
    for row in groups:
        if user_id in row.members:
            row.members = [m for m in row.members if m != user_id]
    await session.flush()
    return int(dropped.rowcount)  # type: ignore[attr-defined]


class OutboxWorker:
    """Sends outbox rows through the adapters' ports, with retries (the core's ``Outbox``)."""

    def __init__(
        self,
        *,
        store: Store,
        ports: Mapping[str, ChatPort],
        clock: Clock,
        settings: SchedulerSettings,
    ) -> None:
        self.store = store
        self.ports = ports
        """The adapters' ports by platform, shared with the dispatcher (``attach``)."""
        self.clock = clock
        self.settings = settings
        self.metrics = OutboxMetrics()
        self.owner = uuid.uuid4().hex
        """This worker's lease token."""

    async def enqueue(
        self,
        session: AsyncSession,
        tenant_id: int,
        outgoing: Sequence[Outgoing],
        source: str,
        now: datetime,
    ) -> list[int]:
        return await enqueue(session, tenant_id, outgoing, source, now)

    async def send_now(self, ids: Sequence[int]) -> list[Reply]:
        """Send these rows at once, and the DMs a group DM is split into; returns a note for
        each one given up (the others that failed wait for their retry)."""
        pending = list(ids)
        while pending:
            rows = await self._claim(ids=pending)
            spawned: list[int] = []
            for row in rows:
                await self._send(row, spawned)
            pending = spawned
        return await self._undeliverable(ids)

    async def _undeliverable(self, ids: Sequence[int]) -> list[Reply]:
        async with self.store.sessions() as session:
            failed = (
                await session.execute(
                    select(OutboxMessage.kind, OutboxMessage.target)
                    .where(OutboxMessage.id.in_(ids), OutboxMessage.status == FAILED)
                    .order_by(OutboxMessage.id)
                )
            ).all()
        return [Reply(text=_undelivered(kind, target), private=True) for kind, target in failed]

    async def deliver_due(self) -> int:
        """Send every row due now (in batches); returns how many were sent."""
        sent = 0
        while True:
            rows = await self._claim()
            if not rows:
                return sent
            if self.settings.outbox_concurrency == 1:
                for row in rows:
                    sent += await self._send(row)
                continue
            gate = asyncio.Semaphore(self.settings.outbox_concurrency)
            # A failing send never stops the others mid-way (each is marked on its own).
            sent += sum(await asyncio.gather(*(self._send_gated(row, gate) for row in rows)))

    async def _send_gated(self, row: OutboxMessage, gate: asyncio.Semaphore) -> int:
        async with gate:
            return await self._send(row)

    async def _claim(self, *, ids: Sequence[int] = ()) -> list[OutboxMessage]:
        """Lease due rows (or the rows ``ids``, due or not) of platforms with a port."""
        platforms = list(self.ports)
        if not platforms:
            return []
        now = self.clock.now()
        lease = now + timedelta(seconds=self.settings.outbox_lease_seconds)
        which = OutboxMessage.id.in_(ids) if ids else OutboxMessage.next_attempt_at <= now
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == PENDING,
                which,
                OutboxMessage.platform.in_(platforms),
                OutboxMessage.tenant_id.not_in(
                    select(Tenant.id).where(Tenant.absent_since.is_not(None))
                ),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(self.settings.batch_size)
        )
        if self.store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        async with self.store.transaction() as session:
            rows = list(await session.scalars(query))
            for row in rows:
                row.status = SENDING
                row.lease_until = lease
                row.lease_owner = self.owner
                row.attempts += 1
        return rows

    async def _send(self, row: OutboxMessage, spawned: list[int] | None = None) -> int:
        """Send one row by its kind; a group DM where the platform has none becomes one DM row
        per member (their ids are added to ``spawned``)."""
        if not await self._renew(row.id):
            _log.info("outbox message %s was retaken by another process; leaving it", row.id)
            return 0
        port = self.ports[row.platform]
        tenant = TenantRef(platform=row.platform, external_id=row.tenant_external_id)
        reply = replace(decode_reply(row.reply), delivery_key=delivery_key(row.id))
        try:
            if row.in_doubt and await self._arrived(port, tenant, row):
                await self._mark(row.id, status=SENT, sent_at=self.clock.now(), lease_until=None)
                self.metrics.count("reconciled", row.platform)
                return 1
        except DeliveryError as exc:
            await self._failed_attempt(row, exc)
            return 0
        try:
            if row.kind == OutgoingKind.DM:
                await port.send_dm(tenant, row.target, reply)
            elif row.kind == OutgoingKind.POST:
                await port.post(tenant, row.target, reply)
            else:
                await port.send_group_dm(tenant, row.members, reply)
        except CapabilityUnavailable:
            singles = await self._split_group(row)
            if spawned is not None:
                spawned += singles
            return 0
        except DeliveryError as exc:
            await self._failed_attempt(row, exc)
            return 0
        await self._mark(row.id, status=SENT, sent_at=self.clock.now(), lease_until=None)
        self.metrics.count("sent", row.platform)
        return 1

    async def _arrived(self, port: ChatPort, tenant: TenantRef, row: OutboxMessage) -> bool:
        """Whether an in-doubt row's message is already there; False when the platform cannot
        tell (it is then sent again). A permanent error while asking counts as cannot tell."""
        if row.kind == OutgoingKind.GROUP_DM:
            return False
        dm = row.kind == OutgoingKind.DM
        try:
            found = await port.find_delivery(
                tenant,
                key=delivery_key(row.id),
                since=row.created_at,
                user_id=row.target if dm else "",
                channel_id="" if dm else row.target,
            )
        except CapabilityUnavailable as exc:
            _log.info("sending outbox message %s again: %s", row.id, exc)
            return False
        except DeliveryError as exc:
            if not exc.permanent:
                raise
            _log.info("sending outbox message %s again (could not look: %s)", row.id, exc)
            return False
        if found:
            _log.info("outbox message %s had arrived before its lease ran out", row.id)
        return found

    async def _renew(self, row_id: int) -> bool:
        """Right before a send: renew this row's lease, and those of this worker's other rows
        past half their lease (a long batch is not retaken while its sender is alive); False
        when the worker no longer owns the row."""
        now = self.clock.now()
        lease = timedelta(seconds=self.settings.outbox_lease_seconds)
        mine = (OutboxMessage.status == SENDING, OutboxMessage.lease_owner == self.owner)
        async with self.store.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(
                    *mine,
                    or_(OutboxMessage.id == row_id, OutboxMessage.lease_until < now + lease / 2),
                )
                .values(lease_until=now + lease)
            )
            owned = await session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.id == row_id, *mine)
            )
        return owned is not None

    async def _mark(self, row_id: int, **values: object) -> None:
        """Update a row this worker still owns (one retaken meanwhile is the taker's)."""
        async with self.store.transaction() as session:
            await session.execute(self._owned(row_id).values(**values))

    def _owned(self, row_id: int) -> Update:
        return update(OutboxMessage).where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == SENDING,
            OutboxMessage.lease_owner == self.owner,
        )

    async def _split_group(self, row: OutboxMessage) -> list[int]:
        """No group conversations on this platform: one DM row per member instead, written in
        the transaction that retires the group row (so none is sent twice)."""
        now = self.clock.now()
        tenant = TenantRef(platform=row.platform, external_id=row.tenant_external_id)
        singles = [
            Outgoing(kind=OutgoingKind.DM, tenant=tenant, target=m, reply=decode_reply(row.reply))
            for m in row.members
        ]
        async with self.store.transaction() as session:
            retired = await session.execute(
                self._owned(row.id).values(
                    status=SENT, sent_at=now, lease_until=None, last_error="split into DMs"
                )
            )
            if int(retired.rowcount) != 1:  # type: ignore[attr-defined]
                return []
            return await enqueue(session, row.tenant_id, singles, row.source, now)

    async def _failed_attempt(self, row: OutboxMessage, exc: DeliveryError) -> None:
        now = self.clock.now()
        error = str(exc)[:500]
        if exc.retry_after is not None and not exc.permanent:
            self.metrics.count("rate_limit_waits", row.platform)
            await self._mark(
                row.id,
                status=PENDING,
                lease_until=None,
                attempts=row.attempts - 1,
                rate_limited=row.rate_limited + 1,
                next_attempt_at=now + timedelta(seconds=max(exc.retry_after, 0)),
                last_error=error,
            )
            return
        if exc.permanent or row.attempts >= self.settings.outbox_max_attempts:
            async with self.store.transaction() as session:
                given_up = await session.execute(
                    self._owned(row.id).values(status=FAILED, lease_until=None, last_error=error)
                )
                if int(given_up.rowcount) != 1:  # type: ignore[attr-defined]
                    return
                self.metrics.count("failures", row.platform)
                _log.warning("gave up outbox message %s to %s: %s", row.id, row.target, error)
                await record_audit(
                    session,
                    tenant_id=row.tenant_id,
                    actor=None,
                    action="outbox.undeliverable",
                    target=f"{row.kind} {row.target}"[:200],
                    after={"error": error, "source": row.source},
                    now=now,
                )
            return
        self.metrics.count("retries", row.platform)
        wait = min(
            self.settings.outbox_backoff_seconds * 2 ** (row.attempts - 1),
            self.settings.outbox_max_backoff_seconds,
        )
        await self._mark(
            row.id,
            status=PENDING,
            lease_until=None,
            next_attempt_at=now + timedelta(seconds=wait),
            last_error=error,
        )

    async def recover_leases(self) -> int:
        """Rows leased by a process that died are pending again."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now)
                .values(
                    status=PENDING,
                    lease_until=None,
                    lease_owner="",
                    next_attempt_at=now,
                    in_doubt=True,
                )
            )
        count = int(result.rowcount)  # type: ignore[attr-defined]
        self.metrics.leases_recovered += count
        return count

    async def prune(self) -> int:
        """Forget sent and failed rows past ``outbox_keep_days``."""
        cutoff = self.clock.now() - timedelta(days=self.settings.outbox_keep_days)
        async with self.store.transaction() as session:
            result = await session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status.in_((SENT, FAILED)), OutboxMessage.created_at < cutoff
                )
            )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def depth(self) -> int:
        """Messages waiting to be sent (pending or being sent)."""
        async with self.store.sessions() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status.in_((PENDING, SENDING)))
            )
        return int(count or 0)

    async def oldest_age_seconds(self) -> float:
        """How long the oldest waiting message has waited (0 when none waits)."""
        async with self.store.sessions() as session:
            oldest = await session.scalar(
                select(func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.status.in_((PENDING, SENDING))
                )
            )
        if oldest is None:
            return 0.0
        if isinstance(oldest, str) or oldest.tzinfo is None:  # SQLite's min() is naive text
            oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
        return max((self.clock.now() - oldest).total_seconds(), 0.0)


def _undelivered(kind: str, target: str) -> LazyText:
    """A note for the actor, put into their language by the dispatcher."""
    if kind == OutgoingKind.GROUP_DM:
        return core_text("(I couldn't open the group message.)")
    where = mention(target) if kind == OutgoingKind.DM else channel_mention(target)
    return core_text("(I couldn't deliver a message to {where}.)", where=where)
