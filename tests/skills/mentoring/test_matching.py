"""The matcher on its own: hard constraints never broken, rounds optimal, reasons readable."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.skills.mentoring.matching import (
    NO_MENTOR_FITS,
    PLACES_TAKEN,
    Candidate,
    Rules,
    Weights,
    overlap_minutes,
    pair_score,
    plan_round,
    refusal,
    score_matrix,
)

LANGS = ("en", "es", "pt")
SUBJECTS = ("math", "science", "art", "history", "biology", "physics", "algebra")
GRADES = ("5", "6", "7", "8")
INTERESTS = ("robotics", "chess", "gardening")


def _sets(values: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values), min_size=min_size)


def candidates(
    ids: st.SearchStrategy[int], capacity: tuple[int, int]
) -> st.SearchStrategy[Candidate]:
    return st.builds(
        Candidate,
        member_id=ids,
        languages=_sets(LANGS, 1),
        subjects=_sets(SUBJECTS),
        grades=_sets(GRADES),
        interests=_sets(INTERESTS),
        years=st.integers(0, 20),
        utc_offset=st.sampled_from([-480, -300, 0, 60, 330, 540, 600]),
        capacity=st.integers(*capacity),
    )


def pools(
    max_mentors: int, max_mentees: int
) -> st.SearchStrategy[tuple[list[Candidate], list[Candidate], Rules]]:
    """Mentors and mentees with distinct ids; ids overlap across the two lists on purpose (a
    member who both offers and requests), and some pairs are excluded by history."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[list[Candidate], list[Candidate], Rules]:
        mentor_ids = draw(st.lists(st.integers(1, 12), max_size=max_mentors, unique=True))
        mentee_ids = draw(st.lists(st.integers(1, 12), max_size=max_mentees, unique=True))
        mentors = [draw(candidates(st.just(i), (0, 3))) for i in mentor_ids]
        mentees = [draw(candidates(st.just(i), (1, 1))) for i in mentee_ids]
        every = [(m, e) for m in mentor_ids for e in mentee_ids]
        excluded = draw(st.frozensets(st.sampled_from(every), max_size=4)) if every else frozenset()
        gap = draw(st.integers(0, 5))
        return mentors, mentees, Rules(experience_gap=gap, excluded=excluded)

    return build()


WEIGHTS = Weights()


@settings(max_examples=300, deadline=None)
@given(pools(8, 12))
def test_a_round_never_breaks_a_hard_constraint(
    pool: tuple[list[Candidate], list[Candidate], Rules],
) -> None:
    mentors, mentees, rules = pool
    plan = plan_round(mentors, mentees, rules=rules, weights=WEIGHTS)
    by_id = {m.member_id: m for m in mentors}
    mentee_by_id = {m.member_id: m for m in mentees}
    for match in plan.matches:
        mentor, mentee = by_id[match.mentor_id], mentee_by_id[match.mentee_id]
        assert match.mentor_id != match.mentee_id
        assert (match.mentor_id, match.mentee_id) not in rules.excluded
        assert mentor.languages & mentee.languages
        assert mentor.years >= mentee.years + rules.experience_gap
        assert refusal(mentor, mentee, rules) is None
    load = Counter(m.mentor_id for m in plan.matches)
    assert all(load[i] <= by_id[i].capacity for i in load)  # capacity respected
    assert len({m.mentee_id for m in plan.matches}) == len(plan.matches)  # one mentor each
    matched = {m.mentee_id for m in plan.matches}
    assert matched | {u.mentee_id for u in plan.unmatched} == set(mentee_by_id)
    assert not matched & {u.mentee_id for u in plan.unmatched}


def brute_force_best(mentors: list[Candidate], mentees: list[Candidate], rules: Rules) -> float:
    """Every way to give each mentee one allowed mentor or none, within capacity."""
    options = []
    for mentee in mentees:
        allowed: list[Candidate | None] = [None]
        allowed += [m for m in mentors if refusal(m, mentee, rules) is None]
        options.append(allowed)
    best = 0.0
    for choice in itertools.product(*options):
        load = Counter(m.member_id for m in choice if m is not None)
        if any(load[m.member_id] > m.capacity for m in mentors):
            continue
        total = sum(
            pair_score(m, e, WEIGHTS).score for m, e in zip(choice, mentees, strict=True) if m
        )
        best = max(best, total)
    return best


@settings(max_examples=150, deadline=None)
@given(pools(3, 5))
def test_a_round_is_as_good_as_brute_force(
    pool: tuple[list[Candidate], list[Candidate], Rules],
) -> None:
    mentors, mentees, rules = pool
    plan = plan_round(mentors, mentees, rules=rules, weights=WEIGHTS)
    assert plan.total_score == pytest.approx(brute_force_best(mentors, mentees, rules))


@settings(max_examples=100, deadline=None)
@given(pools(6, 6))
def test_the_round_scores_every_pair_as_pair_score_does(
    pool: tuple[list[Candidate], list[Candidate], Rules],
) -> None:
    mentors, mentees, rules = pool
    if not mentors or not mentees:
        return
    scores, _ = score_matrix(mentors, mentees, rules=rules, weights=WEIGHTS)
    for row, mentee in enumerate(mentees):
        for col, mentor in enumerate(mentors):
            expected = pair_score(mentor, mentee, WEIGHTS).score
            assert scores[row, col] == pytest.approx(expected)


