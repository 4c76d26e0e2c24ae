"""A community's rows read generically through ``Base.metadata``, for exports.

Every table that belongs to a tenant is found without a list to keep up to date: a table with
a ``tenant_id`` column, one that hangs off ``members`` through a foreign key, and the tenant's
own row. A table or column that must never leave the store (a token, a secret) opts out with
``info={"export": False}`` on its ``Table`` (``__table_args__``) or ``mapped_column``.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.base import Base
from bot.storage.models import Member, Tenant

EXPORT_INFO_KEY = "export"


def tenant_scope(table: Table, tenant_id: int) -> ColumnElement[bool] | None:
    """The condition that picks ``tenant_id``'s rows of ``table``; None for global tables."""
    if table is Tenant.__table__:
        return Tenant.id == tenant_id
    if "tenant_id" in table.c:
        return table.c.tenant_id == tenant_id
    for column in table.c:
        if any(fk.column is Member.__table__.c.id for fk in column.foreign_keys):
            return column.in_(select(Member.id).where(Member.tenant_id == tenant_id))
    return None


def exported_tables() -> list[Table]:
    """Tables holding community data that may be exported, in dependency order."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.info.get(EXPORT_INFO_KEY, True) and tenant_scope(table, 0) is not None
    ]


@dataclass(frozen=True, kw_only=True, slots=True)
class TableRows:
    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    """JSON-ready rows, ordered by primary key."""


async def tenant_rows(session: AsyncSession, tenant_id: int) -> list[TableRows]:
    """Every exported table with the tenant's rows in it (possibly none)."""
    dump: list[TableRows] = []
    for table in exported_tables():
        scope = tenant_scope(table, tenant_id)
        assert scope is not None
        columns = [c for c in table.c if c.info.get(EXPORT_INFO_KEY, True)]
        result = await session.execute(
            select(*columns).where(scope).order_by(*table.primary_key.columns)
        )
        rows = [
            {column.name: json_ready(value) for column, value in zip(columns, row, strict=True)}
            for row in result
        ]
        dump.append(TableRows(name=table.name, columns=tuple(c.name for c in columns), rows=rows))
    return dump


def json_ready(value: Any) -> Any:
    """``value`` made of JSON types only: times as ISO 8601, bytes as base64, tuples as lists."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return json_ready(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_ready(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)
