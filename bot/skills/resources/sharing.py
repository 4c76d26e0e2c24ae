"""Sharing: ``resource share`` (typed, or as a form) and the offer, in the resources
channel, to add a posted link to the library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.core.commands import Filter, NetworkAccess, Param, ParamKind, command, listener
from bot.core.context import Context
from bot.core.errors import FormError, UsageError, UserFacingError
from bot.core.events import EventKind, Invocation
from bot.core.mentions import without_live_mentions
from bot.core.parsing import Args
from bot.core.replies import Button, ButtonStyle, Reply
from bot.skills.resources import library as lib
from bot.skills.resources.cards import (
    quoted_title,
    resource_card,
    share_form,
    sharer_text,
)
from bot.skills.resources.links import check_web_url, host_of, links_in, url_key
from bot.skills.resources.vocabulary import FIELD_PARSERS, KINDS, MAX_TAGS, MAX_TITLE_LENGTH
from bot.storage.tenant_settings import channel_for

if TYPE_CHECKING:
    from bot.skills.resources.titles import AddressCheck


async def fetch_page_title(network: NetworkAccess, args: Args) -> dict[str, str]:
    """The ``prepare`` step of sharing: the page's own title, for a link shared without one,
    fetched before the event's transaction (a slow page must not hold the store)."""
    url, title = args.text("url") or "", args.text("title") or ""
    if not url or title.strip():
        return {}
    try:
        url = check_web_url(url)
    except ValueError:
        return {}
    # Imported on first use: aiohttp adds a tenth of a second to every start-up.
    from bot.skills.resources.titles import any_address, fetch_title, is_public_address

    allowed: AddressCheck = any_address if network.private_addresses else is_public_address
    found = await fetch_title(url, allowed=allowed)
    return {"title": found} if found else {}


@command(
    "resource share",
    summary="Add a link to the resource library (alone, it opens a form).",
    params=[
        Param(name="url", kind=ParamKind.URL, required=False, help="an http(s) link"),
        Param(name="title", kind=ParamKind.QUOTED, required=False, max_length=1000),
        Param(name="description", kind=ParamKind.TEXT, required=False, max_length=1000),
    ],
    filters=[
        Filter(key="subject", help="the subject it is for, like math", placeholder="math"),
        Filter(key="grade", help="grades or bands, like 3-5", placeholder="3-5"),
        Filter(key="type", help=", ".join(KINDS), placeholder="video"),
    ],
    tags=True,
    examples=(
        'resource share https://example.org/fractions "Pizza fractions" subject:math grade:3-5 '
        "type:lesson-plan #fractions A hands-on intro",
        "resource share https://example.org/tool",
        "resource share",
    ),
    details="Without a title, I use the page's own title (or the link). A link that is already "
    "in the library is not added twice: I tell you who shared it and add your new tags.",
    prepare=fetch_page_title,
)
async def resource_share(ctx: Context, args: Args) -> Reply:
    url = args.text("url")
    if url is None:
        if args.values or args.filters or args.tags:
            raise UsageError(
                "I need a link starting with http:// or https:// first, like "
                '`resource share https://… "Title"`. Nothing was changed.'
            )
        return Reply(text="What would you like to share?", form=share_form(), private=True)
    raw = {
        "url": url,
        "title": args.text("title") or "",
        "description": args.text("description") or "",
        "type": args.filter("type") or "",
        "subject": args.filter("subject") or "",
        "grades": args.filter("grade") or "",
        "tags": " ".join(args.tags),
    }
    draft, errors = _check_draft(raw)
    if errors:
        raise UserFacingError(" ".join(errors.values()) + " Nothing was changed.")
    return await _share(ctx, draft)


@command(
    "resource share form",
    summary="Open the share form, filled in with a link and its page title.",
    params=[Param(name="url", required=False, max_length=1000)],
    hidden=True,
    prepare=fetch_page_title,
)
async def resource_share_form(ctx: Context, args: Args) -> Reply:
    url = args.text("url") or ""
    title = ctx.prepared.get("title", "")
    if url:
        try:
            check_web_url(url)
        except ValueError:
            url = ""
    return Reply(text="Add it to the library:", form=share_form(url=url, title=title), private=True)


@command(
    "resource share submit",
    summary="Share what the share form holds.",
    params=[
        Param(name=name, required=False, max_length=2000)
        for name in ("url", "title", "type", "subject", "grades", "tags", "description")
    ],
    hidden=True,
    prepare=fetch_page_title,
)
async def resource_share_submit(ctx: Context, args: Args) -> Reply:
    raw = {name: args.text(name) or "" for name in FIELD_PARSERS}
    draft, errors = _check_draft(raw)
    if not raw["url"].strip():
        errors["url"] = "The link is needed."
    if errors:
        raise FormError(errors)
    return await _share(ctx, draft)


