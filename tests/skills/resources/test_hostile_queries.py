"""Whatever a member types as search words, the engines see only quoted plain terms."""

from __future__ import annotations

import asyncio
import re

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from bot.skills.resources.search import (
    MAX_TERMS,
    ResourceQuery,
    fts5_query,
    search_resources,
    search_terms,
)
from tests.conftest import START
from tests.support.events import message, text_of

SYNTAX = [
    '"',
    "'",
    "*",
    "-",
    "+",
    "^",
    "(",
    ")",
    ":",
    "::",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR/2",
    "{title",
    "title:",
    ":title",
    "col:x",
    "\\",
    ";",
    "--",
    "/*",
    "'; DROP TABLE resources; --",
    "&",
    "|",
    "!",
    "<->",
    ":*",
    "%",
    "_",
    "é",
    "ß",
    "中文",
    "🙂",
    "fractions",
    "pizza",
    '"pizza',
    "pizza*",
    "-pizza",
    "(pizza OR",
    "NEAR(pizza fractions, 2)",
    "@",
    "<@x>",
    "[",
    "]",
    "}",
    "$1",
    "\u202e",
    "\u0301",
]
FILTER_KEYS = ("subject", "grade", "type", "by", "rating", "page")
hostile_words = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.text(max_size=8)), min_size=1, max_size=8
).map(" ".join)
FOUND_OR_NOT = re.compile(
    r"^(Resources for “.*”|Resources)\b|^Nothing in the library matches that yet"
    r"|^There are no words I can search for in that|^Tell me what to look for",
)


def looks_like_a_filter(words: str) -> bool:
    """Tokens the parser reads as ``key:value`` filters or ``#tags`` (checked on their own)."""
    return any(
        token.startswith("#") or token.lower().startswith(tuple(f"{k}:" for k in FILTER_KEYS))
        for token in words.split()
    )


@given(words=st.text(max_size=300))
def test_terms_are_only_letters_and_digits(words: str) -> None:
    terms = search_terms(words)
    assert len(terms) <= MAX_TERMS
    assert all(re.fullmatch(r"[^\W_]+", term) for term in terms)
    assert all(term == term.lower() for term in terms)
    if terms:
        assert re.fullmatch(r'"[^"\s]+"( "[^"\s]+")*', fts5_query(terms))


def test_syntax_words_become_plain_terms() -> None:
    assert search_terms('NEAR(pizza "fractions*", 2) OR -cake title:pie') == (
        "near",
        "pizza",
        "fractions",
        "2",
        "or",
        "cake",
        "title",
        "pie",
    )
    assert fts5_query(("near", "or")) == '"near" "or"'
    assert search_terms("*** --- ((( :: ") == ()


def test_hostile_search_words_never_fail(settings: Settings) -> None:
    """On each backend: through the whole command path, and straight into the engine."""
    with asyncio.Runner() as runner:
        app = runner.run(start_app(settings, clock=ManualClock(START)))
        try:
            for line in (
                'resource share https://example.org/1 "Pizza fractions" #food',
                'resource share https://example.org/2 "NEAR the OR operator" Quotes " and *',
            ):
                assert "is in the library" in text_of(
                    runner.run(app.dispatcher.handle(message(line)))
                )

            @hypothesis_settings(
                max_examples=60,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(words=hostile_words)
            def check(words: str) -> None:
                replies = runner.run(app.dispatcher.handle(message(f"resource find {words}")))
                shown = text_of(replies)
                assert "something went wrong" not in shown, words
                if not looks_like_a_filter(words):
                    assert FOUND_OR_NOT.search(shown), (words, shown)

                async def engine() -> list[int]:
                    async with app.store.transaction() as session:
                        query = ResourceQuery(terms=search_terms(words))
                        return await search_resources(session, 1, query, limit=10)

                assert set(runner.run(engine())) <= {1, 2}

            check()
        finally:
            runner.run(app.close())
