from __future__ import annotations

import io
import json
import logging

from bot.runtime.logs import REDACTED, configure_logging

TOKEN = "xoxb-1234567890-secret-token"


def _logger() -> logging.Logger:
    return logging.getLogger("bot.test.logs")


def test_json_lines_carry_fields_and_never_secrets() -> None:
    stream = io.StringIO()
    handler = configure_logging(level="INFO", json_lines=True, secrets=[TOKEN, ""], stream=stream)
    try:
        _logger().info("called with %s", TOKEN, extra={"fields": {"platform": "slack", "t": TOKEN}})
        try:
            raise RuntimeError(f"bad token {TOKEN}")
        except RuntimeError:
            _logger().exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    assert lines[0]["message"] == f"called with {REDACTED}"
    assert lines[0]["platform"] == "slack"
    assert lines[0]["t"] == REDACTED
    assert "RuntimeError" in lines[1]["exception"]
    assert TOKEN not in stream.getvalue()


def test_text_lines_show_fields() -> None:
    stream = io.StringIO()
    handler = configure_logging(level="INFO", json_lines=False, stream=stream)
    try:
        _logger().info("event handled", extra={"fields": {"skill": "help", "note": "a b"}})
    finally:
        logging.getLogger().removeHandler(handler)
    assert 'event handled skill=help note="a b"' in stream.getvalue()
