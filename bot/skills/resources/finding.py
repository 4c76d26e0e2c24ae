"""Finding: ``resource find``, ranked full-text search with filters and a More button."""

from __future__ import annotations

import re

from bot.community.subjects import normalize_subject
from bot.core.commands import CommandSpec, Filter, Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.parsing import Args, MemberMention, convert
from bot.core.replies import Reply
from bot.skills.resources import library as lib
from bot.skills.resources.cards import listing, next_page
from bot.skills.resources.collection import PAGE, page_number, page_size
from bot.skills.resources.models import ResourceSearch
from bot.skills.resources.search import ResourceQuery, search_resources, search_terms
from bot.skills.resources.vocabulary import KINDS, parse_grade_mask, parse_kind, parse_tags

_BY_MEMBER = Param(name="by", kind=ParamKind.MENTION)
_BY_SPEC = CommandSpec(name="resource find", summary="the by: filter", params=(_BY_MEMBER,))
_RATING = re.compile(r"^(>=|≥|=>|>)?\s*([1-5](?:\.[0-9])?)\s*\+?\s*(?:stars?)?$", re.IGNORECASE)


@command(
    "resource find",
    summary="Search the library.",
    params=[
        Param(name="words", kind=ParamKind.TEXT, required=False, max_length=300, help="free text")
    ],
    filters=[
        Filter(key="subject", help="a subject, like math", placeholder="math"),
        Filter(key="grade", help="grades or bands, like 6-8", placeholder="6-8"),
        Filter(key="type", help=", ".join(KINDS), placeholder="video"),
        Filter(key="by", help="shared by a member, like by:@ana", placeholder="@member"),
        Filter(key="rating", help="average rating, like rating:>=4", placeholder=">=4"),
        PAGE,
    ],
    tags=True,
    examples=(
        "resource find fractions grade:3-5",
        "resource find photosynthesis type:video rating:>=4",
        "resource find #algebra by:@ana",
    ),
    details="Titles count most, then tags, then descriptions. Every word must match.",
)
async def resource_find(ctx: Context, args: Args) -> Reply:
    query = await _query(ctx, args)
    words = args.text("words") or ""
    if not query.terms and not query.has_filters:
        if words:
            return Reply(
                text="There are no words I can search for in that. Try a few plain words, "
                "like `resource find fractions`, or browse with `resource recent`.",
                private=True,
            )
        raise UsageError(
            "Tell me what to look for, like `resource find fractions grade:3-5`, "
            "or browse with `resource recent`."
        )
    page = page_number(args.filter("page"))
    size = await page_size(ctx)
    ids = await search_resources(
        ctx.session, ctx.tenant.id, query, limit=size + 1, offset=(page - 1) * size
    )
    cards = await lib.load_resources(ctx.session, ctx.tenant.id, ids[:size])
    more = None
    if len(ids) > size:
        carried = {key: values[-1] for key, values in args.filters.items() if key != "page"}
        if words:
            carried["words"] = words
        if args.tags:
            carried["tags"] = " ".join(args.tags)
        more = next_page("resource find", carried, page)
    shown = " ".join([*query.terms, *(f"#{t}" for t in query.tags)])
    if page == 1:
        ctx.session.add(
            ResourceSearch(
                tenant_id=ctx.tenant.id,
                terms=shown.lower()[:300],
                found=bool(ids),
                searched_at=ctx.now(),
            )
        )
    return listing(
        f"Resources for “{shown}”" if shown else "Resources",
        cards,
        more=more,
        page=page,
        empty=_broader_search(words, query, page),
    )


async def _query(ctx: Context, args: Args) -> ResourceQuery:
    """Read the filters; a value that can't be read is a friendly error naming the filter."""
    try:
        subject = args.filter("subject")
        grade = args.filter("grade")
        kind = args.filter("type")
        rating = args.filter("rating")
        by = args.filter("by")
        return ResourceQuery(
            terms=search_terms(args.text("words") or ""),
            subject=normalize_subject(subject) if subject else None,
            grade_mask=parse_grade_mask(grade) if grade else 0,
            kind=parse_kind(kind) if kind else None,
            tags=parse_tags(args.tags),
            shared_by=(await _member_id(ctx, by)) if by else None,
            min_rating_tenths=_rating_tenths(rating) if rating else None,
        )
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None


async def _member_id(ctx: Context, raw: str) -> int:
    try:
        who = convert(_BY_MEMBER, raw, _BY_SPEC)
    except UsageError:
        raise ValueError(
            f"`by:` takes a member, like `by:@ana` (you wrote `{raw[:30]}`)."
        ) from None
    assert isinstance(who, MemberMention)
    return (await ctx.lookup_member(who)).id


def _rating_tenths(raw: str) -> int:
    match = _RATING.match(raw.strip())
    if match is None:
        raise ValueError("`rating:` takes a number of stars from 1 to 5, like `rating:>=4`.")
    tenths = round(float(match.group(2)) * 10)
    return tenths + 1 if match.group(1) == ">" else tenths


def _broader_search(words: str, query: ResourceQuery, page: int) -> str:
    if page > 1:
        return "That's everything — there are no more results."
    ideas: list[str] = []
    if query.has_filters and query.terms:
        ideas.append(f"`resource find {' '.join(query.terms)}` without the filters")
    if len(query.terms) > 1:
        ideas.append(f"fewer words, like `resource find {max(query.terms, key=len)}`")
    ideas.append("`resource recent` to browse what was shared lately")
    return "Nothing in the library matches that yet. Try " + ", or ".join(ideas) + "."
