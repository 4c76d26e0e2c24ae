"""What two members have in common, as a score and as reasons a person would give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.community import vocabulary as vocab
from bot.community.profiles import ProfileData
from bot.community.vocabulary import teaching_reason
from bot.core.i18n import LazyText, Translator, lazy
from bot.core.replies import and_list
from bot.core.timezones import UnknownTimeZone, hours_apart

_COMPLEMENTS = {("mentor", "mentees"), ("mentees", "mentor")}


@dataclass(frozen=True, kw_only=True, slots=True)
class CommonGround:
    score: float
    reasons: tuple[str, ...]
    """Each reason; this skill's are ``LazyText``, written in the reader's language by
    ``summary`` (what two members teach comes from ``bot.community.vocabulary``, in English)."""

    def summary(self, t: Translator | None = None) -> str:
        return "; ".join(_said(r, t) for r in self.reasons)


def _said(reason: str, t: Translator | None) -> str:
    """A reason in ``t``'s language when it is this skill's ``LazyText``; others as they are."""
    if t is None or not isinstance(reason, LazyText):
        return reason
    return t.gettext(reason.message, **reason.params)


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    other = set(b)
    return [x for x in a if x in other]


def time_reason(hours: float) -> LazyText:
    if hours == 0:
        return lazy("same time zone")
    return lazy("{hours} h apart", hours=format(hours, "g"))


def common_ground(me: ProfileData, other: ProfileData, at: datetime) -> CommonGround:
    """How much ``other`` has in common with ``me`` (higher is more), and why."""
    score = 0.0
    reasons: list[str] = []
    subjects = _overlap(me.subjects, other.subjects)
    grades = _overlap(me.grades, other.grades)
    score += 3 * min(len(subjects), 3)
    if grades:
        score += 2 + 0.5 * min(len(grades) - 1, 4)
    if reason := teaching_reason(subjects, grades):
        reasons.append(reason)

    wants = [
        (mine, theirs)
        for mine in me.seeking
        for theirs in other.seeking
        if (mine, theirs) in _COMPLEMENTS
    ]
    if wants:
        score += 3
        mine, _ = wants[0]
        reasons.append(
            lazy("you want a mentor; they want mentees")
            if mine == "mentor"
            else lazy("you want mentees; they want a mentor")
        )
    elif "collaborators" in me.seeking and "collaborators" in other.seeking:
        score += 1
        reasons.append(lazy("both looking for collaborators"))

    if me.timezone and other.timezone:
        try:
            apart = hours_apart(me.timezone, other.timezone, at)
        except UnknownTimeZone:
            apart = None
        if apart is not None:
            score += 2 if apart <= 1 else 1 if apart <= 3 else 0
            if subjects or grades or apart <= 3:
                reasons.append(time_reason(apart))

    languages = [code for code in _overlap(me.languages, other.languages) if code != "en"]
    if languages:
        score += min(len(languages), 2)
        names = and_list([vocab.language_name(c) for c in languages[:2]])
        reasons.append(lazy("both speak {languages}", languages=names))

    interests = _overlap(me.interests, other.interests)
    if interests:
        score += min(len(interests), 3)
        reasons.append(lazy("both into {interests}", interests=and_list(interests[:2])))
    return CommonGround(score=score, reasons=tuple(reasons))


def best_matches(
    me: ProfileData, others: list[ProfileData], at: datetime, *, limit: int = 3
) -> list[tuple[ProfileData, CommonGround]]:
    """The ``limit`` members with most in common (ties: alphabetical), ignoring zero scores."""
    scored = [
        (other, common_ground(me, other, at)) for other in others if other.member_id != me.member_id
    ]
    scored = [(o, g) for o, g in scored if g.score > 0 and g.reasons]
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].display_name.lower(), pair[0].member_id))
    return scored[:limit]
