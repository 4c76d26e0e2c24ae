"""The root of Staffroom's error hierarchy, and the errors that stop it from starting.

They live in the lowest layer because the store is the first thing that can refuse to start;
the errors a user can cause (``bot.core.errors``) derive from the same root.
"""

from __future__ import annotations


class StaffroomError(Exception):
    """Base class of every error Staffroom raises on purpose."""


class StartupError(StaffroomError):
    """Staffroom cannot start; the message is one sentence saying why and what to do."""


class SettingsError(StartupError):
    """A setting is missing or wrong; the message is one sentence naming it."""
