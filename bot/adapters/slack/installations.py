"""Which bot token speaks for which workspace, and keeping installs safe in our database.

One workspace runs on the bot token from the settings. Many workspaces install Staffroom
through OAuth; slack_sdk's ``AsyncSQLAlchemyInstallationStore`` keeps each install in our own
database (on Staffroom's async engine, in tables our migration creates), wrapped here so that
every token is encrypted at rest with Fernet. Rotating tokens are refreshed under a lock —
in-process, and a PostgreSQL advisory lock across processes — because a refresh token works
once: two processes refreshing together would leave one of them with a dead token.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol, overload

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Table, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import DeliveryError
from bot.storage.engine import Store
from bot.storage.errors import SettingsError

_log = logging.getLogger(__name__)

ROTATE_MINUTES_BEFORE_EXPIRY = 120
"""Refresh a rotating token when it has less than this left (slack_sdk's own default)."""
_TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class TokenCipher:
    """Fernet encryption of tokens; several keys (comma-separated) allow rotating the key."""

    def __init__(self, keys: str) -> None:
        try:
            fernets = [Fernet(key.strip()) for key in keys.split(",") if key.strip()]
        except ValueError:
            fernets = []
        if not fernets:
            raise SettingsError(
                "Setting slack.token_encryption_key (STAFFROOM_SLACK__TOKEN_ENCRYPTION_KEY) is "
                'not a Fernet key; make one with `python -c "from cryptography.fernet import '
                'Fernet; print(Fernet.generate_key().decode())"`.'
            )
        self._primary = fernets[0]
        self._fernet = MultiFernet(fernets)

    @overload
    def encrypt(self, token: str) -> str: ...
    @overload
    def encrypt(self, token: None) -> None: ...
    def encrypt(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            _log.error(
                "a stored Slack token cannot be decrypted with slack.token_encryption_key "
                "(was the key changed without keeping the old one after it?)"
            )
            return None

    def reseal(self, sealed: str) -> str:
        """``sealed`` encrypted with the first key (unchanged when it already is, or when no
        key opens it)."""
        try:
            self._primary.decrypt(sealed.encode())
            return sealed
        except InvalidToken:
            pass
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken:
            return sealed


async def reseal_tokens(engine: AsyncEngine, tables: Sequence[Table], cipher: TokenCipher) -> int:
    """Re-encrypt with the first key every stored token that an older key encrypted, so that
    the old key can be dropped from the settings; returns how many rows changed.

    A row is only rewritten if its tokens are still the ones read (a token refreshed in the
    meantime by another process is left alone).
    """
    changed = 0
    async with engine.begin() as conn:
        for table in tables:
            columns = [column for column in table.c if column.name in _TOKEN_FIELDS]
            for row in (await conn.execute(select(table.c.id, *columns))).mappings():
                stored = {c.name: row[c.name] for c in columns if row[c.name] is not None}
                resealed = {name: cipher.reseal(sealed) for name, sealed in stored.items()}
                if resealed == stored:
                    continue
                result = await conn.execute(
                    update(table)
                    .where(table.c.id == row["id"], *(table.c[n] == v for n, v in stored.items()))
                    .values(resealed)
                )
                changed += result.rowcount
    return changed


class EncryptedInstallationStore(AsyncInstallationStore):
    """An installation store that encrypts every token before it is stored."""

    def __init__(
        self,
        inner: AsyncInstallationStore,
        cipher: TokenCipher,
        *,
        on_saved: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._inner = inner
        self._cipher = cipher
        self._on_saved = on_saved
        """Told the workspace (team id) of each installation saved: installed, or back."""

    @property
    def logger(self) -> logging.Logger:
        return _log

    async def async_save(self, installation: Installation) -> None:
        sealed = Installation(**installation.to_dict_for_copying())
        for name in _TOKEN_FIELDS:
            setattr(sealed, name, self._cipher.encrypt(getattr(installation, name)))
        await self._inner.async_save(sealed)
        if self._on_saved is not None and installation.team_id:
            await self._on_saved(installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        sealed = Bot(**bot.to_dict_for_copying())
        sealed.bot_token = self._cipher.encrypt(bot.bot_token)
        sealed.bot_refresh_token = self._cipher.encrypt(bot.bot_refresh_token)
        await self._inner.async_save_bot(sealed)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = await self._inner.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            return None
        token = self._cipher.decrypt(bot.bot_token)
        if token is None:
            return None
        bot.bot_token = token
        bot.bot_refresh_token = self._cipher.decrypt(bot.bot_refresh_token)
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await self._inner.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        if found is not None:
            for name in _TOKEN_FIELDS:
                setattr(found, name, self._cipher.decrypt(getattr(found, name)))
        return found

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._inner.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._inner.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )


class RotationLock:
    """One token refresh per workspace at a time: in this process, and across processes on
    PostgreSQL (a transaction-scoped advisory lock; SQLite has only one process)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._local: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def hold(self, team_id: str) -> AsyncIterator[None]:
        async with self._local.setdefault(team_id, asyncio.Lock()):
            if self._store.dialect != "postgresql":
                yield
                return
            async with self._store.engine.begin() as conn:
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(team_id)}
                )
                yield


def _lock_key(team_id: str) -> int:
    digest = hashlib.sha256(f"staffroom:slack-token-rotation:{team_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def expiring(installation: Installation, minutes: int) -> bool:
    deadline = time.time() + minutes * 60
    return any(
        expires is not None and expires <= deadline
        for expires in (installation.bot_token_expires_at, installation.user_token_expires_at)
    )


class LockedTokenRotator(AsyncTokenRotator):
    """slack_sdk's token rotation, done by one process at a time.

    Under the lock it reads the installation again: if another process refreshed it in the
    meantime, that result is used instead of spending the (now dead) refresh token.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        client: AsyncWebClient,
        installations: AsyncInstallationStore,
        lock: RotationLock,
    ) -> None:
        super().__init__(client_id=client_id, client_secret=client_secret, client=client)
        self._installations = installations
        self._lock = lock

    async def perform_token_rotation(
        self,
        *,
        installation: Installation,
        minutes_before_expiration: int = ROTATE_MINUTES_BEFORE_EXPIRY,
    ) -> Installation | None:
        if not expiring(installation, minutes_before_expiration):
            return None
        async with self._lock.hold(installation.team_id or installation.enterprise_id or ""):
            current = await self._installations.async_find_installation(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                is_enterprise_install=installation.is_enterprise_install,
            )
            if current is not None and not expiring(current, minutes_before_expiration):
                return current
            refreshed: Installation | None = await super().perform_token_rotation(
                installation=current or installation,
                minutes_before_expiration=minutes_before_expiration,
            )
            if refreshed is not None:
                await self._installations.async_save(refreshed)
                _log.info("refreshed the Slack tokens of workspace %s", installation.team_id)
            return refreshed


@dataclass(frozen=True, kw_only=True, slots=True)
class Workspace:
    """One Slack workspace Staffroom is in: its name, and the bot token that speaks there."""

    team_id: str
    name: str
    bot_token: str
    bot_user_id: str


class Workspaces(Protocol):
    async def get(self, team_id: str) -> Workspace:
        """The workspace; raises a permanent ``DeliveryError`` where Staffroom is not installed."""
        ...

    def forget(self, team_id: str) -> None:
        """Drop what is remembered about a workspace (it uninstalled Staffroom)."""
        ...


class SingleWorkspace:
    """One workspace and its bot token from the settings (who it is comes from auth.test)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    async def get(self, team_id: str) -> Workspace:
        return self.workspace

    def forget(self, team_id: str) -> None:
        _log.error(
            "Slack says Staffroom was uninstalled from workspace %s, or its token revoked: "
            "slack.bot_token no longer works there",
            team_id,
        )


class InstalledWorkspaces:
    """Workspaces that installed Staffroom through OAuth, read from the installation store.

    Tokens are remembered until a few minutes before they expire (rotating tokens) or until
    the workspace uninstalls; an expiring one is refreshed through the locked rotator.
    """

    def __init__(
        self,
        installations: AsyncInstallationStore,
        rotator: LockedTokenRotator,
        *,
        refresh_margin_seconds: float = 600,
    ) -> None:
        self._installations = installations
        self._rotator = rotator
        self._margin = refresh_margin_seconds
        self._known: dict[str, tuple[Workspace, float | None]] = {}

    async def get(self, team_id: str) -> Workspace:
        known = self._known.get(team_id)
        if known is not None and (known[1] is None or known[1] > time.time() + self._margin):
            return known[0]
        installation = await self._installations.async_find_installation(
            enterprise_id=None, team_id=team_id
        )
        if installation is not None:
            refreshed = await self._rotator.perform_token_rotation(installation=installation)
            installation = refreshed or installation
        if installation is None or installation.bot_token is None:
            self._known.pop(team_id, None)
            raise DeliveryError(
                f"Staffroom is not installed in the Slack workspace {team_id}", permanent=True
            )
        workspace = Workspace(
            team_id=team_id,
            name=installation.team_name or "",
            bot_token=installation.bot_token,
            bot_user_id=installation.bot_user_id or "",
        )
        self._known[team_id] = (workspace, installation.bot_token_expires_at)
        return workspace

    def forget(self, team_id: str) -> None:
        self._known.pop(team_id, None)
