"""Ranked full-text search over one tenant's library, on SQLite (FTS5) and PostgreSQL.

A member's words never reach either engine as query syntax. ``search_terms`` keeps only runs
of letters and digits — quotes, ``*``, ``-``, parentheses, colons and the like separate words
and are dropped — and each engine query is built from those terms alone: on SQLite every term
is a double-quoted FTS5 string (so ``OR``, ``NEAR`` or ``NOT`` are plain words), on
PostgreSQL the terms go through ``plainto_tsquery``, which reads no operators at all. Every
term must match (AND).

Ranking: SQLite's ``bm25`` with column weights title 10, tags 5, description 1; PostgreSQL's
``ts_rank`` over a document weighted title A (1.0), tags B (0.4), description C (0.2). Ties
go to the newer resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, func

from bot.community.subjects import family
from bot.skills.resources.models import Resource, ResourceTag

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
BM25_WEIGHTS = (10.0, 5.0, 1.0)
"""Title, tags, description (the FTS5 column order)."""
TEXT_SEARCH_CONFIG = "english"
_TERM = re.compile(r"[^\W_]+")
_FTS = table("resources_fts")
_FTS_ROWID: ColumnElement[int] = literal_column("resources_fts.rowid")
_FTS_MATCH = text("resources_fts MATCH :match")
_BM25: ColumnElement[float] = literal_column(
    f"bm25(resources_fts, {', '.join(map(str, BM25_WEIGHTS))})"
)
_DOCUMENT = literal_column("resources.search_document", TSVECTOR)


def search_terms(words: str) -> tuple[str, ...]:
    """A member's words as plain lower-case terms (at most ``MAX_TERMS``, duplicates dropped)."""
    terms: list[str] = []
    for match in _TERM.finditer(words.lower()):
        term = match.group(0)[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
            if len(terms) == MAX_TERMS:
                break
    return tuple(terms)


def fts5_query(terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH expression requiring every term, each as a quoted string."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def postgres_words(terms: tuple[str, ...]) -> str:
    """The text handed to ``plainto_tsquery`` (which ANDs the words and reads no operators)."""
    return " ".join(terms)


@dataclass(frozen=True, kw_only=True, slots=True)
class ResourceQuery:
    """What ``resource find`` asks for; empty fields do not filter."""

    terms: tuple[str, ...] = ()
    subject: str | None = None
    grade_mask: int = 0
    """Resources for any of these grade levels."""
    kind: str | None = None
    tags: tuple[str, ...] = ()
    """Resources with every one of these tags."""
    shared_by: int | None = None
    min_rating_tenths: int | None = None
    """Average rating at least this many tenths of a star (``rating:>=4`` → 40)."""

    @property
    def has_filters(self) -> bool:
        return bool(
            self.subject
            or self.grade_mask
            or self.kind
            or self.tags
            or self.shared_by is not None
            or self.min_rating_tenths is not None
        )


async def search_resources(
    session: AsyncSession, tenant_id: int, query: ResourceQuery, *, limit: int, offset: int = 0
) -> list[int]:
    """Ids of matching resources, best first (newest first when there are no words)."""
    if not query.terms:
        statement = _browse(tenant_id, query)
    elif session.get_bind().dialect.name == "postgresql":
        statement = _postgres_search(tenant_id, query)
    else:
        statement = _sqlite_search(tenant_id, query)
    rows = await session.scalars(statement.limit(limit).offset(offset))
    return list(rows)


def _browse(tenant_id: int, query: ResourceQuery) -> Select[Any]:
    """Filters alone, newest (highest id) first.

    With a tag, the walk starts from that tag's rows in ``(tenant_id, tag, resource_id)``
    order: both planners would otherwise walk every resource newest first, hoping to meet
    the tag soon, which never ends well for a rare tag.
    """
    if not query.tags:
        return _filtered(select(Resource.id), tenant_id, query).order_by(Resource.id.desc())
    first, *others = query.tags
    statement = (
        select(Resource.id)
        .select_from(ResourceTag)
        .join(Resource, Resource.id == ResourceTag.resource_id)
        .where(ResourceTag.tenant_id == tenant_id, ResourceTag.tag == first)
    )
    rest = replace(query, tags=tuple(others))
    return _filtered(statement, tenant_id, rest).order_by(ResourceTag.resource_id.desc())


def _sqlite_search(tenant_id: int, query: ResourceQuery) -> Select[Any]:
    statement = (
        select(Resource.id)
        .select_from(_FTS)
        .join(Resource, Resource.id == _FTS_ROWID)
        .where(_FTS_MATCH.bindparams(match=fts5_query(query.terms)))
    )
    return _filtered(statement, tenant_id, query).order_by(_BM25, Resource.id.desc())


def _postgres_search(tenant_id: int, query: ResourceQuery) -> Select[Any]:
    tsquery = func.plainto_tsquery(
        literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig"), postgres_words(query.terms)
    ).alias("query")
    statement = (
        select(Resource.id).select_from(Resource).join(tsquery, _DOCUMENT.op("@@")(tsquery.column))
    )
    rank = func.ts_rank(_DOCUMENT, tsquery.column)
    return _filtered(statement, tenant_id, query).order_by(rank.desc(), Resource.id.desc())


def _filtered(statement: Select[Any], tenant_id: int, query: ResourceQuery) -> Select[Any]:
    statement = statement.where(Resource.tenant_id == tenant_id, Resource.removed_at.is_(None))
    if query.subject:
        statement = statement.where(Resource.subject.in_(family(query.subject)))
    if query.grade_mask:
        statement = statement.where(Resource.grade_mask.op("&")(query.grade_mask) != 0)
    if query.kind:
        statement = statement.where(Resource.kind == query.kind)
    for tag in query.tags:
        statement = statement.where(
            Resource.id.in_(
                select(ResourceTag.resource_id).where(
                    ResourceTag.tenant_id == tenant_id, ResourceTag.tag == tag
                )
            )
        )
    if query.shared_by is not None:
        statement = statement.where(Resource.shared_by_member_id == query.shared_by)
    if query.min_rating_tenths is not None:
        statement = statement.where(
            Resource.rating_count > 0,
            Resource.rating_total * 10 >= query.min_rating_tenths * Resource.rating_count,
        )
    return statement
