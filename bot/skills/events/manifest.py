"""The events skill's front door: events with answers per occurrence, reminders and
follow-ups, calendar files, and office hours booked slot by slot."""

from __future__ import annotations

from bot.core.skills import ChannelPurpose, Skill
from bot.skills.events import answers, event_commands, office_hours, records

SKILL = Skill(
    name="events",
    help_position=55,
    commands=(
        event_commands.event_create,
        event_commands.event_list,
        event_commands.event_show,
        event_commands.event_ics,
        event_commands.event_move,
        event_commands.event_cancel,
        answers.event_rsvp,
        answers.event_attended,
        answers.event_rate,
        office_hours.office_hours_add,
        office_hours.office_hours_list,
        office_hours.office_hours_book,
        office_hours.office_hours_cancel,
        office_hours.office_hours_remove,
    ),
    jobs=(answers.remind, office_hours.booking_reminder),
    exporters=(records.export_events,),
    erasers=(records.forget_events,),
    stats=(records.events_stats,),
    settings=event_commands.SETTINGS,
    channel_purposes=(ChannelPurpose(name="events", summary="where new events are announced"),),
)
