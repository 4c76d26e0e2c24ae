"""Staffroom on slack-bolt's ``AsyncApp``: each listener translates, acknowledges, then works.

Slack wants an answer within three seconds. Events are acknowledged by bolt before the
listener runs; slash commands and clicks are acknowledged first thing; the dispatcher's work
and the messages it sends come after. A form submission is the exception: Slack shows field
errors only in the acknowledgement itself, so the submission is handled for up to
``submission_budget`` seconds before acknowledging; slower work turns the modal into
"Working on it…" and its outcome (errors included) arrives through ``views.update``.
Retries never run a skill twice: each event carries an id that is the same on every retry,
and the dispatcher drops ids it has seen.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import FORM_CALLBACK
from bot.adapters.slack.directory import MemberDirectory
from bot.adapters.slack.errors import slack_error
from bot.adapters.slack.files import SlackFiles
from bot.adapters.slack.inbound import (
    PLATFORM,
    SLASH_COMMAND,
    Inbound,
    translate_action,
    translate_command,
    translate_event,
    translate_form_click,
    translate_submission,
)
from bot.adapters.slack.installations import (
    EncryptedInstallationStore,
    InstalledWorkspaces,
    LockedTokenRotator,
    RotationLock,
    SingleWorkspace,
    TokenCipher,
    Workspace,
    Workspaces,
    reseal_tokens,
)
from bot.adapters.slack.modals import (
    input_errors,
    message_view,
    submitted_values,
    view_with_errors,
)
from bot.adapters.slack.port import ChannelPacer, SlackPort
from bot.adapters.slack.setup import (
    BOT_SCOPES,
    INSTALL_PATH,
    REDIRECT_PATH,
    SlackPlan,
    check_settings,
    web_client,
)
from bot.adapters.slack.verification import BoltLogFilter
from bot.app import App
from bot.core.errors import DeliveryError
from bot.core.events import TenantRef
from bot.core.replies import Reply
from bot.storage.errors import StartupError

_log = logging.getLogger(__name__)
_bolt_log = logging.getLogger("slack_bolt.staffroom")
"""bolt's own messages; its loggers copy this one's filter, which keeps request bodies out."""
_bolt_log.addFilter(BoltLogFilter())

SUBMISSION_BUDGET_SECONDS = 2.0
OAUTH_STATE_SECONDS = 600


class Work:
    """Handlings under way after their acknowledgement.

    Counted, so that a shutdown can let them finish, and numbered as they finish, so that a
    caller (a test) can wait for the n-th without sleeping.
    """

    def __init__(self) -> None:
        self.running = 0
        self.finished = 0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self.finished += 1
            async with self._changed:
                self._changed.notify_all()

    async def wait_until(self, done: Callable[[Work], bool]) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: done(self))


class SlackAdapter:
    """The bolt app and everything it needs, attached to the core's dispatcher."""

    def __init__(
        self,
        *,
        core: App,
        plan: SlackPlan,
        bolt: AsyncApp,
        client: AsyncWebClient,
        workspaces: Workspaces,
        installations: EncryptedInstallationStore | None,
        directory: MemberDirectory,
        port: SlackPort,
        files: SlackFiles,
        submission_budget: float,
    ) -> None:
        self.core = core
        self.plan = plan
        self.bolt = bolt
        self.client = client
        self.workspaces = workspaces
        self.installations = installations
        self.directory = directory
        self.port = port
        self.files = files
        self.work = Work()
        self._budget = submission_budget
        bolt.event("app_uninstalled")(self._uninstalled)
        bolt.event("tokens_revoked")(self._tokens_revoked)
        bolt.event(re.compile(".*"))(self._event)
        bolt.command(SLASH_COMMAND)(self._command)
        bolt.action(re.compile(r"^sr:"))(self._action)
        bolt.view(FORM_CALLBACK)(self._submission)
        core.dispatcher.attach(PLATFORM, port)

    # --- listeners --------------------------------------------------------------------------

    async def _event(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        async with self.work.track():
            inbound = translate_event(body, bot_user_id=context.bot_user_id or "")
            if inbound is not None:
                await self.port.answer(inbound.route, await self._handle(inbound))

    async def _command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        async with self.work.track():
            await ack()
            inbound = translate_command(body)
            if inbound is not None:
                await self.port.answer(inbound.route, await self._handle(inbound))

    async def _action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        async with self.work.track():
            await ack()
            click = translate_form_click(body)
            if click is not None:
                await self.port.open_form(click)
                return
            inbound = translate_action(body)
            if inbound is not None:
                await self.port.answer(inbound.route, await self._handle(inbound))

    async def _submission(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        async with self.work.track():
            inbound = translate_submission(body)
            if inbound is None:
                await ack()
                return
            view = body.get("view") or {}
            handling = asyncio.ensure_future(self._handle(inbound))
            done, _ = await asyncio.wait({handling}, timeout=self._budget)
            if handling in done:
                replies = handling.result()
                errors = _field_errors(replies)
                if errors:
                    await ack(response_action="errors", errors=input_errors(view, errors))
                    return
                await ack()
            else:
                title = str((view.get("title") or {}).get("text", "Staffroom"))
                await ack(response_action="update", view=message_view(title, "Working on it…"))
                replies = await handling
                errors = _field_errors(replies)
                update = (
                    view_with_errors(view, submitted_values(view), errors)
                    if errors
                    else message_view(title, "Done.")
                )
                await self._update_view(inbound.route.team_id, str(view.get("id", "")), update)
                if errors:
                    return
            await self.port.answer(inbound.route, replies)

    async def _uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        async with self.work.track():
            team_id = str(body.get("team_id", ""))
            _log.info("Staffroom was uninstalled from Slack workspace %s", team_id)
            await self._remove_workspace(team_id, context.enterprise_id)

    async def _tokens_revoked(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        async with self.work.track():
            team_id = str(body.get("team_id", ""))
            tokens = (body.get("event") or {}).get("tokens") or {}
            if tokens.get("bot"):
                _log.info("Slack workspace %s revoked Staffroom's bot token", team_id)
                await self._remove_workspace(team_id, context.enterprise_id)

    # --- work -------------------------------------------------------------------------------

    async def _handle(self, inbound: Inbound) -> list[Reply]:
        """The core's answer to one event, its actor and community completed from Slack."""
        event = inbound.event
        try:
            workspace = await self.workspaces.get(inbound.route.team_id)
            actor = await self.directory.actor(workspace.team_id, event.actor)
        except DeliveryError as exc:
            _log.warning("answering without Slack's details: %s", exc)
        else:
            event = replace(event, actor=actor, tenant=replace(event.tenant, name=workspace.name))
            if inbound.files:
                files = await self.files.read(inbound.files, token=workspace.bot_token)
                event = replace(event, files=files)
        return await self.core.dispatcher.handle(event)

    async def _update_view(self, team_id: str, view_id: str, view: dict[str, Any]) -> None:
        try:
            workspace = await self.workspaces.get(team_id)
            await self.client.views_update(token=workspace.bot_token, view_id=view_id, view=view)
        except (DeliveryError, SlackApiError) as exc:
            _log.warning("could not update a submitted form's modal: %s", exc)

    async def _remove_workspace(self, team_id: str, enterprise_id: str | None) -> None:
        if self.installations is not None:
            await self.installations.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
        await self.core.installation_changed(_tenant(team_id), installed=False)
        self.workspaces.forget(team_id)
        self.directory.forget(team_id)
        self.port.forget(team_id)


def _tenant(team_id: str) -> TenantRef:
    return TenantRef(platform=PLATFORM, external_id=team_id)


def _field_errors(replies: list[Reply]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for reply in replies:
        errors.update(reply.field_errors)
    return errors


async def create_adapter(
    core: App,
    session: aiohttp.ClientSession,
    *,
    submission_budget: float = SUBMISSION_BUDGET_SECONDS,
    pacer: ChannelPacer | None = None,
) -> SlackAdapter:
    """Check the settings, learn who we are in Slack, and build the bolt app."""
    slack = core.settings.slack
    plan = check_settings(slack)
    client = web_client(
        slack, session, on_rate_limited=lambda: core.notify_rate_limited(PLATFORM)
    )
    installations: EncryptedInstallationStore | None = None
    workspaces: Workspaces
    if plan.many_workspaces:
        assert slack.client_id is not None and slack.client_secret is not None
        assert slack.token_encryption_key is not None
        client_secret = slack.client_secret.get_secret_value()
        library_store = AsyncSQLAlchemyInstallationStore(
            client_id=slack.client_id, engine=core.store.engine, logger=_log
        )
        cipher = TokenCipher(slack.token_encryption_key.get_secret_value())
        resealed = await reseal_tokens(
            core.store.engine, (library_store.installations, library_store.bots), cipher
        )
        if resealed:
            _log.info("re-encrypted %d stored Slack installations with the first key", resealed)
        installations = EncryptedInstallationStore(
            library_store,
            cipher,
            on_saved=lambda team_id: core.installation_changed(_tenant(team_id), installed=True),
        )
        rotator = LockedTokenRotator(
            client_id=slack.client_id,
            client_secret=client_secret,
            client=client,
            installations=installations,
            lock=RotationLock(core.store),
        )
        authorize = AsyncInstallationStoreAuthorize(
            logger=_log,
            installation_store=installations,
            client_id=slack.client_id,
            client_secret=client_secret,
            cache_enabled=True,
            client=client,
        )
        authorize.token_rotator = rotator
        bolt = AsyncApp(
            client=client,
            signing_secret=_secret(slack.signing_secret),
            # bolt takes an AsyncAuthorize instance as it is, though its annotation says callable
            authorize=authorize,  # type: ignore[arg-type]
            installation_store=installations,
            oauth_settings=AsyncOAuthSettings(
                client_id=slack.client_id,
                client_secret=client_secret,
                scopes=list(BOT_SCOPES),
                redirect_uri=slack.redirect_url,
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
                installation_store=installations,
                state_store=AsyncSQLAlchemyOAuthStateStore(
                    expiration_seconds=OAUTH_STATE_SECONDS, engine=core.store.engine, logger=_log
                ),
            ),
            logger=_bolt_log,
            request_verification_enabled=False,  # done before bolt parses: see verification
        )
        workspaces = InstalledWorkspaces(installations, rotator)
    else:
        workspace = await _who_we_are(client)
        await core.installation_changed(_tenant(workspace.team_id), installed=True)
        workspaces = SingleWorkspace(workspace)
        bolt = AsyncApp(
            client=client,
            signing_secret=_secret(slack.signing_secret),
            logger=_bolt_log,
            request_verification_enabled=False,  # done before bolt parses: see verification
        )
    directory = MemberDirectory(
        client=client, workspaces=workspaces, moderator_group=slack.moderator_user_group
    )
    return SlackAdapter(
        core=core,
        plan=plan,
        bolt=bolt,
        client=client,
        workspaces=workspaces,
        installations=installations,
        directory=directory,
        port=SlackPort(
            client=client,
            workspaces=workspaces,
            directory=directory,
            pacer=pacer or ChannelPacer(),
        ),
        files=SlackFiles(session, api_base_url=slack.api_base_url),
        submission_budget=submission_budget,
    )


def _secret(value: Any) -> str:
    return "" if value is None else str(value.get_secret_value())


async def _who_we_are(client: AsyncWebClient) -> Workspace:
    """The workspace and bot user of ``slack.bot_token`` (auth.test), or a clear refusal."""
    try:
        found = await client.auth_test()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack refused slack.bot_token ({slack_error(exc)}); copy the Bot User "
            "OAuth Token from OAuth & Permissions in your Slack app's settings."
        ) from None
    except aiohttp.ClientError as exc:
        raise StartupError(f"Cannot reach Slack's Web API ({exc}).") from None
    return Workspace(
        team_id=str(found["team_id"]),
        name=str(found.get("team") or ""),
        bot_token=str(client.token),
        bot_user_id=str(found.get("user_id") or ""),
    )
