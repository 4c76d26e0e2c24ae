"""Subjects as teachers name them, and how they nest: science ⊃ biology, math ⊃ algebra, …

``normalize_subject`` turns what people type (``maths``, ``Bio``, ``ELA``) into one stored
name. The taxonomy lets the directory, resource search and ``top`` find biology under science
(``family``), and lets matching count a related subject as a partial match (``related``).
Subjects outside the taxonomy are kept as typed and match only themselves.
"""

from __future__ import annotations

import re
from functools import cache

TAXONOMY: dict[str, tuple[str, ...]] = {
    "science": ("biology", "chemistry", "physics", "earth science", "environmental science"),
    "math": ("algebra", "geometry", "statistics", "calculus"),
    "english": ("reading", "writing", "literature", "phonics"),
    "languages": (
        "spanish",
        "french",
        "german",
        "portuguese",
        "italian",
        "mandarin",
        "japanese",
        "arabic",
        "latin",
        "sign language",
        "english as a second language",
    ),
    "social studies": ("history", "geography", "civics", "economics", "psychology"),
    "arts": ("art", "music", "drama", "dance"),
    "computer science": ("programming", "robotics"),
    "physical education": ("health",),
    "special education": (),
}
"""Broad subject → its narrower subjects (one level; every name is unique)."""

_SYNONYMS = {
    "maths": "math",
    "mathematics": "math",
    "stats": "statistics",
    "ela": "english",
    "english language arts": "english",
    "literacy": "english",
    "language arts": "english",
    "sci": "science",
    "sciences": "science",
    "bio": "biology",
    "life science": "biology",
    "chem": "chemistry",
    "physic": "physics",
    "earth sciences": "earth science",
    "geology": "earth science",
    "environmental studies": "environmental science",
    "cs": "computer science",
    "computing": "computer science",
    "coding": "programming",
    "pe": "physical education",
    "p.e.": "physical education",
    "phys ed": "physical education",
    "sport": "physical education",
    "sports": "physical education",
    "sped": "special education",
    "sen": "special education",
    "send": "special education",
    "special needs": "special education",
    "esl": "english as a second language",
    "ell": "english as a second language",
    "efl": "english as a second language",
    "esol": "english as a second language",
    "world languages": "languages",
    "foreign languages": "languages",
    "modern languages": "languages",
    "mfl": "languages",
    "chinese": "mandarin",
    "asl": "sign language",
    "bsl": "sign language",
    "social science": "social studies",
    "humanities": "social studies",
    "the arts": "arts",
    "fine arts": "arts",
    "visual arts": "art",
    "theatre": "drama",
    "theater": "drama",
}
_BROADER = {narrow: broad for broad, narrows in TAXONOMY.items() for narrow in narrows}


def normalize_subject(text: str) -> str:
    """``Maths`` → ``math``, ``Bio`` → ``biology``; other subjects lower-cased as typed."""
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    return _SYNONYMS.get(cleaned, cleaned)


def broader(subject: str) -> str | None:
    """``biology`` → ``science``; None for a broad subject or one outside the taxonomy."""
    return _BROADER.get(subject)


def family(subject: str) -> tuple[str, ...]:
    """The subject and every subject under it: what a search for ``science`` finds."""
    return (subject, *TAXONOMY.get(subject, ()))


@cache
def related(a: str, b: str) -> bool:
    """Whether two different subjects nest one in the other (science and biology)."""
    return a != b and (_BROADER.get(a) == b or _BROADER.get(b) == a)


def partial_pairs(wanted: frozenset[str], offered: frozenset[str]) -> list[tuple[str, str]]:
    """(wanted, offered) pairs where a wanted subject is not offered itself but a related one
    is: the partial matches, one per wanted subject."""
    pairs = []
    for subject in sorted(wanted - offered):
        for other in sorted(offered):
            if related(subject, other):
                pairs.append((subject, other))
                break
    return pairs
