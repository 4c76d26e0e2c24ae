"""Members and the resources already in the library: show, rate, save, saved, recent, top."""

from __future__ import annotations

from bot.community.subjects import normalize_subject
from bot.core.commands import Filter, Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import NotFound, UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.tenant_config import TenantSettingSpec
from bot.core.text import whole_number
from bot.skills.resources import library as lib
from bot.skills.resources.cards import listing, next_page, quoted_title, resource_card
from bot.storage.tenant_settings import get_setting

PAGE_SIZE_KEY = "resources.page_size"
DEFAULT_PAGE_SIZE = 5
RESOURCE_ID = Param(name="id", kind=ParamKind.INT, minimum=1, help="the resource's number, like 12")
PAGE = Filter(key="page", help="which page of results", placeholder="2")


def page_number(raw: str | None) -> int:
    if raw is None:
        return 1
    page = whole_number(raw, minimum=1, maximum=1000)
    if page is None:
        raise UserFacingError("`page:` takes a page number from 1 to 1000, like `page:2`.")
    return page


async def page_size(ctx: Context) -> int:
    value = await get_setting(ctx.session, ctx.tenant.id, PAGE_SIZE_KEY, DEFAULT_PAGE_SIZE)
    return value if isinstance(value, int) and value > 0 else DEFAULT_PAGE_SIZE


async def resource_named(
    ctx: Context, args: Args, *, include_removed: bool = False
) -> lib.ResourceCard:
    """The resource whose number is the ``id`` argument; a friendly ``NotFound`` otherwise."""
    number = args.integer("id")
    assert number is not None
    card = await lib.load_numbered(
        ctx.session, ctx.tenant.id, number, include_removed=include_removed
    )
    if card is None:
        raise NotFound(f"There's no resource #{number} in this library.")
    return card


@command(
    "resource show",
    summary="See one resource, and save or rate it.",
    params=[RESOURCE_ID],
    examples=("resource show 12",),
)
async def resource_show(ctx: Context, args: Args) -> Reply:
    return resource_card(await resource_named(ctx, args))


@command(
    "resource rate",
    summary="Rate a resource from 1 to 5 stars (again to change your rating).",
    params=[RESOURCE_ID, Param(name="score", kind=ParamKind.INT, minimum=1, maximum=5)],
    examples=("resource rate 12 5",),
)
async def resource_rate(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args)
    if card.sharer_user_id == ctx.member.user_id:
        raise UserFacingError("You can't rate a resource you shared. Nothing was changed.")
    score = args.integer("score")
    assert score is not None
    earlier = await lib.rate_resource(
        ctx.session, ctx.tenant.id, card.id, ctx.member.id, score, ctx.now()
    )
    rated = await lib.load_resource(ctx.session, ctx.tenant.id, card.id)
    assert rated is not None
    change = f" (was {earlier})" if earlier is not None and earlier != score else ""
    return Reply(
        text=f"Thanks! You rated {quoted_title(card)} {score}/5{change}. "
        f"It now has {_rating_phrase(rated)}.",
        private=True,
    )


def _rating_phrase(card: lib.ResourceCard) -> str:
    count = card.rating_count
    return f"★ {card.rating_total / count:.1f} from {count} rating{'s' if count != 1 else ''}"


@command(
    "resource save",
    summary="Save a resource for later.",
    params=[RESOURCE_ID],
    examples=("resource save 12",),
)
async def resource_save(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args)
    if not await lib.save_resource(ctx.session, ctx.tenant.id, card.id, ctx.member.id, ctx.now()):
        return Reply(text=f"You had already saved {quoted_title(card)}.", private=True)
    return Reply(
        text=f"Saved {quoted_title(card)}. `resource saved` lists what you saved.", private=True
    )


@command(
    "resource unsave",
    summary="Take a resource off your saved list.",
    params=[RESOURCE_ID],
    examples=("resource unsave 12",),
)
async def resource_unsave(ctx: Context, args: Args) -> Reply:
    card = await resource_named(ctx, args, include_removed=True)
    if not await lib.unsave_resource(ctx.session, ctx.tenant.id, card.id, ctx.member.id):
        return Reply(text=f"{quoted_title(card)} wasn't on your saved list.", private=True)
    return Reply(text=f"Took {quoted_title(card)} off your saved list.", private=True)


@command("resource saved", summary="List the resources you saved.", filters=[PAGE])
async def resource_saved(ctx: Context, args: Args) -> Reply:
    page = page_number(args.filter("page"))
    size = await page_size(ctx)
    ids = await lib.saved_ids(ctx.session, ctx.tenant.id, ctx.member.id)
    start = (page - 1) * size
    cards = await lib.load_resources(ctx.session, ctx.tenant.id, ids[start : start + size])
    more = next_page("resource saved", {}, page) if len(ids) > start + size else None
    return listing(
        f"Your saved resources ({len(ids)})",
        cards,
        more=more,
        page=page,
        empty="You haven't saved anything yet (or that page is empty). "
        "Save one with `resource save <id>`.",
    )


@command("resource recent", summary="The resources shared most recently.", filters=[PAGE])
async def resource_recent(ctx: Context, args: Args) -> Reply:
    page = page_number(args.filter("page"))
    size = await page_size(ctx)
    ids = await lib.recent_ids(ctx.session, ctx.tenant.id, limit=size + 1, offset=(page - 1) * size)
    cards = await lib.load_resources(ctx.session, ctx.tenant.id, ids[:size])
    more = next_page("resource recent", {}, page) if len(ids) > size else None
    return listing(
        "Recently shared",
        cards,
        more=more,
        page=page,
        empty="Nothing here yet. Share the first one with `resource share <link>`.",
    )


@command(
    "resource top",
    summary="The best-rated resources, overall or for one subject.",
    params=[Param(name="subject", kind=ParamKind.TEXT, required=False, max_length=40)],
    examples=("resource top", "resource top science"),
    details="Ranked by average rating, with two imaginary 3-star ratings added to each so "
    "that a single 5-star rating doesn't outrank many good ones.",
)
async def resource_top(ctx: Context, args: Args) -> Reply:
    subject = args.text("subject")
    normalized = normalize_subject(subject) if subject else None
    size = await page_size(ctx)
    ids = await lib.top_ids(ctx.session, ctx.tenant.id, subject=normalized, limit=size)
    cards = await lib.load_resources(ctx.session, ctx.tenant.id, ids)
    where = f" in {normalized}" if normalized else ""
    return listing(
        f"Top-rated resources{where}",
        cards,
        more=None,
        page=1,
        empty=f"Nothing{where} has been rated yet. Rate one with `resource rate <id> <1-5>`.",
    )


def _page_size(raw: str) -> int:
    value = whole_number(raw, minimum=1, maximum=20)
    if value is None:
        raise ValueError("The page size is a whole number from 1 to 20.")
    return value


TENANT_SETTINGS = (
    TenantSettingSpec(
        key=PAGE_SIZE_KEY,
        summary="How many resources `resource find`, `recent`, `top` and `saved` show per page.",
        default=DEFAULT_PAGE_SIZE,
        parse=_page_size,
    ),
)
