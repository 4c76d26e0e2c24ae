"""Profiles: the fields of an introduction, and their repository.

``FIELDS`` is the single description of every profile field: the intro form, ``intro set``,
the profile card and validation all come from it. Other skills (mentoring, check-ins) read
profiles through ``load_profile`` / ``load_profiles``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community import vocabulary as vocab
from bot.community.models import Profile, ProfileTag
from bot.core.replies import FieldKind
from bot.core.text import check_name
from bot.core.timezones import AmbiguousTimeZone, UnknownTimeZone, ZoneOption, parse_timezone
from bot.storage.base import core_table
from bot.storage.models import Member

TAG_KINDS = ("subject", "grade", "language", "interest", "seeking")


@dataclass(frozen=True, kw_only=True, slots=True)
class ProfileData:
    """A member's introduction as plain values."""

    member_id: int
    user_id: str
    display_name: str = ""
    role_title: str = ""
    region: str = ""
    timezone: str = ""
    years_experience: int | None = None
    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    seeking: tuple[str, ...] = ()
    completed_at: datetime | None = None

    def value(self, name: str) -> Any:
        return getattr(self, name)

    def missing(self) -> list[ProfileField]:
        return [f for f in FIELDS if f.required and not self.value(f.name)]

    @property
    def is_complete(self) -> bool:
        return not self.missing()


