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
from bot.core.i18n import lazy
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
    listed = ", ".join(f"`{k}`" for k in keys) or "—"
    raise UsageError(
        lazy(
            "There's no setting called `{key}`.{hint} Settings: {listed}. Nothing was changed.",
            key=key[:64].replace("`", "'"),
            hint=lazy(" Did you mean {keys}?", keys=" / ".join(f"`{k}`" for k in close))
            if close
            else "",
            listed=listed,
        ),
        usage="admin config [key] [value]",
    )


async def settings_overview(ctx: Context) -> Reply:
    lines: list[str] = []
    for spec in sorted(ctx.registry.tenant_settings.values(), key=lambda s: s.key):
        stored = await _stored(ctx, spec)
        lines.append(f"`{spec.key}` — {_summary(ctx, spec)}")
        lines.append("    " + ctx.gettext("now: {value}", value=_now_text(ctx, spec, stored)))
    channels = []
    for purpose in sorted(ctx.registry.channel_purposes):
        channel = await channel_for(ctx.session, ctx.tenant.id, purpose)
        shown = channel_mention(channel) if channel else ctx.gettext("(not set)")
        channels.append(f"{purpose} → {shown}")
    lines.append(
        ctx.gettext(
            "Channels: {channels} (`admin channel` changes them)", channels=", ".join(channels)
        )
    )
    lines.append(
        ctx.gettext(
            "Change a setting with `admin config <key> <value>`; "
            "`admin config reset <key>` puts back the default."
        )
    )
    return Reply(title=ctx.gettext("Community settings"), text="\n".join(lines), private=True)


async def describe_setting(ctx: Context, spec: TenantSettingSpec) -> Reply:
    stored = await _stored(ctx, spec)
    now = _shown(stored if stored is not None else spec.default, 0)
    lines = [_summary(ctx, spec), ctx.gettext("Now: {value}", value=now)]
    if stored is not None:
        lines.append(ctx.gettext("Default: {value}", value=_shown(spec.default, 0)))
    else:
        lines.append(ctx.gettext("(This is the default.)"))
    lines.append(ctx.gettext("Change it with `admin config {key} <value>`.", key=spec.key))
    return Reply(
        title=ctx.gettext("Setting {key}", key=spec.key), text="\n".join(lines), private=True
    )


async def change_setting(ctx: Context, spec: TenantSettingSpec, raw: str) -> Reply:
    try:
        value = spec.parse(await without_live_mentions(ctx.session, ctx.tenant.id, raw))
    except ValueError as exc:
        # A parser may raise a ``LazyText`` (the words of the skill declaring the setting).
        said = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        domain = ctx.registry.setting_skills.get(spec.key, ctx.domain)
        problem = ctx.catalogs.render(said, ctx.language, domain)
        raise UserFacingError(
            ctx.gettext("{problem} Nothing was changed.", problem=problem)
        ) from None
    stored = await _stored(ctx, spec)
    before = spec.default if stored is None else stored
    if _same(before, value):
        raise UserFacingError(
            ctx.gettext(
                "`{key}` is already {value}. Nothing was changed.",
                key=spec.key,
                value=_shown(value, _SHOWN_LENGTH),
            )
        )
    await set_setting(ctx.session, ctx.tenant.id, spec.key, value)
    await ctx.audit("admin config", target=spec.key, before=before, after=value)
    return Reply(
        text=ctx.gettext(
            "Done: `{key}` is now {value}.", key=spec.key, value=_shown(value, _SHOWN_LENGTH)
        )
    )


async def reset_setting(ctx: Context, spec: TenantSettingSpec) -> Reply:
    stored = await _stored(ctx, spec)
    if stored is None:
        raise UserFacingError(
            ctx.gettext("`{key}` already has its default. Nothing was changed.", key=spec.key)
        )
    await clear_setting(ctx.session, ctx.tenant.id, spec.key)
    await ctx.audit("admin config reset", target=spec.key, before=stored, after=spec.default)
    return Reply(
        text=ctx.gettext(
            "Done: `{key}` is back to {value}.",
            key=spec.key,
            value=_shown(spec.default, _SHOWN_LENGTH),
        )
    )


async def _stored(ctx: Context, spec: TenantSettingSpec) -> Any:
    """The value this community chose, or None when it keeps the default."""
    row = await ctx.session.get(TenantSetting, (ctx.tenant.id, spec.key))
    return None if row is None else row.value


def _summary(ctx: Context, spec: TenantSettingSpec) -> str:
    """The setting's summary in the reader's language, in the words of its skill."""
    domain = ctx.registry.setting_skills.get(spec.key, ctx.domain)
    return ctx.translator_for(ctx.language, domain=domain).gettext(spec.summary)


def _now_text(ctx: Context, spec: TenantSettingSpec, stored: Any) -> str:
    default = _shown(spec.default, _SHOWN_LENGTH)
    if stored is None:
        return ctx.gettext("{value} (default)", value=default)
    return ctx.gettext(
        "{value} (default {default})", value=_shown(stored, _SHOWN_LENGTH), default=default
    )


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
