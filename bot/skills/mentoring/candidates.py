"""From introductions to the matcher: which profile fields mentoring needs, and candidates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.community.profiles import ProfileData
from bot.core.errors import UserFacingError
from bot.core.replies import and_list
from bot.core.timezones import UnknownTimeZone, utc_offset
from bot.skills.mentoring.matching import Candidate

NEEDED = (
    ("timezone", "time zone", "intro set tz Lisbon"),
    ("languages", "languages", "intro set languages English, Spanish"),
    ("years_experience", "years of experience", "intro set years 12"),
    ("subjects", "subjects", "intro set subjects math, science"),
    ("grades", "grade bands", "intro set grades 6-8"),
)
"""Profile fields a mentor or mentee must have: (field, how to call it, how to set it)."""


def missing_fields(profile: ProfileData | None) -> list[tuple[str, str]]:
    """(label, example command) of each needed field the profile lacks."""
    if profile is None:
        return [(label, example) for _, label, example in NEEDED]
    missing = []
    for name, label, example in NEEDED:
        value = profile.value(name)
        if value is None or value in ("", ()):
            missing.append((label, example))
    return missing


def check_profile(profile: ProfileData | None, *, doing: str) -> ProfileData:
    """The profile, or a friendly error saying what to add before ``doing`` (such as
    "offer to mentor")."""
    if profile is None:
        raise UserFacingError(
            f"Before you {doing}, please introduce yourself with `intro`: I match mentors and "
            "mentees by subjects, grades, languages, time zone and experience. Nothing was changed."
        )
    missing = missing_fields(profile)
    if missing:
        labels = and_list([label for label, _ in missing])
        examples = ", ".join(f"`{example}`" for _, example in missing)
        raise UserFacingError(
            f"Before you {doing}, please add your {labels} to your intro ({examples}). "
            "Nothing was changed."
        )
    return profile


def describe_gaps(who: str, profile: ProfileData | None) -> str | None:
    """For moderators: what stops ``who`` from being matched, or None."""
    if profile is None:
        return f"{who} has not introduced themselves yet (`intro`)"
    missing = missing_fields(profile)
    if missing:
        return f"{who}'s intro has no {and_list([label for label, _ in missing])}"
    return None


def offset_minutes(zone_key: str, at: datetime) -> int:
    """Minutes east of UTC of a stored zone at ``at`` (0 for a zone we cannot read)."""
    try:
        return int(utc_offset(zone_key, at).total_seconds() // 60)
    except UnknownTimeZone:
        return 0


def candidate(
    profile: ProfileData,
    at: datetime,
    *,
    subjects: Sequence[str] = (),
    capacity: int = 1,
) -> Candidate:
    """The matcher's view of a member; ``subjects`` overrides the profile's when given."""
    return Candidate(
        member_id=profile.member_id,
        languages=frozenset(profile.languages),
        subjects=frozenset(subjects or profile.subjects),
        grades=frozenset(profile.grades),
        interests=frozenset(profile.interests),
        years=profile.years_experience or 0,
        utc_offset=offset_minutes(profile.timezone, at),
        capacity=capacity,
    )
