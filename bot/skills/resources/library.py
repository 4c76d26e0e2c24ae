"""The library's repository: resources, tags, ratings and saves.

Every function takes the tenant id it works in and never touches another tenant's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.subjects import family
from bot.skills.resources.models import Resource, ResourceRating, ResourceSave, ResourceTag
from bot.skills.resources.vocabulary import grades_of
from bot.storage.models import Member
from bot.storage.numbering import RESOURCE, next_number
from bot.storage.upsert import insert_ignoring_conflicts


@dataclass(frozen=True, kw_only=True, slots=True)
class NewResource:
    """A checked resource, ready to store."""

    url: str
    url_key: str
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    kind: str = "other"
    subject: str = ""
    grade_mask: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class ResourceCard:
    """One resource as shown to members: ``number`` is what they see, ``id`` stays inside."""

    id: int
    number: int
    url: str
    title: str
    description: str
    tags: tuple[str, ...]
    kind: str
    subject: str
    grade_mask: int
    sharer_user_id: str | None
    source: str
    created_at: datetime
    featured: bool
    rating_count: int
    rating_total: int
    removed: bool
    removal_reason: str

    @property
    def average_rating(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None

    @property
    def grades(self) -> tuple[str, ...]:
        return grades_of(self.grade_mask)


_CARD_COLUMNS = (
    Resource.id,
    Resource.url,
    Resource.title,
    Resource.description,
    Resource.tags,
    Resource.kind,
    Resource.subject,
    Resource.grade_mask,
    Member.user_id,
    Resource.source,
    Resource.created_at,
    Resource.featured_at,
    Resource.rating_count,
    Resource.rating_total,
    Resource.removed_at,
    Resource.removal_reason,
    Resource.number,
)


def _card(row: Sequence[Any]) -> ResourceCard:
    return ResourceCard(
        id=row[0],
        number=row[16],
        url=row[1],
        title=row[2],
        description=row[3],
        tags=tuple(row[4].split()),
        kind=row[5],
        subject=row[6],
        grade_mask=row[7],
        sharer_user_id=row[8],
        source=row[9],
        created_at=row[10],
        featured=row[11] is not None,
        rating_count=row[12],
        rating_total=row[13],
        removed=row[14] is not None,
        removal_reason=row[15],
    )


def _cards_query(tenant_id: int) -> Any:
    return (
        select(*_CARD_COLUMNS)
        .outerjoin(Member, Member.id == Resource.shared_by_member_id)
        .where(Resource.tenant_id == tenant_id)
    )


async def load_resources(
    session: AsyncSession, tenant_id: int, ids: Sequence[int]
) -> list[ResourceCard]:
    """The resources with these ids, in the order given (removed ones and strangers left out)."""
    if not ids:
        return []
    # Written `tenant_id + 0` so that SQLite, which has no statistics to go by, looks the ids
    # up by primary key instead of walking the tenant's whole index.
    rows = await session.execute(
        select(*_CARD_COLUMNS)
        .outerjoin(Member, Member.id == Resource.shared_by_member_id)
        .where(
            Resource.tenant_id + 0 == tenant_id,
            Resource.id.in_(ids),
            Resource.removed_at.is_(None),
        )
    )
    cards = {row[0]: _card(row) for row in rows}
    return [cards[i] for i in ids if i in cards]


async def load_resource(
    session: AsyncSession, tenant_id: int, resource_id: int, *, include_removed: bool = False
) -> ResourceCard | None:
    statement = _cards_query(tenant_id).where(Resource.id == resource_id)
    if not include_removed:
        statement = statement.where(Resource.removed_at.is_(None))
    row = (await session.execute(statement)).first()
    return _card(row) if row else None


async def load_numbered(
    session: AsyncSession, tenant_id: int, number: int, *, include_removed: bool = False
) -> ResourceCard | None:
    """The resource members call ``#number`` in this community."""
    statement = _cards_query(tenant_id).where(Resource.number == number)
    if not include_removed:
        statement = statement.where(Resource.removed_at.is_(None))
    row = (await session.execute(statement)).first()
    return _card(row) if row else None


async def find_by_url_key(session: AsyncSession, tenant_id: int, key: str) -> ResourceCard | None:
    """The resource (removed or not) already stored for a link, if any."""
    row = (await session.execute(_cards_query(tenant_id).where(Resource.url_key == key))).first()
    return _card(row) if row else None


