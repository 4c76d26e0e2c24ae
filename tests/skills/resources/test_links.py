from __future__ import annotations

import pytest

from bot.skills.resources.links import check_web_url, links_in, url_key


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.org/pizza",
        "http://example.org/pizza",
        "https://EXAMPLE.org/pizza/",
        "https://www.example.org/pizza",
        "https://example.org:443/pizza",
        "https://example.org/pizza#part-2",
        "https://example.org/pizza?utm_source=news&utm_medium=email",
        "https://example.org/pizza?fbclid=abc",
        "https://user@example.org/pizza",
        "https://example.org/%70izza",
    ],
)
def test_the_same_page_has_one_key(variant: str) -> None:
    assert url_key(variant) == url_key("https://example.org/pizza") == "example.org/pizza"


def test_different_pages_have_different_keys() -> None:
    keys = {
        url_key(url)
        for url in (
            "https://example.org/pizza",
            "https://example.org/Pizza",
            "https://example.org/pizza?page=2",
            "https://example.org:8443/pizza",
            "https://example.com/pizza",
            "https://docs.example.org/pizza",
        )
    }
    assert len(keys) == 6
    assert url_key("https://example.org/a?b=2&a=1") == url_key("https://example.org/a?a=1&b=2")
    assert url_key("https://bücher.example/x") == "xn--bcher-kva.example/x"


def test_links_in_a_message() -> None:
    text = (
        "See https://example.org/a, and (https://example.org/b). Slack: <https://example.org/c|c> "
        "again https://example.org/a but not ftp://example.org/d or http:// alone"
    )
    assert links_in(text) == [
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    ]


@pytest.mark.parametrize(
    "raw",
    ["ftp://example.org", "example.org", "https://", "https://exa mple.org", "http://x:99999/"],
)
def test_what_is_not_a_web_link(raw: str) -> None:
    with pytest.raises(ValueError, match="not a web link"):
        check_web_url(raw)


def test_overlong_links_are_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        check_web_url("https://example.org/" + "a" * 1000)