def _check_draft(raw: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Each non-empty field read by its parser; returns the values and what was wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, parse in FIELD_PARSERS.items():
        text = raw.get(name, "")
        if not text.strip():
            continue
        try:
            values[name] = parse(text)
        except ValueError as exc:
            errors[name] = str(exc)
    return values, errors


async def _share(ctx: Context, draft: Mapping[str, Any]) -> Reply:
    url: str = draft["url"]
    title: str = draft.get("title", "") or ctx.prepared.get("title", "") or url[:MAX_TITLE_LENGTH]
    tags: tuple[str, ...] = draft.get("tags", ())
    existing = await lib.find_by_url_key(ctx.session, ctx.tenant.id, url_key(url))
    if existing is not None:
        return await _already_shared(ctx, existing, tags)
    new = lib.NewResource(
        url=url,
        url_key=url_key(url),
        title=await without_live_mentions(ctx.session, ctx.tenant.id, title),
        description=await without_live_mentions(
            ctx.session, ctx.tenant.id, draft.get("description", "")
        ),
        tags=tags,
        kind=draft.get("type", "other"),
        subject=draft.get("subject", ""),
        grade_mask=draft.get("grades", 0),
    )
    resource_id = await lib.add_resource(
        ctx.session, ctx.tenant.id, new, shared_by=ctx.member.id, now=ctx.now()
    )
    card = await lib.load_resource(ctx.session, ctx.tenant.id, resource_id)
    assert card is not None
    lines = [f"Thanks! {quoted_title(card)} is in the library."]
    channel = await channel_for(ctx.session, ctx.tenant.id, "resources")
    if channel and channel != ctx.event.place.channel_id:
        shown = resource_card(card)
        await ctx.post(
            channel,
            Reply(
                title=f"📚 New resource: {card.title}",
                text=f"{sharer_text(card)} shared {card.url}"
                + (f"\n{card.description}" if card.description else ""),
                fields=tuple(f for f in shown.fields if f.name != "Shared by"),
                buttons=shown.buttons,
                choices=shown.choices,
            ),
        )
        lines.append(f"I've posted it in <#{channel}>.")
    lines.append(f"Colleagues can rate it from 1 to 5 stars: `resource rate {card.number} 5`.")
    return Reply(text=" ".join(lines), private=True)


async def _already_shared(ctx: Context, existing: lib.ResourceCard, tags: tuple[str, ...]) -> Reply:
    if existing.removed:
        raise UserFacingError(
            "A moderator removed that link from the library, so I can't add it again. "
            "Nothing was changed."
        )
    if existing.sharer_user_id == ctx.member.user_id:
        lead = f"You already shared that link: {quoted_title(existing)}."
    else:
        origin = (
            "from an imported list"
            if existing.sharer_user_id is None and existing.source == "import"
            else f"shared first by {sharer_text(existing)}"
        )
        lead = f"That link is already in the library as {quoted_title(existing)}, {origin}."
    new_tags = [t for t in tags if t not in existing.tags][: MAX_TAGS - len(existing.tags)]
    if new_tags:
        await lib.replace_tags(ctx.session, ctx.tenant.id, existing.id, (*existing.tags, *new_tags))
        lead += " I added your tags " + ", ".join(f"#{t}" for t in new_tags) + "."
    return Reply(text=lead, private=True)


@listener(EventKind.MESSAGE)
async def offer_links(ctx: Context) -> bool:
    """In the resources channel, offer a link's poster (privately) to add it to the library."""
    event = ctx.event
    if event.place.is_dm:
        return False
    found = links_in(event.text)[:3]
    if not found:
        return False
    channel = await channel_for(ctx.session, ctx.tenant.id, "resources")
    if channel != event.place.channel_id:
        return False
    new = [
        link
        for link in found
        if await lib.find_by_url_key(ctx.session, ctx.tenant.id, url_key(link)) is None
    ]
    if not new:
        return False
    buttons = tuple(
        Button(
            label="Add to the library" if len(new) == 1 else f"Add {host_of(link)}",
            action=Invocation(command="resource share form", args={"url": link}),
            style=ButtonStyle.PRIMARY,
        )
        for link in new
    )
    await ctx.reply(
        Reply(
            text="Nice find! Add this to the resource library?"
            if len(new) == 1
            else "Nice finds! Add these to the resource library?",
            buttons=buttons,
            private=True,
        )
    )
    return True
