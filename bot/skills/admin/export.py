"""``admin export``: every row of the community as one zip file (JSON, plus a CSV per table)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.members import TenantInfo
from bot.storage.tenant_data import TableRows, tenant_rows

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, kw_only=True, slots=True)
class TenantExport:
    filename: str
    content: bytes
    tables: int
    rows: int


async def export_tenant(session: AsyncSession, tenant: TenantInfo, now: datetime) -> TenantExport:
    """The zip: ``staffroom.json`` (every table) and ``<table>.csv`` for each table."""
    dump = await tenant_rows(session, tenant.id)
    document = {
        "community": {"platform": tenant.platform, "id": tenant.external_id, "name": tenant.name},
        "exported_at": now.isoformat(),
        "tables": {table.name: table.rows for table in dump},
    }
    buffer = io.BytesIO()
    stamp = now.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("staffroom.json", date_time=stamp),
            json.dumps(document, ensure_ascii=False, indent=2),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        for table in dump:
            archive.writestr(
                zipfile.ZipInfo(f"{table.name}.csv", date_time=stamp),
                _csv(table),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    slug = re.sub(r"[^\w\-]+", "-", tenant.external_id).strip("-")[:40] or "community"
    return TenantExport(
        filename=f"staffroom-{slug}-{now:%Y%m%d-%H%M}.zip",
        content=buffer.getvalue(),
        tables=len(dump),
        rows=sum(len(table.rows) for table in dump),
    )


def _csv(table: TableRows) -> str:
    """One table as CSV; nested values (JSON columns) are written as JSON text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value  # members wrote this text: never let a spreadsheet run it
    return str(value)
