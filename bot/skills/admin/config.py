"""``admin config``: the tenant settings every installed skill declares, shown and changed.

Settings come from ``registry.tenant_settings`` (each skill's manifest lists its own), so a new
skill's settings appear here without any change to this module.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from bot.core.commands import Registry
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.mentions import without_live_mentions
from bot.core.replies import Reply, channel_mention
from bot.core.tenant_config import TenantSettingSpec
from bot.storage.models import TenantSetting
from bot.storage.tenant_settings import channel_for, clear_setting, set_setting

_SHOWN_LENGTH = 80


def find_setting(registry: Registry, key: str) -> TenantSettingSpec:
    """The declared setting called ``key`` (any case); a clear error with close names if none."""
    wanted = key.strip().lower()
    for spec in registry.tenant_settings.values():
        if spec.key.lower() == wanted:
            return spec
    keys = sorted(registry.tenant_settings)
    close = difflib.get_close_matches(wanted, keys, n=2, cutoff=0.6)
    hint = f" Did you mean {' or '.join(f'`{k}`' for k in close)}?" if close else ""
    listed = ", ".join(f"`{k}`" for k in keys) or "none"
    raise UsageError(
        f"There's no setting called `{key[:64]}`.{hint} Settings: {listed}. Nothing was changed.",
        usage="admin config [key] [value]",
    )


async def settings_overview(ctx: Context) -> Reply:
    lines: list[str] = []
    for spec in sorted(ctx.registry.tenant_settings.values(), key=lambda s: s.key):
        stored = await _stored(ctx, spec)
        lines.append(f"`{spec.key}` — {spec.summary}")
        lines.append(f"    now: {_now_text(spec, stored)}")
    channels = []
    for purpose in sorted(ctx.registry.channel_purposes):
        channel = await channel_for(ctx.session, ctx.tenant.id, purpose)
        channels.append(f"{purpose} → {channel_mention(channel) if channel else '(not set)'}")
    lines.append("Channels: " + ", ".join(channels) + " (`admin channel` changes them)")
    lines.append(
        "Change a setting with `admin config <key> <value>`; "
        "`admin config reset <key>` puts back the default."
    )
    return Reply(title="Community settings", text="\n".join(lines), private=True)


async def describe_setting(ctx: Context, spec: TenantSettingSpec) -> Reply:
    stored = await _stored(ctx, spec)
    lines = [spec.summary, f"Now: {_shown(stored if stored is not None else spec.default, 0)}"]
    if stored is not None:
        lines.append(f"Default: {_shown(spec.default, 0)}")
    else:
        lines.append("(This is the default.)")
    lines.append(f"Change it with `admin config {spec.key} <value>`.")
    return Reply(title=f"Setting {spec.key}", text="\n".join(lines), private=True)


async def change_setting(ctx: Context, spec: TenantSettingSpec, raw: str) -> Reply:
    try:
        value = spec.parse(await without_live_mentions(ctx.session, ctx.tenant.id, raw))
    except ValueError as exc:
        raise UserFacingError(f"{exc} Nothing was changed.") from None
    stored = await _stored(ctx, spec)
    before = spec.default if stored is None else stored
    if _same(before, value):
        raise UserFacingError(
            f"`{spec.key}` is already {_shown(value, _SHOWN_LENGTH)}. Nothing was changed."
        )
    await set_setting(ctx.session, ctx.tenant.id, spec.key, value)
    await ctx.audit("admin config", target=spec.key, before=before, after=value)
    return Reply(text=f"Done: `{spec.key}` is now {_shown(value, _SHOWN_LENGTH)}.")


async def reset_setting(ctx: Context, spec: TenantSettingSpec) -> Reply:
    stored = await _stored(ctx, spec)
    if stored is None:
        raise UserFacingError(f"`{spec.key}` already has its default. Nothing was changed.")
    await clear_setting(ctx.session, ctx.tenant.id, spec.key)
    await ctx.audit("admin config reset", target=spec.key, before=stored, after=spec.default)
    return Reply(text=f"Done: `{spec.key}` is back to {_shown(spec.default, _SHOWN_LENGTH)}.")


async def _stored(ctx: Context, spec: TenantSettingSpec) -> Any:
    """The value this community chose, or None when it keeps the default."""
    row = await ctx.session.get(TenantSetting, (ctx.tenant.id, spec.key))
    return None if row is None else row.value


def _now_text(spec: TenantSettingSpec, stored: Any) -> str:
    if stored is None:
        return f"{_shown(spec.default, _SHOWN_LENGTH)} (default)"
    return f"{_shown(stored, _SHOWN_LENGTH)} (default {_shown(spec.default, _SHOWN_LENGTH)})"


def _same(before: Any, after: Any) -> bool:
    return json.dumps(before, sort_keys=True, default=str) == json.dumps(
        after, sort_keys=True, default=str
    )


def _shown(value: Any, limit: int) -> str:
    """A value as a moderator would type it; ``limit`` > 0 shortens long text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split()) if limit else text
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"' if isinstance(value, str) else text
