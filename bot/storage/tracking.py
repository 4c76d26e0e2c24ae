"""Knowing which tables a session's transaction changed, from SQLAlchemy's own events.

The dispatcher uses it to record an event id together with the event's writes, and the member
cache uses it to drop stale entries when the members table changes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql.elements import TextClause

_CHANGED = "staffroom.changed_tables"
UNKNOWN_TABLE = "?"
_TEXT_DML = re.compile(r"^\s*(insert|update|delete|replace)\b", re.IGNORECASE)


class TrackedSession(Session):
    """A ``Session`` that notes the tables its current transaction changes."""


def changed_tables(session: Session) -> set[str]:
    """Names of the tables changed so far in this transaction (``?`` for raw SQL writes)."""
    tables: set[str] = session.info.setdefault(_CHANGED, set())
    return tables


@event.listens_for(TrackedSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table: Any = getattr(state.statement, "table", None)
        changed_tables(state.session).add(getattr(table, "name", UNKNOWN_TABLE))
    elif isinstance(state.statement, TextClause) and _TEXT_DML.match(state.statement.text):
        changed_tables(state.session).add(UNKNOWN_TABLE)


@event.listens_for(TrackedSession, "before_flush")
def _note_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    tables = changed_tables(session)
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        tables.add(obj.__table__.name)


TransactionEndHook = Callable[[Session, set[str]], None]
_END_HOOKS: list[TransactionEndHook] = []


def on_transaction_end(hook: TransactionEndHook) -> TransactionEndHook:
    """Call ``hook(session, changed_tables)`` after each commit or rollback of a tracked session."""
    _END_HOOKS.append(hook)
    return hook


@event.listens_for(TrackedSession, "after_commit")
@event.listens_for(TrackedSession, "after_rollback")
def _transaction_ended(session: Session) -> None:
    tables = changed_tables(session)
    for hook in _END_HOOKS:
        hook(session, tables)
    tables.clear()
