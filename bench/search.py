"""``resource find`` over 100,000 generated resources, on SQLite and on PostgreSQL.

Data: one community with 500 members and 100,000 resources written with bulk Core inserts
(the migration's triggers and generated column keep the full-text index in step). Titles,
tags and descriptions draw on an 8,000-word vocabulary of teaching words and made-up words
with Zipf-like frequencies, plus common English words; subjects, grade bands, types,
sharers and ratings vary.

Queries: 1,000 ``resource find`` lines of 1–3 words taken from a random resource's title or
description; half also carry one or two filters (subject, grade, type, #tag, by:@member,
rating:>=N) taken from that resource. Latency is the whole command — event in, reply out
(the first page, 5 results) — through the dispatcher, as the console sends it; p50/p95 are
medians over the runs after a warm-up. recall@10 compares the first ten ids of the skill's
search with the true top ten of a brute-force scorer (``_search_reference``); ties with the
tenth count as hits.

PostgreSQL runs in its own schema (dropped first) of ``--postgres URL``, else
``STAFFROOM_TEST_DATABASE_URL``, else postgresql+asyncpg://postgres@127.0.0.1:5432/test; the
schema is ANALYZEd after loading, as autovacuum would. When it can't be reached, its figures
are null and ``postgres_error`` says why.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import emit, median, parse_args, peak_rss_mb, percentile
from _search_reference import Bm25, Corpus, Scored, TsRank, recall_at
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from bot.app import App, start_app
from bot.community.vocabulary import GRADE_LEVELS
from bot.core.clock import ManualClock
from bot.core.events import Actor, Event, EventKind, Place, TenantRef
from bot.settings import Settings
from bot.skills.resources.models import Resource, ResourceTag
from bot.skills.resources.search import (
    BM25_WEIGHTS,
    TEXT_SEARCH_CONFIG,
    ResourceQuery,
    search_resources,
    search_terms,
)
from bot.skills.resources.vocabulary import KINDS, grade_mask
from bot.storage.errors import StartupError
from bot.storage.models import Member

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SCHEMA = "staffroom_bench_search"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MEMBERS = 500
VOCABULARY = 8000
ZIPF_OFFSET = 50
"""Word frequencies fall as 1/(rank + 50): the most common content word is about 0.4% of
the words, and in about one resource in eight, as in a real library's descriptions."""
SUBJECTS = (
    "math",
    "science",
    "english",
    "history",
    "biology",
    "chemistry",
    "physics",
    "art",
    "music",
    "computer science",
    "geography",
    "physical education",
)
_TEACHING_TEXT = (
    "fractions decimals algebra geometry equations graphs statistics probability ratios "
    "photosynthesis cells ecosystems evolution genetics atoms molecules energy forces motion "
    "electricity magnets circuits volcanoes earthquakes weather climate oceans rivers maps "
    "reading writing poetry grammar vocabulary spelling phonics stories novels essays "
    "debate speaking listening drama history revolution empire democracy citizenship "
    "painting drawing sculpture music rhythm melody coding robots algorithms spreadsheets "
    "games puzzles projects experiments worksheets quizzes rubrics lessons videos podcasts "
    "assessment feedback differentiation inclusion behaviour wellbeing mindfulness teamwork "
    "planets stars moon solar plants animals insects birds habitats seasons water soil "
    "measurement time money shapes patterns counting multiplication division addition "
    "subtraction percentages integers functions calculus trigonometry vectors matrices"
)
TEACHING_WORDS = _TEACHING_TEXT.split()
_COMMON_TEXT = "the and for with of a to in your how from on about"
COMMON_WORDS = _COMMON_TEXT.split()


@dataclass
class Generated:
    """The corpus as the brute-force scorer and the loader both see it."""

    vocabulary: list[str]
    documents: list[tuple[list[int], list[int], list[int]]]
    rows: list[dict[str, Any]]
    tags: list[list[str]]


@dataclass(frozen=True)
class QuerySpec:
    words: str
    subject: str | None = None
    grade: str | None = None
    kind: str | None = None
    tag: str | None = None
    by: int | None = None
    """A member index (``m17``)."""
    min_stars: int | None = None

    @property
    def filtered(self) -> bool:
        return any(
            value is not None
            for value in (self.subject, self.grade, self.kind, self.tag, self.by, self.min_stars)
        )

    def line(self) -> str:
        parts = ["resource find", self.words]
        if self.subject:
            parts.append(f'subject:"{self.subject}"')
        if self.grade:
            parts.append(f"grade:{self.grade}")
        if self.kind:
            parts.append(f"type:{self.kind}")
        if self.tag:
            parts.append(f"#{self.tag}")
        if self.by is not None:
            parts.append(f"by:@m{self.by}")
        if self.min_stars is not None:
            parts.append(f"rating:>={self.min_stars}")
        return " ".join(parts)

    def query(self, member_ids: Sequence[int]) -> ResourceQuery:
        return ResourceQuery(
            terms=search_terms(self.words),
            subject=self.subject,
            grade_mask=grade_mask(_levels(self.grade)) if self.grade else 0,
            kind=self.kind,
            tags=(self.tag,) if self.tag else (),
            shared_by=member_ids[self.by] if self.by is not None else None,
            min_rating_tenths=self.min_stars * 10 if self.min_stars is not None else None,
        )


