"""Moderators curating the library: ``resource remove``, ``feature`` and ``edit``."""

from __future__ import annotations

from typing import Any

from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.skills.resources import library as lib
from bot.skills.resources.cards import quoted_title, resource_card
from bot.skills.resources.collection import RESOURCE_ID, resource_named
from bot.skills.resources.links import url_key
from bot.skills.resources.vocabulary import FIELD_PARSERS
from bot.storage.tenant_settings import channel_for


@command(
    "resource remove",
    summary="Take a resource out of the library (kept for the audit log).",
    params=[RESOURCE_ID, Param(name="reason", kind=ParamKind.TEXT, required=False, max_length=300)],
    role=Role.MODERATOR,
    examples=("resource remove 12 broken link",),
)
async def resource_remove(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args, include_removed=True)
    if card.removed:
        raise UserFacingError(f"{quoted_title(card)} was already removed. Nothing was changed.")
    reason = args.text("reason") or ""
    await lib.update_resource(
        ctx.session,
        ctx.tenant.id,
        card.id,
        removed_at=ctx.now(),
        removed_by_member_id=ctx.member.id,
        removal_reason=reason,
    )
    await ctx.audit(
        "resource remove",
        target=f"#{card.number} {card.url}",
        before={"title": card.title, "url": card.url},
        after={"removed": True, "reason": reason},
    )
    return Reply(text=f"Removed {quoted_title(card)} from the library.", private=True)


@command(
    "resource feature",
    summary="Feature a resource (or stop featuring it).",
    params=[RESOURCE_ID],
    role=Role.MODERATOR,
    examples=("resource feature 12",),
    details="Featured resources carry a ⭐ and are announced in the resources channel.",
)
async def resource_feature(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args)
    featured = not card.featured
    await lib.update_resource(
        ctx.session, ctx.tenant.id, card.id, featured_at=ctx.now() if featured else None
    )
    await ctx.audit(
        "resource feature" if featured else "resource unfeature",
        target=f"#{card.number} {card.url}",
        before={"featured": card.featured},
        after={"featured": featured},
    )
    if not featured:
        return Reply(text=f"{quoted_title(card)} is no longer featured.", private=True)
    channel = await channel_for(ctx.session, ctx.tenant.id, "resources")
    if channel:
        shown = resource_card(card)
        await ctx.post(
            channel,
            Reply(
                title=f"⭐ Featured: {card.title}",
                text=shown.text,
                fields=shown.fields,
                buttons=shown.buttons,
                choices=shown.choices,
            ),
        )
    return Reply(text=f"{quoted_title(card)} is now featured.", private=True)


_EDIT_FIELDS: dict[str, str] = {
    "title": "title",
    "description": "description",
    "subject": "subject",
    "grade": "grades",
    "grades": "grades",
    "type": "type",
    "tags": "tags",
    "url": "url",
    "link": "url",
}
_CLEARABLE = frozenset({"description", "subject", "grades", "tags"})
_COLUMNS = {"grades": "grade_mask", "type": "kind"}


@command(
    "resource edit",
    summary="Correct a resource: its title, url, description, subject, grades, type or tags.",
    params=[
        RESOURCE_ID,
        Param(name="field", help="title, url, description, subject, grades, type or tags"),
        Param(name="value", kind=ParamKind.TEXT, max_length=1000, help="`-` clears it"),
    ],
    role=Role.MODERATOR,
    examples=("resource edit 12 title Pizza fractions", "resource edit 12 grades 3-5"),
)
async def resource_edit(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args)
    name = _EDIT_FIELDS.get(args.require_text("field").lower())
    if name is None:
        raise UsageError(
            "You can edit title, url, description, subject, grades, type or tags.",
            usage="resource edit <id> <field> <value>",
        )
    raw = args.require_text("value")
    clearing = raw.strip() == "-" and name in _CLEARABLE
    try:
        value = _empty(name) if clearing else FIELD_PARSERS[name](raw)
    except ValueError as exc:
        raise UserFacingError(f"{exc} Nothing was changed.") from None
    before = _stored(card, name)
    if name == "tags":
        await lib.replace_tags(ctx.session, ctx.tenant.id, card.id, value)
    elif name == "url":
        key = url_key(value)
        clash = await lib.find_by_url_key(ctx.session, ctx.tenant.id, key)
        if clash is not None and clash.id != card.id:
            raise UserFacingError(
                f"That link is already {quoted_title(clash)}. Nothing was changed."
            )
        await lib.update_resource(ctx.session, ctx.tenant.id, card.id, url=value, url_key=key)
    else:
        await lib.update_resource(
            ctx.session, ctx.tenant.id, card.id, **{_COLUMNS.get(name, name): value}
        )
    after = " ".join(value) if name == "tags" else value
    await ctx.audit(f"resource edit {name}", target=f"#{card.number}", before=before, after=after)
    edited = await lib.load_resource(ctx.session, ctx.tenant.id, card.id)
    assert edited is not None
    shown = resource_card(edited, actions=False)
    return Reply(
        title=shown.title,
        text=f"Updated the {name} of #{card.number}.",
        fields=shown.fields,
        private=True,
    )


def _empty(name: str) -> Any:
    return {"description": "", "subject": "", "grades": 0, "tags": ()}[name]


def _stored(card: lib.ResourceCard, name: str) -> Any:
    return {
        "title": card.title,
        "description": card.description,
        "subject": card.subject,
        "grades": card.grade_mask,
        "type": card.kind,
        "tags": " ".join(card.tags),
        "url": card.url,
    }[name]
