"""The schedule grammar: what teachers type, read as they mean it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.scheduling.grammar import parse_schedule, preview
from bot.scheduling.recurrence import BadSchedule

NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # a Friday, 16:00 in Lisbon
LISBON = "Europe/Lisbon"


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_schedule(text, now=NOW, zone_key=LISBON)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mondays 9:00", "every monday 09:00"),
        ("Mondays at 9am", "every monday 09:00"),
        ("wednesdays 9.30", "every wednesday 09:30"),
        ("9am every monday", "every monday 09:00"),
        ("each wednesday", "every wednesday 09:00"),
        ("every tues", "every tuesday 09:00"),
        ("tuesdays and thursdays at 3pm", "every tuesday and thursday 15:00"),
        ("weekly on thursdays", "every thursday 09:00"),
        ("weekly", "every friday 09:00"),
        ("daily", "every day 09:00"),
        ("daily 18:00", "every day 18:00"),
        ("everyday at noon", "every day 12:00"),
        ("weekdays", "every weekday 09:00"),
        ("weekdays 7:45", "every weekday 07:45"),
        ("mon-fri 8:00", "every weekday 08:00"),
        ("monday to friday 8am", "every weekday 08:00"),
        ("weekends 10am", "every saturday and sunday 10:00"),
        ("every other tuesday", "every 2 weeks on tuesday 09:00 from 2026-11-30"),
        ("every second friday 15:30", "every 2 weeks on friday 15:30 from 2026-11-30"),
        ("fortnightly on friday", "every 2 weeks on friday 09:00 from 2026-11-30"),
        ("every other week", "every 2 weeks on friday 09:00 from 2026-11-30"),
        ("every 3 weeks", "every 3 weeks on friday 09:00 from 2026-11-30"),
        ("first monday of the month", "first monday of the month 09:00"),
        ("the first monday of every month at 16:00", "first monday of the month 16:00"),
        ("2nd tuesday of each month 3pm", "second tuesday of the month 15:00"),
        ("last friday of the month 10:00", "last friday of the month 10:00"),
        ("on the 15th of every month", "every month on the 15th 09:00"),
        ("monthly on the 15th", "every month on the 15th 09:00"),
        ("every 15th 8:00", "every month on the 15th 08:00"),
        ("the 15th of the month", "every month on the 15th 09:00"),
        ("the last day of the month 17:00", "every month on the last day 17:00"),
        ("monthly", "every month on the 4th 09:00"),
        ("every dec 24", "every year on december 24 09:00"),
        ("yearly on 1 september", "every year on september 1 09:00"),
        # one-offs
        ("on the 15th", "2026-12-15 09:00"),
        ("the 1st at 8:00", "2027-01-01 08:00"),
        ("noon", "2026-12-05 12:00"),
        ("at 5pm", "2026-12-04 17:00"),
        ("midnight", "2026-12-05 00:00"),
        ("tomorrow noon", "2026-12-05 12:00"),
        ("5pm tomorrow", "2026-12-05 17:00"),
        ("dec 24", "2026-12-24 09:00"),
        ("December 24th 10am", "2026-12-24 10:00"),
        ("24th of december", "2026-12-24 09:00"),
        ("sept 1", "2027-09-01 09:00"),
        ("monday 9:00", "2026-12-07 09:00"),
        ("thursday", "2026-12-10 09:00"),
        ("this friday 5pm", "2026-12-11 17:00"),
    ],
)
def test_phrases_teachers_type(text: str, canonical: str) -> None:
    schedule = parse(text)
    assert schedule.text() == canonical
    assert parse(schedule.text()) == schedule


@pytest.mark.parametrize(
    "text",
    [
        "mondays 9:00",
        "daily",
        "weekdays",
        "every other tuesday",
        "first monday of the month",
        "on the 15th of every month",
        "every dec 24",
        "weekends",
    ],
)
def test_a_repeating_phrase_is_never_a_one_off(text: str) -> None:
    assert parse(text).recurring


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "mondays 9:00",
            "every Monday at 09:00 — next Mon 07 Dec 09:00, Mon 14 Dec 09:00, Mon 21 Dec 09:00 "
            "(Europe/Lisbon)",
        ),
        (
            "every other tuesday",
            "every other Tuesday at 09:00 — next Tue 15 Dec 09:00, Tue 29 Dec 09:00, "
            "Tue 12 Jan 2027 09:00 (Europe/Lisbon)",
        ),
        (
            "weekdays",
            "every weekday (Monday to Friday) at 09:00 — next Mon 07 Dec 09:00, "
            "Tue 08 Dec 09:00, Wed 09 Dec 09:00 (Europe/Lisbon)",
        ),
        ("dec 24", "once, on Thu 24 Dec 2026 at 09:00 — next Thu 24 Dec 09:00 (Europe/Lisbon)"),
        ("on the 15th of every month", "on the 15th of every month at 09:00 — next Tue 15 Dec"),
        ("the last day of the month", "on the last day of every month at 09:00 — next Thu 31"),
        ("every year on feb 29", "every year on 29 February at 09:00 — next Tue 29 Feb 2028"),
    ],
)
def test_the_answer_says_the_schedule_and_the_next_times(text: str, said: str) -> None:
    assert preview(parse(text), LISBON, NOW).startswith(said)


def test_a_past_one_off_says_so() -> None:
    assert preview(parse("2026-12-01 09:00"), LISBON, NOW).endswith("that time has passed")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mondays 25:00", "not a time of day"),
        ("feb 30", "February has no day 30"),
        ("on the 32nd", "not a day of the month"),
        ("first monday", "first monday of the month"),
        ("the last day", "last day of the month"),
        ("every blursday", "can't read"),
        ("every", "can't read"),
        ("x" * 200, "too long"),
    ],
)
def test_what_is_not_a_schedule_says_what_works(text: str, message: str) -> None:
    with pytest.raises(BadSchedule, match=message):
        parse(text)


def test_a_relative_time_counts_from_the_second_and_reads_back() -> None:
    now = datetime(2026, 12, 4, 16, 0, 30, 400_000, tzinfo=UTC)
    schedule = parse_schedule("in 1m", now=now, zone_key=LISBON)
    assert schedule.text() == "2026-12-04 16:01:31"
    assert parse_schedule(schedule.text(), now=now, zone_key=LISBON) == schedule
