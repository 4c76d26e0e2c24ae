from __future__ import annotations

import pytest

from bot.community.vocabulary import (
    format_grades,
    grades_phrase,
    parse_grades,
    parse_languages,
    parse_seeking,
    parse_subjects,
)


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("6-8", ("6", "7", "8")),
        ("grade 7", ("7",)),
        ("7th", ("7",)),
        ("K-2, 11", ("k", "1", "2", "11")),
        ("pre-k", ("pk",)),
        ("9 to 12", ("9", "10", "11", "12")),
        ("8–6", ("6", "7", "8")),
        ("higher ed, adult", ("he", "adult")),
        ("Year 3 and year 4", ("3", "4")),
    ],
)
def test_grades(text: str, levels: tuple[str, ...]) -> None:
    assert parse_grades(text) == levels


@pytest.mark.parametrize("text", ["", "13", "grade zero", "6-", "🍎"])
def test_bad_grades(text: str) -> None:
    with pytest.raises(ValueError, match="grade"):
        parse_grades(text)


def test_grade_formatting() -> None:
    assert format_grades(("6", "7", "8", "11")) == "6–8, 11"
    assert format_grades(("k", "1", "2", "he")) == "K–2, higher ed"
    assert grades_phrase(("7",)) == "grade 7"
    assert grades_phrase(("6", "7", "8")) == "grades 6–8"


def test_subjects_are_normalised() -> None:
    assert parse_subjects("Maths, Science and ELA") == ("math", "science", "english")
    with pytest.raises(ValueError, match="more than 10"):
        parse_subjects(", ".join(f"s{i}" for i in range(11)))


def test_languages_by_name_or_code() -> None:
    assert parse_languages("Spanish, fr, Português, english") == ("es", "fr", "pt", "en")
    with pytest.raises(ValueError, match="don't recognise the language 'Elvish'"):
        parse_languages("English, Elvish")


def test_seeking() -> None:
    assert parse_seeking("a mentor, collaborators") == ("mentor", "collaborators")
    with pytest.raises(ValueError, match="Choose from"):
        parse_seeking("a pony")
