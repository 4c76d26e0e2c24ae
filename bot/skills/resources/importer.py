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
import gettext
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import SOURCE_LANGUAGE, Translator, lazy
from bot.skills.resources import library as lib
from bot.skills.resources.links import url_key
from bot.skills.resources.texts import error_text, shown
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


OPERATOR_WORDS = Translator(SOURCE_LANGUAGE, gettext.NullTranslations())
"""English, for the command line (operators read English; chat members read their language)."""


_EXAMPLE = '{"resources": [...]}'


class ImportFileError(Exception):
    """The file as a whole can't be read; the message (a ``LazyText``) says why in one
    sentence."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceRow:
    """One row of the file: where it was (``line 4``, ``item 3``, a ``LazyText``) and its
    values by field."""

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

    def lines(self, *, into: str, words: Translator = OPERATOR_WORDS) -> list[str]:
        """The report as people read it, in the console, the CLI and chat alike (``words``:
        the reader's language, in the resources domain)."""
        t = words

        def said(text: str) -> str:
            return shown(lambda _domain: t, text)

        lines = [
            t.ngettext(
                "Imported {n} resource into {into}.",
                "Imported {n} resources into {into}.",
                self.imported,
                into=into,
            )
        ]
        if self.ignored_columns:
            lines.append(
                t.gettext("Ignored columns: {columns}.", columns=", ".join(self.ignored_columns))
            )
        if self.notes:
            count = t.format_number(len(self.notes))
            lines.append(t.gettext("Kept with a change ({count}):", count=count))
            lines += [f"  {said(note.where)}: {said(note.text)}" for note in self.notes]
        if self.skipped:
            lines.append(t.ngettext("Skipped {n} row:", "Skipped {n} rows:", len(self.skipped)))
            lines += [f"  {said(row.where)}: {said(row.reason)}" for row in self.skipped]
        return lines


def read_file(path: Path, file_format: str | None = None) -> tuple[list[SourceRow], set[str]]:
    """The rows of a CSV or JSON file (format from the suffix unless given), and the columns
    that are not resource fields."""
    chosen = (file_format or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ImportFileError(
            lazy(
                "I can't tell the format of {name}; name it .csv or .json, or pass --format.",
                name=path.name,
            )
        )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(
                lazy(
                    "{name} is larger than {limit} bytes.",
                    name=path.name,
                    limit=f"{MAX_FILE_BYTES:,}",
                )
            )
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(
            lazy("I can't read {path}: {error}.", path=str(path), error=exc)
        ) from None
    return read_csv(content) if chosen == "csv" else read_json(content)


def read_upload(name: str, content: bytes) -> tuple[list[SourceRow], set[str]]:
    """The rows of a file attached in chat (or pasted in the console): the format from the
    name's suffix, else from the content (JSON starts with ``[`` or ``{``)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(lazy("{name} is not a UTF-8 text file.", name=name)) from None
    suffix = Path(name).suffix.lstrip(".").lower()
    if suffix not in FORMATS and suffix not in ("", "txt"):
        raise ImportFileError(lazy("I can read .csv and .json files, not {name}.", name=name))
    if suffix == "json" or (suffix not in FORMATS and text.lstrip()[:1] in ("[", "{")):
        return read_json(text)
    return read_csv(text)


def read_csv(content: str) -> tuple[list[SourceRow], set[str]]:
    reader = csv.DictReader(io.StringIO(content))
    if not reader.fieldnames:
        raise ImportFileError(lazy("The CSV file has no header row (url, title, tags, …)."))
    columns = {name: _field(name) for name in reader.fieldnames if name}
    rows = []
    for record in reader:
        values = {columns[k]: (v or "") for k, v in record.items() if k in columns and v}
        rows.append(SourceRow(where=lazy("line {number}", number=reader.line_num), values=values))
    return rows, {name for name, field in columns.items() if field not in FIELD_PARSERS}


def read_json(content: str) -> tuple[list[SourceRow], set[str]]:
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise ImportFileError(
            lazy("The JSON file is not valid JSON ({error}).", error=str(exc))
        ) from None
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        data = data["resources"]
    if not isinstance(data, list):
        raise ImportFileError(
            lazy("The JSON file must be a list of objects (or {example}).", example=_EXAMPLE)
        )
    rows: list[SourceRow] = []
    unknown: set[str] = set()
    for number, item in enumerate(data, 1):
        where = lazy("item {number}", number=number)
        if not isinstance(item, dict):
            rows.append(SourceRow(where=where, values={"": lazy("not an object")}))
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
        return lazy("no url"), None
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
                return lazy("{field}: {problem}", field=name, problem=error_text(exc)), None
            unknown_type = raw
    note = _other_type(unknown_type, values) if unknown_type else ""
    key = url_key(values["url"])
    if key in seen:
        return lazy("the same link as {where}", where=seen[key]), None
    existing = await lib.find_by_url_key(session, tenant_id, key)
    if existing is not None and existing.removed:
        return (
            lazy("removed by a moderator (#{number}), so not added again", number=existing.number),
            None,
        )
    if existing is not None:
        return lazy("already in the library as #{number}", number=existing.number), None
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
    note = lazy(
        "the type `{typed}` is not one of {kinds}; kept as other",
        typed=typed.replace("`", "'"),
        kinds=", ".join(KINDS),
    )
    tags: tuple[str, ...] = values.get("tags", ())
    try:
        tag = parse_tags([typed.replace(" ", "-")])
    except ValueError:
        return note
    if len(tags) >= MAX_TAGS or tag[0] in tags:
        return note
    values["tags"] = (*tags, tag[0])
    return lazy(
        "the type `{typed}` is not one of {kinds}; kept as other, tagged #{tag}",
        typed=typed.replace("`", "'"),
        kinds=", ".join(KINDS),
        tag=tag[0],
    )
