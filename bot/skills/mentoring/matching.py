"""Matching mentors with mentees: hard constraints, a weighted score, and an optimal round.

Pure and platform-free: it sees plain values (no store, no clock, no chat). A round is solved
as one assignment problem over mentor *slots* (a mentor with capacity 3 is three columns), so
the total score of the round is the largest possible, not what a greedy pass happens to find.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.community import vocabulary as vocab
from bot.community.subjects import broader, partial_pairs, related
from bot.community.vocabulary import teaching_reason
from bot.core.replies import and_list

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

WORKDAY_START = 9 * 60
"""Minutes after local midnight when a working day starts (09:00)."""
WORKDAY_END = 17 * 60
WORKDAY = WORKDAY_END - WORKDAY_START
_DAY = 24 * 60
MAX_REASONS = 3
PARTIAL_SUBJECT = 0.5
"""What a related subject counts for next to the same subject (a biology mentee and a science
mentor): half."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """One mentor or mentee as the matcher sees them."""

    member_id: int
    languages: frozenset[str]
    subjects: frozenset[str]
    grades: frozenset[str]
    interests: frozenset[str] = frozenset()
    years: int = 0
    utc_offset: int = 0
    """Minutes east of UTC at the time of the round."""
    capacity: int = 1
    """Mentees a mentor can still take this round (ignored for mentees)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Weights:
    """How much each kind of common ground counts; every feature is scaled to 0–1 first."""

    subjects: float = 3.0
    grades: float = 2.0
    hours: float = 2.0
    interests: float = 1.0
    base: float = 1.0
    """What any allowed pair scores, so that a round prefers matching more people."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Rules:
    experience_gap: int = 2
    """A mentor has at least this many more years of experience than their mentee."""
    excluded: frozenset[tuple[int, int]] = frozenset()
    """(mentor id, mentee id) pairs never to propose: paired or declined before."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PairScore:
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Match:
    mentor_id: int
    mentee_id: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Unmatched:
    mentee_id: int
    why: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RoundPlan:
    matches: tuple[Match, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()

    @property
    def total_score(self) -> float:
        return sum(m.score for m in self.matches)


NO_MENTOR_FITS = "no mentor fits yet (language, experience, or who they were paired with before)"
PLACES_TAKEN = "the mentors who fit are matched with others this round"


# --- one pair ---------------------------------------------------------------------------------


def overlap_minutes(offset_a: int, offset_b: int) -> int:
    """Minutes two 09:00–17:00 working days share, given their UTC offsets in minutes."""
    apart = abs(offset_a - offset_b) % _DAY
    apart = min(apart, _DAY - apart)
    return max(0, WORKDAY - apart)


def refusal(mentor: Candidate, mentee: Candidate, rules: Rules) -> str | None:
    """Why this pair may not be proposed (the first hard constraint it breaks), or None."""
    if mentor.member_id == mentee.member_id:
        return "nobody can mentor themselves"
    if (mentor.member_id, mentee.member_id) in rules.excluded:
        return "they were paired, or one of them declined the other, before"
    if not mentor.languages & mentee.languages:
        return "they share no language"
    if mentor.years < mentee.years + rules.experience_gap:
        return (
            f"a mentor needs at least {rules.experience_gap} more years of experience than "
            f"their mentee ({mentor.years} vs {mentee.years})"
        )
    if mentor.capacity < 1:
        return "the mentor has no free place"
    return None


def _fraction(common: float, wanted: int) -> float:
    return common / wanted if wanted else 0.0


def _partial_reason(partial: list[tuple[str, str]]) -> str:
    """``a partial subject match: science includes biology``."""
    wanted, offered = partial[0]
    how = "includes" if broader(wanted) == offered else "is part of"
    return f"a partial subject match: {offered} {how} {wanted}"


def pair_score(mentor: Candidate, mentee: Candidate, weights: Weights) -> PairScore:
    """The score of one pair and its top reasons ("both teach grade 7 science; …")."""
    subjects = sorted(mentor.subjects & mentee.subjects)
    partial = partial_pairs(mentee.subjects, mentor.subjects)
    grades = sorted(mentor.grades & mentee.grades, key=_grade_order)
    interests = sorted(mentor.interests & mentee.interests)
    minutes = overlap_minutes(mentor.utc_offset, mentee.utc_offset)
    credit = len(subjects) + PARTIAL_SUBJECT * len(partial)
    teaching = weights.subjects * _fraction(credit, len(mentee.subjects))
    teaching += weights.grades * _fraction(len(grades), len(mentee.grades))
    hours = weights.hours * minutes / WORKDAY
    shared = weights.interests * min(len(interests), 3) / 3
    score = weights.base + teaching + hours + shared
    ranked: list[tuple[float, str]] = []
    if reason := teaching_reason(list(subjects), list(grades)):
        ranked.append((teaching, reason))
    if partial:
        share = weights.subjects * _fraction(PARTIAL_SUBJECT * len(partial), len(mentee.subjects))
        ranked.append((share, _partial_reason(partial)))
    if minutes:
        ranked.append((hours, _hours_reason(minutes)))
    if interests:
        ranked.append((shared, "both into " + and_list(interests[:2])))
    ranked.sort(key=lambda pair: -pair[0])
    reasons = [text for _, text in ranked]
    spoken = sorted(mentor.languages & mentee.languages - {"en"})
    if spoken:
        reasons.append("both speak " + and_list([_language(c) for c in spoken[:2]]))
    return PairScore(score=score, reasons=tuple(reasons[:MAX_REASONS]))


def _grade_order(level: str) -> int:
    return vocab.GRADE_LEVELS.index(level) if level in vocab.GRADE_LEVELS else 99


def _hours_reason(minutes: int) -> str:
    hours = round(minutes / 60, 1)
    return f"{hours:g} shared working hour" + ("" if hours == 1 else "s")


@cache
def _language(code: str) -> str:
    return vocab.language_name(code)


# --- a whole round ----------------------------------------------------------------------------


def _indicator(
    groups: Sequence[Sequence[frozenset[str]]],
) -> tuple[list[NDArray[np.float64]], dict[str, int]]:
    """0/1 matrices (people × words) for several groups of people over one vocabulary, and
    that vocabulary (word → column)."""
    import numpy as np
    index: dict[str, int] = {}
    for group in groups:
        for values in group:
            for value in values:
                index.setdefault(value, len(index))
    matrices = []
    for group in groups:
        matrix = np.zeros((len(group), max(len(index), 1)))
        for row, values in enumerate(group):
            for value in values:
                matrix[row, index[value]] = 1.0
        matrices.append(matrix)
    return matrices, index


def _subject_credit(
    mentees: Sequence[Candidate], mentors: Sequence[Candidate]
) -> NDArray[np.float64]:
    """Per pair, the mentee's subjects the mentor teaches (1 each) or teaches a related subject
    of (``PARTIAL_SUBJECT`` each): the numbers ``pair_score`` counts, for every pair at once."""
    import numpy as np

    (mine, theirs), index = _indicator(
        [[p.subjects for p in mentees], [p.subjects for p in mentors]]
    )
    relation = np.zeros((theirs.shape[1], theirs.shape[1]))
    for subject, row in index.items():
        for other, col in index.items():
            relation[row, col] = related(subject, other)
    covered = (((theirs @ relation.T) > 0) & (theirs == 0)).astype(np.float64)
    credit: NDArray[np.float64] = mine @ theirs.T + PARTIAL_SUBJECT * (mine @ covered.T)
    return credit


def score_matrix(
    mentors: Sequence[Candidate],
    mentees: Sequence[Candidate],
    *,
    rules: Rules,
    weights: Weights,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Scores (mentees × mentors) and which pairs the hard constraints allow, for every pair.

    The same numbers as ``pair_score`` and ``refusal``, computed for the whole round at once.
    """
    import numpy as np  # imported on first use, like scipy: start-up stays quick

    def shared(field_name: str) -> NDArray[np.float64]:
        (mine, theirs), _ = _indicator(
            [[getattr(p, field_name) for p in mentees], [getattr(p, field_name) for p in mentors]]
        )
        return mine @ theirs.T

    def wanted(field_name: str) -> NDArray[np.float64]:
        sizes = np.array([len(getattr(p, field_name)) for p in mentees], dtype=float)
        return np.where(sizes > 0, sizes, 1.0)[:, None]

    subjects = _subject_credit(mentees, mentors) / wanted("subjects")
    grades = shared("grades") / wanted("grades")
    interests = np.minimum(shared("interests"), 3) / 3
    mentee_offsets = np.array([p.utc_offset for p in mentees])[:, None]
    mentor_offsets = np.array([p.utc_offset for p in mentors])[None, :]
    apart = np.abs(mentee_offsets - mentor_offsets) % _DAY
    apart = np.minimum(apart, _DAY - apart)
    hours = np.maximum(0, WORKDAY - apart) / WORKDAY
    scores = (
        weights.base
        + weights.subjects * subjects
        + weights.grades * grades
        + weights.hours * hours
        + weights.interests * interests
    )
    mentee_years = np.array([p.years for p in mentees])[:, None]
    mentor_years = np.array([p.years for p in mentors])[None, :]
    allowed = shared("languages") > 0
    allowed &= mentor_years >= mentee_years + rules.experience_gap
    allowed &= np.array([p.capacity > 0 for p in mentors])[None, :]
    mentee_row = {p.member_id: i for i, p in enumerate(mentees)}
    mentor_col: dict[int, list[int]] = {}
    for j, p in enumerate(mentors):
        mentor_col.setdefault(p.member_id, []).append(j)
    for mentor_id, mentee_id in rules.excluded:
        row = mentee_row.get(mentee_id)
        if row is not None:
            for col in mentor_col.get(mentor_id, ()):
                allowed[row, col] = False
    for mentee_id, row in mentee_row.items():
        for col in mentor_col.get(mentee_id, ()):
            allowed[row, col] = False
    return scores, allowed


def solve(
    scores: NDArray[np.float64], allowed: NDArray[np.bool_], capacities: Sequence[int]
) -> list[tuple[int, int]]:
    """The (mentee row, mentor column) pairs of a largest-total assignment.

    Each mentor column is repeated once per free place (never more places than the mentees
    who could take them), and ``linear_sum_assignment`` picks at most one place per mentee.
    A pair the rules forbid costs nothing, exactly like leaving both unmatched, so it is
    never preferred to an allowed pair (every allowed pair scores more than zero).
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # imported on first use: slow to load

    if scores.size == 0:
        return []
    rows = np.flatnonzero(allowed.any(axis=1))
    cols = np.flatnonzero(allowed.any(axis=0))
    if rows.size == 0:
        return []
    reach = allowed[np.ix_(rows, cols)].sum(axis=0)
    places = np.minimum(np.asarray(capacities)[cols], reach)
    owner = np.repeat(cols, places)
    cost = np.where(allowed[np.ix_(rows, owner)], -scores[np.ix_(rows, owner)], 0.0)
    picked_rows, picked_slots = linear_sum_assignment(cost)
    pairs = []
    for r, s in zip(picked_rows, picked_slots, strict=True):
        row, col = int(rows[r]), int(owner[s])
        if allowed[row, col]:
            pairs.append((row, col))
    return sorted(pairs)


def plan_round(
    mentors: Sequence[Candidate],
    mentees: Sequence[Candidate],
    *,
    rules: Rules,
    weights: Weights,
) -> RoundPlan:
    """The best round for this pool: most total score, every hard constraint kept."""
    if not mentors or not mentees:
        return RoundPlan(
            unmatched=tuple(Unmatched(mentee_id=p.member_id, why=NO_MENTOR_FITS) for p in mentees)
        )
    scores, allowed = score_matrix(mentors, mentees, rules=rules, weights=weights)
    pairs = solve(scores, allowed, [p.capacity for p in mentors])
    matched_rows = {row for row, _ in pairs}
    matches = []
    for row, col in pairs:
        mentor, mentee = mentors[col], mentees[row]
        scored = pair_score(mentor, mentee, weights)
        matches.append(
            Match(
                mentor_id=mentor.member_id,
                mentee_id=mentee.member_id,
                score=scored.score,
                reasons=scored.reasons,
            )
        )
    unmatched = tuple(
        Unmatched(
            mentee_id=mentee.member_id,
            why=PLACES_TAKEN if allowed[row].any() else NO_MENTOR_FITS,
        )
        for row, mentee in enumerate(mentees)
        if row not in matched_rows
    )
    return RoundPlan(matches=tuple(matches), unmatched=unmatched)
