"""Reminders for oneself or a channel, once or on a schedule."""
