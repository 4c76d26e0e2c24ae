"""First-meeting slots: inside both working days, on weekdays, one per day."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.i18n import Catalogs
from bot.core.timezones import zone
from bot.skills.mentoring.meetings import local_time, meeting_slots

FRIDAY_NOON = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
ENGLISH = Catalogs().translator("mentoring", "en")


def test_slots_skip_the_weekend_and_sit_in_both_working_days() -> None:
    slots = meeting_slots("Europe/Lisbon", "America/New_York", FRIDAY_NOON)
    assert [local_time(ENGLISH, s, "Europe/Lisbon") for s in slots] == [
        "Mon 9 Mar 14:00",  # New York is on summer time from 8 March: 4 hours apart
        "Tue 10 Mar 14:00",
        "Wed 11 Mar 14:00",
    ]
    for slot in slots:
        for key in ("Europe/Lisbon", "America/New_York"):
            local = slot.astimezone(zone(key))
            assert local.weekday() < 5 and 9 <= local.hour <= 16


def test_no_shared_working_hours_means_no_slots() -> None:
    assert meeting_slots("UTC", "Asia/Tokyo", FRIDAY_NOON) == []


def test_half_hour_zones_get_half_hour_slots() -> None:
    (slot, *_) = meeting_slots("Asia/Kolkata", "Europe/Berlin", FRIDAY_NOON)
    assert local_time(ENGLISH, slot, "Asia/Kolkata") == "Mon 9 Mar 14:30"
    assert local_time(ENGLISH, slot, "Europe/Berlin") == "Mon 9 Mar 10:00"


def test_meeting_times_are_written_in_the_reader_s_language() -> None:
    slot = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert local_time(Catalogs().translator("mentoring", "es"), slot, "UTC") == "lun 9 mar 14:00"
    assert local_time(Catalogs().translator("mentoring", "fr"), slot, "UTC") == "lun. 9 mars 14:00"
