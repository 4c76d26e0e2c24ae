"""The composition root: settings → store → registry → dispatcher, shared by every adapter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from bot.core.clock import Clock, SystemClock
from bot.core.commands import NetworkAccess, Registry
from bot.core.dispatcher import Dispatcher
from bot.core.events import EventKind, TenantRef
from bot.core.ports import ChatPort
from bot.core.skills import discover_skills, load_registry, migration_branches
from bot.scheduling.jobs import installed_communities, set_installed
from bot.scheduling.outbox import OutboxWorker
from bot.scheduling.runtime import ScheduledRuns, Scheduler
from bot.settings import Settings
from bot.storage.engine import Store, open_store
from bot.storage.errors import StartupError
from bot.storage.schema import is_current, upgrade_schema

_log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class App:
    settings: Settings
    store: Store
    registry: Registry
    dispatcher: Dispatcher
    clock: Clock
    scheduler: Scheduler
    rate_limit_observers: list[Callable[[str], None]] = field(default_factory=list)
    """Told the platform each time an adapter waits out a rate limit (``/metrics``)."""

    signature_failure_observers: list[Callable[[str], None]] = field(default_factory=list)
    """Told the platform each time a request fails its signature check (``/metrics``)."""

    def notify_rate_limited(self, platform: str) -> None:
        for observer in self.rate_limit_observers:
            observer(platform)

    def notify_signature_failure(self, platform: str) -> None:
        for observer in self.signature_failure_observers:
            observer(platform)

    async def installation_changed(self, tenant: TenantRef, *, installed: bool) -> None:
        """Staffroom was removed from a community, or came back: its schedules pause or go on."""
        async with self.store.transaction() as session:
            changed = await set_installed(
                session,
                tenant.platform,
                tenant.external_id,
                installed=installed,
                now=self.clock.now(),
            )
        if changed:
            _log.info(
                "%s %s %s: its scheduled work %s",
                tenant.platform,
                tenant.external_id,
                "is back" if installed else "removed Staffroom",
                "goes on" if installed else "waits until it is back",
            )

    async def notice_departures(
        self, platform: str, *, present: Set[str], served: Callable[[str], bool]
    ) -> None:
        """The communities this process serves (``served``) that are not ``present`` when it
        connects removed Staffroom while it was down: their scheduled work waits."""
        async with self.store.sessions() as session:
            known = await installed_communities(session, platform)
        for external_id in known:
            if external_id not in present and served(external_id):
                tenant = TenantRef(platform=platform, external_id=external_id)
                await self.installation_changed(tenant, installed=False)

    async def start_background(self) -> None:
        """Start the scheduler's timer (due check-ins and reminders, the outbox)."""
        await self.scheduler.start()

    async def close(self) -> None:
        try:
            await self.scheduler.stop()
            await self.dispatcher.close()
        finally:
            await self.store.close()


async def start_app(settings: Settings, *, clock: Clock | None = None) -> App:
    """Open the store (upgrading its schema, or refusing to start) and wire the core."""
    store = open_store(settings.database_url, schema=settings.database_schema)
    try:
        skills = discover_skills()
        branches = migration_branches(skills)
        if settings.auto_upgrade:
            await upgrade_schema(store, branches)
        elif not await is_current(store, branches):
            raise StartupError(
                "The database schema is not current and auto_upgrade is off; "
                "run `staffroom db upgrade` first."
            )
        clock = clock or SystemClock()
        dispatcher, scheduler = wire(store, load_registry(skills), clock, settings)
        await dispatcher.start()
    except BaseException:
        await store.close()
        raise
    return App(
        settings=settings,
        store=store,
        registry=dispatcher.registry,
        dispatcher=dispatcher,
        clock=clock,
        scheduler=scheduler,
    )


def wire(
    store: Store, registry: Registry, clock: Clock, settings: Settings
) -> tuple[Dispatcher, Scheduler]:
    """One pipeline: the dispatcher runs members' events and, through the ``SCHEDULED``
    policy, the scheduler's due occurrences; both write messages to one outbox, which sends
    through the ports the adapters attach."""
    ports: dict[str, ChatPort] = {}
    outbox = OutboxWorker(store=store, ports=ports, clock=clock, settings=settings.scheduler)
    runs = ScheduledRuns(store=store, settings=settings.scheduler)
    dispatcher = Dispatcher(
        store=store,
        registry=registry,
        clock=clock,
        outbox=outbox,
        ports=ports,
        policies={EventKind.SCHEDULED: runs},
        event_id_retention=timedelta(hours=settings.event_id_retention_hours),
        network=NetworkAccess(private_addresses=settings.fetch_private_addresses),
    )
    scheduler = Scheduler(
        store=store,
        dispatcher=dispatcher,
        runs=runs,
        outbox=outbox,
        clock=clock,
        settings=settings.scheduler,
    )
    scheduler.housekeeping_tasks += [
        partial(task, store, clock, registry) for task in registry.housekeeping
    ]
    return dispatcher, scheduler
