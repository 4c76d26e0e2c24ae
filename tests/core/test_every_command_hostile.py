"""Every command in the registry, fed generated hostile input, on each backend.

For any line or structured invocation: no internal error (the apology with an error id) and no
traceback reach the member; a refusal changes nothing in the store; and afterwards both
exports still work. The budget is bounded (``EXAMPLES`` per backend) so CI stays quick.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.core.commands import Param
from bot.core.events import EventKind, Invocation
from bot.core.observing import HandledEvent, Outcome
from bot.core.roles import Role
from bot.core.skills import load_registry
from bot.settings import Settings
from tests.conftest import START
from tests.support.events import RecordingPort, message, text_of
from tests.support.rows import snapshot
from tests.support.samples import sample

EXAMPLES = 300
COMMANDS = load_registry().commands(include_hidden=True)
HOSTILE = [
    "\ud800",
    "x\udfffy",
    "\x00",
    "\x1b[31m",
    "\u202eevil",
    "e\u0301",
    "a\u200db",
    "\u3164",
    "\U000e0041\u2064",
    "²",
    "①",
    "١٢",
    "-1",
    "0",
    "9" * 4301,
    "99999999999999999999",
    "9999-12-31 23:59",
    "0001-01-01 00:00",
    "every day 09:00 from 9999-12-25",
    "every 2 weeks on friday 15:30 from 9999-12-25",
    "in 9999w",
    "<@U999>",
    "<@&1>",
    "@everyone",
    "<!here>",
    "here",
    "me",
    "#staff",
    "<#C1>",
    '"',
    '"quoted words"',
    "page:²",
    "page:99999999999",
    "capacity:①",
    "subject:math",
    "grade:6-8",
    "#tag",
    "https://example.org/x",
    "http://[::1",
    "x" * 3001,
]
FILTER_KEYS = ("page", "capacity", "subject", "grade", "type", "by", "rating", "lang", "tz")
SEEDS = [
    "intro set name",
    "intro set interests",
    "intro set tz",
    "intro set experience",
    "people find",
    "remind me tomorrow 9:00",
    "remind me",
    "remind #staff",
    'resource share https://example.org/h "A title"',
    "resource edit 1 title",
    "admin config welcome_text",
    "admin config mentoring.experience_gap",
    "admin config mentoring.weight.grades",
    "mentor offer",
    "mentor request",
    "pair auto",
    "checkin preview",
    "checkin answer 1",
    "checkin mute",
    "whois",
]
"""Known-good beginnings, so that hostile words reach the skills behind the parser too."""
SETUP = (
    "admin channel summaries #staff",
    "intro set name Ana",
    'resource share https://example.org/1 "Fractions" a good one',
    "remind me in 2h plan",
)
CHECKIN = {
    "title": "Weekly",
    "questions": "How was it?",
    "schedule": "every day 09:00",
    "timezone": "UTC",
    "audience": "all",
    "summary_channel": "#staff",
}
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.builds("{}:{}".format, st.sampled_from(FILTER_KEYS), st.sampled_from(HOSTILE)),
)


def _value(param: Param) -> st.SearchStrategy[str]:
    """The parameter's own sample, a hostile value, or the sample spoiled by one."""
    fitting = sample(param)
    return st.one_of(
        st.just(fitting),
        st.sampled_from(HOSTILE),
        st.builds("{}{}".format, st.just(fitting), st.sampled_from(HOSTILE)),
    )


@st.composite
def hostile_calls(draw: st.DrawFn) -> tuple[str, Invocation | None]:
    """A text line or a structured invocation of any command, with hostile values in it."""
    form = draw(st.sampled_from(["seed", "line", "invocation"]))
    if form == "seed":
        words = draw(st.lists(hostile, min_size=1, max_size=4))
        return " ".join([draw(st.sampled_from(SEEDS)), *words]), None
    command = draw(st.sampled_from(COMMANDS))
    values = {p.name: draw(_value(p)) for p in command.spec.params}
    if form == "line":
        extra = draw(st.lists(hostile, max_size=2))
        return " ".join([command.name, *values.values(), *extra]), None
    return "", Invocation(command=command.name, args=values)


def test_no_command_fails_on_hostile_input(settings: Settings) -> None:
    outcomes: list[HandledEvent] = []
    with asyncio.Runner() as runner:
        app = runner.run(start_app(settings, clock=ManualClock(START)))
        app.dispatcher.attach("test", RecordingPort())
        app.dispatcher.observers.append(outcomes.append)
        try:
            for line in SETUP:
                runner.run(_say(app, line))
            created = runner.run(_say(app, "", Invocation(command="checkin save", args=CHECKIN)))
            assert "Check-in #1" in created, created

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(call=hostile_calls())
            def check(call: tuple[str, Invocation | None]) -> None:
                text, invocation = call
                before = runner.run(snapshot(app.store))
                outcomes.clear()
                shown = runner.run(_say(app, text, invocation))
                assert "error id" not in shown and "Traceback" not in shown, (call, shown)
                assert [o.outcome for o in outcomes] != [Outcome.ERROR], (call, outcomes)
                if outcomes[-1].outcome is Outcome.REFUSED:
                    assert runner.run(snapshot(app.store)) == before, call

            check()
            assert "I've sent you the export" in runner.run(_say(app, "admin export"))
            assert "I've sent you your data" in runner.run(_say(app, "privacy export"))
        finally:
            runner.run(app.close())


async def _say(app: App, text: str, invocation: Invocation | None = None) -> str:
    kind = EventKind.MESSAGE if invocation is None else EventKind.INVOCATION
    event = message(text, user="ana", role=Role.ADMIN, kind=kind, invocation=invocation)
    return text_of(await app.dispatcher.handle(event))
