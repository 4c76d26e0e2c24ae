"""Adapters translate platform events into core events and core replies back."""
