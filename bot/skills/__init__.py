"""Skills: one module (or package) per job the bot does. Skills never import a chat platform."""

from __future__ import annotations

import importlib

from bot.core.commands import Registry

SKILL_MODULES = (
    "bot.skills.introductions.commands",
    "bot.skills.resources.commands",
    "bot.skills.mentoring.commands",
    "bot.skills.checkins.commands",
    "bot.skills.checkins.rounds",
    "bot.skills.checkins.records",
    "bot.skills.reminders",
    "bot.skills.admin.commands",
    "bot.skills.admin.reports",
    "bot.skills.privacy.commands",
    "bot.skills.help",
)
"""In the order ``help`` lists them."""


def load_registry() -> Registry:
    """Collect every skill's commands and listeners; a duplicate command name fails here."""
    return Registry.from_modules(importlib.import_module(name) for name in SKILL_MODULES)