async def add_resource(
    session: AsyncSession,
    tenant_id: int,
    new: NewResource,
    *,
    shared_by: int | None,
    now: datetime,
    source: str = "chat",
) -> int:
    resource_id: int = (
        await session.execute(
            insert(Resource)
            .values(
                tenant_id=tenant_id,
                number=await next_number(session, tenant_id, RESOURCE),
                url=new.url,
                url_key=new.url_key,
                title=new.title,
                description=new.description,
                tags=" ".join(new.tags),
                kind=new.kind,
                subject=new.subject,
                grade_mask=new.grade_mask,
                shared_by_member_id=shared_by,
                source=source,
                created_at=now,
                removal_reason="",
                rating_count=0,
                rating_total=0,
            )
            .returning(Resource.id)
        )
    ).scalar_one()
    await _insert_tags(session, tenant_id, resource_id, new.tags)
    return resource_id


async def _insert_tags(
    session: AsyncSession, tenant_id: int, resource_id: int, tags: Iterable[str]
) -> None:
    rows = [{"resource_id": resource_id, "tag": t, "tenant_id": tenant_id} for t in tags]
    if rows:
        await session.execute(insert(ResourceTag), rows)


async def replace_tags(
    session: AsyncSession, tenant_id: int, resource_id: int, tags: tuple[str, ...]
) -> None:
    """Set a resource's tags (both the searchable text and the tag rows)."""
    await session.execute(
        delete(ResourceTag).where(
            ResourceTag.tenant_id == tenant_id, ResourceTag.resource_id == resource_id
        )
    )
    await _insert_tags(session, tenant_id, resource_id, tags)
    await session.execute(
        update(Resource)
        .where(Resource.tenant_id == tenant_id, Resource.id == resource_id)
        .values(tags=" ".join(tags))
    )


async def update_resource(
    session: AsyncSession, tenant_id: int, resource_id: int, **values: Any
) -> None:
    await session.execute(
        update(Resource)
        .where(Resource.tenant_id == tenant_id, Resource.id == resource_id)
        .values(**values)
    )


async def rate_resource(
    session: AsyncSession,
    tenant_id: int,
    resource_id: int,
    member_id: int,
    score: int,
    now: datetime,
) -> int | None:
    """Record a member's score (replacing their earlier one); returns the earlier score."""
    earlier = await session.scalar(
        select(ResourceRating.score).where(
            ResourceRating.resource_id == resource_id, ResourceRating.member_id == member_id
        )
    )
    if earlier is None:
        await session.execute(
            insert(ResourceRating).values(
                resource_id=resource_id,
                member_id=member_id,
                tenant_id=tenant_id,
                score=score,
                rated_at=now,
            )
        )
    else:
        await session.execute(
            update(ResourceRating)
            .where(ResourceRating.resource_id == resource_id, ResourceRating.member_id == member_id)
            .values(score=score, rated_at=now)
        )
    await _refresh_ratings(session, tenant_id, [resource_id])
    return earlier


