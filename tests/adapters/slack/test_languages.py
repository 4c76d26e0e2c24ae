"""Slack in each member's language: the client's locale (``users.info`` with
``include_locale``), a localised reply, and a localised modal."""

from __future__ import annotations

from tests.adapters.slack.harness import Slack, last_view, messages, texts
from tests.fakes.slack_api import FakeSlack


async def test_a_member_is_answered_in_their_slack_language(slack: Slack, fake: FakeSlack) -> None:
    fake.add_user("T1", "ULUZ", "Luz", locale="es-ES")
    await slack.dm("ULUZ", "teleport")
    (answer,) = messages(fake)
    assert "No conozco `teleport`. Escribe `help` para ver lo que sé hacer." in texts(answer)
    await slack.dm("UANA", "teleport")
    assert "I don't know `teleport`" in texts(messages(fake)[-1])


async def test_modals_are_in_the_readers_language(slack: Slack, fake: FakeSlack) -> None:
    fake.add_user("T1", "UJEAN", "Jean", locale="fr-FR")
    await slack.command("UJEAN", "intro")
    assert last_view(fake)["close"]["text"] == "Annuler"
    await slack.command("UJEAN", "me language pt")
    await slack.command("UJEAN", "intro")
    assert last_view(fake)["close"]["text"] == "Cancelar"
    await slack.command("UANA", "intro")
    assert last_view(fake)["close"]["text"] == "Cancel"
