"""What resources are described with: types, tags, subjects, grades, titles.

Each ``parse_*``/``check_*`` function reads what a person typed and returns the stored value,
or raises ``ValueError`` with a sentence that says what would work instead (a ``LazyText``, put
into the reader's language where it is shown: ``error_text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.community import vocabulary as vocab
from bot.core.i18n import lazy
from bot.skills.resources.links import check_web_url

KINDS = ("lesson-plan", "article", "video", "tool", "course", "other")
_KIND_WORDS = {
    **{kind: kind for kind in KINDS},
    "lesson": "lesson-plan",
    "lesson plan": "lesson-plan",
    "lesson_plan": "lesson-plan",
    "lessonplan": "lesson-plan",
    "plan": "lesson-plan",
    "articles": "article",
    "blog": "article",
    "post": "article",
    "videos": "video",
    "film": "video",
    "tools": "tool",
    "app": "tool",
    "software": "tool",
    "courses": "course",
    "mooc": "course",
}
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000
_TAG = re.compile(r"^[\w\-]{1,40}$")


def parse_kind(text: str) -> str:
    kind = _KIND_WORDS.get(" ".join(text.strip().lower().split()))
    if kind is None:
        raise ValueError(lazy("The type must be one of: {kinds}.", kinds=", ".join(KINDS)))
    return kind


def kind_label(kind: str) -> str:
    return kind.replace("-", " ")


def parse_tags(items: Iterable[str]) -> tuple[str, ...]:
    """Tags as typed (``#algebra``, ``lesson-plan``) → lower case, no ``#``, de-duplicated."""
    tags: list[str] = []
    for item in items:
        tag = item.strip().lstrip("#").lower()
        if not tag:
            continue
        if not _TAG.match(tag):
            shown = tag if len(tag) <= 20 else tag[:19] + "…"
            raise ValueError(
                lazy(
                    "'{tag}' can't be a tag: use letters, digits, '-' or '_' "
                    "(at most {limit} characters).",
                    tag=shown,
                    limit=MAX_TAG_LENGTH,
                )
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(
            lazy("That's more than {limit} tags; keep the ones that matter most.", limit=MAX_TAGS)
        )
    return tuple(tags)


def split_tags(text: str) -> tuple[str, ...]:
    """Tags written in one field: ``#algebra #fractions`` or ``algebra, fractions``."""
    return parse_tags(re.split(r"[\s,]+", text))


def parse_subject(text: str) -> str:
    subjects = vocab.parse_subjects(text)
    if len(subjects) > 1:
        raise ValueError(lazy("One subject per resource, please (the one it is mostly about)."))
    subject = subjects[0]
    if len(subject) > vocab.MAX_ITEM_LENGTH:
        raise ValueError(
            lazy(
                "That subject is too long (at most {limit} characters).",
                limit=vocab.MAX_ITEM_LENGTH,
            )
        )
    return subject


def parse_grade_mask(text: str) -> int:
    """Grades and bands (``6-8, 11``) as a bit mask over ``GRADE_LEVELS``."""
    return grade_mask(vocab.parse_grades(text))


def grade_mask(levels: Iterable[str]) -> int:
    return sum(1 << vocab.GRADE_LEVELS.index(level) for level in set(levels))


def grades_of(mask: int) -> tuple[str, ...]:
    return tuple(level for i, level in enumerate(vocab.GRADE_LEVELS) if mask & (1 << i))


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise ValueError(lazy("The title can't be empty."))
    if len(title) > MAX_TITLE_LENGTH:
        raise ValueError(
            lazy("The title is too long (at most {limit} characters).", limit=MAX_TITLE_LENGTH)
        )
    return title


def check_description(text: str) -> str:
    description = text.strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ValueError(
            lazy(
                "The description is too long (at most {limit} characters).",
                limit=MAX_DESCRIPTION_LENGTH,
            )
        )
    return description


FIELD_PARSERS: dict[str, Callable[[str], Any]] = {
    "url": check_web_url,
    "title": check_title,
    "description": check_description,
    "type": parse_kind,
    "subject": parse_subject,
    "grades": parse_grade_mask,
    "tags": split_tags,
}
"""The share form's fields (and ``resource edit``'s), each with the parser of its value."""