def _text(limit: int, what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = re.sub(r"\s+", " ", raw).strip()
        if not value:
            raise ValueError(f"Please write your {what}.")
        if len(value) > limit:
            raise ValueError(f"Your {what} is too long (at most {limit} characters).")
        return value

    return parse


def _display_name(raw: str) -> str:
    if not raw.strip():
        raise ValueError("Please write your name.")
    return check_name(raw, limit=80)


class ZoneChoiceNeeded(ValueError):
    """The time zone typed names places in several zones: the member picks one."""

    def __init__(self, text: str, options: tuple[ZoneOption, ...]) -> None:
        super().__init__(f"There is more than one `{text.strip()[:40]}`. Which one is yours?")
        self.options = options


def _parse_timezone(raw: str) -> str:
    try:
        return parse_timezone(raw)
    except AmbiguousTimeZone as exc:
        raise ZoneChoiceNeeded(raw, exc.options) from None
    except UnknownTimeZone:
        shown = raw.strip()[:40]
        raise ValueError(
            f"I couldn't find the time zone '{shown}'. Try a city (`Lisbon`, `Lisboa`), a "
            "country (`Portugal`), a common name (`Eastern`, `NZDT`), an IANA name "
            "(`America/New_York`) or an offset (`UTC+5:30`)."
        ) from None


def _parse_years(raw: str) -> int:
    match = re.fullmatch(r"\s*([0-9]{1,2})\s*(?:years?|yrs?|y)?\s*", raw, re.IGNORECASE)
    if not match or int(match.group(1)) > 60:
        raise ValueError("Years of experience should be a number from 0 to 60, like `12`.")
    return int(match.group(1))


@dataclass(frozen=True, kw_only=True, slots=True)
class ProfileField:
    name: str
    label: str
    parse: Callable[[str], Any]
    aliases: tuple[str, ...] = ()
    required: bool = False
    tag_kind: str | None = None
    kind: FieldKind = FieldKind.SHORT_TEXT
    placeholder: str = ""
    max_length: int = 200


FIELDS: tuple[ProfileField, ...] = (
    ProfileField(
        name="display_name",
        label="Display name",
        aliases=("name",),
        required=True,
        parse=_display_name,
        placeholder="Ana Lopez",
        max_length=80,
    ),
    ProfileField(
        name="role_title",
        label="Your role",
        aliases=("role", "title"),
        required=True,
        parse=_text(40, "role"),
        placeholder="teacher, coach, leader, researcher…",
        max_length=40,
    ),
    ProfileField(
        name="subjects",
        label="Subjects",
        aliases=("subject",),
        required=True,
        parse=vocab.parse_subjects,
        tag_kind="subject",
        placeholder="math, science",
    ),
    ProfileField(
        name="grades",
        label="Grade bands",
        aliases=("grade", "bands"),
        required=True,
        parse=vocab.parse_grades,
        tag_kind="grade",
        placeholder="K-2, 6-8, higher ed",
    ),
    ProfileField(
        name="region",
        label="Region",
        aliases=("city", "country", "location"),
        parse=_text(80, "region"),
        placeholder="Lisbon, Portugal",
        max_length=80,
    ),
    ProfileField(
        name="timezone",
        label="Time zone",
        aliases=("tz", "time zone", "zone"),
        required=True,
        parse=_parse_timezone,
        placeholder="Lisbon, Eastern or UTC+1",
        max_length=64,
    ),
    ProfileField(
        name="languages",
        label="Languages",
        aliases=("language", "lang", "langs"),
        parse=vocab.parse_languages,
        tag_kind="language",
        placeholder="English, Spanish",
    ),
    ProfileField(
        name="years_experience",
        label="Years of experience",
        aliases=("experience", "years", "exp"),
        parse=_parse_years,
        kind=FieldKind.NUMBER,
        placeholder="12",
        max_length=10,
    ),
    ProfileField(
        name="interests",
        label="Interests",
        aliases=("interest",),
        parse=vocab.parse_interests,
        tag_kind="interest",
        placeholder="project-based learning, robotics",
        kind=FieldKind.LONG_TEXT,
        max_length=500,
    ),
    ProfileField(
        name="seeking",
        label="Looking for",
        aliases=("looking-for", "looking_for", "goals"),
        parse=vocab.parse_seeking,
        tag_kind="seeking",
        placeholder="mentor, mentees, collaborators, resources",
    ),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
_FIELD_LOOKUP = {key: f for f in FIELDS for key in (f.name, f.name.replace("_", "-"), *f.aliases)}


def find_field(name: str) -> ProfileField | None:
    return _FIELD_LOOKUP.get(name.strip().lower())


def field_names() -> list[str]:
    """The short names shown to people (``name``, ``role``, ``tz`` …)."""
    return [f.aliases[0] if f.aliases else f.name for f in FIELDS]


def format_value(profile_field: ProfileField, value: Any) -> str:
    if value in (None, "", ()):
        return ""
    if profile_field.name == "grades":
        return vocab.format_grades(value)
    if profile_field.name == "languages":
        return ", ".join(vocab.language_name(code) for code in value)
    if profile_field.name == "seeking":
        return ", ".join(vocab.SEEKING_LABELS.get(v, v) for v in value)
    if profile_field.name == "years_experience":
        return f"{value} year" + ("" if value == 1 else "s")
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def edit_text(profile_field: ProfileField, value: Any) -> str:
    """The value written the way a person would type it back into the form."""
    if value in (None, "", ()):
        return ""
    if profile_field.name == "grades":
        return vocab.format_grades(value).replace("–", "-")
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


# --- repository -------------------------------------------------------------------------------


_profiles = core_table(Profile)
_tags = core_table(ProfileTag)
_members = core_table(Member)
# Core columns on the hot paths: no ORM loading layer per call.
_PROFILES_WITH_TAGS = (
    select(
        _profiles.c.member_id,
        _members.c.user_id,
        _profiles.c.display_name,
        _profiles.c.role_title,
        _profiles.c.region,
        _profiles.c.timezone,
        _profiles.c.years_experience,
        _profiles.c.completed_at,
        _tags.c.kind,
        _tags.c.value,
    )
    .select_from(
        _profiles.join(Member.__table__, _members.c.id == _profiles.c.member_id).outerjoin(
            _tags, _tags.c.member_id == _profiles.c.member_id
        )
    )
    .where(
        _profiles.c.tenant_id == bindparam("tenant_id"),
        _profiles.c.member_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(_profiles.c.member_id, _tags.c.id)
)


async def load_profiles(
    session: AsyncSession, tenant_id: int, member_ids: Iterable[int]
) -> dict[int, ProfileData]:
    """Profiles of the given members of one tenant, keyed by member id (absent if none).

    One query: each profile row comes once per tag (or once with no tag).
    """
    ids = list(dict.fromkeys(member_ids))
    if not ids:
        return {}
    rows = await session.execute(_PROFILES_WITH_TAGS, {"tenant_id": tenant_id, "ids": ids})
    scalars: dict[int, tuple[Any, ...]] = {}
    tags: dict[int, dict[str, list[str]]] = {}
    for row in rows:
        member_id = row[0]
        scalars.setdefault(member_id, tuple(row[:8]))
        if row[8] is not None:
            tags.setdefault(member_id, {}).setdefault(row[8], []).append(row[9])
    return {
        member_id: _profile_data(values, tags.get(member_id, {}))
        for member_id, values in scalars.items()
    }


def _profile_data(values: tuple[Any, ...], own: dict[str, list[str]]) -> ProfileData:
    member_id, user_id, name, role, region, zone, years, completed_at = values
    return ProfileData(
        member_id=member_id,
        user_id=user_id,
        display_name=name,
        role_title=role,
        region=region,
        timezone=zone,
        years_experience=years,
        subjects=tuple(own.get("subject", ())),
        grades=tuple(sorted(own.get("grade", ()), key=vocab.GRADE_LEVELS.index)),
        languages=tuple(own.get("language", ())),
        interests=tuple(own.get("interest", ())),
        seeking=tuple(own.get("seeking", ())),
        completed_at=completed_at,
    )


async def load_profile(session: AsyncSession, tenant_id: int, member_id: int) -> ProfileData | None:
    return (await load_profiles(session, tenant_id, [member_id])).get(member_id)


@dataclass(frozen=True, kw_only=True, slots=True)
class SaveResult:
    profile: ProfileData
    newly_complete: bool


async def save_profile(
    session: AsyncSession,
    tenant_id: int,
    member_id: int,
    user_id: str,
    changes: dict[str, Any],
    now: datetime,
) -> SaveResult:
    """Apply validated field values; marks the profile complete the first time it is.

    Only what changed is written: one UPDATE for the single-valued fields, and a delete and
    insert per multi-valued field.
    """
    before = await load_profile(session, tenant_id, member_id)
    profile = before or ProfileData(member_id=member_id, user_id=user_id)
    profile = replace(profile, **changes)
    newly_complete = profile.completed_at is None and profile.is_complete
    if newly_complete:
        profile = replace(profile, completed_at=now)
    columns: dict[str, Any] = {
        name: value
        for name, value in changes.items()
        if FIELDS_BY_NAME[name].tag_kind is None
        and (before is None or getattr(before, name) != value)
    }
    columns["updated_at"] = now
    if newly_complete:
        columns["completed_at"] = now
    if before is None:
        session.add(
            Profile(
                member_id=member_id,
                tenant_id=tenant_id,
                **{f.name: profile.value(f.name) for f in FIELDS if f.tag_kind is None},
                completed_at=profile.completed_at,
                updated_at=now,
            )
        )
        await session.flush()
    else:
        await session.execute(
            update(_profiles)
            .where(_profiles.c.tenant_id == tenant_id, _profiles.c.member_id == member_id)
            .values(**columns)
        )
    for name, value in changes.items():
        kind = FIELDS_BY_NAME[name].tag_kind
        if kind is None or (before is not None and getattr(before, name) == value):
            continue
        await session.execute(
            delete(ProfileTag).where(
                ProfileTag.tenant_id == tenant_id,
                ProfileTag.member_id == member_id,
                ProfileTag.kind == kind,
            )
        )
        if value:
            await session.execute(
                insert(ProfileTag),
                [
                    {"tenant_id": tenant_id, "member_id": member_id, "kind": kind, "value": v}
                    for v in value
                ],
            )
    return SaveResult(profile=profile, newly_complete=newly_complete)


@dataclass(frozen=True, kw_only=True, slots=True)
class DirectoryQuery:
    """What ``people find`` asks for; empty fields do not filter."""

    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    exclude_member_id: int | None = None
    tags_any: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Alternative to the filters above: members with any of these tags (kind → values)."""


async def search_profiles(
    session: AsyncSession, tenant_id: int, query: DirectoryQuery, *, limit: int = 500
) -> list[ProfileData]:
    """Completed profiles of current members matching every given filter."""
    statement = (
        select(Profile.member_id)
        .join(Member, Member.id == Profile.member_id)
        .where(
            Profile.tenant_id == tenant_id,
            Profile.completed_at.is_not(None),
            Member.left_at.is_(None),
        )
    )
    if query.exclude_member_id is not None:
        statement = statement.where(Profile.member_id != query.exclude_member_id)
    for kind, values in (
        ("subject", query.subjects),
        ("grade", query.grades),
        ("language", query.languages),
    ):
        if values:
            statement = statement.where(Profile.member_id.in_(_tagged(tenant_id, kind, values)))
    if query.roles:
        statement = statement.where(
            or_(
                *(
                    func.lower(Profile.role_title).contains(r.lower(), autoescape=True)
                    for r in query.roles
                )
            )
        )
    if query.tags_any:
        statement = statement.where(
            or_(
                *(
                    Profile.member_id.in_(_tagged(tenant_id, kind, values))
                    for kind, values in query.tags_any.items()
                    if values
                )
            )
        )
    for word in query.words:
        needle = word.lower()
        statement = statement.where(
            or_(
                func.lower(Profile.display_name).contains(needle, autoescape=True),
                func.lower(Profile.region).contains(needle, autoescape=True),
                func.lower(Profile.role_title).contains(needle, autoescape=True),
                Profile.member_id.in_(
                    select(ProfileTag.member_id).where(
                        ProfileTag.tenant_id == tenant_id,
                        func.lower(ProfileTag.value).contains(needle, autoescape=True),
                    )
                ),
            )
        )
    ids = (await session.scalars(statement.order_by(Profile.member_id).limit(limit))).all()
    profiles = await load_profiles(session, tenant_id, ids)
    return [profiles[i] for i in ids if i in profiles]


def _tagged(tenant_id: int, kind: str, values: Sequence[str]) -> Any:
    return select(ProfileTag.member_id).where(
        ProfileTag.tenant_id == tenant_id, ProfileTag.kind == kind, ProfileTag.value.in_(values)
    )


async def delete_profile(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    await session.execute(
        delete(ProfileTag).where(
            ProfileTag.tenant_id == tenant_id, ProfileTag.member_id == member_id
        )
    )
    await session.execute(
        delete(Profile).where(Profile.tenant_id == tenant_id, Profile.member_id == member_id)
    )
