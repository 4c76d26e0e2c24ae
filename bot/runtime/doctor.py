"""``staffroom doctor``: check what a running Staffroom needs and say what to fix.

Each check gives one line: ``ok``, ``warn`` (works, with less) or ``fail`` (will not work),
with the next step when something is wrong. Platform checks run only for the platforms whose
settings are present, and import their libraries only then.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from bot.core.skills import discover_skills, migration_branches
from bot.settings import Settings
from bot.storage.engine import open_store
from bot.storage.errors import StartupError
from bot.storage.schema import SCHEMA_HEAD, at_every_head, current_revision

if TYPE_CHECKING:
    from bot.adapters.discord.client import PrivilegedIntent

_log = logging.getLogger(__name__)


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    check: str
    status: Status
    detail: str

    def line(self) -> str:
        return f"[{self.status.value:>4}] {self.check}: {self.detail}"


async def examine(settings: Settings) -> list[Finding]:
    """Every check, in the order an operator would fix them."""
    findings = await _store(settings)
    if _slack_configured(settings):
        findings += await _slack(settings)
    if settings.discord.token is not None:
        findings += await _discord(settings)
    if not _slack_configured(settings) and settings.discord.token is None:
        findings.append(
            Finding(
                check="platforms",
                status=Status.WARN,
                detail="no Discord or Slack settings: only `staffroom chat` can run. The guides "
                "Installing on Discord and Installing on Slack say what to set.",
            )
        )
    return findings


async def _store(settings: Settings) -> list[Finding]:
    try:
        store = open_store(settings.database_url, schema=settings.database_schema, exclusive=False)
    except StartupError as exc:
        return [Finding(check="database", status=Status.FAIL, detail=str(exc))]
    try:
        async with store.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            revision = await conn.run_sync(current_revision)
            current = await conn.run_sync(at_every_head, migration_branches(discover_skills()))
    except Exception as exc:
        return [
            Finding(
                check="database",
                status=Status.FAIL,
                detail=f"cannot connect ({type(exc).__name__}); check database_url "
                "(STAFFROOM_DATABASE_URL) and that the server runs.",
            )
        ]
    finally:
        await store.close()
    findings = [Finding(check="database", status=Status.OK, detail=f"{store.dialect} reachable")]
    if current:
        findings.append(Finding(check="schema", status=Status.OK, detail=f"at {SCHEMA_HEAD}"))
    else:
        status = Status.OK if settings.auto_upgrade else Status.FAIL
        detail = (
            f"at {revision or 'nothing yet'}; Staffroom upgrades it to {SCHEMA_HEAD} when it starts"
            if settings.auto_upgrade
            else f"at {revision or 'nothing yet'}, not {SCHEMA_HEAD}: run `staffroom db upgrade`"
        )
        findings.append(Finding(check="schema", status=status, detail=detail))
    return findings


def _slack_configured(settings: Settings) -> bool:
    slack = settings.slack
    return any(v is not None for v in (slack.bot_token, slack.app_token, slack.client_id))


async def _slack(settings: Settings) -> list[Finding]:
    import aiohttp
    from slack_sdk.errors import SlackApiError

    from bot.adapters.slack.setup import BOT_SCOPES, check_settings, web_client

    try:
        plan = check_settings(settings.slack)
    except StartupError as exc:
        return [Finding(check="slack settings", status=Status.FAIL, detail=str(exc))]
    findings = [Finding(check="slack settings", status=Status.OK, detail=f"{plan.mode} mode")]
    if settings.slack.bot_token is None:
        findings.append(
            Finding(
                check="slack token",
                status=Status.OK,
                detail="many workspaces: each installation brings its own token",
            )
        )
        return findings
    async with aiohttp.ClientSession() as session:
        client = web_client(settings.slack, session)
        try:
            answer = await client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error", "error")
            return [
                *findings,
                Finding(
                    check="slack token",
                    status=Status.FAIL,
                    detail=f"Slack refused slack.bot_token ({error}); copy the Bot User OAuth "
                    "Token again from OAuth & Permissions.",
                ),
            ]
        except aiohttp.ClientError as exc:
            return [
                *findings,
                Finding(
                    check="slack token",
                    status=Status.FAIL,
                    detail=f"cannot reach Slack ({type(exc).__name__}).",
                ),
            ]
    findings.append(
        Finding(
            check="slack token",
            status=Status.OK,
            detail=f"works in workspace {answer.get('team')} ({answer.get('team_id')})",
        )
    )
    granted = _scopes(answer.headers)
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        findings.append(
            Finding(
                check="slack scopes",
                status=Status.FAIL,
                detail=f"missing {', '.join(missing)}: add them from the manifest that "
                "`staffroom slack manifest` prints, and reinstall the app.",
            )
        )
    else:
        findings.append(Finding(check="slack scopes", status=Status.OK, detail="all granted"))
    return findings


def _scopes(headers: Mapping[str, Any]) -> set[str]:
    """The granted scopes Slack lists in a response's ``x-oauth-scopes`` header."""
    raw: Any = ""
    for key, value in headers.items():
        if key.lower() == "x-oauth-scopes":
            raw = value
    if isinstance(raw, list):
        raw = ",".join(raw)
    return {scope.strip() for scope in str(raw).split(",") if scope.strip()}


async def _discord(settings: Settings) -> list[Finding]:
    import discord

    from bot.adapters.discord.adapter import discord_token, login
    from bot.adapters.discord.client import missing_intents

    try:
        token = discord_token(settings.discord)
    except StartupError as exc:
        return [Finding(check="discord token", status=Status.FAIL, detail=str(exc))]
    client = discord.Client(intents=discord.Intents.none())
    try:
        try:
            await login(client, token)
        except StartupError as exc:
            return [Finding(check="discord token", status=Status.FAIL, detail=str(exc))]
        except (OSError, discord.HTTPException) as exc:
            return [
                Finding(
                    check="discord token",
                    status=Status.FAIL,
                    detail=f"cannot reach Discord ({type(exc).__name__}).",
                )
            ]
        findings = [
            Finding(check="discord token", status=Status.OK, detail=f"logs in as {client.user}")
        ]
        findings += list(_intent_findings(missing_intents(client.application_flags)))
        return findings
    finally:
        await client.close()


def _intent_findings(missing: list[PrivilegedIntent]) -> Iterator[Finding]:
    if not missing:
        yield Finding(check="discord intents", status=Status.OK, detail="all granted")
    for intent in missing:
        yield Finding(check="discord intents", status=Status.WARN, detail=intent.warning())