def _levels(grade: str) -> list[str]:
    low, _, high = grade.partition("-")
    first = GRADE_LEVELS.index(low.lower())
    return list(GRADE_LEVELS[first : GRADE_LEVELS.index((high or low).lower()) + 1])


def vocabulary(rnd: random.Random, size: int) -> list[str]:
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = dict.fromkeys(TEACHING_WORDS)
    while len(words) < size - len(COMMON_WORDS):
        word = "".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4)))
        words.setdefault(word)
    return [*COMMON_WORDS, *words]


def generate(count: int, seed: int = 7) -> Generated:
    rnd = random.Random(seed)
    vocab = vocabulary(rnd, VOCABULARY)
    common = list(range(len(COMMON_WORDS)))
    content = list(range(len(COMMON_WORDS), len(vocab)))
    rnd.shuffle(content)
    weights = list(itertools.accumulate(1 / (rank + ZIPF_OFFSET) for rank in range(len(content))))
    tag_words = content[:300]
    tag_weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(tag_words))))
    sharer_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(MEMBERS)))

    def words(low: int, high: int, common_share: float) -> list[int]:
        picked = rnd.choices(content, cum_weights=weights, k=rnd.randint(low, high))
        for i in range(len(picked)):
            if rnd.random() < common_share:
                picked[i] = rnd.choice(common)
        return picked

    documents, rows, tags = [], [], []
    for i in range(count):
        title = words(3, 7, 0.15)
        description = words(8, 30, 0.3)
        tag_ids = list(
            dict.fromkeys(rnd.choices(tag_words, cum_weights=tag_weights, k=rnd.randint(1, 4)))
        )
        low = rnd.randrange(len(GRADE_LEVELS))
        high = min(len(GRADE_LEVELS) - 1, low + rnd.randint(0, 3))
        rated = rnd.random() < 0.4
        count_ratings = rnd.randint(1, 12) if rated else 0
        total = sum(rnd.choice((2, 3, 4, 4, 5, 5)) for _ in range(count_ratings))
        documents.append((title, tag_ids, description))
        tags.append([vocab[t] for t in tag_ids])
        rows.append(
            {
                "id": i + 1,
                "url": f"https://example.org/resources/{i + 1}",
                "url_key": f"example.org/resources/{i + 1}",
                "title": " ".join(vocab[w] for w in title).capitalize(),
                "description": " ".join(vocab[w] for w in description),
                "tags": " ".join(vocab[t] for t in tag_ids),
                "kind": rnd.choice(KINDS),
                "subject": rnd.choice(SUBJECTS),
                "grade_mask": grade_mask(GRADE_LEVELS[low : high + 1]),
                "sharer": rnd.choices(range(MEMBERS), cum_weights=sharer_weights)[0],
                "source": "chat",
                "created_at": START - timedelta(minutes=count - i),
                "removal_reason": "",
                "rating_count": count_ratings,
                "rating_total": total,
            }
        )
    return Generated(vocabulary=vocab, documents=documents, rows=rows, tags=tags)


def make_queries(data: Generated, count: int, seed: int = 11) -> list[QuerySpec]:
    rnd = random.Random(seed)
    queries = []
    for n in range(count):
        index = rnd.randrange(len(data.rows))
        row = data.rows[index]
        title, _, description = data.documents[index]
        source = title if rnd.random() < 0.7 else description
        picked = rnd.sample(source, min(len(source), rnd.choice((1, 1, 2, 2, 3))))
        if all(word < len(COMMON_WORDS) for word in picked):  # nobody searches for "the"
            picked[0] = rnd.choice([w for w in title + description if w >= len(COMMON_WORDS)])
        spec = QuerySpec(words=" ".join(data.vocabulary[w] for w in picked))
        if n % 2:
            options = ["subject", "grade", "type", "tag", "by"]
            if row["rating_count"]:
                options.append("rating")
            chosen = set(rnd.sample(options, rnd.choice((1, 2))))
            levels = [lv for i, lv in enumerate(GRADE_LEVELS) if row["grade_mask"] >> i & 1]
            average = row["rating_total"] / max(row["rating_count"], 1)
            spec = QuerySpec(
                words=spec.words,
                subject=row["subject"] if "subject" in chosen else None,
                grade=rnd.choice(levels) if "grade" in chosen else None,
                kind=row["kind"] if "type" in chosen else None,
                tag=rnd.choice(data.tags[index]) if "tag" in chosen else None,
                by=row["sharer"] if "by" in chosen else None,
                min_stars=int(average) if "rating" in chosen else None,
            )
        queries.append(spec)
    return queries


