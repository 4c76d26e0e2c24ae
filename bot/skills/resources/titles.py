"""Fetching the title of a shared page when the sharer gave none.

The fetch is careful because members choose the URL: http(s) only, 3 seconds in all
(redirects included), at most 1 MB read (stopping as soon as the title is complete), HTML
only, and no private, loopback, link-local or otherwise non-public address — every address a
host name resolves to is checked when connecting, and every redirect hop is checked again —
unless the operator allows them (``fetch_private_addresses``, for tests and closed networks).
Any failure means "no title"; the caller falls back to the URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Callable
from html.parser import HTMLParser

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from bot.skills.resources.vocabulary import MAX_TITLE_LENGTH

_log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]{1,40})", re.IGNORECASE)
_USER_AGENT = "Staffroom/0.1 (link titles for a teachers' resource library)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], bool]


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses (not private, loopback, link-local…)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def any_address(address: IPAddress) -> bool:
    """The check used when the operator allows private addresses."""
    return True


class BlockedAddress(OSError):
    """The link leads to an address Staffroom does not fetch from."""


def _parse_address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


class CheckedResolver(AbstractResolver):
    """aiohttp's resolver, refusing a host when any address it resolves to fails the check."""

    def __init__(self, allowed: AddressCheck) -> None:
        self._allowed = allowed
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            address = _parse_address(result["host"])
            if address is None or not self._allowed(address):
                raise BlockedAddress(f"{host} resolves to {result['host']}, which is not allowed")
        return results

    async def close(self) -> None:
        await self._inner.close()


async def fetch_title(
    url: str,
    *,
    allowed: AddressCheck = is_public_address,
    seconds: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> str | None:
    """The page's ``<title>`` (or ``og:title``), or None when it cannot be had safely."""
    connector = aiohttp.TCPConnector(resolver=CheckedResolver(allowed), use_dns_cache=False)
    headers = {"User-Agent": _USER_AGENT, "Accept": "text/html,application/xhtml+xml"}
    try:
        async with (
            aiohttp.ClientSession(
                connector=connector, headers=headers, timeout=aiohttp.ClientTimeout(total=seconds)
            ) as http,
            asyncio.timeout(seconds),
        ):
            return await _follow(http, URL(url), allowed, max_bytes)
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError, UnicodeError) as exc:
        _log.info("no title for %s: %s", url, exc or type(exc).__name__)
        return None


async def _follow(
    http: aiohttp.ClientSession, url: URL, allowed: AddressCheck, max_bytes: int
) -> str | None:
    for _ in range(MAX_REDIRECTS + 1):
        _check_target(url, allowed)
        async with http.get(url, allow_redirects=False) as response:
            if response.status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    return None
                url = response.url.join(URL(location))
                continue
            if response.status != 200 or response.content_type not in _HTML_TYPES:
                _log.info("no title for %s: %s %s", url, response.status, response.content_type)
                return None
            head = await _read_head(response, max_bytes)
            return title_from_html(head, response.charset)
    _log.info("no title for %s: more than %s redirects", url, MAX_REDIRECTS)
    return None


def _check_target(url: URL, allowed: AddressCheck) -> None:
    """Refuse other schemes, and addresses written into the URL (they skip the resolver)."""
    if url.scheme not in ("http", "https") or not url.host:
        raise BlockedAddress(f"{url.scheme}: links are not fetched")
    address = _parse_address(url.host)
    if address is not None and not allowed(address):
        raise BlockedAddress(f"{url.host} is not allowed")


async def _read_head(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """Read until the title is complete or ``max_bytes`` were read (whichever comes first)."""
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        searched_from = max(0, len(body) - 8)
        body += chunk
        if len(body) >= max_bytes:
            return bytes(body[:max_bytes])
        if b"</title" in body[searched_from:].lower():
            break
    return bytes(body)


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.og_title = ""
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.done:
            self._in_title = True
        elif tag == "meta" and not self.og_title:
            values = dict(attrs)
            if (values.get("property") or values.get("name")) == "og:title":
                self.og_title = values.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def title_from_html(head: bytes, charset: str | None = None) -> str | None:
    """The title in (the start of) an HTML page, cleaned up, or None."""
    if charset is None and (found := _META_CHARSET.search(head[:4096])):
        charset = found.group(1).decode("ascii")
    try:
        text = head.decode(charset or "utf-8", errors="replace")
    except LookupError:
        text = head.decode("utf-8", errors="replace")
    parser = _TitleParser()
    parser.feed(text)
    title = "".join(parser.title) if parser.done else ""
    title = " ".join((title or parser.og_title).split())
    title = "".join(ch for ch in title if ch.isprintable())
    if not title:
        return None
    if len(title) > MAX_TITLE_LENGTH:
        title = title[: MAX_TITLE_LENGTH - 1] + "…"
    return title
