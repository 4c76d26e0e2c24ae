"""Read-only commands answered from the per-process caches (SQLite), which follow every change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.app import App
from tests.support.console import Chat


async def test_reads_need_no_statement_yet_see_every_change(app: App, chat: Chat) -> None:
    await chat.person(
        "bea", name="Bea", role="teacher", subjects="science", grades="6-8", tz="Lisbon"
    )
    await chat("intro set region North", "/as alex", "help")  # Alex's first event adds him
    await chat("whois @bea")  # fills the caches
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(app.store.engine.sync_engine, "before_cursor_execute", note)
    try:
        again = await chat("whois @bea", "help")
        assert "North" in again and "What I can do for you" in again
        if app.store.single_process:
            assert statements == [], statements
        await chat("/as bea", "intro set region South", "intro set name Beatriz", "/as alex")
        changed = await chat("whois @bea")
        assert "South" in changed and "Beatriz" in changed
        assert statements
    finally:
        event.remove(app.store.engine.sync_engine, "before_cursor_execute", note)


async def test_a_rolled_back_member_is_not_remembered(app: App, chat: Chat) -> None:
    """A refused command from a newcomer rolls back their member row; the caches forget it."""
    await chat("/as cy", "admin config")  # refused: Cy's new row is rolled back
    await chat("/as bea", "intro set region North")  # Bea's row may take the same id
    out = await chat("/as cy", "whois me")
    assert "You haven't introduced yourself yet." in out
    assert "North" not in out
