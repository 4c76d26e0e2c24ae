from __future__ import annotations

import ipaddress
import time

import pytest

from bot.skills.resources.titles import (
    BlockedAddress,
    CheckedResolver,
    any_address,
    fetch_title,
    is_public_address,
    title_from_html,
)
from tests.fakes.web_pages import web_pages

LOOPBACK = ipaddress.ip_address("127.0.0.1")


def only_the_test_server(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Like the production rule, but letting this test's own loopback server through."""
    return address == LOOPBACK or is_public_address(address)


async def test_the_title_of_a_page() -> None:
    async with web_pages() as pages:
        assert await fetch_title(pages.url("/page"), allowed=any_address) == "Pizza & fractions"
        assert await fetch_title(pages.url("/og"), allowed=any_address) == "Cells, up close"
        assert await fetch_title(pages.url("/latin1"), allowed=any_address) == "Géographie"
        assert await fetch_title(pages.url("/no-title"), allowed=any_address) is None
        assert await fetch_title(pages.url("/missing"), allowed=any_address) is None


async def test_a_page_that_is_not_html_has_no_title() -> None:
    async with web_pages() as pages:
        assert await fetch_title(pages.url("/json"), allowed=any_address) is None


async def test_a_server_that_never_answers_times_out() -> None:
    async with web_pages() as pages:
        started = time.monotonic()
        assert await fetch_title(pages.url("/never"), allowed=any_address, seconds=0.3) is None
        assert time.monotonic() - started < 2


async def test_an_oversized_page_is_read_only_up_to_the_cap() -> None:
    async with web_pages() as pages:
        assert await fetch_title(pages.url("/late-title"), allowed=any_address) is None
        started = time.monotonic()
        assert await fetch_title(pages.url("/endless"), allowed=any_address) is None
        assert time.monotonic() - started < 2  # stopped by the 1 MB cap, not the 3 s timeout
        small_cap = await fetch_title(pages.url("/page"), allowed=any_address, max_bytes=20)
        assert small_cap is None  # the title is past the first 20 bytes


async def test_redirects_are_followed_but_checked_at_every_hop() -> None:
    async with web_pages() as pages:
        follow = await fetch_title(pages.url("/to-page"), allowed=only_the_test_server)
        assert follow == "Pizza & fractions"
        for path in ("/to-private", "/to-metadata", "/to-ftp", "/loop"):
            assert await fetch_title(pages.url(path), allowed=only_the_test_server) is None, path
    assert "/page" in pages.requested


async def test_private_and_loopback_addresses_are_refused_by_default() -> None:
    async with web_pages() as pages:
        assert await fetch_title(pages.url("/page")) is None
        by_name = pages.url("/page").replace("127.0.0.1", "localhost")
        assert await fetch_title(by_name) is None
    assert pages.requested == []


async def test_the_resolver_checks_every_address_of_a_name() -> None:
    resolver = CheckedResolver(is_public_address)
    try:
        with pytest.raises(BlockedAddress, match="localhost resolves to"):
            await resolver.resolve("localhost", 80)
    finally:
        await resolver.close()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_titles_are_cleaned_up() -> None:
    assert title_from_html(b"<title>\n  A\tB  </title>") == "A B"
    assert title_from_html(b"<title>x</title><title>y</title>") == "x"
    assert title_from_html(("<title>" + "a" * 300 + "</title>").encode()) == "a" * 199 + "…"
    assert title_from_html(b"<title>unfinished") is None
    assert title_from_html(b"<title></title>") is None
