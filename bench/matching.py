"""One mentoring round: 5,000 mentees × 1,000 mentors (capacity 1–5), solved by ``plan_round``.

Data: generated profiles with 1–3 of 14 subjects, a run of 1–4 grade levels, 1–3 of 8
languages (English for most), a UTC offset from 27 zones, 0–30 years of experience, up to
three of 20 interests, and 2,000 past pairings or declines that may not be proposed again.

``seconds`` is the median wall time of ``plan_round`` (score matrix, the assignment over
mentor places, and every match's reasons) after a warm-up. Baselines run on the same scores
and hard constraints in the same process:

- ``ratio_to_optimum``: our total over an independent exact solver's on sampled smaller
  rounds (``scipy.optimize.milp`` with HiGHS: an integer program over the allowed pairs, one
  mentor per mentee and each mentor within capacity), the lowest ratio over the samples;
- ``ratio_to_greedy``: our total over taking the best remaining allowed pair first;
- ``ratio_to_random``: our total over giving each mentee, in random order, a random allowed
  mentor with a free place.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

import numpy as np
from _common import emit, median, parse_args, peak_rss_mb
from numpy.typing import NDArray

from bot.skills.mentoring.matching import Candidate, Rules, Weights, plan_round, score_matrix

SUBJECTS = (
    "math", "science", "english", "history", "art", "music", "biology", "chemistry",
    "physics", "computer science", "geography", "special education", "french", "spanish",
)  # fmt: skip
LEVELS = tuple(str(n) for n in range(1, 13))
LANGUAGES = ("en", "es", "pt", "fr", "de", "hi", "ar", "zh")
OFFSETS = (*(60 * h for h in range(-10, 14)), 330, 345, 570)
INTERESTS = tuple(f"interest-{n}" for n in range(20))
WEIGHTS = Weights()


def person(rng: random.Random, member_id: int, *, mentor: bool) -> Candidate:
    start = rng.randrange(len(LEVELS))
    languages = {"en"} if rng.random() < 0.8 else set()
    languages |= set(rng.sample(LANGUAGES[1:], rng.randint(0 if languages else 1, 2)))
    return Candidate(
        member_id=member_id,
        languages=frozenset(languages),
        subjects=frozenset(rng.sample(SUBJECTS, rng.randint(1, 3))),
        grades=frozenset(LEVELS[start : start + rng.randint(1, 4)]),
        interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 3))),
        years=rng.randint(4, 30) if mentor else rng.randint(0, 6),
        utc_offset=rng.choice(OFFSETS),
        capacity=rng.randint(1, 5) if mentor else 1,
    )


def pool(
    seed: int, mentees: int, mentors: int, history: int
) -> tuple[list[Candidate], list[Candidate], Rules]:
    rng = random.Random(seed)
    mentor_list = [person(rng, i, mentor=True) for i in range(1, mentors + 1)]
    mentee_list = [person(rng, mentors + i, mentor=False) for i in range(1, mentees + 1)]
    excluded = frozenset(
        (rng.choice(mentor_list).member_id, rng.choice(mentee_list).member_id)
        for _ in range(history)
    )
    return mentor_list, mentee_list, Rules(experience_gap=2, excluded=excluded)


def greedy_total(
    scores: NDArray[np.float64], allowed: NDArray[np.bool_], capacities: Sequence[int]
) -> float:
    rows, cols = np.nonzero(allowed)
    order = np.argsort(-scores[rows, cols], kind="stable")
    free = list(capacities)
    taken = np.zeros(scores.shape[0], dtype=bool)
    total = 0.0
    for k in order:
        row, col = rows[k], cols[k]
        if not taken[row] and free[col] > 0:
            taken[row] = True
            free[col] -= 1
            total += float(scores[row, col])
    return total


def random_total(
    scores: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    capacities: Sequence[int],
    rng: random.Random,
) -> float:
    free = np.array(capacities)
    total = 0.0
    rows = list(range(scores.shape[0]))
    rng.shuffle(rows)
    for row in rows:
        options = np.flatnonzero(allowed[row] & (free > 0))
        if options.size:
            col = int(options[rng.randrange(options.size)])
            free[col] -= 1
            total += float(scores[row, col])
    return total


def exact_total(
    scores: NDArray[np.float64], allowed: NDArray[np.bool_], capacities: Sequence[int]
) -> float:
    """The optimum by an integer program (HiGHS), independent of the assignment solver."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    rows, cols = np.nonzero(allowed)
    n = rows.size
    variables = np.arange(n)
    per_mentee = coo_matrix((np.ones(n), (rows, variables)), shape=(scores.shape[0], n))
    per_mentor = coo_matrix((np.ones(n), (cols, variables)), shape=(scores.shape[1], n))
    result = milp(
        c=-scores[rows, cols],
        constraints=[
            LinearConstraint(per_mentee.tocsr(), 0, 1),
            LinearConstraint(per_mentor.tocsr(), 0, np.asarray(capacities, dtype=float)),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    if not result.success:
        raise RuntimeError(f"milp failed: {result.message}")
    return float(-result.fun)


def extra(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)


def main() -> None:
    args = parse_args(__doc__ or "", extra=extra)
    mentees, mentors = (500, 100) if args.quick else (args.mentees, args.mentors)
    runs = 1 if args.quick else 3
    mentor_list, mentee_list, rules = pool(7, mentees, mentors, history=2000)
    plan_round(mentor_list[:50], mentee_list[:200], rules=rules, weights=WEIGHTS)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        plan = plan_round(mentor_list, mentee_list, rules=rules, weights=WEIGHTS)
        times.append(time.perf_counter() - started)
    total = plan.total_score
    scores, allowed = score_matrix(mentor_list, mentee_list, rules=rules, weights=WEIGHTS)
    capacities = [m.capacity for m in mentor_list]
    greedy = greedy_total(scores, allowed, capacities)
    randomly = random_total(scores, allowed, capacities, random.Random(3))

    samples = 2 if args.quick else 5
    size = (150, 30) if args.quick else (400, 80)
    ratios = []
    for seed in range(100, 100 + samples):
        small_mentors, small_mentees, small_rules = pool(seed, size[0], size[1], history=100)
        ours = plan_round(small_mentors, small_mentees, rules=small_rules, weights=WEIGHTS)
        s_scores, s_allowed = score_matrix(
            small_mentors, small_mentees, rules=small_rules, weights=WEIGHTS
        )
        best = exact_total(s_scores, s_allowed, [m.capacity for m in small_mentors])
        ratios.append(ours.total_score / best)
    emit(
        "matching",
        mentees,
        {
            "mentors": mentors,
            "places": sum(capacities),
            "seconds": round(median(times), 3),
            "matched": len(plan.matches),
            "total_score": round(total, 2),
            "ratio_to_optimum": round(min(ratios), 6),
            "exact_solver": f"scipy.optimize.milp (HiGHS), {samples} rounds of "
            f"{size[0]} mentees x {size[1]} mentors",
            "greedy_score": round(greedy, 2),
            "ratio_to_greedy": round(total / greedy, 4),
            "random_score": round(randomly, 2),
            "ratio_to_random": round(total / randomly, 4),
            "peak_rss_mb": peak_rss_mb(),
        },
    )


if __name__ == "__main__":
    main()
