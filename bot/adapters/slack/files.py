"""Files attached to a message for Staffroom (``resource import`` with a CSV): read from
Slack's ``url_private_download`` with the workspace's bot token (scope ``files:read``).

The token goes only to Slack's file host (or the configured Web API host, for a loopback
Slack in tests); a file larger than ``MAX_FILE_BYTES`` is not downloaded but marked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from bot.core.events import MAX_FILE_BYTES, EventFile

_log = logging.getLogger(__name__)

SLACK_FILE_HOST = "files.slack.com"
MAX_FILES = 3
TIMEOUT_SECONDS = 20


@dataclass(frozen=True, kw_only=True, slots=True)
class FileRef:
    """A file as a Slack message lists it, before it is read."""

    name: str
    url: str
    size: int


def file_refs(event: Mapping[str, object]) -> tuple[FileRef, ...]:
    """The files of a ``message``/``app_mention`` event (``files``), in order."""
    listed = event.get("files")
    refs = []
    for item in listed if isinstance(listed, list) else ():
        if not isinstance(item, Mapping):
            continue
        url = item.get("url_private_download") or item.get("url_private")
        if isinstance(url, str) and url:
            size = item.get("size")
            refs.append(
                FileRef(
                    name=str(item.get("name") or "file")[:200],
                    url=url,
                    size=size if isinstance(size, int) else 0,
                )
            )
    return tuple(refs[:MAX_FILES])


class SlackFiles:
    """Reads attached files for one process, over its aiohttp session."""

    def __init__(self, session: aiohttp.ClientSession, *, api_base_url: str) -> None:
        self._session = session
        self._hosts = {SLACK_FILE_HOST, urlsplit(api_base_url).hostname or SLACK_FILE_HOST}

    async def read(self, refs: Iterable[FileRef], *, token: str) -> tuple[EventFile, ...]:
        """Each file's content; one that can't be read is left out (and logged)."""
        files = []
        for ref in refs:
            if ref.size > MAX_FILE_BYTES:
                files.append(EventFile(name=ref.name, too_large=True))
                continue
            if urlsplit(ref.url).hostname not in self._hosts:
                _log.warning("not reading a Slack file from an unexpected host")
                continue
            content = await self._download(ref.url, token)
            if content is not None:
                too_large = len(content) > MAX_FILE_BYTES
                files.append(
                    EventFile(
                        name=ref.name, content=b"" if too_large else content, too_large=too_large
                    )
                )
        return tuple(files)

    async def _download(self, url: str, token: str) -> bytes | None:
        try:
            async with self._session.get(
                url,
                headers={"Authorization": f"Bearer {token}"},
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            ) as response:
                if response.status != 200:
                    _log.warning("Slack answered %s for an attached file", response.status)
                    return None
                return await response.content.read(MAX_FILE_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as exc:
            _log.warning("could not read an attached file from Slack: %s", exc)
            return None
