"""Everything Staffroom stores about one member, gathered from every skill's exporter."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands import Registry
from bot.core.i18n import Translator
from bot.core.members import MemberInfo, TenantInfo
from bot.storage.tenant_data import json_ready

_log = logging.getLogger(__name__)

_ITEMS_SHOWN = 8
_VALUE_LENGTH = 200
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)?$")
_TEXT_LIMIT = 3500


async def gather_member_data(
    session: AsyncSession, registry: Registry, tenant_id: int, member_id: int
) -> dict[str, Any]:
    """What each exporter holds, keyed by what it is (``profile``, ``membership`` …)."""
    data: dict[str, Any] = {}
    for export in registry.exporters:
        for key, value in (await export(session, tenant_id, member_id)).items():
            name = key
            while name in data:  # two skills chose one key: keep both
                _log.warning("two exporters return %r; renaming one", key)
                name += "+"
            data[name] = json_ready(value)
    return data


def render_member_data(data: dict[str, Any], words: Translator) -> str:
    """A readable summary: one heading per kind of data, long lists cut short (the headings
    and field names are the exporters' own keys, as in the exported file)."""
    lines: list[str] = []
    for key, value in data.items():
        if value in (None, "", {}, []):
            continue
        lines.append(key.replace("_", " ").capitalize())
        if isinstance(value, dict):
            lines += [f"  {k.replace('_', ' ')}: {_short(v, words)}" for k, v in value.items()]
        elif isinstance(value, list):
            lines += [f"  • {_short(item, words)}" for item in value[:_ITEMS_SHOWN]]
            if len(value) > _ITEMS_SHOWN:
                more = len(value) - _ITEMS_SHOWN
                lines.append("  " + words.ngettext("…and {n} more", "…and {n} more", more))
        else:
            lines.append(f"  {_short(value, words)}")
    text = "\n".join(lines)
    if len(text) > _TEXT_LIMIT:
        text = text[: _TEXT_LIMIT - 1].rsplit("\n", 1)[0] + "\n…"
    return text


def member_data_file(
    data: dict[str, Any], tenant: TenantInfo, member: MemberInfo, now: datetime
) -> tuple[str, bytes]:
    """The file ``privacy export`` sends: a name and JSON content."""
    document = {
        "community": {"platform": tenant.platform, "id": tenant.external_id, "name": tenant.name},
        "member": member.user_id,
        "exported_at": now.isoformat(),
        "data": data,
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return f"staffroom-my-data-{now:%Y%m%d-%H%M}.json", content


def _short(value: Any, words: Translator) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        text = ", ".join(
            f"{k}: {_short(v, words)}" for k, v in value.items() if v not in (None, "")
        )
    elif isinstance(value, list):
        text = ", ".join(_short(v, words) for v in value)
    elif isinstance(value, str) and _ISO_TIME.match(value):
        text = words.format_datetime(datetime.fromisoformat(value), format="short")
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_LENGTH else text[: _VALUE_LENGTH - 1] + "…"
