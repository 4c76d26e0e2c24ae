from __future__ import annotations

from tests.support.console import Chat


async def test_help_lists_what_a_member_can_do(chat: Chat) -> None:
    out = await chat("help")
    assert "== What I can do for you (member) ==" in out
    assert "`intro set <field> <value>` — Change one field of your intro." in out
    assert "`whois @member`" in out
    assert "`people find`" in out
    assert "admin" not in out
    assert "intro save" not in out  # hidden: reached through the form only


async def test_help_shows_admin_commands_to_admins(chat: Chat) -> None:
    out = await chat("/role admin", "help")
    assert "== What I can do for you (admin) ==" in out
    assert "`admin channel <purpose> #channel`" in out
    assert "(moderator)" in out


async def test_help_for_one_command(chat: Chat) -> None:
    out = await chat("help people find")
    assert "Usage: `people find [subject:math] [grade:6-8] [lang:es] [tz:+-3h]" in out
    assert "subject: a subject, like math" in out
    assert "`people find subject:science grade:6-8`" in out


async def test_help_for_a_group_and_unknowns(chat: Chat) -> None:
    out = await chat("help intro")
    assert "Related: `intro set`" in out
    assert "Did you mean `people find`" in await chat("help peple find")
    assert "I don't have a command called `teleport`" in await chat("help teleport")
    assert "`admin channel` is for moderators and admins only." in await chat("help admin channel")


async def test_help_usage_and_errors_in_each_members_language(chat: Chat) -> None:
    await chat("/as ana", "me language es")
    out = await chat("ayuda")
    assert "== Lo que puedo hacer por ti (miembro) ==" in out
    assert "`help` — Muestra lo que sé hacer o explica un comando." in out
    assert "Preferencias" in out
    out = await chat("whois")
    assert "Necesito `member` (@alguien o `me`), un miembro (como @nombre)." in out
    assert "Uso: `whois @member`" in out
    assert "No conozco `teleportar`. Escribe `help`" in await chat("teleportar")
    out = await chat("help help")
    assert "También: `ayuda`, `ajuda`, `aide`" in out
    out = await chat("/as bob", "help")
    assert "== What I can do for you (member) ==" in out
    assert "Only moderators and admins can use `admin channel`" in await chat("admin channel")
    out = await chat("/as ana", "admin channel")
    assert "Solo los moderadores y administradores pueden usar `admin channel`" in out


async def test_a_form_in_the_console_speaks_the_members_language(chat: Chat) -> None:
    out = await chat("/locale fr-FR", "intro")
    assert "(Entrée garde la valeur entre [crochets], '-' l’efface, /cancel arrête)" in out
    assert "Formulaire annulé ; rien n’a été enregistré." in await chat("/cancel")
