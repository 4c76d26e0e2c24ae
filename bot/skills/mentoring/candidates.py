"""From introductions to the matcher: which profile fields mentoring needs, and candidates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.community.profiles import ProfileData
from bot.core.errors import UserFacingError
from bot.core.i18n import N_, Translator
from bot.core.timezones import UnknownTimeZone, utc_offset
from bot.skills.mentoring.matching import Candidate

NEEDED = (
    ("timezone", N_("time zone"), "intro set tz Lisbon"),
    ("languages", N_("languages"), "intro set languages English, Spanish"),
    ("years_experience", N_("years of experience"), "intro set years 12"),
    ("subjects", N_("subjects"), "intro set subjects math, science"),
    ("grades", N_("grade bands"), "intro set grades 6-8"),
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


def check_profile(t: Translator, profile: ProfileData | None, *, offering: bool) -> ProfileData:
    """The profile, or a friendly error (in ``t``'s language) saying what to add before
    offering to mentor (``offering``) or asking for a mentor."""
    if profile is None:
        raise UserFacingError(
            t.gettext(
                "Before you offer to mentor, please introduce yourself with `intro`: I match "
                "mentors and mentees by subjects, grades, languages, time zone and experience. "
                "Nothing was changed."
            )
            if offering
            else t.gettext(
                "Before you ask for a mentor, please introduce yourself with `intro`: I match "
                "mentors and mentees by subjects, grades, languages, time zone and experience. "
                "Nothing was changed."
            )
        )
    missing = missing_fields(profile)
    if missing:
        labels = t.and_list([t.gettext(label) for label, _ in missing])
        examples = ", ".join(f"`{example}`" for _, example in missing)
        raise UserFacingError(
            t.gettext(
                "Before you offer to mentor, please add your {fields} to your intro "
                "({examples}). Nothing was changed.",
                fields=labels,
                examples=examples,
            )
            if offering
            else t.gettext(
                "Before you ask for a mentor, please add your {fields} to your intro "
                "({examples}). Nothing was changed.",
                fields=labels,
                examples=examples,
            )
        )
    return profile


def describe_gaps(t: Translator, who: str, profile: ProfileData | None) -> str | None:
    """For moderators: what stops ``who`` from being matched, or None."""
    if profile is None:
        return t.gettext("{who} has not introduced themselves yet (`intro`)", who=who)
    missing = missing_fields(profile)
    if missing:
        return t.gettext(
            "{who}'s intro has no {fields}",
            who=who,
            fields=t.and_list([t.gettext(label) for label, _ in missing]),
        )
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
