"""Slack's request signatures, checked before bolt reads a byte of the body.

bolt's own check logs the whole body of a request that fails it (at INFO: what a member wrote,
or half a megabyte from anyone on the internet), and bolt parses the body before checking it,
so an unsigned body that is not JSON ends in a 500 and a traceback. Here a request is verified
first: one that fails is answered 401, counted for ``/metrics`` (a wrong signing secret or a
skewed clock shows there), and logged as one short line at most once a minute, without body.
The rest of bolt's logging cannot carry a body either: see ``BoltLogFilter``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Mapping

_log = logging.getLogger(__name__)
WARNING_INTERVAL_SECONDS = 60.0
MAX_SKEW_SECONDS = 300


class RequestVerifier:
    """Says whether a request is signed by Slack; counts and (sparingly) logs the ones not."""

    def __init__(
        self,
        signing_secret: str,
        *,
        on_rejected: Callable[[], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = signing_secret.encode()
        self._on_rejected = on_rejected
        self._clock = clock
        self._warned_at: float | None = None
        self._unreported = 0

    def verify(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{raw body}``, timestamp within 5 minutes."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "").encode(errors="replace")
        if (
            timestamp.isascii()
            and timestamp.isdigit()
            and abs(self._clock() - int(timestamp)) <= MAX_SKEW_SECONDS
        ):
            signed = b"v0:" + timestamp.encode() + b":" + body
            expected = b"v0=" + hmac.new(self._secret, signed, hashlib.sha256).hexdigest().encode()
            if hmac.compare_digest(expected, signature):
                _log.debug("verified a Slack request of %d bytes", len(body))
                return True
        self._rejected()
        return False

    def _rejected(self) -> None:
        self._on_rejected()
        self._unreported += 1
        now = self._clock()
        if self._warned_at is not None and now - self._warned_at < WARNING_INTERVAL_SECONDS:
            return
        _log.warning(
            "refused %d Slack request(s) with a bad signature or a timestamp over 5 minutes off "
            "(check slack.signing_secret and the clock)",
            self._unreported,
        )
        self._warned_at = now
        self._unreported = 0


class BoltLogFilter(logging.Filter):
    """For bolt's loggers: several of bolt's messages quote a request body (unhandled requests
    at WARNING, listener arguments at INFO, responses at DEBUG). Below WARNING nothing passes;
    from WARNING up only a message's first words, before any quoted payload."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        message = record.getMessage().split("\n", 1)[0]
        record.msg = message.split(" (", 1)[0].split(":", 1)[0][:200]
        record.args = None
        return True
