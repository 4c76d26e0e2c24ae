"""Prometheus metrics of one Staffroom process, on a registry of its own (not the global one)."""

from __future__ import annotations

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)

from bot.core.observing import HandledEvent, Outcome

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Every metric Staffroom exports; adapters, the dispatcher and the outbox update them."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        # The process (memory, CPU, open files; from /proc, so Linux only), the garbage
        # collector and the Python version: prometheus_client's standard collectors, which
        # only read state when scraped, so sharing them between registries is safe.
        for collector in (PROCESS_COLLECTOR, GC_COLLECTOR, PLATFORM_COLLECTOR):
            r.register(collector)
        self.events_received = Counter(
            "staffroom_events_received", "Platform events received.", ["platform"], registry=r
        )
        self.events_handled = Counter(
            "staffroom_events_handled",
            "Events handled, by skill and outcome (ok, refused, error, duplicate, ignored).",
            ["platform", "skill", "outcome"],
            registry=r,
        )
        self.handler_latency = Histogram(
            "staffroom_handler_latency_seconds",
            "Time to handle one event, from dispatch to replies ready.",
            ["platform", "skill"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "staffroom_errors", "Unexpected errors, by exception type.", ["type"], registry=r
        )
        self.outbox_depth = Gauge(
            "staffroom_outbox_depth", "Outgoing messages waiting to be sent.", registry=r
        )
        self.outbox_oldest_age = Gauge(
            "staffroom_outbox_oldest_age_seconds",
            "Age of the oldest message waiting in the outbox.",
            registry=r,
        )
        self.deliveries_sent = Counter(
            "staffroom_deliveries_sent",
            "Scheduled messages delivered from the outbox.",
            ["platform"],
            registry=r,
        )
        self.deliveries_found = Counter(
            "staffroom_deliveries_found",
            "In-doubt messages (their sender died mid-send) found delivered, so not sent again.",
            ["platform"],
            registry=r,
        )
        self.deliveries_retried = Counter(
            "staffroom_deliveries_retried", "Deliveries tried again.", ["platform"], registry=r
        )
        self.deliveries_failed = Counter(
            "staffroom_deliveries_failed",
            "Deliveries given up (permanent errors).",
            ["platform"],
            registry=r,
        )
        self.rate_limit_waits = Counter(
            "staffroom_rate_limit_waits",
            "Times a platform asked us to slow down.",
            ["platform"],
            registry=r,
        )
        self.signature_failures = Counter(
            "staffroom_signature_failures",
            "Requests refused for a bad signature or a stale timestamp (a wrong signing secret "
            "or a skewed clock shows here).",
            ["platform"],
            registry=r,
        )
        self._deliveries = {
            "sent": self.deliveries_sent,
            "reconciled": self.deliveries_found,
            "retries": self.deliveries_retried,
            "failures": self.deliveries_failed,
            "rate_limit_waits": self.rate_limit_waits,
        }
        """The outbox's figures (``OutboxMetrics.count``) and the counter each one feeds."""
        self.scheduler_lag = Gauge(
            "staffroom_scheduler_lag_seconds",
            "How late the most recent scheduled occurrence ran.",
            registry=r,
        )

    def observe(self, record: HandledEvent) -> None:
        """The dispatcher's observer: counts each event, its latency and its error type."""
        self.events_received.labels(record.platform).inc()
        self.events_handled.labels(record.platform, record.skill, str(record.outcome)).inc()
        if record.outcome in (Outcome.OK, Outcome.REFUSED, Outcome.ERROR):
            self.handler_latency.labels(record.platform, record.skill).observe(record.latency_s)
        if record.error_type:
            self.errors.labels(record.error_type).inc()

    def count_delivery(self, figure: str, platform: str) -> None:
        """The outbox's observer (``OutboxMetrics.observer``)."""
        counter = self._deliveries.get(figure)
        if counter is not None:
            counter.labels(platform).inc()

    def count_rate_limit_wait(self, platform: str) -> None:
        """An adapter's observer: it waited out a platform's rate limit."""
        self.rate_limit_waits.labels(platform).inc()

    def count_signature_failure(self, platform: str) -> None:
        """An adapter's observer: it refused a request whose signature failed."""
        self.signature_failures.labels(platform).inc()
