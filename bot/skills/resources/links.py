"""Web links: checking them, finding them in messages, and the key duplicates share."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from bot.core.i18n import lazy

MAX_URL_LENGTH = 1000
_LINK = re.compile(r"https?://[^\s<>|\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid)$", re.I)
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def check_web_url(raw: str) -> str:
    """The link as given if it is an http(s) URL with a host; raises ``ValueError`` otherwise."""
    url = raw.strip().strip("<>").split("|", 1)[0]
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(
            lazy("That link is too long (at most {limit} characters).", limit=MAX_URL_LENGTH)
        )
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        scheme, host = "", None
    if scheme not in _DEFAULT_PORTS or not host or any(c.isspace() for c in url):
        shown = url if len(url) <= 60 else url[:59] + "…"
        raise ValueError(
            lazy("`{link}` is not a web link; links start with http:// or https://.", link=shown)
        ) from None
    return url


def links_in(text: str) -> list[str]:
    """The distinct http(s) links in a message, in order (trailing punctuation left out)."""
    found: list[str] = []
    for match in _LINK.finditer(text):
        link = match.group(0).rstrip(_TRAILING)
        try:
            link = check_web_url(link)
        except ValueError:
            continue
        if link not in found:
            found.append(link)
    return found


def url_key(url: str) -> str:
    """What two links to the same page have in common.

    Scheme, ``www.``, default ports, letter case of the host, fragments, trailing slashes,
    percent-encoding differences, the order of query parameters and tracking parameters
    (``utm_*``, ``fbclid``…) are all ignored.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    with contextlib.suppress(UnicodeError):  # a name IDNA can't encode is kept as typed
        host = host.encode("idna").decode("ascii")
    host = host.lower().removeprefix("www.")
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(name)
    )
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key[:MAX_URL_LENGTH]


def host_of(url: str) -> str:
    """The host a link points at, without ``www.`` (for short labels)."""
    return (urlsplit(url).hostname or url).removeprefix("www.")