def person(member_id: int, **fields: object) -> Candidate:
    values: dict[str, object] = {
        "languages": frozenset({"en"}),
        "subjects": frozenset({"science"}),
        "grades": frozenset({"7"}),
        "years": 10,
    }
    values.update(fields)
    return Candidate(member_id=member_id, **values)  # type: ignore[arg-type]


def test_the_round_beats_taking_the_best_pair_first() -> None:
    """The star mentor suits the flexible mentee best, but only the star can take the picky
    one: greedy would pair star and flexible and leave the picky mentee alone."""
    star = person(1, subjects=frozenset({"science", "math"}), interests=frozenset({"chess"}))
    other = person(2, subjects=frozenset({"math"}), languages=frozenset({"es"}))
    flexible = person(
        10,
        years=0,
        subjects=frozenset({"math"}),
        interests=frozenset({"chess"}),
        languages=frozenset({"en", "es"}),
    )
    picky = person(11, years=0, subjects=frozenset({"science"}))
    assert pair_score(star, flexible, WEIGHTS).score > pair_score(star, picky, WEIGHTS).score
    plan = plan_round([star, other], [flexible, picky], rules=Rules(), weights=WEIGHTS)
    assert {(m.mentor_id, m.mentee_id) for m in plan.matches} == {(1, 11), (2, 10)}


def test_reasons_say_what_they_share() -> None:
    mentor = person(1, utc_offset=60, interests=frozenset({"robotics"}))
    mentee = person(2, years=1, utc_offset=240, interests=frozenset({"robotics", "chess"}))
    (match,) = plan_round([mentor], [mentee], rules=Rules(), weights=WEIGHTS).matches
    assert match.reasons == (
        "both teach grade 7 science",
        "5 shared working hours",
        "both into robotics",
    )


def test_a_shared_language_other_than_english_is_a_reason() -> None:
    mentor = person(1, languages=frozenset({"en", "es"}), subjects=frozenset({"art"}))
    mentee = person(2, years=0, languages=frozenset({"es"}), utc_offset=-720)
    assert pair_score(mentor, mentee, WEIGHTS).reasons == (
        "both teach grade 7",
        "both speak Spanish",
    )


def test_a_partial_subject_match_scores_below_an_exact_one_and_says_so() -> None:
    biology = person(2, years=0, subjects=frozenset({"biology"}))
    exact = pair_score(person(1, subjects=frozenset({"biology"})), biology, WEIGHTS)
    partial = pair_score(person(1, subjects=frozenset({"science"})), biology, WEIGHTS)
    unrelated = pair_score(person(1, subjects=frozenset({"math"})), biology, WEIGHTS)
    assert exact.score > partial.score > unrelated.score
    assert "a partial subject match: science includes biology" in partial.reasons
    assert "both teach grade 7 biology" in exact.reasons
    narrower = pair_score(person(1, subjects=frozenset({"physics"})), person(2, years=0), WEIGHTS)
    assert "a partial subject match: physics is part of science" in narrower.reasons


def test_a_round_prefers_the_exact_subject_and_counts_partial_ones() -> None:
    science, biology = person(1), person(2, subjects=frozenset({"biology"}))
    mentee = person(10, years=0, subjects=frozenset({"biology"}))
    (match,) = plan_round([science, biology], [mentee], rules=Rules(), weights=WEIGHTS).matches
    assert match.mentor_id == 2
    (match,) = plan_round([science], [mentee], rules=Rules(), weights=WEIGHTS).matches
    assert match.score == pair_score(science, mentee, WEIGHTS).score


def test_unmatched_mentees_say_why() -> None:
    mentor = person(1, capacity=1)
    rival = person(2, years=0)
    stranger = person(3, years=0, languages=frozenset({"pt"}))
    plan = plan_round(
        [mentor], [rival, stranger, person(4, years=0)], rules=Rules(), weights=WEIGHTS
    )
    assert len(plan.matches) == 1
    assert {u.mentee_id: u.why for u in plan.unmatched}[3] == NO_MENTOR_FITS
    assert PLACES_TAKEN in {u.why for u in plan.unmatched}


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [(0, 0, 8), (0, 60, 7), (0, -300, 3), (0, 330, 2.5), (0, 480, 0), (-600, 780, 7), (0, 720, 0)],
)
def test_working_hours_overlap(a: int, b: int, hours: float) -> None:
    assert overlap_minutes(a, b) == hours * 60 == overlap_minutes(b, a)


def test_the_experience_gap_and_history_are_refusals() -> None:
    mentor, mentee = person(1, years=5), person(2, years=4)
    assert refusal(mentor, mentee, Rules(experience_gap=1)) is None
    assert "more years of experience" in (refusal(mentor, mentee, Rules()) or "")
    rules = Rules(experience_gap=0, excluded=frozenset({(1, 2)}))
    assert "before" in (refusal(mentor, mentee, rules) or "")
    assert "themselves" in (refusal(mentor, person(1, years=0), Rules()) or "")


def test_start_up_does_not_load_numpy_or_scipy() -> None:
    """The solver's libraries load on the first round, not with every process start."""
    code = (
        "import sys, bot.app, bot.core.skills; bot.core.skills.load_registry();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'scipy')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
