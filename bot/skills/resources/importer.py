"""Loading a network's existing resource list from CSV or JSON.

Columns (CSV header, or JSON object keys): ``url`` (needed), ``title``, ``description``,
``type``, ``subject``, ``grades``, ``tags`` — the same fields as the share form, checked by
the same parsers. Every row that can't be stored is skipped with the reason; the rest are
imported in one transaction. Titles are not fetched: a row without one is titled by its link.
A type outside Staffroom's list (``worksheet``) is kept as ``other``, with the type as a tag and
a note in the report.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.skills.resources import library as lib
from bot.skills.resources.links import url_key
from bot.skills.resources.vocabulary import (
    FIELD_PARSERS,
    KINDS,
    MAX_TAGS,
    MAX_TITLE_LENGTH,
    parse_tags,
)

FORMATS = ("csv", "json")
MAX_FILE_BYTES = 20_000_000
_ALIASES = {
    "link": "url",
    "name": "title",
    "kind": "type",
    "grade": "grades",
    "summary": "description",
    "tag": "tags",
}


class ImportFileError(Exception):
    """The file as a whole can't be read; the message says why in one sentence."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceRow:
    """One row of the file: where it was (``line 4``, ``item 3``) and its values by field."""

    where: str
    values: Mapping[str, str]


@dataclass(frozen=True, kw_only=True, slots=True)
class SkippedRow:
    where: str
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RowNote:
    """Something changed in a row that was imported (an unknown type kept as ``other``)."""

    where: str
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportReport:
    imported: int
    skipped: tuple[SkippedRow, ...]
    ignored_columns: tuple[str, ...]
    notes: tuple[RowNote, ...] = ()

    def lines(self, *, into: str) -> list[str]:
        """The report as people read it, in the console, the CLI and chat alike."""
        count = self.imported
        lines = [f"Imported {count} resource{'s' if count != 1 else ''} into {into}."]
        if self.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(self.ignored_columns) + ".")
        if self.notes:
            lines.append(f"Kept with a change ({len(self.notes)}):")
            lines += [f"  {note.where}: {note.text}" for note in self.notes]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} row{'s' if len(self.skipped) != 1 else ''}:")
            lines += [f"  {row.where}: {row.reason}" for row in self.skipped]
        return lines


def read_file(path: Path, file_format: str | None = None) -> tuple[list[SourceRow], set[str]]:
    """The rows of a CSV or JSON file (format from the suffix unless given), and the columns
    that are not resource fields."""
    chosen = (file_format or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ImportFileError(
            f"I can't tell the format of {path.name}; name it .csv or .json, or pass --format."
        )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"{path.name} is larger than {MAX_FILE_BYTES:,} bytes.")
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"I can't read {path}: {exc}.") from None
    return read_csv(content) if chosen == "csv" else read_json(content)