async def _refresh_ratings(
    session: AsyncSession, tenant_id: int, resource_ids: Sequence[int]
) -> None:
    """Recompute the stored count and total from the ratings themselves."""
    ratings = select(ResourceRating).where(ResourceRating.resource_id == Resource.id)
    await session.execute(
        update(Resource)
        .where(Resource.tenant_id == tenant_id, Resource.id.in_(resource_ids))
        .values(
            rating_count=ratings.with_only_columns(func.count()).scalar_subquery(),
            rating_total=ratings.with_only_columns(
                func.coalesce(func.sum(ResourceRating.score), 0)
            ).scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )


async def save_resource(
    session: AsyncSession, tenant_id: int, resource_id: int, member_id: int, now: datetime
) -> bool:
    """Save for later; False when it was already saved."""
    return await insert_ignoring_conflicts(
        session,
        ResourceSave,
        {
            "resource_id": resource_id,
            "member_id": member_id,
            "tenant_id": tenant_id,
            "saved_at": now,
        },
    )


async def unsave_resource(
    session: AsyncSession, tenant_id: int, resource_id: int, member_id: int
) -> bool:
    result = await session.execute(
        delete(ResourceSave).where(
            ResourceSave.tenant_id == tenant_id,
            ResourceSave.resource_id == resource_id,
            ResourceSave.member_id == member_id,
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def saved_ids(session: AsyncSession, tenant_id: int, member_id: int) -> list[int]:
    """What the member saved, newest first (removed resources left out)."""
    rows = await session.scalars(
        select(ResourceSave.resource_id)
        .join(Resource, Resource.id == ResourceSave.resource_id)
        .where(
            ResourceSave.tenant_id == tenant_id,
            ResourceSave.member_id == member_id,
            Resource.removed_at.is_(None),
        )
        .order_by(ResourceSave.saved_at.desc(), ResourceSave.resource_id.desc())
    )
    return list(rows)


async def recent_ids(
    session: AsyncSession, tenant_id: int, *, limit: int, offset: int = 0
) -> list[int]:
    rows = await session.scalars(
        select(Resource.id)
        .where(Resource.tenant_id == tenant_id, Resource.removed_at.is_(None))
        .order_by(Resource.created_at.desc(), Resource.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows)


PRIOR_RATING = 3.0
PRIOR_WEIGHT = 2
"""``top`` ranks by the average after adding two imaginary 3-star ratings, so that one 5-star
rating does not outrank twenty 4.8s."""


async def top_ids(
    session: AsyncSession, tenant_id: int, *, subject: str | None, limit: int
) -> list[int]:
    """The best-rated resources, in ``subject`` or a subject under it (science: biology too)."""
    weighted = (Resource.rating_total + PRIOR_RATING * PRIOR_WEIGHT) / (
        Resource.rating_count + PRIOR_WEIGHT
    )
    statement = select(Resource.id).where(
        Resource.tenant_id == tenant_id,
        Resource.removed_at.is_(None),
        Resource.rating_count > 0,
    )
    if subject:
        statement = statement.where(Resource.subject.in_(family(subject)))
    rows = await session.scalars(
        statement.order_by(weighted.desc(), Resource.rating_count.desc(), Resource.id.desc()).limit(
            limit
        )
    )
    return list(rows)


async def member_contributions(
    session: AsyncSession, tenant_id: int, member_id: int
) -> dict[str, Any]:
    """Everything the library holds about one member, for their data export."""
    shared = await session.execute(
        select(
            Resource.number,
            Resource.url,
            Resource.title,
            Resource.description,
            Resource.tags,
            Resource.kind,
            Resource.subject,
            Resource.grade_mask,
            Resource.created_at,
            Resource.removed_at,
        )
        .where(Resource.tenant_id == tenant_id, Resource.shared_by_member_id == member_id)
        .order_by(Resource.id)
    )
    ratings = await session.execute(
        select(
            Resource.number, Resource.url, ResourceRating.score, ResourceRating.rated_at
        )
        .join(Resource, Resource.id == ResourceRating.resource_id)
        .where(ResourceRating.tenant_id == tenant_id, ResourceRating.member_id == member_id)
        .order_by(ResourceRating.resource_id)
    )
    saves = await session.execute(
        select(Resource.number, Resource.url, ResourceSave.saved_at)
        .join(Resource, Resource.id == ResourceSave.resource_id)
        .where(ResourceSave.tenant_id == tenant_id, ResourceSave.member_id == member_id)
        .order_by(ResourceSave.resource_id)
    )
    return {
        "resources_shared": [
            {
                "number": r.number,
                "url": r.url,
                "title": r.title,
                "description": r.description,
                "tags": r.tags.split(),
                "type": r.kind,
                "subject": r.subject,
                "grades": list(grades_of(r.grade_mask)),
                "shared_at": r.created_at.isoformat(),
                "removed": r.removed_at is not None,
            }
            for r in shared
        ],
        "resource_ratings": [
            {
                "resource": r.number,
                "url": r.url,
                "score": r.score,
                "rated_at": r.rated_at.isoformat(),
            }
            for r in ratings
        ],
        "resource_saves": [
            {"resource": r.number, "url": r.url, "saved_at": r.saved_at.isoformat()}
            for r in saves
        ],
    }


async def forget_member(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Delete the member's ratings and saves; keep what they shared, but anonymously."""
    rated = list(
        await session.scalars(
            select(ResourceRating.resource_id).where(
                ResourceRating.tenant_id == tenant_id, ResourceRating.member_id == member_id
            )
        )
    )
    await session.execute(
        delete(ResourceRating).where(
            ResourceRating.tenant_id == tenant_id, ResourceRating.member_id == member_id
        )
    )
    if rated:
        await _refresh_ratings(session, tenant_id, rated)
    await session.execute(
        delete(ResourceSave).where(
            ResourceSave.tenant_id == tenant_id, ResourceSave.member_id == member_id
        )
    )
    for column in (Resource.shared_by_member_id, Resource.removed_by_member_id):
        await session.execute(
            update(Resource)
            .where(Resource.tenant_id == tenant_id, column == member_id)
            .values({column.key: None})
        )