def keeper(data: Generated, spec: QuerySpec, tag_sets: list[set[str]]) -> Any:
    """The filters of ``spec`` as a Python predicate over document indexes."""
    mask = grade_mask(_levels(spec.grade)) if spec.grade else 0

    def keep(index: int) -> bool:
        row = data.rows[index]
        return (
            (spec.subject is None or row["subject"] == spec.subject)
            and (not mask or row["grade_mask"] & mask != 0)
            and (spec.kind is None or row["kind"] == spec.kind)
            and (spec.tag is None or spec.tag in tag_sets[index])
            and (spec.by is None or row["sharer"] == spec.by)
            and (
                spec.min_stars is None
                or (
                    row["rating_count"]
                    and row["rating_total"] >= spec.min_stars * row["rating_count"]
                )
            )
        )

    return keep


# --- loading ------------------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    settings: Settings
    app: App | None = None
    tenant_id: int = 0
    member_ids: list[int] = field(default_factory=list)


_ids = itertools.count(1)


def find_event(line: str) -> Event:
    return Event(
        kind=EventKind.MESSAGE,
        event_id=f"bench-search-{next(_ids)}",
        tenant=TenantRef(platform="console", external_id="bench", name="bench"),
        actor=Actor(user_id="bencher", display_name="Bencher"),
        place=Place(channel_id="general"),
        text=line,
    )


async def load(backend: Backend, data: Generated) -> float:
    started = time.perf_counter()
    app = backend.app = await start_app(backend.settings, clock=ManualClock(START))
    await app.dispatcher.handle(find_event("help"))  # creates the community and the bencher
    async with app.store.transaction() as session:
        backend.tenant_id = int(await session.scalar(text("SELECT id FROM tenants")))
        await session.execute(
            insert(Member),
            [
                {
                    "tenant_id": backend.tenant_id,
                    "user_id": f"m{i}",
                    "display_name": f"Member {i}",
                    "granted_role": 0,
                    "created_at": START,
                }
                for i in range(MEMBERS)
            ],
        )
        found = await session.execute(
            select(Member.user_id, Member.id).where(Member.tenant_id == backend.tenant_id)
        )
        by_user = {user_id: member_id for user_id, member_id in found}
        backend.member_ids = [by_user[f"m{i}"] for i in range(MEMBERS)]
    batch = 5000
    for start in range(0, len(data.rows), batch):
        chunk = data.rows[start : start + batch]
        async with app.store.transaction() as session:
            await session.execute(
                insert(Resource),
                [
                    {
                        **{k: v for k, v in row.items() if k != "sharer"},
                        "number": row["id"],
                        "tenant_id": backend.tenant_id,
                        "shared_by_member_id": backend.member_ids[row["sharer"]],
                    }
                    for row in chunk
                ],
            )
            await session.execute(
                insert(ResourceTag),
                [
                    {"resource_id": row["id"], "tag": tag, "tenant_id": backend.tenant_id}
                    for row, row_tags in zip(chunk, data.tags[start : start + batch], strict=True)
                    for tag in row_tags
                ],
            )
    if app.store.dialect == "postgresql":
        async with app.store.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


# --- lexemes, as each engine makes them -------------------------------------------------------


async def sqlite_lexemes(backend: Backend, words: list[str]) -> list[str | None]:
    """Tokenize each word with the tokenizer the migration gave ``resources_fts``."""
    assert backend.app is not None
    async with backend.app.store.transaction() as session:
        sql = await session.scalar(text("SELECT sql FROM sqlite_master WHERE name='resources_fts'"))
    match = re.search(r"tokenize\s*=\s*'([^']*)'", str(sql))
    tokenizer = match.group(1) if match else "unicode61"
    scratch = sqlite3.connect(":memory:")
    scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(w, tokenize='{tokenizer}')")
    scratch.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", enumerate(words, 1))
    scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    terms: dict[int, str] = {doc: term for term, doc in scratch.execute("SELECT term, doc FROM v")}
    scratch.close()
    return [terms.get(i) for i in range(1, len(words) + 1)]