def read_upload(name: str, content: bytes) -> tuple[list[SourceRow], set[str]]:
    """The rows of a file attached in chat (or pasted in the console): the format from the
    name's suffix, else from the content (JSON starts with ``[`` or ``{``)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{name} is not a UTF-8 text file.") from None
    suffix = Path(name).suffix.lstrip(".").lower()
    if suffix not in FORMATS and suffix not in ("", "txt"):
        raise ImportFileError(f"I can read .csv and .json files, not {name}.")
    if suffix == "json" or (suffix not in FORMATS and text.lstrip()[:1] in ("[", "{")):
        return read_json(text)
    return read_csv(text)


def read_csv(content: str) -> tuple[list[SourceRow], set[str]]:
    reader = csv.DictReader(io.StringIO(content))
    if not reader.fieldnames:
        raise ImportFileError("The CSV file has no header row (url, title, tags, …).")
    columns = {name: _field(name) for name in reader.fieldnames if name}
    rows = []
    for record in reader:
        values = {columns[k]: (v or "") for k, v in record.items() if k in columns and v}
        rows.append(SourceRow(where=f"line {reader.line_num}", values=values))
    return rows, {name for name, field in columns.items() if field not in FIELD_PARSERS}


def read_json(content: str) -> tuple[list[SourceRow], set[str]]:
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise ImportFileError(f"The JSON file is not valid JSON ({exc}).") from None
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        data = data["resources"]
    if not isinstance(data, list):
        raise ImportFileError('The JSON file must be a list of objects (or {"resources": [...]}).')
    rows: list[SourceRow] = []
    unknown: set[str] = set()
    for number, item in enumerate(data, 1):
        where = f"item {number}"
        if not isinstance(item, dict):
            rows.append(SourceRow(where=where, values={"": "not an object"}))
            continue
        values = {_field(str(k)): _text(v) for k, v in item.items()}
        unknown |= {str(k) for k in item if _field(str(k)) not in FIELD_PARSERS}
        rows.append(SourceRow(where=where, values=values))
    return rows, unknown


def _field(column: str) -> str:
    name = column.strip().lower()
    return _ALIASES.get(name, name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


async def import_rows(
    session: AsyncSession,
    tenant_id: int,
    rows: Iterable[SourceRow],
    *,
    ignored_columns: Iterable[str] = (),
    now: datetime,
) -> ImportReport:
    """Store every row that is a new, valid resource; report the others and why."""
    skipped: list[SkippedRow] = []
    notes: list[RowNote] = []
    seen: dict[str, str] = {}
    imported = 0
    for row in rows:
        reason, new = await _check_row(session, tenant_id, row, seen)
        if new is None:
            skipped.append(SkippedRow(where=row.where, reason=reason))
            continue
        if reason:
            notes.append(RowNote(where=row.where, text=reason))
        seen[new.url_key] = row.where
        await lib.add_resource(session, tenant_id, new, shared_by=None, now=now, source="import")
        imported += 1
    return ImportReport(
        imported=imported,
        skipped=tuple(skipped),
        ignored_columns=tuple(sorted(ignored_columns)),
        notes=tuple(notes),
    )


async def _check_row(
    session: AsyncSession, tenant_id: int, row: SourceRow, seen: Mapping[str, str]
) -> tuple[str, lib.NewResource | None]:
    """The resource a row stores, with a note when something was changed (or, when it is
    None, why the row is skipped)."""
    if "" in row.values:
        return row.values[""], None
    if not row.values.get("url", "").strip():
        return "no url", None
    values: dict[str, Any] = {}
    unknown_type = ""
    for name, parse in FIELD_PARSERS.items():
        raw = row.values.get(name, "")
        if not raw.strip():
            continue
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            if name != "type":
                return f"{name}: {exc}", None
            unknown_type = raw
    note = _other_type(unknown_type, values) if unknown_type else ""
    key = url_key(values["url"])
    if key in seen:
        return f"the same link as {seen[key]}", None
    existing = await lib.find_by_url_key(session, tenant_id, key)
    if existing is not None and existing.removed:
        return f"removed by a moderator (#{existing.id}), so not added again", None
    if existing is not None:
        return f"already in the library as #{existing.number}", None
    return note, lib.NewResource(
        url=values["url"],
        url_key=key,
        title=values.get("title") or values["url"][:MAX_TITLE_LENGTH],
        description=values.get("description", ""),
        tags=values.get("tags", ()),
        kind=values.get("type", "other"),
        subject=values.get("subject", ""),
        grade_mask=values.get("grades", 0),
    )


def _other_type(raw: str, values: dict[str, Any]) -> str:
    """Keep a type Staffroom doesn't know as ``other``, and the word as a tag when it can be."""
    typed = " ".join(raw.split())[:30]
    values["type"] = "other"
    note = f"the type `{typed}` is not one of {', '.join(KINDS)}; kept as other"
    tags: tuple[str, ...] = values.get("tags", ())
    try:
        tag = parse_tags([typed.replace(" ", "-")])
    except ValueError:
        return note
    if len(tags) >= MAX_TAGS or tag[0] in tags:
        return note
    values["tags"] = (*tags, tag[0])
    return f"{note}, tagged #{tag[0]}"