async def postgres_lexemes(backend: Backend, words: list[str]) -> list[str | None]:
    """``to_tsvector`` of each word with the configuration the document uses."""
    assert backend.app is not None
    async with backend.app.store.transaction() as session:
        rows = await session.execute(
            text(
                "SELECT w, (SELECT min(lexeme) FROM unnest(to_tsvector("
                f"'{TEXT_SEARCH_CONFIG}'::regconfig, w))) FROM unnest(CAST(:words AS text[])) AS w"
            ),
            {"words": words},
        )
        found = {word: lexeme for word, lexeme in rows}
    return [found.get(word) for word in words]


# --- measuring ----------------------------------------------------------------------------------


async def latencies(backend: Backend, queries: list[QuerySpec]) -> list[float]:
    assert backend.app is not None
    handle = backend.app.dispatcher.handle
    measured = []
    for spec in queries:
        event = find_event(spec.line())
        t0 = time.perf_counter()
        replies = await handle(event)
        measured.append((time.perf_counter() - t0) * 1000)
        if not replies or "something went wrong" in replies[0].text:
            raise RuntimeError(f"{spec.line()!r} failed: {replies}")
    return measured


async def engine_top(backend: Backend, spec: QuerySpec) -> list[int]:
    assert backend.app is not None
    async with backend.app.store.transaction() as session:
        return await search_resources(
            session, backend.tenant_id, spec.query(backend.member_ids), limit=10
        )


async def measure(
    backend: Backend, data: Generated, queries: list[QuerySpec], runs: int
) -> dict[str, Any]:
    load_seconds = await load(backend, data)
    assert backend.app is not None
    try:
        await latencies(backend, queries[: max(20, len(queries) // 10)])  # warm-up
        rounds = [await latencies(backend, queries) for _ in range(runs)]
        if backend.name == "sqlite":
            lexemes = await sqlite_lexemes(backend, data.vocabulary)
        else:
            lexemes = await postgres_lexemes(backend, data.vocabulary)
        corpus = Corpus(data.documents, lexemes)
        by_word = {word: lexemes[i] for i, word in enumerate(data.vocabulary)}
        bm25 = Bm25(corpus, BM25_WEIGHTS)
        ts_rank = TsRank(corpus)
        tag_sets = [set(tags) for tags in data.tags]
        recalls = []
        for spec in queries:
            terms = search_terms(spec.words)
            phrases = [by_word.get(term) for term in terms]
            keep = keeper(data, spec, tag_sets)
            truth: list[Scored]
            if backend.name == "sqlite":
                truth = bm25.rank([p for p in phrases if p is not None], keep)
            else:
                truth = ts_rank.rank([p for p in phrases if p is not None], keep)
            recalls.append(recall_at(10, truth, await engine_top(backend, spec)))
    finally:
        await backend.app.close()
    filtered = [
        ms for run in rounds for ms, spec in zip(run, queries, strict=True) if spec.filtered
    ]
    return {
        "p50_ms": round(median([percentile(r, 0.5) for r in rounds]), 2),
        "p95_ms": round(median([percentile(r, 0.95) for r in rounds]), 2),
        "filtered_p95_ms": round(percentile(filtered, 0.95), 2),
        "recall_at_10": round(sum(recalls) / len(recalls), 4),
        "load_s": round(load_seconds, 1),
    }


def postgres_url(option: str | None) -> str:
    return option or os.environ.get("STAFFROOM_TEST_DATABASE_URL") or DEFAULT_POSTGRES


async def reset_schema(url: str) -> None:
    from bot.storage.engine import open_store

    store = open_store(url, exclusive=False)
    try:
        async with store.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
    finally:
        await store.close()


async def main(args: argparse.Namespace) -> None:
    count = 5_000 if args.quick else 100_000
    query_count = 100 if args.quick else 1_000
    runs = 1 if args.quick else 3
    data = generate(count)
    queries = make_queries(data, query_count)
    figures: dict[str, Any] = {"queries": query_count}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Backend(
            name="sqlite",
            settings=Settings(database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"),
        )
        for key, value in (await measure(sqlite, data, queries, runs)).items():
            figures[f"sqlite_{key}"] = value
    url = postgres_url(args.postgres)
    try:
        await reset_schema(url)
        postgres = Backend(
            name="postgres", settings=Settings(database_url=url, database_schema=SCHEMA)
        )
        result = await measure(postgres, data, queries, runs)
        await reset_schema(url)
    except (OSError, DBAPIError, StartupError) as exc:
        result = {key: None for key in ("p50_ms", "p95_ms", "recall_at_10")}
        figures["postgres_error"] = f"{type(exc).__name__}: {exc}"[:200]
    for key, value in result.items():
        figures[f"postgres_{key}"] = value
    figures["peak_rss_mb"] = peak_rss_mb()
    emit("search", count, figures)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL URL (asyncpg)")


if __name__ == "__main__":
    asyncio.run(main(parse_args(__doc__ or "", extra=_options)))
